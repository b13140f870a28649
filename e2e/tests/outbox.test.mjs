// The outbox: messages typed quickly reach the server in the order typed, each once, and each shows
// "Waiting to send…" / "Sending…" until the server has it; a failure is visible with Retry and Discard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSimulator } from '../lib/server.mjs';
import { launchBrowser, newPage } from '../lib/browser.mjs';
import { WidgetPage, eventually } from '../lib/widget-page.mjs';

let browser;
let sim;
before(async () => {
  browser = await launchBrowser();
  sim = await startTestSimulator();
});
after(async () => {
  await browser?.close();
  await sim?.stop();
});

test('messages typed quickly under latency arrive in the order typed, each once', { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  const widget = await new WidgetPage(page).openConnected(sim.url);
  const { id } = await sim.control('POST', '/sessions', { from: '3003' });
  await widget.openSession('3003');
  await widget.send('hello');
  await widget.row('3003').filter({ hasText: 'Talking' }).waitFor();

  await sim.control('PUT', '/faults', { latencyMs: 600 });
  const typed = ['first point', 'second point', 'third point', 'fourth point'];
  for (const text of typed) await widget.send(text);
  await widget.transcript.getByText('Waiting to send…').first().waitFor();

  const sentOrder = await eventually(
    async () => {
      const state = await sim.control('GET', '/state');
      const texts = state.sessions.find((s) => s.id === id).transcript.filter((m) => m.direction !== 'in').map((m) => m.text);
      return texts.length === 5 ? texts : null;
    },
    { timeoutMs: 20_000, what: 'all five messages on the server' },
  );
  assert.deepEqual(sentOrder, ['hello', ...typed], 'the server has them in the order typed');
  await sim.control('DELETE', '/faults');

  await eventually(async () => (await widget.transcript.getByText(/Waiting to send|Sending…/).count()) === 0, {
    what: 'every message to be confirmed',
  });
  for (const text of typed) {
    assert.equal(await widget.transcript.getByText(text, { exact: true }).count(), 1, `"${text}" shown once`);
  }
  await page.context().close();
});
