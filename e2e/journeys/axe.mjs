// axe-core (WCAG 2.1 A/AA) injected into the page as it is, on the list and on an open chat.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { withWidget, ring, theyWrite } from './widget.mjs';

const axeSource = createRequire(import.meta.url)('axe-core').source;

async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const results = await window.axe.run(document.querySelector('.imw'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return {
      rules: results.passes.length + results.violations.length,
      violations: results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    };
  });
}

export default {
  name: 'axe: no WCAG 2.1 A/AA violation on the list and on the chat',
  timeoutMs: 90_000,
  async run(browser) {
    await withWidget(browser, async ({ sim, page, widget }) => {
      const { id } = await ring(sim, '3003');
      await ring(sim, '3004');
      await theyWrite(sim, id, 'Can you take a look at case 42?');
      await widget.row('3004').waitVisible();
      await widget.row('3003').withText('1 unread').waitVisible();
      const list = await violations(page);
      assert.ok(list.rules > 10, `axe ran its rules (${list.rules})`);
      assert.deepEqual(list.violations, [], 'axe: no violation on the list');

      await widget.openSession('3003');
      await widget.send('On it');
      await widget.lines('outgoing', 'On it').withText('Sent').waitVisible();
      await widget.caseData.waitVisible();
      const chat = await violations(page);
      assert.deepEqual(chat.violations, [], 'axe: no violation on the chat');
    });
  },
};
