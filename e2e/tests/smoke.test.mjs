// The built widget loads in Chromium, asks the server for the agent's IM sessions and shows
// its empty state, with no console error and no accessibility violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../lib/server.mjs';
import { launchBrowser, newPage } from '../lib/browser.mjs';
import { WidgetPage } from '../lib/widget-page.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';
import { axeViolations } from '../lib/axe.mjs';

let sim;
let browser;

before(async () => {
  sim = await startSimulator({ args: ['--scenario', 'none'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await sim?.stop();
});

test('the release build shows "No IM sessions" when the agent has none', { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  const widget = await new WidgetPage(page).open(sim.url);

  await widget.heading.waitFor();
  await page.getByText('No IM sessions').waitFor();
  assert.equal(await widget.status.textContent(), 'No IM sessions');
  assert.equal(await widget.error.count(), 0, 'no error is shown');

  assert.deepEqual(await axeViolations(page), [], 'axe reports no WCAG 2.1 AA violation');
  await saveScreenshot(widget.region, 'empty-state');
  assert.deepEqual(page.problems, [], 'no console error or page error');
  await page.context().close();
});

test('an unreachable API shows an error in words, not a dead page', { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  await page.route('**/api/v2/me/im-sessions*', (route) => route.abort('connectionrefused'));
  const widget = await new WidgetPage(page).open(sim.url);

  await widget.error.waitFor();
  const text = await widget.error.textContent();
  assert.match(text, /Could not load IM sessions\. Cannot reach the server/);
  await page.context().close();
});
