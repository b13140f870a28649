// One fault: the notification channel's requests meet 5xx for 15 s, shorter than GWS's maxInterval.
// The fault fired (the server counted 5xx answers), the widget carries on with the SAME Bayeux
// client, every message written during the outage is shown once, and there is no gap marker.
import assert from 'node:assert/strict';
import { withWidget, ring, theyWrite, serverState, timesAtServer, eventually, sleep } from './widget.mjs';

const OUTAGE_MS = 15_000;

export default {
  name: 'a 15 s notification outage: the fault fired, the same Bayeux client, every message once, no gap',
  timeoutMs: 120_000,
  async run(browser) {
    await withWidget(
      browser,
      async ({ sim, widget }) => {
        const { id } = await ring(sim, '3002');
        await widget.openSession('3002');
        await widget.send('Hello Sam');
        await widget.lines('outgoing', 'Hello Sam').withText('Sent').waitVisible();
        await theyWrite(sim, id, 'before the outage');
        await widget.lines('incoming', 'before the outage').waitVisible();
        const before = (await serverState(sim)).bayeux.clients;
        assert.equal(before.length, 1, `one Bayeux client before: ${JSON.stringify(before)}`);
        const errorsBefore = (await serverState(sim)).counters.serverErrors;

        await sim.control('PUT', '/faults', { serverErrorsForMs: OUTAGE_MS });
        const onAt = Date.now();
        const during = ['during 1', 'during 2', 'during 3'];
        for (const text of during) {
          await theyWrite(sim, id, text);
          await sleep(OUTAGE_MS / (during.length + 1));
        }
        await widget.connection('Reconnecting…').waitVisible({ timeoutMs: OUTAGE_MS });
        await sleep(Math.max(0, onAt + OUTAGE_MS - Date.now()));
        const fired = (await serverState(sim)).counters.serverErrors - errorsBefore;
        assert.ok(fired > 0, `the fault fired: ${fired} 5xx answered`);
        await sim.control('DELETE', '/faults');

        await widget.waitConnected({ timeoutMs: 40_000 });
        await theyWrite(sim, id, 'after the outage');
        await widget.lines('incoming', 'after the outage').waitVisible({ timeoutMs: 20_000 });
        await sleep(500);
        for (const text of ['before the outage', ...during, 'after the outage']) {
          assert.equal(await widget.lines('incoming', text).count(), 1, `"${text}" shown once`);
          assert.equal(await timesAtServer(sim, id, text, 'in'), 1, `"${text}" once at the server`);
        }
        assert.equal(await widget.lines('gap').count(), 0, 'no gap marker: nothing was lost');
        const after = (await serverState(sim)).bayeux.clients;
        assert.deepEqual(after.map((c) => c.clientId), before.map((c) => c.clientId), 'the same Bayeux client');
      },
      // The 5xx answers the browser logs are the fault itself.
      { simArgs: ['--max-interval-ms', '60000'], allowProblems: [/Failed to load resource|status of 50\d/] },
    );
  },
};
