// Faults through the simulator's control API (issue 9): for each fault, a scripted conversation over
// several sessions runs while it is on; once it is off the widget must have recovered by itself (no
// reload), have said so while degraded, and show what the server has — sessions, states, the End
// control, case data and transcripts: no incoming message missing or twice, every agent message
// delivered once (and shown Sent) or shown failed with Retry (and absent at the server). Faults that
// end the Bayeux session may lose what was published meanwhile, but only inside a gap marker every
// session live at the time shows. Each case first proves from the simulator's counters that its fault
// really fired, then that the recovery it expects happened (same CometD client, or a new handshake
// and a re-read list).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../lib/widget-page.mjs';
import { browserTests, ring, theyWrite } from '../lib/harness.mjs';
import { assertMatchesServer, UNSETTLED } from '../lib/compare.mjs';

const withWidget = browserTests();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The simulator's counters: request and fault counts, and the CometD server's own. */
const counters = (state) => ({ ...state.counters, ...state.bayeux.counters });
/** What went up between two `counters` readings. */
const delta = (before, after) => Object.fromEntries(Object.entries(after).filter(([, v]) => typeof v === 'number').map(([k, v]) => [k, v - (before[k] ?? 0)]));
/** The CometD client the widget polls with: subscribed, connected, the last to handshake. */
const widgetClient = (state) => state.bayeux.clients.filter((c) => c.connected && c.subscriptions.length > 0).at(-1)?.clientId;

const FAULTS = [
  {
    name: '10 % of requests dropped',
    on: (sim) => sim.control('PUT', '/faults', { dropRequests: 0.1, seed: 7 }),
    off: (sim) => sim.control('DELETE', '/faults'),
    fired: (d) => assert.ok(d.droppedRequests > 0, `requests were dropped (${d.droppedRequests})`),
    keeps: true,
    forMs: 10_000,
  },
  {
    // Applied, then the answer lost: the riskiest fault (a send may or may not have happened).
    name: '20 % of responses dropped (requests applied, unanswered)',
    // Seed 2 drops the first two answers after it is on, so the fault surely fires.
    on: (sim) => sim.control('PUT', '/faults', { dropResponses: 0.2, seed: 2 }),
    off: (sim) => sim.control('DELETE', '/faults'),
    fired: (d) => assert.ok(d.droppedResponses > 0, `responses were dropped (${d.droppedResponses})`),
    keeps: true,
    forMs: 10_000,
  },
  // GWS's maxInterval decides whether 20 s of 5xx keep the Bayeux session: both cases.
  {
    name: '5xx for 20 s (maxInterval 60 s)',
    on: (sim) => sim.control('PUT', '/faults', { serverErrorsForMs: 20_000 }),
    off: (sim) => sim.control('DELETE', '/faults'),
    fired: (d) => {
      assert.ok(d.serverErrors > 0, `5xx were answered (${d.serverErrors})`);
      assert.equal(d.clientsExpired, 0, 'the server kept the client');
    },
    forMs: 20_000,
    keeps: true,
    degrades: true,
    simArgs: ['--max-interval-ms', '60000'],
  },
  {
    name: '5xx for 20 s (maxInterval 10 s: the server drops the client)',
    on: (sim) => sim.control('PUT', '/faults', { serverErrorsForMs: 20_000 }),
    off: (sim) => sim.control('DELETE', '/faults'),
    fired: (d) => {
      assert.ok(d.serverErrors > 0, `5xx were answered (${d.serverErrors})`);
      assert.ok(d.clientsExpired > 0, `the server swept the client after maxInterval (${d.clientsExpired})`);
    },
    forMs: 20_000,
    keeps: false,
    degrades: true,
  },
  {
    name: '2 s of added latency',
    on: (sim) => sim.control('PUT', '/faults', { latencyMs: 2000 }),
    off: (sim) => sim.control('DELETE', '/faults'),
    fired: (d) => assert.ok(d.delayedRequests > 0, `requests were delayed (${d.delayedRequests})`),
    keeps: true,
    forMs: 10_000,
  },
  {
    name: 'long-polls closed early',
    on: (sim) => sim.control('PUT', '/faults', { closePollsEarly: true }),
    off: (sim) => sim.control('DELETE', '/faults'),
    fired: (d) => assert.ok(d.pollsClosedEarly > 0, `long-polls were closed early (${d.pollsClosedEarly})`),
    keeps: true,
    forMs: 10_000,
  },
  {
    name: 'CometD 402 unknown client',
    on: (sim) => sim.control('POST', '/faults/unknown-client'),
    off: () => null,
    fired: (d) => {
      assert.equal(d.clientsForgotten, 1, 'the server forgot its clients');
      assert.ok(d.unknownClientReplies > 0, `402 was sent (${d.unknownClientReplies})`);
    },
    keeps: false,
  },
  {
    name: 'a simulator restart (state kept)',
    on: (sim) => sim.control('POST', '/restart'),
    off: () => null,
    fired: (d) => assert.equal(d.restarts, 1, 'the simulator restarted'),
    keeps: false,
    degrades: true,
  },
  {
    name: 'the network gone for 30 s (shorter than maxInterval)',
    on: (_, page) => page.context().setOffline(true),
    off: (_, page) => page.context().setOffline(false),
    // The server sees nothing of it: the proof is that no request reached it while it lasted.
    fired: (_, during) => assert.equal(during.apiRequests + during.notificationRequests, 0, `no request reached the server while offline (${JSON.stringify(during)})`),
    forMs: 30_000,
    keeps: true,
    degrades: true,
    simArgs: ['--max-interval-ms', '60000'],
  },
];

for (const fault of FAULTS) {
  test(`under ${fault.name}: the fault fires, and the widget recovers by itself and shows what the server has`, { timeout: 150_000 }, async () => {
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
        await widget.row('3004').waitFor();
        await eventually(async () => (await widget.region.getByText(UNSETTLED).count()) === 0, { what: 'the first messages to be settled' });

        const stateBefore = await sim.control('GET', '/state');
        assert.equal(stateBefore.bayeux.clients.length, 1, 'one CometD client before the fault');
        const clientBefore = widgetClient(stateBefore);
        assert.ok(clientBefore, 'the widget polls before the fault');
        const before = counters(stateBefore);

        // During: they write, the agent writes, case data changes, one session ends, one rings.
        // Taken before switching it on: a restart is over (and may be recovered from) by the time its call returns.
        const onAt = Date.now();
        await fault.on(sim, page);
        const settledOn = counters(await sim.control('GET', '/state'));
        await theyWrite(sim, a, 'during 1');
        await say('3003', b, 'typed while it is on');
        await theyWrite(sim, b, 'during 2');
        await sim.control('POST', `/sessions/${b}/user-data`, { userData: { Priority: 'high' } });
        await theyWrite(sim, a, 'during 3');
        await sim.control('POST', `/sessions/${c}/complete`);
        await ring(sim, '3005');
        await sleep(Math.max(0, onAt + (fault.forMs ?? 0) - Date.now()));
        const beforeOff = counters(await sim.control('GET', '/state'));
        await fault.off(sim, page);
        const offAt = Date.now();

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

        // The fault really happened.
        const stateAfter = await sim.control('GET', '/state');
        const d = delta(before, counters(stateAfter));
        fault.fired(d, delta(settledOn, beforeOff));

        // The recovery it calls for.
        const clientAfter = widgetClient(stateAfter);
        if (fault.keeps) {
          assert.equal(clientAfter, clientBefore, 'the same CometD client carries on');
          assert.equal(d.handshakes, 0, 'no new handshake');
        } else {
          assert.ok(d.handshakes > 0, 'a new handshake');
          assert.ok(clientAfter && clientAfter !== clientBefore, `a new CometD client (${clientBefore} → ${clientAfter})`);
          assert.ok(d.sessionListReads > 0, 'the session list was read again');
        }

        const views = await assertMatchesServer(sim, widget, { gapAllowed: !fault.keeps, typed, state: stateAfter });

        if (fault.keeps) {
          for (const [number, view] of views) assert.deepEqual(view.gaps, [], `${number}: a fault that keeps the Bayeux session loses nothing and shows no gap`);
        } else {
          // Every session live while the client was lost says so, with a gap covering the fault.
          for (const number of ['3002', '3003', '3004']) {
            const gaps = views.get(number).gaps;
            assert.ok(gaps.length > 0, `${number}: a gap marker (the session was live during the gap)`);
            assert.ok(gaps.some((g) => g.from <= offAt && g.until >= onAt), `${number}: the gap ${JSON.stringify(gaps)} covers the fault (${onAt}–${offAt})`);
          }
        }

        assert.equal(await page.evaluate(() => window.__notReloaded), true, 'no reload');
        const seen = await page.evaluate(() => window.__connection);
        if (fault.degrades) {
          assert.ok(seen.some((t) => /Reconnecting|Offline/.test(t)), `said it was degraded (saw ${JSON.stringify(seen)})`);
        }
      },
      { simArgs: fault.simArgs ?? [], allowFailedLoads: true },
    );
  });
}
