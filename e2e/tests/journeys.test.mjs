// Every journey of e2e/journeys/ in every browser of e2e/lib/drivers/: Playwright + Debian's Chromium
// and puppeteer-core + Debian's Firefox ESR over WebDriver BiDi. Test names end in "[browser]".
import { describe, test, before, after } from 'node:test';
import { DRIVERS } from '../lib/drivers/index.mjs';
import core from '../journeys/core.mjs';
import tabs from '../journeys/tabs.mjs';
import csp from '../journeys/csp.mjs';
import outage from '../journeys/outage.mjs';
import axe from '../journeys/axe.mjs';
import privacy from '../journeys/privacy.mjs';

const JOURNEYS = [core, tabs, csp, outage, axe, ...privacy];

for (const driver of DRIVERS) {
  describe(driver.name, () => {
    let browser;
    before(async () => {
      browser = await driver.launch();
    });
    after(async () => {
      await browser?.close();
    });
    for (const journey of JOURNEYS.filter((j) => (j.browsers ?? ['chromium', 'firefox']).includes(driver.name))) {
      test(`${journey.name} [${driver.name}]`, { timeout: journey.timeoutMs }, () => journey.run(browser));
    }
  });
}
