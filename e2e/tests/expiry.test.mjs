// The agent's GWS session expires (issue 13): the simulator ends the HTTP session as a real GWS does
// (401 with statusCode 20 everywhere, the CometD client gone with it). The widget says so in plain
// words, keeps the draft and what could not be sent, tells the host page with a machine-readable
// kind, and once the agent is signed in again carries on by itself: the list read again, the gap
// marked in every session that was live, the refused message offered again, nothing sent twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../lib/widget-page.mjs';
import { browserTests, ring, theyWrite } from '../lib/harness.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';
import { distDir } from '../lib/server.mjs';
import { join } from 'node:path';

const withWidget = browserTests();

const SIGNED_OUT = /You are signed out of GWS/;

async function serverSession(sim, id) {
  return (await sim.control('GET', '/state')).sessions.find((s) => s.id === id);
}

const clientIds = async (sim) => (await sim.control('GET', '/state')).bayeux.clients.map((c) => c.clientId);

test('an expired GWS session: signed out in plain words, nothing lost or sent twice, and it carries on by itself once signed in again', { timeout: 120_000 }, async () => {
  await withWidget(
    async ({ sim, page, widget }) => {
      await page.evaluate(() => {
        window.__imwErrors = [];
        document.querySelector('[data-gws-im-widget]').addEventListener('imw:error', (e) => window.__imwErrors.push(e.detail));
      });
      const a = (await ring(sim, '3002')).id;
      const b = (await ring(sim, '3003')).id;
      await widget.openSession('3002');
      await widget.send('Hello Sam');
      await widget.transcript.getByText('Sent', { exact: true }).waitFor();
      await widget.openSession('3003');
      await widget.send('Hello Tina');
      await widget.transcript.getByText('Sent', { exact: true }).waitFor();
      await widget.composer.fill('half-typed answer');
      const before = await clientIds(sim);
      assert.equal(before.length, 1, 'one CometD client before');

      // The session expires: the fault fired at the server.
      const expired = await sim.control('POST', '/expire');
      assert.ok(expired.expired >= 1, `the simulator ended ${expired.expired} HTTP session(s)`);

      // The agent is told, in plain words, and the indicator does not pretend to reconnect.
      await widget.error.filter({ hasText: SIGNED_OUT }).waitFor({ timeout: 15_000 });
      await widget.connection('Signed out').waitFor();
      const told = await page.evaluate(() => window.__imwErrors.filter((d) => d.kind === 'unauthenticated' && d.session === null));
      assert.equal(told.length, 1, `the host heard exactly one imw:error of kind "unauthenticated" for the widget (${JSON.stringify(told)})`);
      assert.match(told[0].message, SIGNED_OUT);

      // Meanwhile: the colleague writes, another session rings, and the agent tries to send.
      await theyWrite(sim, a, 'written while signed out');
      await ring(sim, '3004');
      await widget.openSession('3002');
      await widget.send('sent while signed out');
      const refused = widget.transcript.locator('.imw-line--outgoing').filter({ hasText: 'sent while signed out' });
      await refused.getByText(/^Not sent: /).waitFor();
      await refused.getByRole('button', { name: 'Retry', exact: true }).waitFor();
      assert.equal(
        (await serverSession(sim, a)).transcript.filter((l) => l.text === 'sent while signed out').length,
        0,
        'the server never got it',
      );
      await saveScreenshot(page, 'signed-out');

      // Signed in again (the host page's own sign-in: a new JSESSIONID cookie for this page).
      await page.evaluate(() => fetch('/_sim/login', { method: 'POST' }).then((r) => r.ok));
      await widget.connection('Connected').waitFor({ timeout: 30_000 });
      await eventually(async () => (await widget.error.filter({ hasText: SIGNED_OUT }).count()) === 0, {
        what: 'the signed-out banner to go away by itself',
      });
      const afterIds = await clientIds(sim);
      assert.equal(afterIds.length, 1, 'one CometD client after');
      assert.notEqual(afterIds[0], before[0], 'a new handshake: the expired session took its client');

      // The list was read again: the session that rang meanwhile is there.
      await widget.row('3004').waitFor();
      assert.match(await widget.row('3004').textContent(), /Ringing/);
      // The gap is marked in every session that was live during it.
      for (const number of ['3002', '3003']) {
        await widget.openSession(number);
        assert.equal(await widget.chat(number).locator('.imw-line--gap').count(), 1, `a gap marker in the chat with ${number}`);
      }
      // What was written meanwhile is lost with the CometD session, never shown twice, and a new line arrives.
      await widget.openSession('3002');
      assert.ok((await widget.transcript.getByText('written while signed out', { exact: true }).count()) <= 1);
      await theyWrite(sim, a, 'after signing in');
      await widget.transcript.getByText('after signing in', { exact: true }).waitFor();

      // The refused message is offered again, and Retry delivers it exactly once.
      await refused.getByRole('button', { name: 'Retry', exact: true }).click();
      await refused.getByText('Sent', { exact: true }).waitFor({ timeout: 15_000 });
      await page.waitForTimeout(500);
      const atServer = (await serverSession(sim, a)).transcript.filter((l) => l.direction === 'out').map((l) => l.text);
      assert.deepEqual(atServer, ['Hello Sam', 'sent while signed out'], 'every own line at the server exactly once');
      assert.equal(await widget.transcript.getByText('sent while signed out', { exact: true }).count(), 1, 'shown once');
      const atServerB = (await serverSession(sim, b)).transcript.filter((l) => l.direction === 'out').map((l) => l.text);
      assert.deepEqual(atServerB, ['Hello Tina'], 'nothing sent by itself in the other session');

      // The draft survived it all.
      await widget.openSession('3003');
      assert.equal(await widget.composer.inputValue(), 'half-typed answer');
      const state = await sim.control('GET', '/state');
      assert.ok(state.expiredHttpSessions >= 1);
    },
    { allowFailedLoads: true },
  );
});

test('signed out at start: the widget says so and starts by itself once the agent signs in', { timeout: 90_000 }, async () => {
  await withWidget(
    async ({ sim, page, widget }) => {
      await ring(sim, '3002');
      await sim.control('POST', '/expire');
      // Loading the page signs in at the simulator (its stand-in for a GWS login page): serve the
      // page from dist/ instead, so the reload brings no new session cookie.
      await page.context().clearCookies();
      await page.route(
        (url) => url.pathname === '/' || url.pathname === '/index.html',
        (route) => route.fulfill({ path: join(distDir, 'index.html'), contentType: 'text/html' }),
      );
      await page.reload();
      await widget.region.waitFor();
      await widget.error.filter({ hasText: SIGNED_OUT }).waitFor({ timeout: 15_000 });
      assert.equal(await widget.sessionRows.count(), 0, 'nothing listed while signed out');

      await page.evaluate(() => fetch('/_sim/login', { method: 'POST' }).then((r) => r.ok));
      await widget.row('3002').waitFor({ timeout: 30_000 });
      await widget.connection('Connected').waitFor({ timeout: 30_000 });
      assert.equal((await sim.control('GET', '/state')).bayeux.clients.length, 1, 'the live channel started');
    },
    { allowFailedLoads: true },
  );
});
