// Layout: at 320 px the list and the chat take turns with a "Back to sessions" button; wide, they sit
// side by side; a host restyles through one token rule; dir="rtl" mirrors the panes; the built CSS
// only selects the widget's own imw- classes and uses no physical left/right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../lib/widget-page.mjs';
import { browserTests, ring } from '../lib/harness.mjs';
import { distDir } from '../lib/server.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';
import { axeViolations } from '../lib/axe.mjs';

const withWidget = browserTests();

const isFocused = (locator) => locator.evaluate((element) => element === document.activeElement);
const pageWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth);

test('at 320 px the list and the chat take turns, Back returns to the row, nothing scrolls sideways', { timeout: 120_000 }, async () => {
  await withWidget(
    async ({ page, widget }) => {
      await page.setViewportSize({ width: 320, height: 640 });
      const back = widget.button('Back to sessions');
      const placeholder = widget.region.getByText('Select a session to read it', { exact: true });
      await widget.row('3003').waitFor();
      assert.ok(await widget.sessionList.isVisible(), 'the list shows');
      assert.ok(await placeholder.isHidden(), 'the chat pane does not');
      assert.ok((await pageWidth(page)) <= 320, 'no horizontal scroll with the list');
      assert.deepEqual(await axeViolations(page), [], 'axe: no violation on the narrow list');
      await saveScreenshot(widget.region, 'narrow-320-list');

      await widget.row('3003').click();
      const chat = widget.chat('3003');
      await chat.waitFor();
      await back.waitFor();
      assert.ok(await widget.sessionList.isHidden(), 'the list gives way to the chat');
      await eventually(() => isFocused(widget.composer), { timeoutMs: 5000, what: 'focus in the composer' });
      await widget.send('Typed on a phone-sized screen');
      await widget.transcript.getByText('Typed on a phone-sized screen', { exact: true }).waitFor();
      await widget.transcript.getByText('Sent', { exact: true }).waitFor();
      const data = await widget.editCaseData();
      await data.getByRole('textbox', { name: 'New key' }).fill('customerReference');
      await data.getByRole('textbox', { name: 'New value' }).fill('CS-2026-000042');
      await data.getByRole('button', { name: 'Add' }).click();
      await data.getByRole('textbox', { name: 'Value of customerReference' }).waitFor();
      for (const button of ['End session', 'Canned responses', 'Send', 'Save customerReference', 'Remove customerReference']) {
        const box = await chat.getByRole('button', { name: button, exact: true }).boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 320, `${button} fits in 320 px (${JSON.stringify(box)})`);
      }
      assert.ok((await pageWidth(page)) <= 320, 'no horizontal scroll with the chat and case data');
      assert.deepEqual(await axeViolations(page), [], 'axe: no violation on the narrow chat');
      await saveScreenshot(widget.region, 'narrow-320-chat');

      await widget.button('New IM').click();
      const dialog = widget.newImDialog;
      await dialog.waitFor();
      const box = await dialog.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 320, `the New IM dialog fits (${JSON.stringify(box)})`);
      assert.ok((await pageWidth(page)) <= 320, 'no horizontal scroll with a dialog open');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      await back.click();
      await widget.sessionList.waitFor();
      assert.ok(await chat.isHidden(), 'the chat gives way to the list');
      await eventually(() => isFocused(widget.row('3003')), { timeoutMs: 5000, what: 'focus on the 3003 row' });
      assert.ok(await back.isHidden(), 'no Back button on the list');

      // Alt+↓/↑ move the selection and stay in the list; Enter opens the selected session again.
      await page.keyboard.press('Alt+ArrowDown');
      await eventually(() => isFocused(widget.row('3005')), { timeoutMs: 5000, what: 'focus on the 3005 row' });
      assert.ok(await widget.sessionList.isVisible(), 'Alt+↓ stays in the list');
      await page.keyboard.press('Alt+ArrowUp');
      await eventually(() => isFocused(widget.row('3003')), { timeoutMs: 5000, what: 'focus back on the 3003 row' });
      await page.keyboard.press('Enter');
      await chat.waitFor();
      assert.ok(await widget.sessionList.isHidden());

      await page.setViewportSize({ width: 1280, height: 800 });
      await widget.sessionList.waitFor();
      assert.ok(await chat.isVisible(), 'wide: both panes show');
      assert.ok(await back.isHidden(), 'wide: no Back button');
      const list = await widget.sessionList.boundingBox();
      const chatBox = await chat.boundingBox();
      assert.ok(list.x + list.width <= chatBox.x + 1, 'wide: the list is beside (left of) the chat');
    },
    // One after the other: the list keeps arrival order, and Alt+↓ below expects 3005 after 3003.
    {
      beforeOpen: async (sim) => {
        await ring(sim, '3003');
        await ring(sim, '3005');
      },
    },
  );
});

test('at 320 px Escape in the composer returns to the list, and a new IM opens its chat', { timeout: 90_000 }, async () => {
  await withWidget(
    async ({ sim, page, widget }) => {
      await page.setViewportSize({ width: 320, height: 640 });
      const { id } = await ring(sim, '3003');
      await widget.row('3003').click();
      await widget.chat('3003').waitFor();
      await eventually(() => isFocused(widget.composer), { timeoutMs: 5000, what: 'focus in the composer' });
      await page.keyboard.press('Escape');
      await widget.sessionList.waitFor();
      await eventually(() => isFocused(widget.row('3003')), { timeoutMs: 5000, what: 'focus on the row' });

      // One active IM at a time: the ringing one ends first.
      await sim.control('POST', `/sessions/${id}/complete`);
      await widget.row('3003').filter({ hasText: 'Completed' }).waitFor();
      await widget.button('New IM').click();
      await widget.newImDialog.getByRole('textbox', { name: 'Extension' }).fill('3002');
      await widget.newImDialog.getByRole('button', { name: 'Start IM' }).click();
      await widget.chat('3002').waitFor();
      assert.ok(await widget.sessionList.isHidden(), 'the new chat shows instead of the list');
    },
  );
});

test('a narrow host column gets the narrow layout on a wide page (the widget measures itself)', { timeout: 60_000 }, async () => {
  await withWidget(
    async ({ page, widget }) => {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.addStyleTag({ content: '[data-gws-im-widget] { max-inline-size: 360px; }' });
      await widget.row('3003').click();
      await widget.chat('3003').waitFor();
      await widget.button('Back to sessions').waitFor();
      assert.ok(await widget.sessionList.isHidden(), 'one pane at a time in a 360 px column');
    },
    { beforeOpen: (sim) => ring(sim, '3003') },
  );
});

test('one host rule on .imw overrides a token, whatever its place in the page', { timeout: 60_000 }, async () => {
  await withWidget(async ({ page, widget }) => {
    const newIm = widget.button('New IM');
    const background = () => newIm.evaluate((element) => getComputedStyle(element).backgroundColor);
    assert.equal(await background(), 'rgb(11, 92, 173)', 'the default accent');
    // Before the widget's own stylesheets, so only specificity (not order) can let it win.
    await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = '.imw { --imw-color-accent: #7b2cbf; }';
      document.head.prepend(style);
    });
    assert.equal(await background(), 'rgb(123, 44, 191)', 'the host accent');
  });
});

// Mirroring: the widget's root carries its language's direction (i18n sets dir on it), so the CSS only
// has to be direction-agnostic (the test below); i18n.test.mjs checks an Arabic widget mirrors.

/** Every style rule of `css` as { selector, body }, descending into @media/@container/@supports. */
function styleRules(css) {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const rules = [];
  const walk = (source) => {
    let at = 0;
    while (at < source.length) {
      const open = source.indexOf('{', at);
      if (open < 0) break;
      const prelude = source.slice(at, open).trim();
      let depth = 1;
      let close = open + 1;
      for (; close < source.length && depth > 0; close += 1) {
        if (source[close] === '{') depth += 1;
        if (source[close] === '}') depth -= 1;
      }
      const body = source.slice(open + 1, close - 1);
      if (/^@(media|container|supports|layer)\b/.test(prelude)) walk(body);
      else rules.push({ selector: prelude, body });
      at = close;
    }
  };
  walk(text);
  return rules;
}

test('the built CSS selects only imw- classes and says nothing about left or right', () => {
  const files = readdirSync(distDir).filter((name) => name.endsWith('.css'));
  // The build joins every stylesheet into one (scripts/trunk-loader.mjs).
  assert.ok(files.length >= 1, `dist/ has the stylesheet (${files})`);
  let count = 0;
  for (const file of files) {
    for (const { selector, body } of styleRules(readFileSync(join(distDir, file), 'utf8'))) {
      assert.ok(!selector.startsWith('@'), `${file}: unexpected at-rule ${selector}`);
      for (const one of selector.split(',').map((s) => s.trim())) {
        count += 1;
        assert.match(one, /\.imw(?:[\w-]*)/, `${file}: "${one}" is scoped to an imw class`);
        assert.doesNotMatch(one, /(^|[\s>+~(])(html|body|:root|\*)(?=$|[\s.:[>+~),])/, `${file}: "${one}" names no page element`);
      }
      // margin-left, text-align: right, float: left, to right… all say "left" or "right".
      assert.doesNotMatch(body, /\b(left|right)\b/, `${file}: ${selector} says nothing about left or right`);
    }
  }
  assert.ok(count > 100, `parsed the selectors (${count})`);
});
