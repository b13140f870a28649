// Driver: puppeteer-core + Debian's Firefox ESR over WebDriver BiDi, behind the journeys' interface.
// Roles and names come from Firefox's own accessibility tree (`::-p-aria`), text from `::-p-text`.
import puppeteer from 'puppeteer-core';

export const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const DEFAULT_TIMEOUT_MS = 10_000;
const POLL_MS = 50;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const normalized = (text) => (text ?? '').replace(/\s+/g, ' ').trim();

function quoted(value) {
  if (/["\\]/.test(value)) throw new Error(`the Firefox driver cannot look for ${JSON.stringify(value)} (quote or backslash)`);
  return `"${value}"`;
}

/** A query: a selector found inside the parent's elements, then filtered by text; found afresh each time. */
class Target {
  constructor(page, parent, selector, filter = null, what = selector) {
    this.page = page;
    this.parent = parent;
    this.selector = selector;
    this.filter = filter;
    this.what = what;
  }

  child(selector, what) {
    return new Target(this.page, this, selector, null, `${this.what} » ${what}`);
  }

  role(role, name) {
    const selector = name === undefined ? `::-p-aria([role=${quoted(role)}])` : `::-p-aria([name=${quoted(name)}][role=${quoted(role)}])`;
    return this.child(selector, `${role} ${JSON.stringify(name ?? '')}`);
  }

  text(text) {
    return this.child(`::-p-text(${quoted(text)})`, `text ${JSON.stringify(text)}`);
  }

  css(selector) {
    return this.child(selector, selector);
  }

  withText(text) {
    return new Target(this.page, this.parent, this.selector, { text, exact: false }, `${this.what} with ${JSON.stringify(text)}`);
  }

  withExactText(text) {
    return new Target(this.page, this.parent, this.selector, { text, exact: true }, `${this.what} = ${JSON.stringify(text)}`);
  }

  /** @returns {Promise<import('puppeteer-core').ElementHandle[]>} */
  async elements() {
    const roots = this.parent ? await this.parent.elements() : [this.page];
    const found = [];
    for (const root of roots) found.push(...(await root.$$(this.selector)));
    if (!this.filter) return found;
    const kept = [];
    for (const element of found) {
      const text = normalized(await element.evaluate((e) => e.textContent));
      const want = normalized(this.filter.text);
      if (this.filter.exact ? text === want : text.includes(want)) kept.push(element);
    }
    return kept;
  }

  async firstVisible() {
    for (const element of await this.elements()) if (await element.isVisible()) return element;
    return null;
  }

  async waitVisible({ timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const element = await this.firstVisible().catch(() => null);
      if (element) return element;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${this.what} to be visible`);
      await sleep(POLL_MS);
    }
  }

  async waitHidden({ timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const element = await this.firstVisible().catch(() => 'unknown');
      if (element === null) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${this.what} to be hidden`);
      await sleep(POLL_MS);
    }
  }

  /** Retries `action` on the first visible element until it succeeds (a re-render may detach it). */
  async act(action) {
    const deadline = Date.now() + DEFAULT_TIMEOUT_MS;
    for (;;) {
      try {
        return await action(await this.waitVisible());
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(POLL_MS);
      }
    }
  }

  click() {
    return this.act((element) => element.click());
  }

  fill(value) {
    return this.act(async (element) => {
      await element.evaluate((e) => {
        e.focus();
        e.select?.();
      });
      if (normalized(await element.evaluate((e) => e.value)) !== '') await this.page.keyboard.press('Backspace');
      if (value !== '') await element.type(value);
    });
  }

  press(key) {
    return this.act((element) => element.press(key));
  }

  async count() {
    return (await this.elements()).length;
  }

  async textContent() {
    const [element] = await this.elements();
    if (!element) throw new Error(`no ${this.what}`);
    return element.evaluate((e) => e.textContent);
  }

  inputValue() {
    return this.act((element) => element.evaluate((e) => e.value));
  }

  attribute(name) {
    return this.act((element) => element.evaluate((e, n) => e.getAttribute(n), name));
  }

  screenshot(path) {
    return this.act((element) => element.screenshot({ path }));
  }
}

class Page extends Target {
  /** @param {import('puppeteer-core').Page} page */
  constructor(page) {
    super(page, null, ':root', null, 'page');
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

  async elements() {
    return [await this.raw.$(':root')].filter(Boolean);
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
    return this.raw.evaluateOnNewDocument(fn, arg);
  }

  screenshot(path) {
    return this.raw.screenshot({ path });
  }

  close() {
    return this.raw.close();
  }
}

export const firefox = {
  name: 'firefox',
  async launch() {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: firefoxPath,
      headless: true,
      // Keep Firefox off the network: no updates, telemetry or remote settings from 127.0.0.1 tests.
      extraPrefsFirefox: {
        'app.update.enabled': false,
        'browser.safebrowsing.malware.enabled': false,
        'browser.safebrowsing.phishing.enabled': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'network.captive-portal-service.enabled': false,
        'network.connectivity-service.enabled': false,
      },
    });
    return {
      name: 'firefox',
      version: await browser.version(),
      async newContext() {
        const context = await browser.createBrowserContext();
        return {
          async newPage() {
            const page = await context.newPage();
            await page.setViewport({ width: 1024, height: 720 });
            return new Page(page);
          },
          close: () => context.close(),
        };
      },
      close: () => browser.close(),
    };
  },
};
