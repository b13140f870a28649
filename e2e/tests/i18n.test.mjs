// The widget in the agent's language: Arabic mirrored right-to-left with numbers kept left-to-right,
// German from the host's data-locale or from the browser's language, and times and counts written
// by the browser's Intl for that language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage } from '../lib/browser.mjs';
import { startTestSimulator } from '../lib/server.mjs';
import { eventually } from '../lib/widget-page.mjs';
import { addHostAttributes, ring, theyWrite, assertNoProblems } from '../lib/harness.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';
import { axeViolations } from '../lib/axe.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/**
 * Runs `body` on a widget page in another language (the shared page object knows English names).
 * `hostAttributes` go on the host element; `contextOptions` (e.g. `{ locale }`) make the browser's.
 */
async function withLocale(body, { hostAttributes = '', contextOptions = {}, connected, beforeOpen }) {
  const sim = await startTestSimulator();
  const page = await newPage(browser, contextOptions);
  try {
    if (hostAttributes) await addHostAttributes(page, hostAttributes);
    if (beforeOpen) await beforeOpen(sim);
    await page.goto(sim.url);
    const root = page.locator('section.imw');
    await root.waitFor();
    await root.getByRole('status').filter({ hasText: new RegExp(`^${connected}$`) }).waitFor();
    await body({ sim, page, root });
    assert.equal(await page.locator('[data-imw-crashed]').count(), 0, 'the panic hook never fired');
    assertNoProblems(page);
  } finally {
    await page.context().close();
    await sim.stop();
  }
}

/** What the page's own Intl writes for hours and minutes of `at` and the minute before it. */
const timesNear = (page, tag, at) =>
  page.evaluate(
    ([tag, at]) => {
      const format = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit' });
      return [format.format(at), format.format(at - 60_000)];
    },
    [tag, at],
  );

const numberIn = (page, tag, n) => page.evaluate(([tag, n]) => new Intl.NumberFormat(tag).format(n), [tag, n]);

test('Arabic: the layout mirrors, texts are Arabic, numbers stay left-to-right, times use Intl\'s Arabic digits', { timeout: 90_000 }, async () => {
  const ids = {};
  await withLocale(
    async ({ sim, page, root }) => {
      assert.equal(await root.getAttribute('dir'), 'rtl');
      assert.equal(await root.getAttribute('lang'), 'ar');
      assert.equal(await page.locator('html').getAttribute('dir'), null, 'the host page keeps its own direction');
      const region = page.getByRole('region', { name: 'جلسات المراسلة' });
      await region.getByRole('heading', { name: 'جلسات المراسلة' }).waitFor();
      await region.getByRole('button', { name: 'مراسلة جديدة', exact: true }).waitFor();

      const list = region.getByRole('list', { name: 'الجلسات' });
      const row = list.getByRole('button', { name: /3002/ });
      await row.waitFor();
      assert.match(await row.textContent(), /يرن/, 'the state in Arabic');
      const sentAt = Date.now();
      await theyWrite(sim, ids['3002'], 'مرحبا، هل يمكنك المساعدة؟');
      const badge = `غير مقروءة: ${await numberIn(page, 'ar', 1)}`;
      await row.filter({ hasText: badge }).waitFor();

      await row.click();
      const chat = region.getByRole('region', { name: 'محادثة مع 3002' });
      await chat.waitFor();
      const log = chat.getByRole('log', { name: 'الرسائل' });
      await log.getByText('مرحبا، هل يمكنك المساعدة؟').waitFor();
      await log.getByText(/يريد المحادثة/).waitFor();

      const listBox = await root.locator('.imw__list-pane').boundingBox();
      const chatBox = await root.locator('.imw__chat-pane').boundingBox();
      assert.ok(listBox && chatBox, 'both panes are laid out');
      assert.ok(listBox.x > chatBox.x, `the list is to the right of the chat (list x ${listBox.x}, chat x ${chatBox.x})`);

      const number = chat.locator('.imw-chat__title .imw-number');
      assert.equal((await number.textContent()).trim(), '3002', 'the digits read in order');
      assert.equal(await number.evaluate((el) => getComputedStyle(el).direction), 'ltr');
      const rowNumber = row.locator('.imw-session__number');
      assert.equal(await rowNumber.evaluate((el) => getComputedStyle(el).direction), 'ltr');

      const time = (await log.locator('.imw-line--incoming time').first().textContent()).trim();
      const expected = await timesNear(page, 'ar', Date.now());
      assert.ok(expected.includes(time), `the message time ${JSON.stringify(time)} is Intl's Arabic (${expected})`);
      const arabicDigits = /[٠-٩]/.test(expected[0]);
      assert.equal(/[٠-٩]/.test(time), arabicDigits, 'Arabic-Indic digits exactly when Intl writes them');
      assert.ok(Date.now() - sentAt < 60_000);

      await chat.getByRole('button', { name: 'إنهاء الجلسة', exact: true }).waitFor();
      await region.getByRole('textbox', { name: 'الرسالة' }).waitFor();
      await theyWrite(sim, ids['3003'], 'أحتاج إلى مشرف');
      const second = list.getByRole('button', { name: /1234567/ });
      await second.filter({ hasText: badge }).waitFor();
      assert.equal((await second.locator('.imw-session__number').textContent()).trim(), '+49 30 1234567', 'an E.164 number reads in order');
      assert.deepEqual(await axeViolations(page), [], 'axe: no violation in Arabic');
      await saveScreenshot(region, 'arabic');
    },
    {
      hostAttributes: 'data-locale="ar"',
      connected: 'متصل',
      beforeOpen: async (sim) => {
        ids['3002'] = (await ring(sim, '3002')).id;
        ids['3003'] = (await ring(sim, '+49 30 1234567')).id;
      },
    },
  );
});

/** German wording, German time format, and one/other plural forms for the unread badge. */
async function checkGerman({ sim, page, root }, id) {
  assert.equal(await root.getAttribute('lang'), 'de');
  assert.equal(await root.getAttribute('dir'), 'ltr');
  const region = page.getByRole('region', { name: 'IM-Sitzungen' });
  await region.getByRole('heading', { name: 'IM-Sitzungen' }).waitFor();
  await region.getByRole('button', { name: 'Neue IM', exact: true }).waitFor();
  const row = region.getByRole('list', { name: 'Sitzungen' }).getByRole('button', { name: /3002/ });
  await row.filter({ hasText: 'Klingelt' }).waitFor();
  await theyWrite(sim, id, 'Hallo, können Sie helfen?');
  await row.filter({ hasText: '1 neue Nachricht' }).waitFor();
  await theyWrite(sim, id, 'Es ist dringend.');
  await row.filter({ hasText: '2 neue Nachrichten' }).waitFor();
  await row.click();
  const chat = region.getByRole('region', { name: 'Chat mit 3002' });
  const log = chat.getByRole('log', { name: 'Nachrichten' });
  await log.getByText('Es ist dringend.').waitFor();
  await log.getByText('3002 möchte chatten').waitFor();
  const time = (await log.locator('.imw-line--incoming time').first().textContent()).trim();
  const expected = await timesNear(page, 'de', Date.now());
  assert.ok(expected.includes(time), `the message time ${JSON.stringify(time)} is Intl's German (${expected})`);
  await chat.getByRole('button', { name: 'Sitzung beenden', exact: true }).waitFor();
}

test('German from data-locale: German texts, plural forms and time format', { timeout: 90_000 }, async () => {
  const ids = {};
  await withLocale(
    async (world) => {
      await checkGerman(world, ids['3002']);
      await eventually(async () => (await world.page.locator('.imw-wait').count()) > 0, { what: 'the waiting timer' });
      await saveScreenshot(world.page.getByRole('region', { name: 'IM-Sitzungen' }), 'german');
    },
    {
      hostAttributes: 'data-locale="de"',
      connected: 'Verbunden',
      beforeOpen: async (sim) => {
        ids['3002'] = (await ring(sim, '3002')).id;
      },
    },
  );
});

test('without data-locale the browser\'s language chooses: de-DE gives German', { timeout: 90_000 }, async () => {
  const ids = {};
  await withLocale(
    async (world) => {
      assert.deepEqual(await world.page.evaluate(() => navigator.languages), ['de-DE']);
      await checkGerman(world, ids['3002']);
    },
    {
      contextOptions: { locale: 'de-DE' },
      connected: 'Verbunden',
      beforeOpen: async (sim) => {
        ids['3002'] = (await ring(sim, '3002')).id;
      },
    },
  );
});

test('a regional Arabic tag (ar-EG) formats with its own digits: Intl\'s Arabic-Indic ones', { timeout: 90_000 }, async () => {
  const ids = {};
  await withLocale(
    async ({ sim, page, root }) => {
      assert.equal(await root.getAttribute('lang'), 'ar');
      const region = page.getByRole('region', { name: 'جلسات المراسلة' });
      const row = region.getByRole('list', { name: 'الجلسات' }).getByRole('button', { name: /3002/ });
      await theyWrite(sim, ids['3002'], 'سؤال سريع');
      const one = await numberIn(page, 'ar-EG', 1);
      assert.equal(one, '١', 'this browser\'s Intl writes Arabic-Indic digits for ar-EG');
      await row.filter({ hasText: `غير مقروءة: ${one}` }).waitFor();
      await row.click();
      const log = region.getByRole('region', { name: 'محادثة مع 3002' }).getByRole('log', { name: 'الرسائل' });
      await log.getByText('سؤال سريع').waitFor();
      const time = (await log.locator('.imw-line--incoming time').first().textContent()).trim();
      const expected = await timesNear(page, 'ar-EG', Date.now());
      assert.ok(expected.includes(time), `the message time ${JSON.stringify(time)} is Intl's ar-EG (${expected})`);
      assert.match(time, /[٠-٩]/, 'Arabic-Indic digits in the time');
      assert.equal((await row.locator('.imw-session__number').textContent()).trim(), '3002', 'the phone number keeps its digits');
    },
    {
      hostAttributes: 'data-locale="ar-EG"',
      connected: 'متصل',
      beforeOpen: async (sim) => {
        ids['3002'] = (await ring(sim, '3002')).id;
      },
    },
  );
});

test('a data-locale Intl rejects still gives Arabic, with the language\'s own formats and no crash', { timeout: 90_000 }, async () => {
  const ids = {};
  await withLocale(
    async ({ sim, page, root }) => {
      assert.equal(await root.getAttribute('lang'), 'ar');
      assert.equal(await page.evaluate(() => { try { new Intl.DateTimeFormat('ar-a'); return 'accepted'; } catch (e) { return e.name; } }), 'RangeError');
      const region = page.getByRole('region', { name: 'جلسات المراسلة' });
      const row = region.getByRole('list', { name: 'الجلسات' }).getByRole('button', { name: /3002/ });
      await theyWrite(sim, ids['3002'], 'مرحبا');
      await row.click();
      const log = region.getByRole('region', { name: 'محادثة مع 3002' }).getByRole('log', { name: 'الرسائل' });
      await log.getByText('مرحبا', { exact: true }).waitFor();
      const time = (await log.locator('.imw-line--incoming time').first().textContent()).trim();
      assert.ok((await timesNear(page, 'ar', Date.now())).includes(time), `the time ${JSON.stringify(time)} in plain Arabic format`);
    },
    {
      hostAttributes: 'data-locale="ar-a"',
      connected: 'متصل',
      beforeOpen: async (sim) => {
        ids['3002'] = (await ring(sim, '3002')).id;
      },
    },
  );
});
