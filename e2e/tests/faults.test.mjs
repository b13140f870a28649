// Faults through the simulator's control API (issue 9): for each fault, a scripted conversation over
// several sessions runs while it is on; once it is off the widget must have recovered by itself (no
// reload), have said so while degraded, and show what the server has — sessions, states, the End
// control, case data and transcripts: no incoming message missing or twice, every agent message
// delivered once (and shown Sent) or shown failed with Retry (and absent at the server). Faults that
// end the Bayeux session may lose what was published meanwhile, but then a gap marker says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../lib/browser.mjs';
import { eventually } from '../lib/widget-page.mjs';
import { withWidget as withWidgetOn, ring, theyWrite } from '../lib/harness.mjs';
import { assertMatchesServer, UNSETTLED } from '../lib/compare.mjs';

let browser;
const withWidget = (body, options) => withWidgetOn(browser, body, options);
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const FAULTS = [
  { name: '10 % of requests dropped', on: (sim) => sim.control('PUT', '/faults', { dropRequests: 0.1, seed: 7 }), off: (sim) => sim.control('DELETE', '/faults'), keeps: true, forMs: 10_000 },
  // GWS's maxInterval decides whether 20 s of 5xx keep the Bayeux session: both cases.
  {
    name: '5xx for 20 s (maxInterval 60 s)',
    on: (sim) => sim.control('PUT', '/faults', { serverErrorsForMs: 20_000 }),
    off: (sim) => sim.control('DELETE', '/faults'),
    forMs: 20_000,
    keeps: true,
    degrades: true,
    simArgs: ['--max-interval-ms', '60000'],
  },
  {
    name: '5xx for 20 s (maxInterval 10 s: the server drops the client)',
    on: (sim) => sim.control('PUT', '/faults', { serverErrorsForMs: 20_000 }),
    off: (sim) => sim.control('DELETE', '/faults'),
    forMs: 20_000,
    keeps: false,
    degrades: true,
  },
  { name: '2 s of added latency', on: (sim) => sim.control('PUT', '/faults', { latencyMs: 2000 }), off: (sim) => sim.control('DELETE', '/faults'), keeps: true, forMs: 10_000 },
  { name: 'long-polls closed early', on: (sim) => sim.control('PUT', '/faults', { closePollsEarly: true }), off: (sim) => sim.control('DELETE', '/faults'), keeps: true, forMs: 10_000 },
  { name: 'CometD 402 unknown client', on: (sim) => sim.control('POST', '/faults/unknown-client'), off: () => null, keeps: false },
  { name: 'a simulator restart (state kept)', on: (sim) => sim.control('POST', '/restart'), off: () => null, keeps: false, degrades: true },
  {
    name: 'the network gone for 30 s (shorter than maxInterval)',
    on: (_, page) => page.context().setOffline(true),
    off: (_, page) => page.context().setOffline(false),
    forMs: 30_000,
    keeps: true,
    degrades: true,
    simArgs: ['--max-interval-ms', '60000'],
  },
];

for (const fault of FAULTS) {
  test(`under ${fault.name}: the widget recovers by itself and shows what the server has`, { timeout: 150_000 }, async () => {
    await withWidget(
      async ({ sim, page, widget }) => {
        await page.evaluate(() => {
          window.__notReloaded = true;
          window.__connection = [];
          const record = () => {
            const text = [...document.querySelectorAll('.imw [role="status"]')].map((e) => e.textContent.trim()).join('|');
            if (window.__connection.at(-1) !== text) window.__connection.push(text);
          };
          new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
        });
        // Before: three sessions, two answered, some talk.
        const a = (await ring(sim, '3002')).id;
        const b = (await ring(sim, '3003')).id;
        const c = (await ring(sim, '3004')).id;
        const typed = new Map([[a, []], [b, []]]);
        const say = async (number, id, text) => {
          await widget.openSession(number);
          await widget.send(text);
          typed.get(id).push(text);
        };
        await say('3002', a, 'Hello Sam');
        await say('3003', b, 'Hello Tina');
        await theyWrite(sim, a, 'before the fault 1');
        await theyWrite(sim, b, 'before the fault 2');
        await widget.transcript.getByText('before the fault 2', { exact: true }).waitFor();

        // During: they write, the agent writes, case data changes, one session ends, one rings.
        const during = new Set(['during 1', 'during 2', 'during 3']);
        await fault.on(sim, page);
        const onAt = Date.now();
        await theyWrite(sim, a, 'during 1');
        await say('3003', b, 'typed while it is on');
        await theyWrite(sim, b, 'during 2');
        await sim.control('POST', `/sessions/${b}/user-data`, { userData: { Priority: 'high' } });
        await theyWrite(sim, a, 'during 3');
        await sim.control('POST', `/sessions/${c}/complete`);
        await ring(sim, '3005');
        await sleep(Math.max(0, onAt + (fault.forMs ?? 0) - Date.now()));
        await fault.off(sim, page);

        // After: recovered by itself, and a later message arrives.
        await widget.connection('Connected').waitFor({ timeout: 40_000 });
        await theyWrite(sim, a, 'after the fault');
        await widget.openSession('3002');
        await widget.transcript.getByText('after the fault', { exact: true }).waitFor({ timeout: 20_000 });
        await widget.row('3005').waitFor();
        // Let in-flight sends settle (delivered or failed) before comparing.
        await eventually(async () => (await widget.region.getByText(UNSETTLED).count()) === 0, {
          timeoutMs: 30_000,
          what: 'every agent message to be settled',
        });
        await assertMatchesServer(sim, widget, { gapAllowed: !fault.keeps, during, typed });

        assert.equal(await page.evaluate(() => window.__notReloaded), true, 'no reload');
        const seen = await page.evaluate(() => window.__connection);
        if (fault.degrades) {
          assert.ok(seen.some((t) => /Reconnecting|Offline/.test(t)), `said it was degraded (saw ${JSON.stringify(seen)})`);
        }
        if (fault.keeps) {
          const gaps = await widget.region.locator('.imw-line--gap').count();
          assert.equal(gaps, 0, 'a fault that keeps the Bayeux session loses nothing and shows no gap');
        }
      },
      { simArgs: fault.simArgs ?? [] },
    );
  });
}
