// An ended session (issue 16, item 3): once Completed, the composer and every case-data control give
// way to a bar — "Ended at 08:15" with Copy transcript and Dismiss; nothing editable that cannot be
// sent, and End session is no longer offered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserTests, ring, theyWrite } from '../lib/harness.mjs';
import { axeViolations } from '../lib/axe.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';

const withWidget = browserTests();

test('a completed session shows when it ended, Copy transcript and Dismiss, and nothing to edit', { timeout: 90_000 }, async () => {
  await withWidget(
    async ({ sim, page, widget }) => {
      const { id } = await ring(sim, '3002');
      await widget.openSession('3002');
      await theyWrite(sim, id, 'Thanks, that was all');
      await widget.send('You are welcome');
      await sim.control('POST', `/sessions/${id}/user-data`, { userData: { caseId: 'C-42' } });
      const chat = widget.chat('3002');
      await widget.caseData.getByRole('definition').filter({ hasText: 'C-42' }).waitFor();
      await widget.editCaseData();
      await widget.caseData.getByRole('textbox').first().waitFor();
      // Live: the composer, the case-data controls and End session are there.
      assert.equal(await chat.getByRole('textbox', { name: 'Message' }).count(), 1);
      assert.equal(await chat.getByRole('button', { name: 'End session' }).count(), 1);

      await sim.control('POST', `/sessions/${id}/complete`);
      const bar = chat.getByRole('group', { name: 'Session over' });
      await bar.waitFor();
      const ended = (await page.evaluate((id) => window.GwsImWidget.transcript(document.querySelector('[data-gws-im-widget]'), id), id)).find(
        (l) => l.who === 'event' && l.text === 'Session ended',
      );
      assert.ok(ended, 'the end is in the transcript');
      assert.equal((await bar.getByRole('paragraph').or(bar.locator('p')).first().textContent()).trim(), `Ended at ${ended.time}`);
      // Nothing editable that could not be sent, and no End session.
      assert.equal(await chat.getByRole('textbox').count(), 0, 'no textbox anywhere in the chat');
      for (const name of ['End session', 'Send', 'Canned responses', 'Add']) {
        assert.equal(await chat.getByRole('button', { name, exact: true }).count(), 0, `no ${name}`);
      }
      // Of the case data only the panel's toggle stays (no pencil, no Done, no Save or Remove).
      assert.deepEqual(
        await widget.caseData.getByRole('button').evaluateAll((buttons) => buttons.map((b) => b.textContent.trim())),
        ['Case data · 1'],
        'no case-data button but the toggle',
      );
      // The case data stays readable, key and value.
      assert.equal(await widget.caseData.getByRole('term').filter({ hasText: /^caseId$/ }).count(), 1);
      assert.equal(await widget.caseData.getByRole('definition').filter({ hasText: /^C-42$/ }).count(), 1);
      // The transcript stays readable too.
      await widget.transcript.getByText('Thanks, that was all', { exact: true }).waitFor();
      assert.deepEqual(await axeViolations(page), [], 'axe: no violation on the ended bar');
      await saveScreenshot(page, 'ended');

      // Copy transcript and Dismiss are the bar's.
      assert.deepEqual(
        await bar.getByRole('button').allTextContents(),
        ['Copy transcript', 'Dismiss'],
      );
      await bar.getByRole('button', { name: 'Copy transcript' }).click();
      await bar.getByRole('status').filter({ hasText: 'Transcript copied' }).waitFor();
      assert.match(await page.evaluate(() => navigator.clipboard.readText()), /You: You are welcome\n/);
      await bar.getByRole('button', { name: 'Dismiss' }).click();
      await widget.row('3002').waitFor({ state: 'detached' });
    },
    { contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] } },
  );
});
