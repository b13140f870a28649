// Accessibility: axe finds no WCAG 2.1 AA violation on any screen (empty list, busy list, chat with a
// failed message, case-data editor, canned picker, every dialog) in the light theme, the forced dark
// theme and the dark theme the system asks for; new incoming messages are announced; the keyboard
// alone reaches New IM, opens a session, sends, and goes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../lib/widget-page.mjs';
import { browserTests, ring as ringFrom, theyWrite } from '../lib/harness.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';
import { axeViolations } from '../lib/axe.mjs';

const withWidget = browserTests();

const LIGHT_SURFACE = 'rgb(255, 255, 255)';
const DARK_SURFACE = 'rgb(22, 27, 34)';
const FOCUS = 'rgb(11, 92, 173)';

const isFocused = (locator) => locator.evaluate((element) => element === document.activeElement);
const surface = (widget) => widget.region.evaluate((element) => getComputedStyle(element).backgroundColor);

async function noViolations(page, screen) {
  assert.deepEqual(await axeViolations(page), [], `axe: no violation on ${screen}`);
}

/** Walks every screen of the widget and runs axe on each; `theme` names the run in messages. */
async function everyScreen({ sim, page, widget }, theme) {
  await widget.status.filter({ hasText: 'No IM sessions' }).waitFor();
  await noViolations(page, `the empty list (${theme})`);

  await ringFrom(sim, '3003');
  const { id: talkingId } = await ringFrom(sim, '3004');
  const { id: completedId } = await ringFrom(sim, '3005');
  await widget.openSession('3005');
  await widget.send('Bye for now');
  await widget.row('3005').filter({ hasText: 'Talking' }).waitFor();
  await sim.control('POST', `/sessions/${completedId}/complete`);
  await widget.row('3005').filter({ hasText: 'Completed' }).waitFor();

  const chat = await widget.openSession('3004');
  await widget.send('Hello');
  await widget.row('3004').filter({ hasText: 'Talking' }).waitFor();
  await sim.control('PUT', '/faults', { serverErrorsForMs: 60_000 });
  await widget.send('This one meets a server error');
  await widget.transcript.getByText(/Not sent/).waitFor();
  await sim.control('DELETE', '/faults');
  await widget.row('3003').filter({ hasText: 'Ringing' }).waitFor();
  await noViolations(page, `the list (ringing, talking, completed) and a chat with a failed message (${theme})`);

  const data = await widget.editCaseData();
  await data.getByRole('textbox', { name: 'New key' }).fill('caseId');
  await data.getByRole('textbox', { name: 'New value' }).fill('CS-7');
  await data.getByRole('button', { name: 'Add' }).click();
  await data.getByRole('textbox', { name: 'Value of caseId' }).waitFor();
  await noViolations(page, `the case-data editor (${theme})`);

  await chat.getByRole('button', { name: 'Canned responses' }).click();
  const picker = widget.region.getByRole('listbox', { name: 'Canned responses' });
  await picker.waitFor();
  await noViolations(page, `the canned picker (${theme})`);
  await page.keyboard.press('Escape');
  await picker.waitFor({ state: 'detached' });

  await widget.button('New IM').click();
  await widget.newImDialog.waitFor();
  await noViolations(page, `the New IM dialog (${theme})`);
  await page.keyboard.press('Escape');
  await widget.newImDialog.waitFor({ state: 'detached' });

  await theyWrite(sim, talkingId, 'One more thing…');
  await widget.transcript.getByText('One more thing…').waitFor();
  await chat.getByRole('button', { name: 'End session' }).click();
  const confirm = widget.region.getByRole('dialog', { name: 'End this session?' });
  await confirm.waitFor();
  await noViolations(page, `the End session dialog (${theme})`);
  await confirm.getByRole('button', { name: 'Keep open' }).click();
  await confirm.waitFor({ state: 'detached' });

  await widget.menuButton.click();
  await widget.menu.waitFor();
  await noViolations(page, `the header menu (${theme})`);
  await widget.menu.getByRole('menuitem', { name: 'Keyboard shortcuts' }).click();
  const help = widget.region.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  await noViolations(page, `the keyboard-shortcuts dialog (${theme})`);
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
}

test('light theme: no axe violation on any screen', { timeout: 120_000 }, async () => {
  // everyScreen injects server errors (a failed message is one of the screens).
  await withWidget(
    async (world) => {
      assert.equal(await surface(world.widget), LIGHT_SURFACE);
      await everyScreen(world, 'light');
    },
    { allowFailedLoads: true },
  );
});

test('data-theme="dark": the dark surface, and no axe violation on any screen', { timeout: 120_000 }, async () => {
  await withWidget(
    async (world) => {
      assert.equal(await surface(world.widget), DARK_SURFACE);
      await everyScreen(world, 'forced dark');
      await world.widget.openSession('3004');
      await saveScreenshot(world.widget.region, 'dark');
    },
    { hostAttributes: 'data-theme="dark"', allowFailedLoads: true },
  );
});

test('a system that prefers dark gets the dark theme unless the host forces light', { timeout: 120_000 }, async () => {
  await withWidget(async (world) => {
    assert.equal(await surface(world.widget), LIGHT_SURFACE, 'light while the system prefers light');
    await world.page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await surface(world.widget), DARK_SURFACE, 'dark once the system prefers dark');
    await everyScreen(world, 'system dark');
  }, { allowFailedLoads: true });
  await withWidget(
    async ({ page, widget }) => {
      await page.emulateMedia({ colorScheme: 'dark' });
      assert.equal(await surface(widget), LIGHT_SURFACE, 'data-theme="light" wins over the system');
    },
    { hostAttributes: 'data-theme="light"' },
  );
});

test('a new incoming message is announced once; the history on opening is not', { timeout: 60_000 }, async () => {
  await withWidget(async ({ sim, widget }) => {
    const { id } = await ringFrom(sim, '3003');
    await theyWrite(sim, id, 'Written before the chat was open');
    await widget.row('3003').filter({ hasText: '1 unread' }).waitFor();
    const chat = await widget.openSession('3003');
    const announcer = chat.locator('[aria-live="polite"]');
    await widget.transcript.getByText('Written before the chat was open').waitFor();
    assert.equal(await announcer.textContent(), '', 'nothing announced on opening');
    assert.equal(await widget.transcript.getAttribute('aria-live'), 'off', 'the log itself stays quiet');

    await widget.send('My own line is not news');
    await widget.transcript.getByText('Sent', { exact: true }).waitFor();
    await theyWrite(sim, id, 'Any news?');
    await announcer.getByText('3003: Any news?', { exact: true }).waitFor();
    assert.equal(await announcer.locator('p').count(), 1, 'only the incoming line is announced');
  });
});

/** The focus ring `locator` shows: its outline style and colour. */
const ring = (locator) =>
  locator.evaluate((element) => {
    const style = getComputedStyle(element);
    return `${style.outlineStyle} ${style.outlineColor}`;
  });

/** Presses Tab (or Shift+Tab) until `locator` has focus. */
async function tabTo(page, locator, { backwards = false, max = 40 } = {}) {
  for (let presses = 0; presses < max; presses += 1) {
    if (await isFocused(locator)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  assert.fail(`focus never reached ${locator} in ${max} presses`);
}

for (const width of [1024, 320]) {
  test(`keyboard only at ${width} px: New IM, open a session, send, go back`, { timeout: 90_000 }, async () => {
    await withWidget(
      async ({ page, widget }) => {
        await page.setViewportSize({ width, height: 720 });
        await widget.row('3003').waitFor();
        await page.locator('body').focus();

        const newIm = widget.button('New IM');
        await tabTo(page, newIm);
        assert.equal(await ring(newIm), `solid ${FOCUS}`, 'New IM shows the focus ring');
        await page.keyboard.press('Enter');
        await widget.newImDialog.waitFor();
        await page.keyboard.press('Escape');
        await widget.newImDialog.waitFor({ state: 'detached' });
        await eventually(() => isFocused(newIm), { timeoutMs: 5000, what: 'focus back on New IM' });

        await tabTo(page, widget.row('3003'));
        assert.equal(await ring(widget.row('3003')), `solid ${FOCUS}`, 'the row shows the focus ring');
        await page.keyboard.press('Enter');
        await widget.chat('3003').waitFor();
        await tabTo(page, widget.composer);
        assert.equal(await ring(widget.composer), `solid ${FOCUS}`, 'the composer shows the focus ring');
        await page.keyboard.type('Sent from the keyboard');
        await page.keyboard.press('Enter');
        await widget.transcript.getByText('Sent from the keyboard', { exact: true }).waitFor();

        if (width < 600) {
          const back = widget.button('Back to sessions');
          await tabTo(page, back, { backwards: true });
          await page.keyboard.press('Enter');
          await widget.sessionList.waitFor();
        } else {
          await page.keyboard.press('Escape');
        }
        await eventually(() => isFocused(widget.row('3003')), { timeoutMs: 5000, what: 'focus on the 3003 row' });
      },
      { beforeOpen: (sim) => ringFrom(sim, '3003') },
    );
  });
}
