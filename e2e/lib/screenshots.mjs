// Saves screenshots of the real page into docs/screenshots/, where the README links them.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const screenshotDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');

/** @param {import('playwright-core').Page | import('playwright-core').Locator} target */
export async function saveScreenshot(target, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await target.screenshot({ path });
  return path;
}
