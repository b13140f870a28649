// Runs axe-core (WCAG 2.1 A/AA rules) on the page and returns readable violations.
import { AxeBuilder } from '@axe-core/playwright';

/** @param {import('playwright-core').Page} page */
export async function axeViolations(page, { include = '.imw' } = {}) {
  const results = await new AxeBuilder({ page })
    .include(include)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}
