// The example agent desktop on a plain static server, the widget at a sub-path, under the strict
// Content-Security-Policy: the widget works and the browser reports no violation.
import assert from 'node:assert/strict';
import { startTestSimulator } from '../lib/server.mjs';
import { startStaticServer, deskMounts, STRICT_CSP } from '../lib/static-server.mjs';
import { Widget, ring, theyWrite, timesAtServer, eventually, assertHealthy } from './widget.mjs';

const recordViolations = () => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (event) =>
    window.__violations.push(`${event.violatedDirective}: ${event.blockedURI}`),
  );
};

export default {
  name: 'strict CSP: the example desktop at a sub-path works and reports no violation',
  timeoutMs: 90_000,
  async run(browser) {
    const sim = await startTestSimulator();
    const site = await startStaticServer({ mounts: deskMounts(), proxyTo: sim.url, headers: { 'content-security-policy': STRICT_CSP } });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // The host signs the agent in first (same origin, through the site's proxy): the session cookie.
      await page.goto(`${site.url}/desk/desk.css`);
      await page.evaluate(async () => {
        const response = await fetch('/_sim/login', { method: 'POST' });
        if (!response.ok) throw new Error(`login: ${response.status}`);
      });
      await page.addInitScript(recordViolations);
      await page.goto(`${site.url}/desk/`);
      const widget = await new Widget(page.css('#im-widget')).waitConnected();

      const { id } = await ring(sim, '3004');
      await widget.row('3004').waitVisible();
      await theyWrite(sim, id, 'Can you take a look at case 4711?');
      await widget.openSession('3004');
      await widget.lines('incoming', 'Can you take a look at case 4711?').waitVisible();
      await widget.send('On my way');
      await widget.lines('outgoing', 'On my way').withText('Sent').waitVisible();
      await eventually(async () => (await timesAtServer(sim, id, 'On my way')) === 1, { what: "the agent's reply at the server" });
      const hostFont = await page.evaluate(() => getComputedStyle(document.querySelector('.desk-header__title')).fontFamily);
      assert.match(hostFont, /Georgia/, "the host's own look is untouched");

      assert.equal(await page.evaluate(() => Array.isArray(window.__violations)), true, 'the violation listener ran');
      assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no securitypolicyviolation event');
      const cspMessages = page.console.filter((m) => /Content.Security.Policy/i.test(m.text));
      assert.deepEqual(cspMessages, [], 'no CSP message on the console');
      // Chromium asks every new origin for /favicon.ico, which the example desktop does not have.
      await assertHealthy(page, { allow: [/status of 404 .*\/favicon\.ico\)$/] });
    } finally {
      await context.close();
      await site.stop();
      await sim.stop();
    }
  },
};
