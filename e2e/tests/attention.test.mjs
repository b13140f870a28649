// Unread totals for the agent and the host page, "New" rows, the escalating waiting timer, and
// alerts (recorded in window.__imwAlerts): a ringing session, a message out of view, ring repeat, mute.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../lib/browser.mjs';
import { eventually } from '../lib/widget-page.mjs';
import { withWidget as withWidgetOn, ring, theyWrite } from '../lib/harness.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';

let browser;
const withWidget = (body, options) => withWidgetOn(browser, body, options);
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});


const alertsOf = (page) => page.evaluate(() => (window.__imwAlerts ?? []).map(({ kind, session }) => ({ kind, session })));
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
      what: 'a ring alert for the new session',
    });

    for (const n of [1, 2, 3]) await theyWrite(sim, id, `Message ${n}`);
    await row.filter({ hasText: '3 unread' }).waitFor();
    await widget.region.getByText('Unread: 3', { exact: true }).waitFor();
    await eventually(async () => (await page.title()) === `(3) ${title}`, { what: 'the title to count 3' });
    assert.equal(await host(page).getAttribute('data-imw-unread'), '3');
    await eventually(async () => (await page.evaluate(() => window.__unreadEvents)).includes(3), {
      what: 'an imw:unread event with total 3',
    });
    const messageAlerts = (await alertsOf(page)).filter((a) => a.kind === 'message' && a.session === id);
    assert.ok(messageAlerts.length >= 1, 'a message in a session not in view alerts');

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
    await theyWrite(sim, id, 'Seen at once');
    await widget.transcript.getByText('Seen at once').waitFor();
    await page.waitForTimeout(300);
    assert.deepEqual((await alertsOf(page)).slice(before).filter((a) => a.kind === 'message'), []);
  });
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
      await eventually(async () => (await alertsOf(page)).filter((a) => a.kind === 'ring-repeat' && a.session === id).length >= 2, {
        timeoutMs: 12_000,
        what: 'the ringing session to ring again twice',
      });
      assert.equal(
        (await alertsOf(page)).filter((a) => a.kind === 'ring' && a.session === id).length,
        1,
        'the first ring alerts once',
      );

      await widget.button('Mute alerts').click();
      await widget.region.getByRole('button', { name: 'Unmute alerts', pressed: true }).waitFor();
      const muted = (await alertsOf(page)).length;
      const other = await ring(sim, '3004');
      await theyWrite(sim, id, 'Hello?');
      await widget.row('3004').waitFor();
      await widget.row('3003').filter({ hasText: '1 unread' }).waitFor();
      await page.waitForTimeout(3_000);
      assert.equal((await alertsOf(page)).length, muted, 'muted: no ring, repeat or message alert');

      await page.reload();
      await widget.connection('Connected').waitFor();
      await widget.region.getByRole('button', { name: 'Unmute alerts', pressed: true }).waitFor();
      await page.waitForTimeout(2_500);
      assert.deepEqual(await alertsOf(page), [], 'still muted after a reload');

      await widget.button('Unmute alerts').click();
      await widget.region.getByRole('button', { name: 'Mute alerts', pressed: false }).waitFor();
      await eventually(async () => (await alertsOf(page)).some((a) => a.kind === 'ring-repeat' && a.session === other.id), {
        timeoutMs: 6_000,
        what: 'ringing again once unmuted',
      });
    },
    { hostAttributes: 'data-ring-repeat-seconds="2"' },
  );
});
