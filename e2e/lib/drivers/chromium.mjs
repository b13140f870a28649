// Driver: playwright-core + Debian's Chromium (the flags of lib/browser.mjs), behind the journeys' interface.
import { launchBrowser } from '../browser.mjs';

const DEFAULT_TIMEOUT_MS = 10_000;
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A query over Playwright locators. */
class Target {
  /** @param {import('playwright-core').Locator} locator */
  constructor(locator) {
    this.locator = locator;
  }

  role(role, name) {
    return new Target(this.locator.getByRole(role, name === undefined ? {} : { name, exact: true }));
  }

  text(text) {
    return new Target(this.locator.getByText(new RegExp(escapeRegExp(text))));
  }

  css(selector) {
    return new Target(this.locator.locator(selector));
  }

  withText(text) {
    return new Target(this.locator.filter({ hasText: new RegExp(escapeRegExp(text)) }));
  }

  withExactText(text) {
    return new Target(this.locator.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) }));
  }

  click() {
    return this.locator.first().click();
  }

  fill(value) {
    return this.locator.first().fill(value);
  }

  press(key) {
    return this.locator.first().press(key);
  }

  waitVisible({ timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    return this.locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  async waitHidden({ timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    await this.locator.first().waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  count() {
    return this.locator.count();
  }

  textContent() {
    return this.locator.first().textContent();
  }

  inputValue() {
    return this.locator.first().inputValue();
  }

  attribute(name) {
    return this.locator.first().getAttribute(name);
  }

  screenshot(path) {
    return this.locator.first().screenshot({ path });
  }
}

class Page extends Target {
  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    super(page.locator(':root'));
    this.raw = page;
    this.problems = [];
    this.console = [];
    page.on('console', (message) => {
      this.console.push({ type: message.type(), text: message.text() });
      if (message.type() === 'error') this.problems.push(`console.error: ${message.text()} (${message.location()?.url ?? 'no location'})`);
    });
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    page.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
  }

  async goto(url) {
    await this.raw.goto(url);
  }

  async reload() {
    await this.raw.reload();
  }

  evaluate(fn, arg) {
    return this.raw.evaluate(fn, arg);
  }

  addInitScript(fn, arg) {
    return this.raw.addInitScript(fn, arg);
  }

  screenshot(path) {
    return this.raw.screenshot({ path });
  }

  close() {
    return this.raw.close();
  }
}

export const chromium = {
  name: 'chromium',
  async launch() {
    const browser = await launchBrowser();
    return {
      name: 'chromium',
      version: browser.version(),
      async newContext() {
        const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
        return {
          newPage: async () => new Page(await context.newPage()),
          close: () => context.close(),
        };
      },
      close: () => browser.close(),
    };
  },
};
