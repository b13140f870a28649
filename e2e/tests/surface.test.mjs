// The product surface (issue 16, items 1, 2, 4, 5, 7, 8): a compact header whose alert and help
// controls sit behind one menu button (the ARIA menu-button pattern, keyboard included); case data as
// a collapsible panel, read first and edited on demand, its open state remembered per agent; a
// transcript grouped by side under one time with day separators; rows with initials; reduced
// motion; and screenshots of it all, light and dark, wide and 320 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserTests, ring, theyWrite } from '../lib/harness.mjs';
import { axeViolations } from '../lib/axe.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';
import { eventually } from '../lib/widget-page.mjs';

const withWidget = browserTests();

const focusedName = (page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    return active ? (active.getAttribute('aria-label') ?? active.textContent.trim()) : null;
  });

/** Middles (rounded) of the header's title (or under 420 px the connection state), New IM and menu button: one line when they are equal. */
const headerTops = (widget) =>
  widget.region.locator('.imw-header').evaluate((header) =>
    [header.clientWidth < 420 ? '.imw-connection' : '.imw-header__title', '.imw-header__new', '.imw-menu__button'].map((selector) => {
      const box = header.querySelector(selector).getBoundingClientRect();
      return Math.round(box.top + box.height / 2);
    }),
  );

test('the header: one line at 1100 and 320 px, New IM the one primary action, the rest behind a menu button that works by keyboard', { timeout: 90_000 }, async () => {
  await withWidget(async ({ sim, page, widget }) => {
    const [title, newIm, menu] = await headerTops(widget);
    assert.ok(Math.abs(title - newIm) <= 4 && Math.abs(title - menu) <= 4, `one line at 1100 px: ${[title, newIm, menu]}`);
    // Only New IM is a text button in the header; the menu button is an icon named by its label and tooltip.
    assert.deepEqual(
      await widget.region.locator('.imw-header').getByRole('button').evaluateAll((buttons) =>
        buttons.filter((b) => b.offsetParent !== null).map((b) => b.getAttribute('aria-label') ?? b.textContent.trim()),
      ),
      ['New IM', 'Settings'],
    );
    assert.equal(await widget.menuButton.getAttribute('title'), 'Settings', 'the icon button has a tooltip');
    assert.equal(await widget.menuButton.locator('svg').count(), 1, 'its icon is inline SVG');
    assert.equal(await widget.menuButton.getAttribute('aria-haspopup'), 'menu');
    assert.equal(await widget.menuButton.getAttribute('aria-expanded'), 'false');
    assert.equal(await widget.menu.count(), 0, 'the menu is closed (hidden from everyone)');

    // Enter opens it on the first item; arrows move and wrap; Home and End jump.
    await widget.menuButton.focus();
    await page.keyboard.press('Enter');
    await widget.menu.waitFor();
    assert.equal(await widget.menuButton.getAttribute('aria-expanded'), 'true');
    assert.deepEqual(
      await widget.menu.locator('[role^="menuitem"]').evaluateAll((all) => all.map((i) => i.textContent.trim())),
      ['Enable desktop alerts', 'Mute alerts', 'Keyboard shortcuts'],
    );
    await eventually(async () => (await focusedName(page)) === 'Enable desktop alerts', { what: 'focus on the first item' });
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedName(page), 'Mute alerts');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedName(page), 'Enable desktop alerts', 'ArrowDown wraps to the first');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focusedName(page), 'Keyboard shortcuts', 'ArrowUp wraps to the last');
    await page.keyboard.press('Home');
    assert.equal(await focusedName(page), 'Enable desktop alerts');
    await page.keyboard.press('End');
    assert.equal(await focusedName(page), 'Keyboard shortcuts');
    assert.deepEqual(await axeViolations(page), [], 'axe: no violation with the menu open');
    await saveScreenshot(page, 'header-menu');

    // Escape closes it back onto the button; ArrowUp opens it on the last item; Tab closes it.
    await page.keyboard.press('Escape');
    await widget.menu.waitFor({ state: 'hidden' });
    assert.equal(await focusedName(page), 'Settings');
    await page.keyboard.press('ArrowUp');
    await widget.menu.waitFor();
    await eventually(async () => (await focusedName(page)) === 'Keyboard shortcuts', { what: 'focus on the last item' });
    await page.keyboard.press('Tab');
    await widget.menu.waitFor({ state: 'hidden' });

    // Space on "Mute alerts" mutes: the header says so with an icon named "Alerts muted"; the item is checked.
    await widget.menuButton.focus();
    await page.keyboard.press('ArrowDown');
    await eventually(async () => (await focusedName(page)) === 'Enable desktop alerts', { what: 'focus on the first item again' });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await widget.menu.waitFor({ state: 'hidden' });
    assert.equal(await focusedName(page), 'Settings', 'choosing an item leaves focus on the button');
    const muted = widget.region.getByRole('img', { name: 'Alerts muted' });
    await muted.waitFor();
    assert.equal(await muted.getAttribute('title'), 'Alerts muted');
    await widget.menuButton.click();
    await widget.menu.getByRole('menuitemcheckbox', { name: 'Mute alerts', checked: true }).waitFor();
    // A click elsewhere closes it.
    await widget.heading.click();
    await widget.menu.waitFor({ state: 'hidden' });
    assert.equal(await widget.menuButton.getAttribute('aria-expanded'), 'false');

    // 320 px, muted and with an unread message: still one line, nothing off the edge; the title is
    // only said (a heading for screen readers), New IM only its "+" with its name and tooltip.
    await page.setViewportSize({ width: 320, height: 640 });
    await theyWrite(sim, (await ring(sim, '3003')).id, 'Are you there?');
    await widget.region.getByText('Unread: 1').waitFor();
    assert.equal(await widget.heading.count(), 1, 'the heading is still there');
    assert.equal(await widget.button('New IM').getAttribute('title'), 'New IM');
    await eventually(async () => {
      const [t, n, m] = await headerTops(widget);
      return Math.abs(t - n) <= 4 && Math.abs(t - m) <= 4;
    }, { what: 'the header on one line at 320 px' });
    const box = await widget.menuButton.boundingBox();
    assert.ok(box.x + box.width <= 320, `the menu button fits (${JSON.stringify(box)})`);
    await widget.menuButton.click();
    const list = await widget.menu.boundingBox();
    assert.ok(list.x >= 0 && list.x + list.width <= 320, `the open menu fits in 320 px (${JSON.stringify(list)})`);
    await saveScreenshot(page, 'header-320');
  });
});

test('case data is a panel: read first, edited on demand with icon buttons, closed and remembered per agent', { timeout: 90_000 }, async () => {
  await withWidget(async ({ sim, page, widget }) => {
    const { id } = await ring(sim, '3003', { userData: { caseId: 'CS-42', customer: 'Globex' } });
    await widget.openSession('3003');
    await widget.send('On it');
    const data = widget.caseData;
    let toggle = data.getByRole('button', { name: 'Case data · 2' });
    await toggle.waitFor();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true', 'open at first');
    // The read view: key: value, no input.
    assert.deepEqual(await data.getByRole('term').allTextContents(), ['caseId', 'customer']);
    assert.deepEqual(await data.getByRole('definition').allTextContents(), ['CS-42', 'Globex']);
    assert.equal(await data.getByRole('textbox').count(), 0);
    await saveScreenshot(data, 'case-data-read');

    // The pencil opens the inputs, focus on the first; Save and Remove are icons with names and tooltips.
    const pencil = data.getByRole('button', { name: 'Edit case data' });
    assert.equal(await pencil.getAttribute('title'), 'Edit case data');
    await pencil.click();
    await eventually(async () => (await focusedName(page)) === 'Value of caseId', { what: 'focus in the first value' });
    for (const name of ['Save caseId', 'Remove caseId', 'Save customer', 'Remove customer']) {
      const button = data.getByRole('button', { name, exact: true });
      assert.equal(await button.getAttribute('title'), name, `${name} has a tooltip`);
      assert.equal(await button.locator('svg').count(), 1, `${name} is an icon`);
    }
    await data.getByRole('textbox', { name: 'Value of customer' }).fill('Initech');
    await data.getByRole('button', { name: 'Save customer', exact: true }).click();
    await eventually(async () => (await sim.control('GET', '/state')).sessions.find((s) => s.id === id)?.userData?.customer === 'Initech', { what: 'UpdateUserData on the server' });
    assert.deepEqual(await axeViolations(page), [], 'axe: no violation on the case-data inputs');
    // Typing in one value while the server changes another key: the typing stays.
    await data.getByRole('textbox', { name: 'Value of caseId' }).fill('CS-4');
    await sim.control('POST', `/sessions/${id}/user-data`, { userData: { priority: 'high' } });
    await data.getByRole('textbox', { name: 'Value of priority' }).waitFor();
    assert.equal(await data.getByRole('textbox', { name: 'Value of caseId' }).inputValue(), 'CS-4', 'what was typed is kept');
    await data.getByRole('textbox', { name: 'Value of caseId' }).fill('CS-42');
    await data.getByRole('button', { name: 'Done' }).click();
    await data.getByRole('definition').filter({ hasText: /^Initech$/ }).waitFor();
    await eventually(async () => (await focusedName(page)) === 'Edit case data', { what: 'focus back on the pencil' });

    // Closed: the body is gone from view and from the accessibility tree; a reload keeps it closed.
    toggle = data.getByRole('button', { name: 'Case data · 3' });
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await data.getByRole('term').first().waitFor({ state: 'hidden' });
    assert.equal(await data.getByRole('button', { name: 'Edit case data' }).count(), 0, 'no pencil while closed');
    const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith(':prefs:case-open')));
    assert.equal(keys.length, 1, `one preference key: ${keys}`);
    assert.match(keys[0], /^imw:v1:[^:]+:prefs:case-open$/, 'kept under the agent, so it leaves with their data');
    assert.notEqual(keys[0], 'imw:v1:prefs:case-open');
    await page.reload();
    await widget.connection('Connected').waitFor();
    await widget.openSession('3003');
    const again = widget.caseData.getByRole('button', { name: 'Case data · 3' });
    await again.waitFor();
    assert.equal(await again.getAttribute('aria-expanded'), 'false', 'still closed after a reload');
    await again.click();
    await widget.caseData.getByRole('definition').filter({ hasText: /^CS-42$/ }).waitFor();
  });
});

/** For each message line: its text and whether its time shows (more than a 1-px clip). */
const shownTimes = (widget) =>
  widget.transcript.locator('.imw-line--incoming, .imw-line--outgoing').evaluateAll((lines) =>
    lines.map((line) => {
      // Clipped, the meta line is a 1-px box (its time overflows it, unseen).
      const meta = line.querySelector('.imw-line__meta').getBoundingClientRect();
      return [line.querySelector('.imw-line__text').textContent, meta.width > 2 && meta.height > 2];
    }),
  );

const separators = (widget) => widget.transcript.getByRole('separator').evaluateAll((all) => all.map((s) => s.getAttribute('aria-label')));

test('the transcript groups lines of one side under one time and names each day: Today, Yesterday, a date', { timeout: 90_000 }, async () => {
  const DAY = 86_400_000;
  await withWidget(
    async ({ sim, page, widget }) => {
      const { id } = await ring(sim, '3003');
      await widget.openSession('3003');
      // Answering makes it Talking: that line breaks a group, so it comes first here.
      await widget.send('Hello');
      await widget.transcript.getByText('Talking with 3003').waitFor();
      await theyWrite(sim, id, 'First question');
      await widget.transcript.getByText('First question').waitFor();
      await theyWrite(sim, id, 'And a second one');
      await widget.transcript.getByText('And a second one').waitFor();
      await widget.send('Both answered');
      await eventually(async () => (await widget.transcript.getByText('Sent', { exact: true }).count()) === 2, { what: 'sent' });
      await widget.send('Anything else?');
      await eventually(async () => (await widget.transcript.getByText('Sent', { exact: true }).count()) === 3, { what: 'all sent' });
      assert.deepEqual(await shownTimes(widget), [
        ['Hello', true],
        ['First question', true],
        ['And a second one', false],
        ['Both answered', true],
        ['Anything else?', false],
      ]);
      // A screen reader still hears who wrote each line and when.
      const said = await widget.transcript.locator('.imw-line--continued .imw-line__meta').allTextContents();
      assert.equal(said.length, 2);
      for (const words of said) assert.match(words, /\d\d:\d\d/, `the time is still said: ${words}`);
      assert.deepEqual(await separators(widget), ['Today'], 'one separator, before the first line');

      // A day later (the browser clock moved; kept transcripts last 100 h here), they are yesterday's.
      await page.evaluate((ms) => sessionStorage.setItem('test:clock-offset-ms', String(ms)), DAY);
      await page.reload();
      await widget.connection('Connected').waitFor();
      await widget.openSession('3003');
      await widget.transcript.getByText('Both answered').waitFor();
      await eventually(async () => JSON.stringify(await separators(widget)) === '["Yesterday"]', { what: 'Yesterday' });
      // The page was closed overnight: the gap's two ends fall on different days and say which.
      const days = await page.evaluate(() => {
        const format = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
        return [format.format(Date.now() - 86_400_000), format.format(Date.now())];
      });
      const gap = (await widget.transcript.locator('.imw-line--gap').first().textContent()).trim();
      assert.ok(gap.includes(`(${days[0]} `) && gap.includes(`–${days[1]} `), `the gap names both days: ${gap}`);
      await theyWrite(sim, id, 'Good morning');
      await widget.transcript.getByText('Good morning').waitFor();
      await eventually(async () => JSON.stringify(await separators(widget)) === '["Yesterday","Today"]', { what: 'Yesterday, then Today' });
      const order = await widget.transcript.locator('.imw-day, .imw-line__text').allTextContents();
      assert.ok(order.indexOf('Today') > order.indexOf('Anything else?') && order.indexOf('Today') < order.indexOf('Good morning'), `Today sits before the new line: ${order}`);
      await saveScreenshot(widget.chat('3003'), 'transcript-days');

      // Three days on, the older days are dates in the widget's language (Intl).
      await page.evaluate((ms) => sessionStorage.setItem('test:clock-offset-ms', String(ms)), 3 * DAY);
      await page.reload();
      await widget.connection('Connected').waitFor();
      await widget.openSession('3003');
      await widget.transcript.getByText('Good morning').waitFor();
      const [first, second] = await separators(widget);
      // Date.now is three days on here; the lines were written three and two days "ago".
      const expected = await page.evaluate(() => {
        const format = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
        return [format.format(Date.now() - 3 * 86_400_000), format.format(Date.now() - 2 * 86_400_000)];
      });
      assert.deepEqual([first, second], expected, 'the days as dates');
      assert.ok(!['Today', 'Yesterday'].includes(first));
    },
    {
      hostAttributes: 'data-retention-hours="100" data-locale="en"',
      initScripts: [
        () => {
          const now = Date.now.bind(Date);
          Date.now = () => now() + Number(sessionStorage.getItem('test:clock-offset-ms') ?? 0);
        },
      ],
    },
  );
});

test('rows show initials from the directory name, else the number; reduced motion stops the panel chevron', { timeout: 90_000 }, async () => {
  await withWidget(
    async ({ sim, page, widget }) => {
      await ring(sim, '3003');
      await ring(sim, '3004');
      await widget.row('3004').waitFor();
      const avatars = await widget.sessionList.locator('.imw-session__avatar').evaluateAll((all) =>
        all.map((a) => [a.textContent.trim(), a.getAttribute('aria-hidden')]),
      );
      assert.deepEqual(avatars.map(([text]) => text).sort(), ['04', 'DW'], `initials: ${JSON.stringify(avatars)}`);
      assert.ok(avatars.every(([, hidden]) => hidden === 'true'), 'decorative: the row says who it is');
      await widget.row('3003').filter({ hasText: 'Dana Whitfield' }).waitFor();
      // Compact: two rows fit in less than 64 px each.
      const heights = await widget.sessionRows.evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
      assert.ok(heights.every((h) => h > 30 && h < 64), `compact rows: ${heights}`);

      await widget.openSession('3003');
      const chevron = widget.caseData.locator('.imw-case__toggle svg');
      const duration = () => chevron.evaluate((svg) => getComputedStyle(svg).transitionDuration);
      assert.equal(await duration(), '0.15s', 'the chevron turns in 150 ms normally');
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await eventually(async () => (await duration()) === '0s', { what: 'no motion under prefers-reduced-motion' });
    },
    { hostAttributes: `data-directory='{"3003":"Dana Whitfield"}'` },
  );
});

for (const theme of ['light', 'dark']) {
  for (const [size, viewport] of [
    ['wide', { width: 1100, height: 720 }],
    ['320', { width: 320, height: 640 }],
  ]) {
    test(`screenshot: the chat, ${theme}, ${size}`, { timeout: 90_000 }, async () => {
      await withWidget(
        async ({ sim, page, widget }) => {
          const { id } = await ring(sim, '3003', { userData: { caseId: 'CS-42' } });
          await ring(sim, '3005');
          await widget.openSession('3003');
          await theyWrite(sim, id, 'Can you take a look at case 42? https://crm.example/cases/42');
          await theyWrite(sim, id, 'It is the Globex one.');
          await widget.transcript.getByText('It is the Globex one.').waitFor();
          await widget.send('On it, give me a minute.');
          await widget.transcript.getByText('Sent', { exact: true }).waitFor();
          assert.deepEqual(await axeViolations(page), [], `axe: no violation (${theme}, ${size})`);
          await saveScreenshot(page, `surface-${theme}-${size}`);
        },
        {
          hostAttributes: `data-theme="${theme}" data-directory='{"3003":"Dana Whitfield","3005":"Sam Ortega"}'`,
          contextOptions: { viewport },
        },
      );
    });
  }
}
