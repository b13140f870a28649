// Transcripts to the host page (issue 16, item 6): `GwsImWidget.transcript(element, sessionId)` gives
// the session's lines as data — the same lines the agent sees, nothing missing, nothing extra — and
// "Copy transcript" puts them on the clipboard as plain text (times, who, text, gap markers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../lib/widget-page.mjs';
import { browserTests, ring, theyWrite } from '../lib/harness.mjs';

const withWidget = browserTests();

const transcriptOf = (page, id) =>
  page.evaluate((id) => window.GwsImWidget.transcript(document.querySelector('[data-gws-im-widget]'), id), id);

test('transcript() returns the lines the agent sees, and Copy transcript puts them on the clipboard', { timeout: 90_000 }, async () => {
  await withWidget(
    async ({ sim, page, widget }) => {
      const { id } = await ring(sim, '3002');
      await widget.openSession('3002');
      await theyWrite(sim, id, 'Can you take case 42?');
      await widget.transcript.getByText('Can you take case 42?', { exact: true }).waitFor();
      await widget.send('On it');
      await widget.transcript.getByText('On it', { exact: true }).waitFor();
      await sim.control('POST', `/sessions/${id}/complete`);
      await widget.transcript.getByText('Session ended').waitFor();

      const lines = await transcriptOf(page, id);
      assert.ok(Array.isArray(lines), `an array (${JSON.stringify(lines)})`);
      // The messages, in order, each once, with who wrote them.
      const messages = lines.filter((l) => l.who === 'agent' || l.who === 'party').map((l) => [l.who, l.text, l.party]);
      assert.deepEqual(messages, [
        ['party', 'Can you take case 42?', '3002'],
        ['agent', 'On it', null],
      ]);
      // Nothing extra, nothing missing: one entry per line the transcript shows, each shown.
      const shown = await widget.transcript.locator('.imw-line').count();
      assert.equal(lines.length, shown, `${lines.length} entries for ${shown} lines shown`);
      for (const line of lines.filter((l) => l.who === 'event')) {
        assert.equal(await widget.transcript.getByText(line.text, { exact: false }).count() > 0, true, `"${line.text}" is shown`);
      }
      assert.ok(lines.some((l) => l.who === 'event' && l.text === 'Session ended'), 'the end is in it');
      assert.ok(lines.every((l) => typeof l.at === 'number' && l.time.length > 0), 'each line has its moment and its time in words');
      assert.ok(lines.every((l, i) => i === 0 || l.at >= lines[i - 1].at), 'oldest first');
      assert.equal(lines.find((l) => l.who === 'agent').status, null, 'a delivered line has no status');

      // Unknown session, no widget, wrong arguments.
      assert.equal(await transcriptOf(page, 'no-such-session'), null);
      assert.equal(await page.evaluate(() => window.GwsImWidget.transcript(document.body, 'x')), null, 'no widget there');
      const thrown = await page.evaluate(() =>
        window.GwsImWidget.transcript('not an element', 'x').then(
          () => 'no error',
          (error) => `${error.name}: ${error.message}`,
        ),
      );
      assert.match(thrown, /^TypeError: gws-im-widget transcript\(element, sessionId\)/);

      // Copy transcript: the clipboard holds one plain-text line per entry.
      await widget.button('Copy transcript').click();
      await widget.region.getByRole('status').filter({ hasText: 'Transcript copied' }).waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      const expected = lines
        .map((l) => {
          if (l.who === 'agent') return `${l.time} You: ${l.text}`;
          if (l.who === 'party') return `${l.time} ${l.party}: ${l.text}`;
          return `${l.time} ${l.text}`;
        })
        .join('\n');
      assert.equal(copied, `${expected}\n`);
    },
    { contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] } },
  );
});

test('a gap in the live channel is in the transcript with its bounds, and undelivered lines say so', { timeout: 90_000 }, async () => {
  await withWidget(
    async ({ sim, page, widget }) => {
      const { id } = await ring(sim, '3003');
      await widget.openSession('3003');
      await theyWrite(sim, id, 'first');
      await widget.transcript.getByText('first', { exact: true }).waitFor();
      // The server forgets every CometD client: the widget marks a gap and handshakes again.
      await sim.control('POST', '/faults/unknown-client');
      await widget.transcript.locator('.imw-line--gap').first().waitFor({ timeout: 30_000 });
      // A send the server refuses (HTTP 503, statusCode 4): the line stays, failed.
      await sim.control('PUT', '/faults', { serverErrorsForMs: 20_000 });
      await widget.send('will fail');
      await widget.transcript.getByText('will fail', { exact: true }).waitFor();
      await eventually(async () => (await transcriptOf(page, id)).some((l) => l.who === 'agent' && l.status), { what: 'a status on the refused line' });
      await sim.control('DELETE', '/faults');

      const lines = await transcriptOf(page, id);
      const gaps = lines.filter((l) => l.who === 'gap');
      const shownGaps = widget.transcript.locator('.imw-line--gap');
      assert.equal(gaps.length, await shownGaps.count(), 'each gap shown is in the data, and no other');
      for (const [i, gap] of gaps.entries()) {
        assert.equal(String(Math.round(gap.at)), await shownGaps.nth(i).getAttribute('data-from'));
        assert.equal(String(Math.round(gap.until)), await shownGaps.nth(i).getAttribute('data-until'));
      }
      const failed = lines.find((l) => l.who === 'agent' && l.text === 'will fail');
      assert.ok(failed?.status, `the refused line says where it stands (${JSON.stringify(failed)})`);
      await widget.transcript.getByText(failed.status).first().waitFor();
    },
    { allowFailedLoads: true },
  );
});

test('http and https addresses in messages are links to a new tab; no other scheme ever is', { timeout: 60_000 }, async () => {
  await withWidget(async ({ sim, widget }) => {
    const { id } = await ring(sim, '3004');
    await widget.openSession('3004');
    const text =
      'Case at https://crm.example/case/42. Wiki: http://wiki.example/a_(b), ' +
      'not javascript:alert(1) nor data:text/html,<b>x</b> nor file:///etc/passwd';
    await theyWrite(sim, id, text);
    const line = widget.transcript.locator('.imw-line__text').filter({ hasText: 'Case at' });
    await line.waitFor();
    assert.equal(await line.textContent(), text, 'the text is shown whole, as written');
    const links = widget.transcript.getByRole('link');
    assert.deepEqual(
      await links.evaluateAll((all) => all.map((a) => [a.textContent, a.getAttribute('href'), a.target, a.rel])),
      [
        ['https://crm.example/case/42', 'https://crm.example/case/42', '_blank', 'noopener noreferrer'],
        ['http://wiki.example/a_(b)', 'http://wiki.example/a_(b)', '_blank', 'noopener noreferrer'],
      ],
      'exactly the two web addresses are links',
    );
    await widget.send('mine too: https://kb.example/x?y=1 and javascript:void(0)');
    await widget.transcript.getByRole('link', { name: 'https://kb.example/x?y=1' }).waitFor();
    assert.equal(await links.count(), 3, 'the agent\'s own line links its web address only');
    // A 300-character word wraps inside the line instead of widening the transcript.
    await theyWrite(sim, id, 'x'.repeat(300));
    const long = widget.transcript.locator('.imw-line__text').filter({ hasText: 'x'.repeat(300) });
    await long.waitFor();
    const fits = await widget.transcript.evaluate((log) => log.scrollWidth <= log.clientWidth);
    assert.ok(fits, 'no horizontal overflow');
  });
});

test('scrolled up, the agent is told how many messages arrived below, and one press shows them', { timeout: 90_000 }, async () => {
  await withWidget(async ({ sim, page, widget }) => {
    const { id } = await ring(sim, '3006');
    await widget.openSession('3006');
    for (let n = 1; n <= 30; n += 1) await theyWrite(sim, id, `line ${n}`);
    await widget.transcript.getByText('line 30', { exact: true }).waitFor();
    const below = () => widget.transcript.evaluate((log) => log.scrollHeight - log.scrollTop - log.clientHeight);
    await eventually(async () => (await below()) <= 24, { what: 'pinned to the newest line' });
    const jump = widget.region.getByRole('button', { name: /new message/ });
    // At the bottom, arrivals scroll into view and no button is offered.
    await theyWrite(sim, id, 'seen at once');
    await widget.transcript.getByText('seen at once', { exact: true }).waitFor();
    await page.waitForTimeout(300);
    assert.equal(await jump.count(), 0, 'no button while at the newest line');

    await widget.transcript.evaluate((log) => log.scrollTo({ top: 0 }));
    await eventually(async () => (await below()) > 24, { what: 'scrolled up' });
    for (const text of ['one', 'two', 'three']) await theyWrite(sim, id, text);
    await widget.transcript.getByText('three', { exact: true }).waitFor({ state: 'attached' });
    await widget.region.getByRole('button', { name: '3 new messages' }).waitFor();
    assert.ok((await below()) > 24, 'the agent is left where they were reading');
    await widget.region.getByRole('button', { name: '3 new messages' }).click();
    await eventually(async () => (await below()) <= 24, { what: 'taken to the newest line' });
    await jump.waitFor({ state: 'detached' });
    await theyWrite(sim, id, 'after');
    await widget.transcript.getByText('after', { exact: true }).waitFor();
    await eventually(async () => (await below()) <= 24, { what: 'pinned again' });
    assert.equal(await jump.count(), 0);
  });
});

test('a long transcript opens on its newest lines; reading up brings the earlier ones with no click, and the view stays put', { timeout: 120_000 }, async () => {
  await withWidget(async ({ sim, page, widget }) => {
    const { id } = await ring(sim, '3007');
    await widget.openSession('3007');
    const total = 150;
    for (let n = 1; n <= total; n += 1) await theyWrite(sim, id, `line ${n}`);
    await widget.transcript.getByText(`line ${total}`, { exact: true }).waitFor();
    const lines = () => widget.transcript.evaluate((log) => [...log.querySelectorAll('.imw-line__text')].map((e) => e.textContent));
    // The lines the agent can see: those inside the log's box.
    const inView = () =>
      widget.transcript.evaluate((log) => {
        const box = log.getBoundingClientRect();
        return [...log.querySelectorAll('.imw-line__text')]
          .filter((e) => {
            const r = e.getBoundingClientRect();
            return r.bottom > box.top && r.top < box.bottom;
          })
          .map((e) => e.textContent);
      });
    const opened = await lines();
    assert.ok(opened.includes(`line ${total}`) && !opened.includes('line 1'), `opened on the newest lines only: ${opened.length} shown`);
    await eventually(async () => (await inView()).includes(`line ${total}`), { what: 'the newest line in view' });

    // The agent reads up with the mouse wheel: earlier lines come without a click, and each time they
    // do, what the agent was reading is still in view (the log does not jump to the oldest line).
    await widget.transcript.hover();
    let extended = 0;
    for (let step = 0; step < 400 && !(await lines()).includes('line 1'); step += 1) {
      const before = await lines();
      const seen = await inView();
      await page.mouse.wheel(0, -250);
      await page.waitForTimeout(60);
      const after = await lines();
      if (after.length > before.length) {
        extended += 1;
        const still = await inView();
        assert.ok(seen.some((text) => still.includes(text)), `still in view after earlier lines came: ${seen} / ${still}`);
      }
    }
    assert.ok(extended >= 1, 'earlier lines came by reading up');
    assert.equal(await widget.transcript.getByRole('button', { name: 'Show earlier messages' }).count(), 0, 'nothing left to show');
    // Both ways: every line once, in order, and nothing else but the ring's own system line first.
    const all = await lines();
    assert.match(all[0], /3007 wants to talk$/);
    assert.deepEqual(all.slice(1), Array.from({ length: total }, (_, i) => `line ${i + 1}`));
  });
});
