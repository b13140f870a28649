// Hostile data: at least 200 XSS vectors put into messages, case-data keys and values and
// participant numbers. No script may run (a page-side counter would see it), and the text is
// shown literally, as the agent's colleague typed it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../lib/server.mjs';
import { launchBrowser, newPage } from '../lib/browser.mjs';
import { WidgetPage, eventually } from '../lib/widget-page.mjs';

const HIT = 'window.__imwXss=(window.__imwXss||0)+1';

/** Payload templates: each runs HIT if it is ever interpreted as markup, script or a URL. */
const TEMPLATES = [
  `<script>${HIT}</script>`,
  `<img src=x onerror="${HIT}">`,
  `<svg onload="${HIT}"></svg>`,
  `<svg><script>${HIT}</script></svg>`,
  `<iframe srcdoc="<script>parent.${HIT}</script>"></iframe>`,
  `<a href="javascript:${HIT}">click</a>`,
  `javascript:${HIT}`,
  `<body onload="${HIT}">`,
  `<details open ontoggle="${HIT}">`,
  `<input autofocus onfocus="${HIT}">`,
  `<video><source onerror="${HIT}"></video>`,
  `<math><mtext><img src=x onerror="${HIT}"></mtext></math>`,
  `"><img src=x onerror="${HIT}">`,
  `'><svg onload='${HIT}'>`,
  `</textarea><img src=x onerror="${HIT}">`,
  `<style>@import 'javascript:${HIT}';</style>`,
  `<object data="javascript:${HIT}"></object>`,
  `<embed src="javascript:${HIT}">`,
  `<form><button formaction="javascript:${HIT}">x</button></form>`,
  `<marquee onstart="${HIT}">x</marquee>`,
];

/** Ways the same payload may be dressed up to slip past a filter. */
const DISGUISES = [
  (p) => p,
  (p) => p.toUpperCase().replaceAll('WINDOW.__IMWXSS', 'window.__imwXss'),
  (p) => p.replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
  (p) => encodeURIComponent(p),
  (p) => `\u202e${p}\u202c`, // right-to-left override around it
  (p) => p.split('').join('\u200b'), // zero-width spaces between every character
  (p) => `${p}${p}`,
  (p) => p.replaceAll('script', 'scr\u0000ipt'),
  (p) => `%3C${p.slice(1)}`,
  (p) => `<!--${p}-->`,
];

const VECTORS = TEMPLATES.flatMap((t) => DISGUISES.map((d) => d(t)));

let browser;
let sim;
before(async () => {
  browser = await launchBrowser();
  sim = await startSimulator({ args: ['--scenario', 'none', '--poll-timeout-ms', '5000'] });
});
after(async () => {
  await browser?.close();
  await sim?.stop();
});

test(`${VECTORS.length} XSS vectors in messages, case data and numbers run no script and show literally`, { timeout: 120_000 }, async () => {
  assert.ok(VECTORS.length >= 200, 'at least 200 vectors');
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.__imwXss = 0;
    // Dialogs are another way a payload could show itself: count them as executions too.
    window.alert = window.confirm = window.prompt = () => {
      window.__imwXss += 1;
    };
  });
  const widget = await new WidgetPage(page).openConnected(sim.url);

  // A session whose participant number is itself hostile.
  const hostileNumber = `<img src=x onerror="${HIT}">`;
  await sim.control('POST', '/sessions', { from: hostileNumber });
  await widget.sessionList.getByRole('button', { name: /img src=x/ }).waitFor();

  const { id } = await sim.control('POST', '/sessions', { from: '3003' });
  await widget.openSession('3003');

  // Every vector as a message from the other party.
  for (const vector of VECTORS) {
    await sim.control('POST', `/sessions/${id}/messages`, { text: vector });
  }
  await eventually(
    async () => (await widget.transcript.getByText(VECTORS.at(-1), { exact: true }).count()) > 0,
    { timeoutMs: 30_000, what: 'the last vector to be shown' },
  );
  // The transcript shows its newest lines; the agent asks for the earlier ones.
  const earlier = widget.transcript.getByRole('button', { name: 'Show earlier messages' });
  while ((await earlier.count()) > 0) await earlier.click();

  // Every template as case-data keys and values.
  const userData = Object.fromEntries(TEMPLATES.map((t, i) => [`${t}#${i}`, VECTORS[(i * 7) % VECTORS.length]]));
  await sim.control('POST', `/sessions/${id}/user-data`, { userData });
  await widget.caseData.getByRole('rowheader', { name: `${TEMPLATES[0]}#0` }).waitFor();

  // Give any deferred handler (onerror, onload, ontoggle, autofocus) time to fire.
  await page.waitForTimeout(1_500);
  assert.equal(await page.evaluate(() => window.__imwXss), 0, 'no script ran');

  // Literal text: the transcript holds exactly the characters sent, and no element was injected.
  const shown = await widget.transcript.innerText();
  for (const vector of VECTORS.filter((v) => !v.includes('\u0000'))) {
    assert.ok(shown.includes(vector.trim()) || shown.includes(vector), `shown literally: ${JSON.stringify(vector).slice(0, 80)}`);
  }
  const injected = await widget.region.locator('script, iframe, object, embed, svg[onload], img[onerror], a[href^="javascript"], marquee, video, math').count();
  assert.equal(injected, 0, 'no element from the data was created');
  assert.equal(await page.locator('[data-imw-crashed]').count(), 0, 'the panic hook never fired');

  // Control: the counter does see a script that runs (the same payload through innerHTML, outside the widget).
  await page.evaluate((html) => {
    const scratch = document.createElement('div');
    scratch.innerHTML = html;
    document.body.append(scratch);
  }, `<img src=x onerror="${HIT}">`);
  await eventually(async () => (await page.evaluate(() => window.__imwXss)) === 1, {
    what: 'the control payload to be counted',
  });
  await page.context().close();
});
