// Storage refused (issue 13, item 7): localStorage full (setItem throws QuotaExceededError), or access
// to it refused (reading window.localStorage throws SecurityError, as in some private modes or under
// a policy), from the start or only after a while. The widget works from memory — list, chat, send,
// receive — tells the agent once, in plain words, that transcripts will not survive a reload, and
// never panics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSimulator } from '../lib/server.mjs';
import { launchBrowser, newPage } from '../lib/browser.mjs';
import { WidgetPage, eventually } from '../lib/widget-page.mjs';
import { ring, theyWrite, addHostAttributes } from '../lib/harness.mjs';

const NOTICE = 'This browser is not keeping your transcripts: they will be gone after a reload.';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Reading `window.localStorage` throws, as a blocked or private-mode browser does. */
function refuseStorageAccess() {
  window.__imwStorageRefusals = 0;
  Object.defineProperty(window, 'localStorage', {
    configurable: true,
    get() {
      window.__imwStorageRefusals += 1;
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
  });
}

/** `setItem` throws QuotaExceededError while `window.__imwQuotaFull` is true (from the start unless the page says otherwise). */
function fillQuota() {
  if (window.__imwQuotaFull === undefined) window.__imwQuotaFull = true;
  window.__imwQuotaRefusals = 0;
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (window.__imwQuotaFull) {
      window.__imwQuotaRefusals += 1;
      throw new DOMException(`Setting the value of '${key}' exceeded the quota.`, 'QuotaExceededError');
    }
    return setItem.call(this, key, value);
  };
}

/** Runs `body` on a connected widget whose page ran `initScript` first; then the shared checks. */
async function withStorage(initScript, body, { quotaLater = false, hostAttributes = '' } = {}) {
  const sim = await startTestSimulator();
  const page = await newPage(browser);
  try {
    if (quotaLater) await page.addInitScript(() => (window.__imwQuotaFull = false));
    await page.addInitScript(initScript);
    if (hostAttributes) await addHostAttributes(page, hostAttributes);
    // The page object's names are English; a German widget is judged by its own words.
    const widget = hostAttributes ? (await page.goto(sim.url), null) : await new WidgetPage(page).openConnected(sim.url);
    await body({ sim, page, widget });
    assert.equal(await page.locator('[data-imw-crashed]').count(), 0, 'the panic hook never fired');
    assert.deepEqual(page.problems, [], 'no console or page error');
  } finally {
    await page.context().close();
    await sim.stop();
  }
}

const notice = (widget) => widget.region.getByRole('alert').filter({ hasText: NOTICE });
const incoming = (widget, text) => widget.transcript.locator('.imw-line--incoming').filter({ hasText: text });
const outgoing = (widget, text) => widget.transcript.locator('.imw-line--outgoing').filter({ hasText: text });

/** The agent's work, from memory: a session rings in, they write, the agent answers (Sent once). */
async function journey(sim, widget, number, tag) {
  const { id } = await ring(sim, number);
  await widget.row(number).waitFor();
  await widget.openSession(number);
  await theyWrite(sim, id, `Hello (${tag})`);
  await incoming(widget, `Hello (${tag})`).waitFor();
  await widget.send(`Answer (${tag})`);
  await outgoing(widget, `Answer (${tag})`).filter({ hasText: 'Sent' }).waitFor();
  const state = await sim.control('GET', '/state');
  const session = state.sessions.find((s) => s.id === id);
  assert.equal(session.transcript.filter((m) => m.text === `Answer (${tag})`).length, 1, 'the server has the answer once');
  assert.equal(await incoming(widget, `Hello (${tag})`).count(), 1, 'their line once');
  assert.equal(await outgoing(widget, `Answer (${tag})`).count(), 1, 'the answer once');
  return id;
}

/** The notice shows exactly once now and after a few more storage ticks; dismissed, it stays away. */
async function toldOnce(sim, page, widget, id) {
  await notice(widget).waitFor();
  assert.equal(await notice(widget).count(), 1, 'one notice');
  // Every second the widget tries to save again (and storage refuses again).
  await theyWrite(sim, id, 'More news');
  await incoming(widget, 'More news').waitFor();
  await page.waitForTimeout(2_500);
  assert.equal(await notice(widget).count(), 1, 'still one notice after more refused saves');
  await notice(widget).getByRole('button', { name: 'Dismiss message' }).click();
  await notice(widget).waitFor({ state: 'detached' });
  await theyWrite(sim, id, 'Even more news');
  await incoming(widget, 'Even more news').waitFor();
  await page.waitForTimeout(2_500);
  assert.equal(await notice(widget).count(), 0, 'not told again');
}

test('storage access refused (SecurityError): the widget works from memory and says once that transcripts will not survive a reload', { timeout: 60_000 }, async () => {
  await withStorage(refuseStorageAccess, async ({ sim, page, widget }) => {
    assert.ok((await page.evaluate(() => window.__imwStorageRefusals)) > 0, 'the widget met the refusal');
    const id = await journey(sim, widget, '4101', 'refused');
    await toldOnce(sim, page, widget, id);
  });
});

test('storage full from the start (QuotaExceededError): the widget works from memory and says so once', { timeout: 60_000 }, async () => {
  await withStorage(fillQuota, async ({ sim, page, widget }) => {
    const id = await journey(sim, widget, '4201', 'full');
    await eventually(() => page.evaluate(() => window.__imwQuotaRefusals > 0), { what: 'a refused write' });
    await toldOnce(sim, page, widget, id);
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('imw:')));
    assert.deepEqual(kept, [], 'nothing was kept');
  });
});

test('storage that fills up after a while: kept until then, then told once, and the widget carries on', { timeout: 60_000 }, async () => {
  await withStorage(
    fillQuota,
    async ({ sim, page, widget }) => {
      const id = await journey(sim, widget, '4301', 'kept');
      await eventually(
        () => page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('imw:') && (localStorage.getItem(k) ?? '').includes('Answer (kept)'))),
        { what: 'the transcript to be kept while storage has room' },
      );
      assert.equal(await notice(widget).count(), 0, 'no notice while storage works');

      await page.evaluate(() => (window.__imwQuotaFull = true));
      await theyWrite(sim, id, 'Once the quota is full');
      await incoming(widget, 'Once the quota is full').waitFor();
      await widget.send('Still answering');
      await outgoing(widget, 'Still answering').filter({ hasText: 'Sent' }).waitFor();
      await eventually(() => page.evaluate(() => window.__imwQuotaRefusals > 0), { what: 'a refused write' });
      await toldOnce(sim, page, widget, id);
      await journey(sim, widget, '4302', 'after');
    },
    { quotaLater: true },
  );
});

test('in German the notice is German, once', { timeout: 60_000 }, async () => {
  const german = 'Dieser Browser speichert Ihre Verläufe nicht: Nach dem Neuladen der Seite sind sie weg.';
  await withStorage(
    refuseStorageAccess,
    async ({ page }) => {
      const alert = page.getByRole('alert').filter({ hasText: german });
      await alert.waitFor();
      await page.waitForTimeout(2_500);
      assert.equal(await alert.count(), 1, 'one German notice');
      assert.equal(await page.getByText(NOTICE).count(), 0, 'no English words');
    },
    { hostAttributes: 'data-locale="de"' },
  );
});
