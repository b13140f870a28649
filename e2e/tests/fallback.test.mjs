// Without BroadcastChannel and Web Locks (an init script removes both before the page runs) the
// tabs cannot share one connection: each tab runs its own CometD client, and each works on its own —
// the list, sending (Sent once), incoming messages live — showing nothing twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSimulator } from '../lib/server.mjs';
import { launchBrowser } from '../lib/browser.mjs';
import { WidgetPage, eventually } from '../lib/widget-page.mjs';
import { assertNoProblems } from '../lib/harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Runs in every page before its scripts: the browser has neither API. */
function removeTabApis() {
  delete window.BroadcastChannel;
  delete Navigator.prototype.locks;
  delete navigator.locks;
}

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

const lines = (widget, kind, text) => widget.transcript.locator(`.imw-line--${kind}`).filter({ has: widget.page.getByText(text, { exact: true }) });

test('without BroadcastChannel and Web Locks each tab has its own CometD client and works, nothing shown twice', { timeout: 120_000 }, async () => {
  const sim = await startTestSimulator();
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  try {
    await context.addInitScript(removeTabApis);
    const pages = [await tab(context), await tab(context)];
    const widgets = [];
    for (const page of pages) widgets.push(await new WidgetPage(page).openConnected(sim.url));
    for (const page of pages) {
      assert.deepEqual(
        await page.evaluate(() => ({ channel: typeof window.BroadcastChannel, locks: typeof navigator.locks })),
        { channel: 'undefined', locks: 'undefined' },
        'the init script removed both',
      );
    }
    // One CometD client per tab, each subscribed and holding its own long-poll.
    const clients = async () => (await sim.control('GET', '/state')).bayeux.clients;
    await eventually(async () => (await clients()).filter((c) => c.connectHeld).length === 2, { what: 'two held connects' });
    const both = await clients();
    assert.equal(both.length, 2, `two CometD clients: ${JSON.stringify(both)}`);
    assert.notEqual(both[0].clientId, both[1].clientId);
    for (const client of both) assert.ok(client.subscriptions.includes('/v2/me/im-sessions'), `subscribed: ${JSON.stringify(client)}`);

    // The list: a session rings, both tabs list it once.
    const { id } = await sim.control('POST', '/sessions', { from: '3003' });
    for (const widget of widgets) await widget.row('3003').waitFor();
    for (const widget of widgets) await widget.openSession('3003');

    // Incoming, live, in both.
    await sim.control('POST', `/sessions/${id}/messages`, { text: 'Hello from 3003' });
    for (const widget of widgets) await lines(widget, 'incoming', 'Hello from 3003').waitFor();

    // Each tab sends: it shows Sent once; the other tab shows it as the agent's, once.
    for (const [index, widget] of widgets.entries()) {
      const text = `Reply from tab ${index + 1}`;
      await widget.send(text);
      await lines(widget, 'outgoing', text).filter({ hasText: 'Sent' }).waitFor();
      for (const other of widgets) await lines(other, 'outgoing', text).waitFor();
    }
    await eventually(
      async () => {
        const session = (await sim.control('GET', '/state')).sessions.find((s) => s.id === id);
        return ['Reply from tab 1', 'Reply from tab 2'].every((text) => session.transcript.filter((l) => l.text === text).length === 1);
      },
      { what: 'the server to hold each reply once' },
    );
    await pages[0].waitForTimeout(1_000);
    const session = (await sim.control('GET', '/state')).sessions.find((s) => s.id === id);
    assert.deepEqual(
      session.transcript.filter((l) => l.direction === 'out').map((l) => l.text),
      ['Reply from tab 1', 'Reply from tab 2'],
      'the server has each reply once',
    );
    for (const [index, widget] of widgets.entries()) {
      const tabName = `tab ${index + 1}`;
      assert.equal(await widget.sessionRows.count(), 1, `${tabName}: one row`);
      assert.equal(await lines(widget, 'incoming', 'Hello from 3003').count(), 1, `${tabName}: the incoming message once`);
      for (const text of ['Reply from tab 1', 'Reply from tab 2']) {
        assert.equal(await lines(widget, 'outgoing', text).count(), 1, `${tabName}: "${text}" once, as the agent's`);
        assert.equal(await lines(widget, 'incoming', text).count(), 0, `${tabName}: "${text}" never as the other party's`);
      }
      const sent = await lines(widget, 'outgoing', `Reply from ${tabName}`).getByText('Sent', { exact: true }).count();
      assert.equal(sent, 1, `${tabName}: its own reply says Sent once`);
      await widget.connection('Connected').waitFor();
    }
    // Still two clients, the same two.
    assert.deepEqual(
      (await clients()).map((c) => c.clientId).sort(),
      both.map((c) => c.clientId).sort(),
      'each tab kept its own client',
    );
    for (const page of pages) {
      assert.equal(await page.locator('[data-imw-crashed]').count(), 0, 'the panic hook never fired');
      assertNoProblems(page);
    }
  } finally {
    await context.close();
    await sim.stop();
  }
});
