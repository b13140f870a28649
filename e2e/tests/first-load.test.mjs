// The first load: what the browser fetches before the first session row shows is exactly the first
// load the size report counts (imw-loader.js and what it fetches at start), the chat and dialog
// code comes after in its own module, fetched once; and when that module cannot be fetched, the
// agent reads so in place of the chat, and Try again brings it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { distDir } from '../lib/server.mjs';
import { browserTests, ring, theyWrite } from '../lib/harness.mjs';
import { eventually } from '../lib/widget-page.mjs';
import { firstLoadFiles } from '../../scripts/bundle.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';

const withWidget = browserTests();
let session;
const later = readdirSync(distDir).filter((f) => /^imw-later-.*\.wasm$/.test(f));

// Notes, when the first row appears, which of the page's files the browser had fetched by then.
const firstRowProbe = () => {
  new MutationObserver((_, observer) => {
    if (document.querySelector('[aria-label="Sessions"] li')) {
      window.__fetchedByFirstRow = performance
        .getEntriesByType('resource')
        .filter((entry) => entry.responseEnd <= performance.now())
        .map((entry) => new URL(entry.name).pathname.slice(1));
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true });
};

test('dist/ holds one later module besides the first load', () => {
  assert.equal(later.length, 1, `one imw-later-*.wasm in ${distDir}: ${later}`);
  assert.ok(!firstLoadFiles(distDir).includes(later[0]), 'the later module is not first load');
});

test('the first row shows on the first-load files alone; the chat code follows once, before any click', { timeout: 90_000 }, async () => {
  const fetched = [];
  await withWidget(
    async ({ sim, page, widget }) => {
      await widget.row('3002').waitFor();
      await theyWrite(sim, session, 'Can you take a transfer?');
      const byFirstRow = await eventually(() => page.evaluate(() => window.__fetchedByFirstRow), { what: 'the first row' });
      const bundle = new Set(readdirSync(distDir).filter((f) => /\.(wasm|js|css)$/.test(f)));
      // Both ways: nothing of the first load missing, nothing else of the bundle fetched by then.
      assert.deepEqual(byFirstRow.filter((f) => bundle.has(f)).sort(), firstLoadFiles(distDir).sort());
      // After the list, with no click: the later module arrives by itself (so the chat opens at once).
      await eventually(() => fetched.some((f) => f === later[0]), { what: 'the later module fetched after the first row' });
      const chat = await widget.openSession('3002');
      await chat.getByText('Can you take a transfer?').waitFor();
      await widget.button('New IM').click();
      await widget.newImDialog.waitFor();
      await page.keyboard.press('Escape');
      await widget.newImDialog.waitFor({ state: 'detached' });
      assert.equal(await widget.region.getByText('Loading…').count(), 0, 'no stand-in left');
    },
    {
      beforeOpen: async (sim) => {
        session = (await ring(sim, '3002')).id;
      },
      initScripts: [firstRowProbe],
      routes: [
        [
          '**/*',
          (route) => {
            fetched.push(new URL(route.request().url()).pathname.split('/').pop());
            return route.fallback();
          },
        ],
      ],
    },
  );
  assert.equal(fetched.filter((f) => f === later[0]).length, 1, 'the later module is fetched once');
});

test('the chat code cannot be fetched: the chat says so in words, and Try again brings it', { timeout: 90_000 }, async () => {
  let blocked = true;
  let refused = 0;
  await withWidget(
    async ({ sim, page, widget }) => {
      await theyWrite(sim, session, 'Can you take a transfer?');
      await widget.row('3002').click();
      const failed = widget.region.getByRole('alert').filter({ hasText: 'This part of the widget could not be loaded' });
      await failed.waitFor();
      assert.ok(refused >= 1, 'the fault fired: the later module was refused');
      assert.equal(await widget.chat('3002').count(), 0, 'no chat without its code');
      await saveScreenshot(widget.region, 'later-failed');
      // A dialog asked for meanwhile says so too, and can be closed.
      await widget.button('New IM').click();
      const inDialog = widget.region.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Close', exact: true }) });
      await inDialog.waitFor();
      await inDialog.getByRole('button', { name: 'Close', exact: true }).click();
      await inDialog.waitFor({ state: 'detached' });

      blocked = false;
      await failed.getByRole('button', { name: 'Try again', exact: true }).click();
      const chat = widget.chat('3002');
      await chat.waitFor();
      await chat.getByText('Can you take a transfer?').waitFor();
      assert.equal(await failed.count(), 0, 'the message is gone once the chat shows');
      await widget.send('Yes, send it over');
      await widget.transcript.getByText('Yes, send it over').waitFor();
      // The split loader reports each refused fetch on the console: those, and only those.
      const other = page.problems.filter((p) => !/Failed to load resource|Failed to fetch|NetworkError|imw-later/.test(p));
      assert.deepEqual(other, [], 'no other console error');
      page.problems.length = 0;
    },
    {
      beforeOpen: async (sim) => {
        session = (await ring(sim, '3002')).id;
      },
      allowFailedLoads: true,
      routes: [
        [
          /imw-later-[0-9a-f]+\.wasm$/,
          (route) => {
            if (!blocked) return route.fallback();
            refused += 1;
            return route.abort('connectionrefused');
          },
        ],
      ],
    },
  );
});
