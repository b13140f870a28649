// Two tabs of one browser context share ONE CometD client (the server sees one connected client);
// when the leader tab closes, the other takes the same client over and a message written meanwhile
// is shown, once.
import assert from 'node:assert/strict';
import { startTestSimulator } from '../lib/server.mjs';
import { Widget, theyWrite, ring, serverState, timesAtServer, eventually, sleep, assertHealthy } from './widget.mjs';

const isLeader = (page) => page.evaluate(() => window.__imwLeader === true);
const clients = async (sim) => (await serverState(sim)).bayeux.clients;

export default {
  name: 'two tabs share one CometD client; the other takes over when the leader closes, missing nothing',
  timeoutMs: 120_000,
  async run(browser) {
    const sim = await startTestSimulator();
    const context = await browser.newContext();
    try {
      const first = await context.newPage();
      await first.goto(sim.url);
      const one = await new Widget(first).waitConnected();
      await eventually(() => isLeader(first), { what: 'the first tab to lead' });
      const second = await context.newPage();
      await second.goto(sim.url);
      const two = await new Widget(second).waitConnected();
      assert.equal(await isLeader(second), false, 'the second tab follows');
      await sleep(1_000); // room for a second client to appear if the follower wrongly handshook
      const before = await clients(sim);
      assert.equal(before.length, 1, `exactly one CometD client: ${JSON.stringify(before)}`);
      assert.equal(before[0].connected, true, 'and it is connected');

      const { id } = await ring(sim, '3003');
      await one.row('3003').waitVisible();
      await two.row('3003').waitVisible();
      await theyWrite(sim, id, 'Hello from the customer');
      await one.openSession('3003');
      await two.openSession('3003');
      for (const widget of [one, two]) await widget.lines('incoming', 'Hello from the customer').waitVisible();

      await two.send('Reply typed in the second tab');
      for (const widget of [one, two]) await widget.lines('outgoing', 'Reply typed in the second tab').withText('Sent').waitVisible();
      await eventually(async () => (await timesAtServer(sim, id, 'Reply typed in the second tab')) === 1, { what: 'the reply at the server' });
      await sleep(500); // room for a wrongly shown echo to arrive
      for (const widget of [one, two]) {
        assert.equal(await widget.lines('outgoing', 'Reply typed in the second tab').count(), 1, 'shown once as the agent’s in both tabs');
        assert.equal(await widget.lines('incoming', 'Reply typed in the second tab').count(), 0, 'its echo is never shown as theirs');
      }

      // The leader closes (the page just goes); messages keep coming meanwhile.
      await assertHealthy(first);
      await first.close();
      const meanwhile = ['After close 1', 'After close 2'];
      for (const text of meanwhile) await theyWrite(sim, id, text);
      for (const text of meanwhile) await two.lines('incoming', text).waitVisible({ timeoutMs: 15_000 });
      await eventually(() => isLeader(second), { what: 'the second tab to lead' });
      await theyWrite(sim, id, 'After the takeover');
      await two.lines('incoming', 'After the takeover').waitVisible();
      await sleep(500);
      for (const text of ['Hello from the customer', ...meanwhile, 'After the takeover']) {
        assert.equal(await two.lines('incoming', text).count(), 1, `"${text}" shown once`);
      }
      assert.equal(await two.lines('outgoing', 'Reply typed in the second tab').count(), 1, 'the reply shown once');
      assert.equal(await two.lines('gap').count(), 0, 'no gap marker');
      await two.waitConnected();
      const after = await clients(sim);
      assert.deepEqual(after.map((c) => c.clientId), before.map((c) => c.clientId), 'the second tab carries on the same CometD client');
      await assertHealthy(second);
    } finally {
      await context.close();
      await sim.stop();
    }
  },
};
