// The agent's workflow: keyboard shortcuts and their help panel, canned responses with placeholders,
// the session filter and search, and a list that keeps its scroll position as sessions arrive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../lib/widget-page.mjs';
import { browserTests, ring, theyWrite } from '../lib/harness.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';
import { axeViolations } from '../lib/axe.mjs';

const withWidget = browserTests();



/** The number of the session the list marks as open. */
async function selectedNumber(widget) {
  const current = widget.sessionList.locator('[aria-current="true"] .imw-session__number');
  if ((await current.count()) === 0) return null;
  return (await current.textContent()).trim();
}

async function waitSelected(widget, number) {
  await eventually(async () => (await selectedNumber(widget)) === number, { timeoutMs: 5000, what: `${number} selected` });
}

const isFocused = (locator) => locator.evaluate((element) => element === document.activeElement);

/** The numbers of the rows the list shows, in order. */
async function shownNumbers(widget) {
  return (await widget.sessionList.locator('.imw-session__number').allTextContents()).map((n) => n.trim());
}

test('Alt+↓/↑ move between sessions, Alt+U jumps to the unread one, Escape leaves the composer, the help panel lists them', { timeout: 90_000 }, async () => {
  const ringing = {};
  await withWidget(
    async ({ sim, page, widget }) => {
      await widget.row('3004').waitFor();
      await widget.openSession('3002');
      await widget.row('3002').focus();

      await page.keyboard.press('Alt+ArrowDown');
      await waitSelected(widget, '3003');
      await widget.chat('3003').waitFor();
      await eventually(() => isFocused(widget.row('3003')), { timeoutMs: 5000, what: 'focus on the 3003 row' });
      await page.keyboard.press('Alt+ArrowUp');
      await waitSelected(widget, '3002');

      await theyWrite(sim, ringing['3004'], 'Are you there?');
      await widget.row('3004').filter({ hasText: '1 unread' }).waitFor();
      await page.keyboard.press('Alt+KeyU');
      await waitSelected(widget, '3004');
      await widget.transcript.getByText('Are you there?').waitFor();

      await widget.composer.click();
      await page.keyboard.press('Escape');
      await eventually(() => isFocused(widget.row('3004')), { timeoutMs: 5000, what: 'Escape moves focus to the session row' });

      await (await widget.menuItem('Keyboard shortcuts')).click();
      const help = widget.region.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await help.waitFor();
      for (const text of ['Alt+↓', 'Next session', 'Alt+↑', 'Previous session', 'Alt+U', 'Next session with unread messages', 'Enter', 'Send the message', 'Escape']) {
        await help.getByText(text, { exact: true }).first().waitFor({ timeout: 5000 });
      }
      assert.deepEqual(await axeViolations(page), [], 'axe: no violation on the help panel');
      await saveScreenshot(page, 'keyboard-help');
      await page.keyboard.press('Escape');
      await help.waitFor({ state: 'detached' });
      await eventually(() => isFocused(widget.menuButton), { timeoutMs: 5000, what: 'focus back on the menu button that opened the help' });
    },
    {
      beforeOpen: async (sim) => {
        for (const number of ['3002', '3003', '3004']) ringing[number] = (await ring(sim, number)).id;
      },
    },
  );
});

test('"/" opens the canned responses, typing filters, Enter inserts with the number and name filled in', { timeout: 90_000 }, async () => {
  const canned = JSON.stringify([
    'Hi {name}, can you help me with a customer?',
    { title: 'Escalate', text: 'Please take over the case of {number}.' },
  ]);
  const directory = JSON.stringify({ 3003: 'Supervisor Sam' });
  await withWidget(
    async ({ sim, page, widget }) => {
      await widget.openSession('3003');
      await widget.composer.click();
      await page.keyboard.type('/');
      const picker = widget.region.getByRole('listbox', { name: 'Canned responses' });
      await picker.waitFor();
      assert.equal(await picker.getByRole('option').count(), 2, 'both canned responses are offered');
      assert.deepEqual(await axeViolations(page), [], 'axe: no violation with the picker open');
      await saveScreenshot(page, 'canned-responses');

      await page.keyboard.type('esc');
      await eventually(async () => (await picker.getByRole('option').count()) === 1, { timeoutMs: 5000, what: 'the filter to leave one option' });
      await picker.getByRole('option', { name: /Escalate/ }).waitFor();
      await page.keyboard.press('Enter');
      await picker.waitFor({ state: 'detached' });
      assert.equal(await widget.composer.inputValue(), 'Please take over the case of 3003.');
      assert.equal(await widget.transcript.getByText('Please take over').count(), 0, 'inserting does not send');

      // The button opens it too; ↓ moves, Escape closes only the picker.
      await widget.composer.fill('');
      await widget.button('Canned responses').click();
      await picker.waitFor();
      await page.keyboard.press('Escape');
      await picker.waitFor({ state: 'detached' });
      assert.ok(await isFocused(widget.composer), 'Escape in the picker keeps the composer focused');
      await widget.button('Canned responses').click();
      await picker.getByRole('option', { name: /Hi \{name\}/, selected: true }).waitFor();
      await page.keyboard.press('ArrowDown');
      await picker.getByRole('option', { name: /Escalate/, selected: true }).waitFor();
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      await eventually(async () => (await widget.composer.inputValue()) === 'Hi Supervisor Sam, can you help me with a customer?', {
        timeoutMs: 5000,
        what: 'the name filled in',
      });
      await page.keyboard.press('Enter');
      await widget.transcript.getByText('Hi Supervisor Sam, can you help me with a customer?').waitFor();
    },
    {
      beforeOpen: (sim) => ring(sim, '3003'),
      hostAttributes: `data-canned-responses='${canned}' data-directory='${directory}'`,
    },
  );
});

test('the default canned responses are offered when the host configures none', { timeout: 60_000 }, async () => {
  await withWidget(
    async ({ page, widget }) => {
      await widget.openSession('3005');
      await widget.composer.click();
      await page.keyboard.type('/');
      const picker = widget.region.getByRole('listbox', { name: 'Canned responses' });
      await picker.waitFor();
      assert.equal(await picker.getByRole('option').count(), 3);
      await page.keyboard.press('Enter');
      assert.match(await widget.composer.inputValue(), /^Hi 3005, /);
    },
    { beforeOpen: (sim) => ring(sim, '3005') },
  );
});

test('the list filters Active / Completed / All and searches by number and by message text', { timeout: 90_000 }, async () => {
  await withWidget(async ({ sim, widget }) => {
    const first = await ring(sim, '3002', { text: 'Order number 77 please' });
    await ring(sim, '3003');
    await widget.row('3003').waitFor();
    await sim.control('POST', `/sessions/${first.id}/complete`, {});
    await widget.row('3002').filter({ hasText: 'Completed' }).waitFor();

    const radio = (name) => widget.region.getByRole('radio', { name, exact: true });
    assert.ok(await radio('All').isChecked(), '"All" is the default');
    await radio('Completed').check();
    await eventually(async () => JSON.stringify(await shownNumbers(widget)) === '["3002"]', { timeoutMs: 5000, what: 'only the completed one' });
    await radio('Active').check();
    await eventually(async () => JSON.stringify(await shownNumbers(widget)) === '["3003"]', { timeoutMs: 5000, what: 'only the active one' });
    await radio('All').check();
    await eventually(async () => (await shownNumbers(widget)).length === 2, { timeoutMs: 5000, what: 'both again' });

    const search = widget.region.getByRole('searchbox', { name: 'Search sessions' });
    await search.fill('3003');
    await eventually(async () => JSON.stringify(await shownNumbers(widget)) === '["3003"]', { timeoutMs: 5000, what: 'search by number' });
    await search.fill('ORDER number');
    await eventually(async () => JSON.stringify(await shownNumbers(widget)) === '["3002"]', { timeoutMs: 5000, what: 'search by message text' });
    await search.fill('nobody wrote this');
    await widget.region.getByRole('status').filter({ hasText: 'No sessions match' }).waitFor();
    await search.fill('');
    await eventually(async () => (await shownNumbers(widget)).length === 2, { timeoutMs: 5000, what: 'search cleared' });
  });
});

test('the list keeps its scroll position and selection when a new session arrives', { timeout: 90_000 }, async () => {
  const numbers = Array.from({ length: 14 }, (_, i) => String(3010 + i));
  await withWidget(
    async ({ sim, page, widget }) => {
      await widget.row('3023').waitFor({ state: 'attached' });
      await widget.openSession('3012');
      const scrollable = await widget.sessionList.evaluate((list) => list.scrollHeight > list.clientHeight);
      assert.ok(scrollable, 'the list scrolls by itself');
      await widget.sessionList.evaluate((list) => {
        list.scrollTop = 120;
      });
      await page.waitForTimeout(200);
      const before = await widget.sessionList.evaluate((list) => list.scrollTop);
      assert.ok(before > 0, 'the list is scrolled');

      await ring(sim, '3099');
      await widget.row('3099').waitFor({ state: 'attached' });
      await page.waitForTimeout(300);
      assert.equal(await widget.sessionList.evaluate((list) => list.scrollTop), before, 'scroll position kept');
      assert.equal(await selectedNumber(widget), '3012', 'selection kept');
    },
    {
      beforeOpen: async (sim) => {
        for (const number of numbers) await ring(sim, number);
      },
    },
  );
});

test('a focused row that vanishes hands focus to another row, not to the page', { timeout: 60_000 }, async () => {
  await withWidget(async ({ sim, widget }) => {
    await ring(sim, '3002');
    const second = await ring(sim, '3003');
    await widget.row('3003').waitFor();
    await widget.region.getByRole('radio', { name: 'Active', exact: true }).check();
    await widget.row('3003').focus();
    await sim.control('POST', `/sessions/${second.id}/complete`, {});
    await widget.row('3003').waitFor({ state: 'detached' });
    await eventually(() => isFocused(widget.row('3002')), { timeoutMs: 5000, what: 'focus on the remaining row' });
  });
});
