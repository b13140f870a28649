// Outgoing messages under ambiguity (issue 9): a SendMessage that gets no answer is neither re-sent
// twice nor lost. The widget says "Checking whether it was delivered…" (no Retry) until the live
// channel decides: the echo makes it Sent; a full /meta/connect round trip that left after the failure
// without the echo makes it "Not delivered" with Retry. The rule is in docs/RELIABILITY.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../lib/widget-page.mjs';
import { browserTests, ring } from '../lib/harness.mjs';

const withWidget = browserTests();

/** How many times the server has `text` from the agent in session `id`. */
async function copiesAtServer(sim, id, text) {
  const state = await sim.control('GET', '/state');
  const session = state.sessions.find((s) => s.id === id);
  return session.transcript.filter((l) => l.direction === 'out' && l.text === text).length;
}

/** The agent's own line with `text`, and its status and buttons. */
function ownLine(widget, text) {
  const line = widget.transcript.locator('.imw-line--outgoing').filter({ has: widget.page.getByText(text, { exact: true }) });
  return {
    line,
    status: (words) => line.getByText(words, { exact: true }),
    retry: line.getByRole('button', { name: 'Retry', exact: true }),
  };
}

/** A Talking session with 3003, open, its first message delivered. */
async function talkingWith3003(sim, widget) {
  const { id } = await ring(sim, '3003');
  await widget.openSession('3003');
  await widget.send('hello');
  await ownLine(widget, 'hello').status('Sent').waitFor();
  return id;
}

// The long poll is held 5 s (harness); maxInterval 60 s keeps the Bayeux session through the fault.
const simArgs = ['--max-interval-ms', '60000'];

test('a message the server applied but whose reply was lost shows Checking, then Sent, once, never Retry', { timeout: 90_000 }, async () => {
  await withWidget(
    async ({ sim, widget }) => {
      const id = await talkingWith3003(sim, widget);
      const polls = async () => (await sim.control('GET', '/state')).counters.notificationRequests;
      const before = await polls();
      await sim.control('PUT', '/faults', { dropResponses: 1 });
      // Wait until the outstanding long poll arrived after the fault (so its reply will be lost too):
      // the echo cannot slip through a poll the fault does not apply to.
      await eventually(async () => (await polls()) > before, { timeoutMs: 20_000, what: 'a long poll under the fault' });
      await widget.send('did this arrive?');
      const mine = ownLine(widget, 'did this arrive?');
      await mine.status('Checking whether it was delivered…').waitFor({ timeout: 20_000 });
      assert.equal(await mine.retry.count(), 0, 'no Retry while checking');
      assert.equal(await copiesAtServer(sim, id, 'did this arrive?'), 1, 'the server applied it');
      await sim.control('DELETE', '/faults');
      await mine.status('Sent').waitFor({ timeout: 30_000 });
      await widget.connection('Connected').waitFor({ timeout: 30_000 });
      assert.equal(await mine.retry.count(), 0, 'no Retry once confirmed');
      assert.equal(await mine.line.count(), 1, 'shown once');
      assert.equal(await widget.transcript.locator('.imw-line--incoming').getByText('did this arrive?', { exact: true }).count(), 0, 'its echo is not shown as theirs');
      assert.equal(await copiesAtServer(sim, id, 'did this arrive?'), 1, 'exactly one copy at the server');
    },
    { simArgs, allowFailedLoads: true },
  );
});

test('a message the server never got shows Checking, then Not delivered with Retry; Retry delivers one copy', { timeout: 90_000 }, async () => {
  await withWidget(
    async ({ sim, widget }) => {
      const id = await talkingWith3003(sim, widget);
      await sim.control('PUT', '/faults', { dropRequests: 1 });
      await widget.send('lost on the way');
      const mine = ownLine(widget, 'lost on the way');
      await mine.status('Checking whether it was delivered…').waitFor({ timeout: 20_000 });
      assert.equal(await mine.retry.count(), 0, 'no Retry while checking');
      assert.equal(await copiesAtServer(sim, id, 'lost on the way'), 0);
      await sim.control('DELETE', '/faults');
      await mine.status('Not delivered').waitFor({ timeout: 30_000 });
      await mine.retry.waitFor();
      assert.equal(await copiesAtServer(sim, id, 'lost on the way'), 0, 'zero copies: nothing was re-sent by itself');
      await mine.retry.click();
      await mine.status('Sent').waitFor({ timeout: 20_000 });
      await eventually(async () => (await copiesAtServer(sim, id, 'lost on the way')) === 1, { what: 'the retried message at the server' });
      assert.equal(await mine.line.count(), 1, 'the same line, not a new one');
      assert.equal(await copiesAtServer(sim, id, 'lost on the way'), 1, 'exactly one copy after Retry');
    },
    { simArgs, allowFailedLoads: true },
  );
});

test('when the Bayeux session is lost while checking, the agent decides: May not have been delivered, with Retry', { timeout: 90_000 }, async () => {
  await withWidget(
    async ({ sim, widget }) => {
      const id = await talkingWith3003(sim, widget);
      await sim.control('PUT', '/faults', { dropRequests: 1 });
      await widget.send('in doubt');
      const mine = ownLine(widget, 'in doubt');
      await mine.status('Checking whether it was delivered…').waitFor({ timeout: 20_000 });
      // The server forgets every CometD client: the next connect gets 402 and a new session starts.
      await sim.control('POST', '/restart');
      await sim.control('DELETE', '/faults');
      await mine.status('May not have been delivered').waitFor({ timeout: 30_000 });
      await mine.retry.waitFor();
      await widget.button('Discard').waitFor();
      assert.equal(await copiesAtServer(sim, id, 'in doubt'), 0, 'never re-sent by itself');
    },
    { simArgs, allowFailedLoads: true },
  );
});
