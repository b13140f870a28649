// Several tabs of one browser share one CometD connection: one tab (the Web Lock holder) long-polls
// and shares every notification on a BroadcastChannel; when it closes another takes the same CometD
// client over, so nothing published meanwhile is missed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../lib/server.mjs';
import { launchBrowser } from '../lib/browser.mjs';
import { WidgetPage, eventually } from '../lib/widget-page.mjs';

let browser;
let sim;
before(async () => {
  browser = await launchBrowser();
  sim = await startSimulator({ args: ['--scenario', 'none', '--poll-timeout-ms', '5000'] });
});
after(async () => {
  await browser?.close();
  await sim?.stop();
});

/** A page of `context` whose console errors and page errors are collected in `page.problems`. */
async function tab(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.setDefaultTimeout(10_000);
  return page;
}

const isLeader = (page) => page.evaluate(() => window.__imwLeader === true);
const clients = async () => (await sim.control('GET', '/state')).bayeux.clients;
const theyWrite = (id, text) => sim.control('POST', `/sessions/${id}/messages`, { text });
const incoming = (widget, text) => widget.transcript.locator('.imw-line--incoming').filter({ hasText: text });
const outgoing = (widget, text) => widget.transcript.locator('.imw-line--outgoing').filter({ hasText: text });

test('two tabs share one CometD client; the other takes it over when the leader closes, missing nothing', { timeout: 90_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  try {
    const first = await tab(context);
    const one = await new WidgetPage(first).openConnected(sim.url);
    await eventually(() => isLeader(first), { what: 'the first tab to lead' });
    const second = await tab(context);
    const two = await new WidgetPage(second).openConnected(sim.url);
    assert.equal(await isLeader(second), false, 'the second tab follows');
    await second.waitForTimeout(1_000);
    const before = await clients();
    assert.equal(before.length, 1, `exactly one CometD client: ${JSON.stringify(before)}`);

    const { id } = await sim.control('POST', '/sessions', { from: '3003' });
    await one.row('3003').waitFor();
    await two.row('3003').waitFor();
    await theyWrite(id, 'Hello from the customer');
    await one.openSession('3003');
    await two.openSession('3003');
    for (const widget of [one, two]) await incoming(widget, 'Hello from the customer').waitFor();

    // The follower sends: both tabs show it once, as the agent's, never as the customer's.
    await two.send('Reply typed in the second tab');
    for (const widget of [one, two]) {
      await outgoing(widget, 'Reply typed in the second tab').waitFor();
    }
    await eventually(
      async () => {
        const state = await sim.control('GET', '/state');
        const session = state.sessions.find((s) => s.id === id);
        return session.transcript.filter((m) => m.text === 'Reply typed in the second tab').length === 1;
      },
      { what: 'the server to hold the reply once' },
    );
    await second.waitForTimeout(700);
    for (const widget of [one, two]) {
      assert.equal(await outgoing(widget, 'Reply typed in the second tab').count(), 1, 'shown once as the agent’s');
      assert.equal(await incoming(widget, 'Reply typed in the second tab').count(), 0, 'the echo is not theirs');
    }

    // The leader closes (no /meta/disconnect: the page just goes); messages keep coming.
    await first.close();
    const missed = ['After close 1', 'After close 2', 'After close 3'];
    for (const text of missed) await theyWrite(id, text);
    for (const text of missed) await incoming(two, text).waitFor({ timeout: 8_000 });
    await eventually(() => isLeader(second), { what: 'the second tab to lead' });
    await theyWrite(id, 'After the takeover');
    await incoming(two, 'After the takeover').waitFor();
    await second.waitForTimeout(500);
    for (const text of [...missed, 'After the takeover']) {
      assert.equal(await incoming(two, text).count(), 1, `"${text}" shown once`);
    }
    assert.equal(await two.transcript.getByText('Messages may be missing').count(), 0, 'no gap');
    await two.connection('Connected').waitFor();
    const after = await clients();
    assert.deepEqual(
      after.map((c) => c.clientId),
      before.map((c) => c.clientId),
      'the second tab carries on the same CometD client',
    );
    assert.deepEqual(second.problems, []);
  } finally {
    await context.close();
  }
});

test('a message that fails in one tab shows failed in every tab, and a retry confirms it everywhere once', { timeout: 90_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  try {
    const one = await new WidgetPage(await tab(context)).openConnected(sim.url);
    const two = await new WidgetPage(await tab(context)).openConnected(sim.url);
    const { id } = await sim.control('POST', '/sessions', { from: '3006' });
    await theyWrite(id, 'Are you there?');
    await one.openSession('3006');
    await two.openSession('3006');
    await two.send('Yes, one moment');
    for (const widget of [one, two]) await outgoing(widget, 'Yes, one moment').filter({ hasText: 'Sent' }).waitFor();

    await sim.control('PUT', '/faults', { serverErrorsForMs: 60_000 });
    await two.send('This meets a server error');
    for (const widget of [one, two]) {
      await outgoing(widget, 'This meets a server error').filter({ hasText: 'Not sent' }).waitFor();
    }
    await sim.control('DELETE', '/faults');
    await two.transcript.getByRole('button', { name: 'Retry' }).click();
    for (const widget of [one, two]) {
      await eventually(async () => (await widget.transcript.getByText(/Not sent/).count()) === 0, {
        what: 'the retried message to be confirmed in every tab',
      });
      assert.equal(await outgoing(widget, 'This meets a server error').count(), 1, 'one line, not two');
      assert.equal(await incoming(widget, 'This meets a server error').count(), 0, 'never shown as theirs');
    }
  } finally {
    await context.close();
  }
});
