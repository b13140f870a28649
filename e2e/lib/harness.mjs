// One browser test's world: a fresh simulator (no scenario) and a fresh page of the widget on it,
// both closed afterwards, with the checks every test shares (no crash notice, no console error).
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { startTestSimulator } from './server.mjs';
import { launchBrowser, newPage } from './browser.mjs';
import { WidgetPage } from './widget-page.mjs';

/**
 * Runs `body({ sim, page, widget })` on a connected widget.
 * @param {import('playwright-core').Browser} browser
 * @param {(world: { sim: any, page: any, widget: WidgetPage }) => Promise<void>} body
 * @param {{ simArgs?: string[], beforeOpen?: (sim: any) => Promise<unknown>, hostAttributes?: string,
 *   routes?: [string, Function][], initScripts?: Function[], contextOptions?: object, allowFailedLoads?: boolean }} options
 *   `hostAttributes` are added to the host element by serving a modified index.html for `/`;
 *   `routes` ([pattern, handler] pairs) are installed with `page.route` before the page opens;
 *   `initScripts` run in the page before any of its own scripts (`page.addInitScript`);
 *   `allowFailedLoads`: the test injects a fault, so the browser's "Failed to load resource" console
 *   errors (it logs every 4xx/5xx reply) are expected; without it they fail the test like any other error.
 */
export async function withWidget(
  browser,
  body,
  { simArgs = [], beforeOpen, hostAttributes = '', routes = [], initScripts = [], contextOptions = {}, allowFailedLoads = false } = {},
) {
  const sim = await startTestSimulator(...simArgs);
  const page = await newPage(browser, contextOptions);
  try {
    for (const script of initScripts) await page.addInitScript(script);
    if (hostAttributes) await addHostAttributes(page, hostAttributes);
    for (const [pattern, handler] of routes) await page.route(pattern, handler);
    if (beforeOpen) await beforeOpen(sim);
    const widget = await new WidgetPage(page).openConnected(sim.url);
    await body({ sim, page, widget });
    assert.equal(await page.locator('[data-imw-crashed]').count(), 0, 'the panic hook never fired');
    assertNoProblems(page, { allowFailedLoads });
  } finally {
    await page.context().close();
    await sim.stop();
  }
}

/**
 * No console error and no page error. Headless Chromium logs every 4xx/5xx reply as "Failed to load
 * resource"; only a test that injects a fault may pass `allowFailedLoads` to accept those.
 */
export function assertNoProblems(page, { allowFailedLoads = false } = {}) {
  const problems = allowFailedLoads ? page.problems.filter((p) => !/Failed to load resource/.test(p)) : page.problems;
  assert.deepEqual(problems, [], 'no console or page error');
}

/** Serves index.html with `attributes` added to the host element. */
export async function addHostAttributes(page, attributes) {
  await page.route(
    (url) => url.pathname === '/',
    async (route) => {
      const response = await route.fetch();
      const original = await response.text();
      const html = original.replace('<div data-gws-im-widget', `<div data-gws-im-widget ${attributes}`);
      assert.notEqual(html, original, 'index.html has the host element');
      await route.fulfill({ response, body: html });
    },
  );
}

/** Another agent rings this one. */
export const ring = (sim, from, extra = {}) => sim.control('POST', '/sessions', { from, ...extra });

/** The other party of session `id` writes `text`. */
export const theyWrite = (sim, id, text) => sim.control('POST', `/sessions/${id}/messages`, { text });

/**
 * The start-up every browser test file shares: one browser for the file (launched before its
 * tests, closed after them), and `withWidget(body, options)` on it.
 */
export function browserTests() {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return (body, options) => withWidget(browser, body, options);
}
