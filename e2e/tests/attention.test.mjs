// Unread totals for the agent and the host page, "New" rows, the escalating waiting timer, and
// alerts as the browser sees them: an init script wraps window.Notification (each desktop
// notification shown) and OscillatorNode.prototype.start (each tone played), so nothing here reads
// the widget's own record of what it alerted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage } from '../lib/browser.mjs';
import { WidgetPage, eventually } from '../lib/widget-page.mjs';
import { withWidget as withWidgetOn, ring, theyWrite, addHostAttributes, assertNoProblems } from '../lib/harness.mjs';
import { startTestSimulator } from '../lib/server.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';

let browser;
// Desktop notifications are allowed (as an agent who clicked "Enable" would have them).
const withWidget = (body, options = {}) =>
  withWidgetOn(browser, body, { ...options, contextOptions: { permissions: ['notifications'] }, initScripts: [observeAlerts] });
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Runs in the page before its scripts: records every desktop notification and every tone started. */
function observeAlerts() {
  const seen = { notifications: [], tones: 0 };
  window.__seen = seen;
  const Original = window.Notification;
  window.Notification = class extends Original {
    constructor(title, options) {
      seen.notifications.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
      super(title, options);
    }
  };
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    seen.tones += 1;
    return start.apply(this, args);
  };
}

const RING_TITLE = 'IM session ringing';
const MESSAGE_TITLE = 'New IM message';
/** The desktop notifications the page showed, as { kind, session, body } ("ring" covers a repeat). */
const alertsOf = (page) =>
  page.evaluate((titles) =>
    window.__seen.notifications.map(({ title, body, tag }) => ({
      kind: titles[title] ?? `unknown title ${title}`,
      session: tag.replace(/^imw-/, ''),
      body,
    })),
  { [RING_TITLE]: 'ring', [MESSAGE_TITLE]: 'message' });
const tonesOf = (page) => page.evaluate(() => window.__seen.tones);
const host = (page) => page.locator('[data-gws-im-widget]');

test('unread: title, data-imw-unread and imw:unread for the host, "9+" capping, "New" until opened, alerts', { timeout: 90_000 }, async () => {
  await withWidget(async ({ sim, page, widget }) => {
    const title = await page.title();
    await page.evaluate(() => {
      window.__unreadEvents = [];
      document.addEventListener('imw:unread', (event) => window.__unreadEvents.push(event.detail.total));
    });
    const { id } = await ring(sim, '3003');
    const row = widget.row('3003');
    await row.filter({ hasText: 'New' }).waitFor();
    await eventually(async () => (await alertsOf(page)).some((a) => a.kind === 'ring' && a.session === id), {
      what: 'a ring notification for the new session',
    });
    assert.deepEqual(await alertsOf(page), [{ kind: 'ring', session: id, body: '3003 is asking to chat' }], 'exactly one notification');

    for (const n of [1, 2, 3]) await theyWrite(sim, id, `Message ${n}`);
    await row.filter({ hasText: '3 unread' }).waitFor();
    await widget.region.getByText('Unread: 3', { exact: true }).waitFor();
    await eventually(async () => (await page.title()) === `(3) ${title}`, { what: 'the title to count 3' });
    assert.equal(await host(page).getAttribute('data-imw-unread'), '3');
    await eventually(async () => (await page.evaluate(() => window.__unreadEvents)).includes(3), {
      what: 'an imw:unread event with total 3',
    });
    const messageAlerts = (await alertsOf(page)).filter((a) => a.kind === 'message' && a.session === id);
    assert.ok(messageAlerts.length >= 1, 'a message in a session not in view shows a notification');
    assert.deepEqual(messageAlerts.at(-1), { kind: 'message', session: id, body: '3003 wrote' });

    for (let n = 4; n <= 11; n += 1) await theyWrite(sim, id, `Message ${n}`);
    await row.filter({ hasText: '9+ unread' }).waitFor();
    await widget.region.getByText('Unread: 9+', { exact: true }).waitFor();
    await eventually(async () => (await page.title()) === `(9+) ${title}`, { what: 'the title to cap at 9+' });
    assert.equal(await host(page).getAttribute('data-imw-unread'), '11');

    await widget.openSession('3003');
    await eventually(async () => (await page.title()) === title, { what: 'the original title back' });
    assert.equal(await host(page).getAttribute('data-imw-unread'), '0');
    await eventually(async () => (await page.evaluate(() => window.__unreadEvents)).at(-1) === 0, {
      what: 'an imw:unread event with total 0',
    });
    await row.filter({ hasText: 'New' }).waitFor({ state: 'detached' });
    assert.equal(await widget.region.getByText(/^Unread: /).count(), 0, 'no total badge at zero');

    // A message in the open session of a visible page is seen: no alert.
    const before = (await alertsOf(page)).length;
    const tonesBefore = await tonesOf(page);
    await theyWrite(sim, id, 'Seen at once');
    await widget.transcript.getByText('Seen at once').waitFor();
    await page.waitForTimeout(300);
    assert.deepEqual((await alertsOf(page)).slice(before).filter((a) => a.kind === 'message'), []);
    assert.equal(await tonesOf(page), tonesBefore, 'and no tone');
  }, { hostAttributes: 'data-ring-repeat-seconds="3600"' });
});

test('the waiting timer turns warning then urgent, in words and icon, and stops on a reply', { timeout: 90_000 }, async () => {
  await withWidget(
    async ({ sim, page, widget }) => {
      await ring(sim, '3003', { text: 'Are you there?' });
      const row = widget.row('3003');
      await row.filter({ hasText: /Waiting \d+ s/ }).waitFor();
      await row.filter({ hasText: '⚠ Waiting' }).waitFor({ timeout: 5_000 });
      assert.match(await row.getAttribute('class'), /imw-session/);
      await widget.sessionList.getByRole('button', { name: /waiting \d+ s ?, warning/i }).waitFor();
      await row.filter({ hasText: '‼ Waiting' }).waitFor({ timeout: 5_000 });
      await widget.sessionList.getByRole('button', { name: /waiting \d+ s ?, urgent/i }).waitFor();

      const chat = await widget.openSession('3003');
      await chat.getByText(/‼ Waiting \d+ s/).waitFor();
      await saveScreenshot(widget.region, 'escalated-timer');

      await widget.send('Yes, here.');
      await chat.getByText(/Waiting/).waitFor({ state: 'detached' });
      await row.filter({ hasText: 'Waiting' }).waitFor({ state: 'detached' });
    },
    { hostAttributes: 'data-wait-warning-seconds="2" data-wait-urgent-seconds="4"' },
  );
});

test('a still-ringing session rings again; "Mute alerts" stops alerts and is remembered', { timeout: 90_000 }, async () => {
  await withWidget(
    async ({ sim, page, widget }) => {
      const { id } = await ring(sim, '3003');
      await widget.row('3003').waitFor();
      // The first ring and two repeats, each a notification and a two-note tone.
      await eventually(async () => (await alertsOf(page)).filter((a) => a.kind === 'ring' && a.session === id).length >= 3, {
        timeoutMs: 12_000,
        what: 'the ringing session to ring again twice',
      });
      const rings = (await alertsOf(page)).length;
      assert.ok((await tonesOf(page)) >= 2 * (rings - 1), 'each ring plays its tone');

      await (await widget.menuItem('Mute alerts', 'menuitemcheckbox')).click();
      await widget.menu.waitFor({ state: 'hidden' });
      await widget.region.getByRole('img', { name: 'Alerts muted' }).waitFor();
      await widget.menuButton.click();
      await widget.menu.getByRole('menuitemcheckbox', { name: 'Mute alerts', checked: true }).waitFor();
      await page.keyboard.press('Escape');
      await widget.menu.waitFor({ state: 'hidden' });
      const muted = (await alertsOf(page)).length;
      await page.waitForTimeout(300);
      const mutedTones = await tonesOf(page);
      const other = await ring(sim, '3004');
      await theyWrite(sim, id, 'Hello?');
      await widget.row('3004').waitFor();
      await widget.row('3003').filter({ hasText: '1 unread' }).waitFor();
      await page.waitForTimeout(3_000);
      assert.equal((await alertsOf(page)).length, muted, 'muted: no ring, repeat or message notification');
      assert.equal(await tonesOf(page), mutedTones, 'and no tone');

      await page.reload();
      await widget.connection('Connected').waitFor();
      await widget.region.getByRole('img', { name: 'Alerts muted' }).waitFor();
      await page.waitForTimeout(2_500);
      assert.deepEqual(await alertsOf(page), [], 'still muted after a reload');
      assert.equal(await tonesOf(page), 0, 'no tone after the reload');

      await (await widget.menuItem('Mute alerts', 'menuitemcheckbox')).click();
      await widget.region.getByRole('img', { name: 'Alerts muted' }).waitFor({ state: 'detached' });
      await widget.menuButton.click();
      await widget.menu.getByRole('menuitemcheckbox', { name: 'Mute alerts', checked: false }).waitFor();
      await page.keyboard.press('Escape');
      await eventually(async () => (await alertsOf(page)).some((a) => a.kind === 'ring' && a.session === other.id), {
        timeoutMs: 6_000,
        what: 'ringing again once unmuted',
      });
    },
    { hostAttributes: 'data-ring-repeat-seconds="2"' },
  );
});

test('a ringing session plays a tone and shows one desktop notification; data-sound="off" keeps the notification, no tone', { timeout: 90_000 }, async () => {
  for (const sound of ['on', 'off']) {
    await withWidget(
      async ({ sim, page, widget }) => {
        assert.equal(await page.evaluate(() => Notification.permission), 'granted');
        const { id } = await ring(sim, '3003');
        await widget.row('3003').waitFor();
        await eventually(async () => (await alertsOf(page)).length > 0, { what: `a notification (sound ${sound})` });
        // The tone starts just after the notification (next task); leave it time to, then count.
        await page.waitForTimeout(1_000);
        assert.deepEqual(await alertsOf(page), [{ kind: 'ring', session: id, body: '3003 is asking to chat' }], 'one notification');
        // A ring is two notes: two oscillators started.
        assert.equal(await tonesOf(page), sound === 'on' ? 2 : 0, `tones with sound ${sound}`);
      },
      { hostAttributes: `data-ring-repeat-seconds="3600" data-sound="${sound}"` },
    );
  }
});

test('two tabs of the agent: a ring alerts in exactly one of them', { timeout: 90_000 }, async () => {
  const sim = await startTestSimulator();
  const first = await newPage(browser, { permissions: ['notifications'] });
  const context = first.context();
  try {
    const second = await context.newPage();
    second.problems = [];
    second.on('console', (message) => message.type() === 'error' && second.problems.push(`console.error: ${message.text()}`));
    second.on('pageerror', (error) => second.problems.push(`page error: ${error.message}`));
    const pages = [first, second];
    for (const page of pages) {
      await page.addInitScript(observeAlerts);
      await addHostAttributes(page, 'data-ring-repeat-seconds="3600"');
    }
    const widgets = [];
    for (const page of pages) widgets.push(await new WidgetPage(page).openConnected(sim.url));
    const { id } = await ring(sim, '3003');
    for (const widget of widgets) await widget.row('3003').waitFor();
    const total = async () => (await Promise.all(pages.map(alertsOf))).flat().length;
    await eventually(async () => (await total()) > 0, { what: 'a notification in some tab' });
    await first.waitForTimeout(1_500);
    const seen = await Promise.all(pages.map(async (page) => ({ notifications: await alertsOf(page), tones: await tonesOf(page) })));
    const alerted = seen.filter((s) => s.notifications.length > 0 || s.tones > 0);
    assert.equal(alerted.length, 1, `exactly one tab alerts: ${JSON.stringify(seen)}`);
    assert.deepEqual(alerted[0], { notifications: [{ kind: 'ring', session: id, body: '3003 is asking to chat' }], tones: 2 });
    for (const page of pages) {
      assert.equal(await page.locator('[data-imw-crashed]').count(), 0, 'the panic hook never fired');
      assertNoProblems(page);
    }
  } finally {
    await context.close();
    await sim.stop();
  }
});
