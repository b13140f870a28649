// Hostile data: at least 200 distinct XSS vectors, every one of them as a message, a case-data key,
// a case-data value and a participant number. No script may run (a canary, window.__pwned, stays
// unset; no dialog opens), and the text is shown literally, as the agent's colleague typed it, in
// the session row, the chat header, the transcript, the case data and the host page's event details.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSimulator } from '../lib/server.mjs';
import { launchBrowser, newPage } from '../lib/browser.mjs';
import { WidgetPage, eventually } from '../lib/widget-page.mjs';

const HIT = 'window.__pwned=true';

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
  `<img src=x onerror=${HIT}>`,
  `<svg><animate onbegin="${HIT}" attributeName=x dur=1s>`,
  `<link rel=import href="data:text/html,<script>${HIT}</script>">`,
];

/** Ways the same payload may be dressed up to slip past a filter. */
const DISGUISES = [
  (p) => p,
  (p) => p.toUpperCase().replaceAll('WINDOW.__PWNED=TRUE', 'window.__pwned=true'),
  (p) => p.replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
  (p) => encodeURIComponent(p),
  (p) => `\u202e${p}\u202c`, // right-to-left override around it
  (p) => p.split('').join('\u200b'), // zero-width spaces between every character
  (p) => `${p}${p}`,
  (p) => p.replaceAll('script', 'scr\u0000ipt'),
  (p) => `%3C${p.slice(1)}`,
  (p) => `<!--${p}-->`,
];

// Some disguises change nothing in some templates (no "<" to escape, no "script" to split): count each once.
const VECTORS = [...new Set(TEMPLATES.flatMap((t) => DISGUISES.map((d) => d(t))))];

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const sorted = (list) => [...list].sort();

test(`${VECTORS.length} distinct XSS vectors as messages, case-data keys and values and numbers run no script and show literally`, { timeout: 300_000 }, async () => {
  assert.ok(VECTORS.length >= 200, `at least 200 distinct vectors (${VECTORS.length})`);
  assert.equal(new Set(VECTORS).size, VECTORS.length, 'each vector once');
  const sim = await startTestSimulator();
  const page = await newPage(browser);
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  try {
    await page.addInitScript(() => {
      window.__pwned = false;
    });
    const widget = await new WidgetPage(page).openConnected(sim.url);
    await page.evaluate(() => {
      window.__hostEvents = [];
      const host = document.querySelector('[data-gws-im-widget]');
      for (const type of ['session-added', 'state-changed', 'message', 'completed', 'unread', 'error']) {
        host.addEventListener(`imw:${type}`, (event) => window.__hostEvents.push({ type, ...event.detail }));
      }
    });

    // Every vector as a participant number (another agent rings from it).
    const byNumber = new Map();
    for (const vector of VECTORS) byNumber.set(vector, (await sim.control('POST', '/sessions', { from: vector })).id);
    const { id } = await sim.control('POST', '/sessions', { from: '3003' });
    const numbersShown = () =>
      page.evaluate(() => [...document.querySelectorAll('.imw-session__number')].map((e) => e.textContent));
    await eventually(async () => (await numbersShown()).length === VECTORS.length + 1, { timeoutMs: 60_000, what: 'every session in the list' });
    assert.deepEqual(sorted(await numbersShown()), sorted([...VECTORS, '3003']), 'row: every number literally, none missing, none extra, none twice');

    // Every vector as a message from the other party, in order.
    await widget.openSession('3003');
    for (const vector of VECTORS) await sim.control('POST', `/sessions/${id}/messages`, { text: vector });
    const incoming = () =>
      page.evaluate(() => [...document.querySelectorAll('.imw-line--incoming .imw-line__text')].map((e) => e.textContent));
    await eventually(async () => (await incoming()).at(-1) === VECTORS.at(-1), { timeoutMs: 60_000, what: 'the last vector to be shown' });
    // The transcript shows its newest lines; the agent asks for the earlier ones.
    const earlier = widget.transcript.getByRole('button', { name: 'Show earlier messages' });
    while ((await earlier.count()) > 0) await earlier.click();
    assert.deepEqual(await incoming(), VECTORS, 'transcript: every vector literally, in order, once');

    // Every vector as a case-data key, and every vector as a value (of the next vector's key).
    const userData = Object.fromEntries(VECTORS.map((vector, i) => [vector, VECTORS[(i + 1) % VECTORS.length]]));
    await sim.control('POST', `/sessions/${id}/user-data`, { userData });
    const caseRows = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('.imw-case__row')].map((row) => [
          row.querySelector('.imw-case__key')?.textContent,
          row.querySelector('.imw-case__input')?.value ??
            row.querySelector('.imw-case__json')?.textContent ??
            row.querySelector('.imw-case__value')?.textContent,
        ]),
      );
    await eventually(async () => (await caseRows()).length > 0, { what: 'case data shown' });
    const more = widget.caseData.getByRole('button', { name: /^Show \d+ more of/ });
    while ((await more.count()) > 0) await more.first().click();
    const rows = await caseRows();
    assert.equal(rows.length, VECTORS.length, 'case data: one row per key');
    assert.deepEqual(Object.fromEntries(rows), userData, 'case data: every key and value literally');
    // And again in the inputs (the pencil), each value in its textbox.
    await widget.editCaseData();
    await eventually(async () => (await widget.caseData.getByRole('textbox').count()) > VECTORS.length, { what: 'the inputs' });
    const edited = await caseRows();
    assert.equal(edited.length, VECTORS.length, 'case-data inputs: one row per key');
    assert.deepEqual(Object.fromEntries(edited), userData, 'case-data inputs: every key and value literally');

    // The chat header of every hostile session.
    const headerNumber = () => page.evaluate(() => document.querySelector('.imw-chat__title .imw-number')?.textContent);
    const rowButtons = widget.sessionList.getByRole('button').filter({ has: page.locator('.imw-session__number') });
    const count = await rowButtons.count();
    assert.equal(count, VECTORS.length + 1);
    const headers = [];
    for (let i = 0; i < count; i += 1) {
      const number = await rowButtons.nth(i).locator('.imw-session__number').textContent();
      await rowButtons.nth(i).click();
      await eventually(async () => (await headerNumber()) === number, { what: `the header of session ${i}` });
      headers.push(number);
    }
    assert.deepEqual(sorted(headers), sorted([...VECTORS, '3003']), 'chat header: every number literally');

    // What the host page was told: the number of every new session and the text of every message.
    const events = await page.evaluate(() => window.__hostEvents);
    const added = events.filter((e) => e.type === 'session-added');
    assert.deepEqual(sorted(added.map((e) => e.party)), sorted([...VECTORS, '3003']), 'imw:session-added: every number literally, once');
    for (const e of added) {
      if (e.party !== '3003') assert.equal(e.session, byNumber.get(e.party), 'for its own session');
    }
    const messages = events.filter((e) => e.type === 'message' && e.session === id);
    assert.deepEqual(messages.map((e) => e.text), VECTORS, 'imw:message: every text literally, in order, once');

    // Give any deferred handler (onerror, onload, ontoggle, autofocus, onbegin) time to fire.
    await page.waitForTimeout(1_500);
    assert.equal(await page.evaluate(() => window.__pwned), false, 'no script ran');
    assert.deepEqual(dialogs, [], 'no dialog opened');
    const injected = await widget.region
      .locator('script, iframe, object, embed, link, style, svg:not(.imw-icon), path:not(.imw-icon > path), img, a[href^="javascript"], marquee, video, math, details, input[autofocus], form')
      .count();
    assert.equal(injected, 0, 'no element from the data was created');
    assert.equal(await page.locator('[data-imw-crashed]').count(), 0, 'the panic hook never fired');
    assert.deepEqual(page.problems, [], 'no console or page error');

    // Controls: the canary does see a script that runs, and a dialog is seen (outside the widget).
    await page.evaluate((html) => {
      const scratch = document.createElement('div');
      scratch.innerHTML = html;
      document.body.append(scratch);
    }, `<img src=x onerror="${HIT}">`);
    await eventually(async () => (await page.evaluate(() => window.__pwned)) === true, { what: 'the control payload to set the canary' });
    await page.evaluate(() => setTimeout(() => window.alert('control'), 0));
    await eventually(async () => dialogs.length === 1, { what: 'the control dialog to be seen' });
  } finally {
    await page.context().close();
    await sim.stop();
  }
});
