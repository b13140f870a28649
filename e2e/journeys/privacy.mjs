// Privacy at a shared desk (issue 14): what the widget keeps in the browser, for whom and how long.
// Every check reads the browser's own storage areas and the page the agent sees, never the widget's
// record of them: another agent signing in on the same profile removes every key of the first and
// never shows a line of theirs; sign-out in one tab empties storage and every tab; transcripts
// expire with the browser clock moved past the limit; `none` writes no key; `session` survives a
// reload and not a new tab; a bad option value warns and changes nothing else.
import assert from 'node:assert/strict';
import { startTestSimulator } from '../lib/server.mjs';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { screenshotDir } from '../lib/screenshots.mjs';
import { Widget, theyWrite, ring, eventually, sleep, assertHealthy } from './widget.mjs';

const SIGNED_OUT = 'Signed out. Nothing of your IMs is kept in this browser.';
const HOUR_MS = 3_600_000;
/** Chromium logs every 401 reply ("Failed to load resource"): the old agent's session ending is one. */
const ENDED_SESSION = [/Failed to load resource: the server responded with a status of 40[12]/];
/** An agent's key, `imw:v1:{agent}:index|live|ui|s:{session}` (the mute preference and tab relay are nobody's). */
const AGENT_KEY = /^(local|session):imw:v1:[^:]+:(index|live|ui|s:)/;
const SAM = { id: 'agent-sam', userName: 'sam.lee', firstName: 'Sam', lastName: 'Lee' };

/** Every key and value in the page's localStorage and sessionStorage. */
export function storageOf(page) {
  return page.evaluate(() => {
    const dump = (area) => {
      const entries = {};
      for (let i = 0; i < area.length; i += 1) entries[area.key(i)] = area.getItem(area.key(i));
      return entries;
    };
    return { local: dump(localStorage), session: dump(sessionStorage) };
  });
}

/** The keys and values of both areas that mention any of `texts`. */
async function mentioning(page, texts) {
  const found = [];
  for (const [area, entries] of Object.entries(await storageOf(page))) {
    for (const [key, value] of Object.entries(entries)) {
      if (texts.some((text) => key.includes(text) || value.includes(text))) found.push(`${area}:${key}`);
    }
  }
  return found;
}

/** The widget's keys (`imw:v1:…`) in both areas, as `area:key`. */
async function widgetKeys(page) {
  const keys = [];
  for (const [area, entries] of Object.entries(await storageOf(page))) {
    for (const key of Object.keys(entries)) if (key.startsWith('imw:v1:')) keys.push(`${area}:${key}`);
  }
  return keys.sort();
}

/** Sets the host element's attributes in every document `page` loads, before the loader mounts it. */
export function hostAttributes(page, attributes) {
  return page.addInitScript((attrs) => {
    document.addEventListener('readystatechange', () => {
      if (document.readyState !== 'interactive') return;
      for (const element of document.querySelectorAll('[data-gws-im-widget]')) {
        for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
      }
    });
  }, attributes);
}

/** Records the key of every `setItem` on either storage area in `window.__imwWrites`. */
function recordWrites() {
  window.__imwWrites = [];
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    window.__imwWrites.push(key);
    return setItem.call(this, key, value);
  };
}

/** The browser clock, moved by `sessionStorage['test:clock-offset-ms']` (a host key the widget never touches). */
function movableClock() {
  const now = Date.now.bind(Date);
  Date.now = () => now() + Number(sessionStorage.getItem('test:clock-offset-ms') ?? 0);
}

/** Signs this browser profile in as `agent` (absent: the simulator's agent), as a desk login would. */
function signInAs(page, agent) {
  return page.evaluate(async (body) => {
    const reply = await fetch('/_sim/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return reply.json();
  }, JSON.stringify(agent ? { agent } : {}));
}

const me = (page) => page.evaluate(async () => (await (await fetch('/api/v2/me')).json()).user);

/** A session rings in, its party writes `theirs`, the agent answers `mine` (Sent). */
async function chat(sim, widgets, number, theirs, mine) {
  const { id } = await ring(sim, number);
  for (const widget of widgets) await widget.openSession(number);
  await theyWrite(sim, id, theirs);
  for (const widget of widgets) await widget.lines('incoming', theirs).waitVisible();
  await widgets[0].send(mine);
  for (const widget of widgets) await widget.lines('outgoing', mine).withText('Sent').waitVisible();
  return id;
}

/** Runs `body(sim, context)` on a fresh simulator and browser context, both closed afterwards. */
async function inWorld(browser, body) {
  const sim = await startTestSimulator();
  const context = await browser.newContext();
  try {
    await body(sim, context);
  } finally {
    await context.close();
    await sim.stop();
  }
}

async function openWidget(context, url, prepare) {
  const page = await context.newPage();
  if (prepare) await prepare(page);
  await page.goto(url);
  return { page, widget: await new Widget(page).waitConnected() };
}

const desk = {
  name: 'another agent at the desk: every key of the first is removed, before anything of theirs shows, and an open tab starts again',
  timeoutMs: 120_000,
  async run(browser) {
    await inWorld(browser, async (sim, context) => {
      const alexSecrets = ['Mrs Alvarez, card ending 4417', 'Refund of 80 EUR approved'];
      const first = await openWidget(context, sim.url);
      const alex = await me(first.page);
      await chat(sim, [first.widget], '3003', ...alexSecrets);
      await eventually(async () => (await mentioning(first.page, alexSecrets)).length > 0, { what: "Alex's lines in storage" });
      const alexKeys = await widgetKeys(first.page);
      assert.ok(alexKeys.some((key) => key.startsWith(`local:imw:v1:${alex.id}:`)), `Alex's keys: ${alexKeys}`);
      await assertHealthy(first.page);
      await first.page.close();

      // Sam signs in on this profile (from a page without the widget), then opens the widget.
      const second = await context.newPage();
      await second.goto(`${sim.url}/imw-loader.js`); // a page of the origin without the widget
      assert.equal((await signInAs(second, SAM)).agentChanged, true, 'the desk changed hands');
      await second.addInitScript((secrets) => {
        window.__imwShownAlex = [];
        const look = () => {
          const text = document.documentElement?.textContent ?? '';
          for (const secret of secrets) if (text.includes(secret)) window.__imwShownAlex.push(secret);
        };
        new MutationObserver(look).observe(document, { childList: true, subtree: true, characterData: true });
      }, [...alexSecrets, '3003']);
      await second.goto(sim.url);
      const sam = await new Widget(second).waitConnected();
      await ring(sim, '3005');
      await sam.row('3005').waitVisible();
      await eventually(async () => (await mentioning(second, alexSecrets)).length === 0, { what: "no line of Alex's in storage" });
      const left = (await widgetKeys(second)).filter((key) => key.includes(`:${alex.id}:`));
      assert.deepEqual(left, [], "no key of Alex's in either area");
      assert.deepEqual(await second.evaluate(() => window.__imwShownAlex), [], "nothing of Alex's was ever on the page");
      assert.equal(await sam.row('3003').count(), 0, "Alex's session is not Sam's");

      // Sam chats in two tabs; then Alex signs in again at the desk: both open tabs start again as Alex.
      const samSecrets = ['Order 99812 for Mr Okafor', 'Sent the label to Mr Okafor'];
      const third = await openWidget(context, sim.url);
      await chat(sim, [sam, third.widget], '3006', ...samSecrets);
      await eventually(async () => (await mentioning(second, samSecrets)).length > 0, { what: "Sam's lines in storage" });
      assert.equal((await signInAs(second, { id: alex.id, userName: alex.userName, firstName: alex.firstName, lastName: alex.lastName })).agentChanged, true);
      for (const [page, widget] of [[second, sam], [third.page, third.widget]]) {
        await widget.row('3006').waitHidden();
        await widget.waitConnected();
        await eventually(async () => (await mentioning(page, samSecrets)).length === 0, { what: "no line of Sam's in storage" });
        assert.deepEqual((await widgetKeys(page)).filter((key) => key.includes(`:${SAM.id}:`)), [], "no key of Sam's");
        assert.equal(await widget.lines('incoming').count() + (await widget.lines('outgoing').count()), 0, 'no transcript shown');
      }
      await ring(sim, '3007');
      for (const widget of [sam, third.widget]) await widget.row('3007').waitVisible();
      await assertHealthy(second, { allow: ENDED_SESSION });
      await assertHealthy(third.page, { allow: ENDED_SESSION });
    });
  },
};

const signOut = {
  name: 'GwsImWidget.signOut in one tab empties storage and every tab, stops the long-poll, and mount starts afresh',
  timeoutMs: 120_000,
  async run(browser) {
    await inWorld(browser, async (sim, context) => {
      const secrets = ['Account 5521-88 is Mr Brandt', 'Brandt: escalate to tier 2'];
      const one = await openWidget(context, sim.url);
      const two = await openWidget(context, sim.url);
      await chat(sim, [one.widget, two.widget], '3003', ...secrets);
      await eventually(async () => (await mentioning(one.page, secrets)).length > 0, { what: 'the lines in storage' });
      const signedOut = await one.page.evaluate(() => window.GwsImWidget.signOut(document.querySelector('[data-gws-im-widget]')));
      assert.equal(signedOut, true, 'a widget was there');
      for (const { page, widget } of [one, two]) {
        await page.role('status').withExactText(SIGNED_OUT).waitVisible();
        await widget.region.waitHidden();
        const host = await page.evaluate(() => document.querySelector('[data-gws-im-widget]').textContent.trim());
        assert.equal(host, SIGNED_OUT, 'the element holds the notice only');
        assert.deepEqual(await mentioning(page, secrets), [], 'no line left in storage');
        const kept = (await widgetKeys(page)).filter((key) => AGENT_KEY.test(key));
        assert.deepEqual(kept, [], 'no key of the agent left in either area');
      }
      // The long-poll stopped: no request to the CometD endpoint leaves any tab after a poll timeout.
      const polls = (page) => page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/notifications')).length);
      await sleep(1_000);
      const before = [await polls(one.page), await polls(two.page)];
      await sleep(6_000);
      assert.deepEqual([await polls(one.page), await polls(two.page)], before, 'no CometD request after sign-out');
      if (browser.name === 'chromium') {
        mkdirSync(screenshotDir, { recursive: true });
        await one.page.css('main').screenshot(join(screenshotDir, 'signed-out-notice.png'));
      }

      // mountAll leaves a signed-out element alone; mount starts afresh, with nothing kept.
      await one.page.evaluate(() => window.GwsImWidget.mountAll());
      await sleep(500);
      assert.equal(await one.widget.region.count(), 0, 'mountAll skips a signed-out element');
      await one.page.evaluate(() => window.GwsImWidget.mount(document.querySelector('[data-gws-im-widget]')));
      await one.widget.waitConnected();
      await one.page.role('status').withExactText(SIGNED_OUT).waitHidden();
      await one.widget.openSession('3003');
      await sleep(500);
      for (const text of secrets) assert.equal(await one.page.text(text).count(), 0, `"${text}" is not shown again`);
      for (const { page } of [one, two]) await assertHealthy(page);
    });
  },
};

const retention = {
  name: 'transcripts expire 12 hours after their last line: with the clock moved past it, at the tick and at start-up',
  timeoutMs: 120_000,
  async run(browser) {
    await inWorld(browser, async (sim, context) => {
      const { page, widget } = await openWidget(context, sim.url, (p) => p.addInitScript(movableClock));
      await chat(sim, [widget], '3003', 'Open: the parcel left Leeds', 'Open: thanks, noted');
      const ended = await chat(sim, [widget], '3004', 'Ended: invoice 7781 paid', 'Ended: closing this');
      await sim.control('POST', `/sessions/${ended}/complete`, {});
      await widget.row('3004').withText('Completed').waitVisible();
      const all = ['Open: the parcel left Leeds', 'Ended: invoice 7781 paid'];
      await eventually(async () => (await mentioning(page, all)).length >= 2, { what: 'both transcripts in storage' });

      // Within the limit, a reload restores both (GWS keeps no history: these lines come from storage).
      await page.reload();
      await widget.waitConnected();
      await widget.openSession('3004');
      await widget.lines('incoming', 'Ended: invoice 7781 paid').waitVisible();
      await widget.openSession('3003');
      await widget.lines('incoming', 'Open: the parcel left Leeds').waitVisible();

      // 13 hours later, while the page runs: the ended session leaves at the next tick; the open one stays.
      await page.evaluate((ms) => sessionStorage.setItem('test:clock-offset-ms', String(ms)), 13 * HOUR_MS);
      await widget.row('3004').waitHidden();
      await eventually(async () => (await mentioning(page, ['Ended: invoice 7781 paid'])).length === 0, { what: 'the ended transcript gone from storage' });
      await widget.lines('incoming', 'Open: the parcel left Leeds').waitVisible();

      // Started again 13 hours after the last line: the open session is listed, its old lines never show.
      await page.reload();
      await widget.waitConnected();
      await widget.row('3003').waitVisible();
      await widget.openSession('3003');
      await sleep(500);
      assert.equal(await page.text('Open: the parcel left Leeds').count(), 0, 'the expired transcript never shows');
      assert.equal(await widget.row('3004').count(), 0, 'the ended session stays gone');
      assert.deepEqual(await mentioning(page, all), [], 'nothing past the limit in storage');
      await assertHealthy(page);
    });
  },
};

const modes = {
  name: 'storage none writes no key; session survives a reload, not a new tab; a bad value warns and keeps the default',
  timeoutMs: 150_000,
  async run(browser) {
    // none: nothing written at all, in either area, from the first byte of the page.
    await inWorld(browser, async (sim, context) => {
      const { page, widget } = await openWidget(context, sim.url, async (p) => {
        await p.addInitScript(recordWrites);
        await hostAttributes(p, { 'data-storage': 'none' });
      });
      await chat(sim, [widget], '3003', 'None: kept in memory', 'None: noted');
      await sleep(1_500); // past the widget's save tick
      assert.deepEqual(await page.evaluate(() => window.__imwWrites), [], 'no setItem at all');
      assert.deepEqual(await storageOf(page), { local: {}, session: {} }, 'both areas empty');
      await assertHealthy(page);
    });
    // local (the default), for contrast: the same recorder sees the widget write.
    await inWorld(browser, async (sim, context) => {
      const { page, widget } = await openWidget(context, sim.url, (p) => p.addInitScript(recordWrites));
      await chat(sim, [widget], '3003', 'Local: kept on disk', 'Local: noted');
      await eventually(async () => (await page.evaluate(() => window.__imwWrites)).some((key) => key.startsWith('imw:v1:')), { what: 'the default mode to write' });
      assert.ok((await mentioning(page, ['Local: kept on disk'])).every((key) => key.startsWith('local:')), 'in localStorage only');
    });
    // session: a reload keeps it, a new tab does not, and localStorage never holds it.
    await inWorld(browser, async (sim, context) => {
      const session = (p) => hostAttributes(p, { 'data-storage': 'session' });
      const { page, widget } = await openWidget(context, sim.url, session);
      await chat(sim, [widget], '3003', 'Session: this tab only', 'Session: noted');
      await eventually(async () => (await mentioning(page, ['Session: this tab only'])).length > 0, { what: 'the line in sessionStorage' });
      assert.ok((await mentioning(page, ['Session: this tab only'])).every((key) => key.startsWith('session:')), 'in sessionStorage only');
      await page.reload();
      await widget.waitConnected();
      await widget.openSession('3003');
      await widget.lines('incoming', 'Session: this tab only').waitVisible();
      const other = await openWidget(context, sim.url, session);
      await other.widget.openSession('3003');
      await sleep(500);
      assert.equal(await other.page.text('Session: this tab only').count(), 0, 'a new tab does not have it');
      assert.deepEqual(await mentioning(other.page, ['Session: this tab only']), [], 'nor its storage');
      await assertHealthy(page);
      await assertHealthy(other.page);
    });
    // Bad values: a console warning each, and the defaults (localStorage, 12 hours).
    await inWorld(browser, async (sim, context) => {
      const { page, widget } = await openWidget(context, sim.url, (p) =>
        hostAttributes(p, { 'data-storage': 'disk', 'data-retention-hours': 'forever' }),
      );
      await chat(sim, [widget], '3003', 'Default: on disk', 'Default: noted');
      const warnings = page.console.filter((m) => /warn/.test(m.type)).map((m) => m.text);
      assert.ok(warnings.some((w) => w.includes('storage "disk"')), `storage warned: ${warnings}`);
      assert.ok(warnings.some((w) => w.includes('retentionHours "forever"')), `retention warned: ${warnings}`);
      await eventually(async () => (await mentioning(page, ['Default: on disk'])).some((key) => key.startsWith('local:')), { what: 'the default, localStorage' });
      await assertHealthy(page);
    });
  },
};

export default [desk, signOut, retention, modes];
