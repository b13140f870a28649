// Embedding: the example agent desktop (examples/host-page) on a plain static server, with the
// widget at a sub-path, under the strict Content-Security-Policy; the host's events; unmount leaving
// nothing behind; two widgets on one page; a cross-origin API base with CORS and credentials.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, newPage } from '../lib/browser.mjs';
import { startTestSimulator, distDir } from '../lib/server.mjs';
import { startStaticServer, deskMounts, STRICT_CSP } from '../lib/static-server.mjs';
import { WidgetPage, eventually } from '../lib/widget-page.mjs';
import { ring, theyWrite, assertNoProblems } from '../lib/harness.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';
import { loaderFiles, staticImports } from '../../scripts/bundle.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The widget inside `host` (a locator), for pages with more than one. */
class HostedWidget extends WidgetPage {
  constructor(page, host) {
    super(page);
    this.host = host;
  }

  get region() {
    return this.host.getByRole('region', { name: 'IM sessions' });
  }
}

// Counts what the page keeps alive: intervals, pending timeouts, window/document listeners,
// open BroadcastChannels; and every CSP violation.
const instrument = () => {
  const live = { intervals: new Set(), timeouts: new Set(), listeners: 0, channels: new Set(), violations: [] };
  window.__live = live;
  const { setInterval, clearInterval, setTimeout, clearTimeout } = window;
  window.setInterval = (...args) => {
    const id = setInterval(...args);
    live.intervals.add(id);
    return id;
  };
  window.clearInterval = (id) => {
    live.intervals.delete(id);
    clearInterval(id);
  };
  window.setTimeout = (callback, ...rest) => {
    const id = setTimeout((...a) => {
      live.timeouts.delete(id);
      if (typeof callback === 'function') callback(...a);
    }, ...rest);
    live.timeouts.add(id);
    return id;
  };
  window.clearTimeout = (id) => {
    live.timeouts.delete(id);
    clearTimeout(id);
  };
  const { addEventListener, removeEventListener } = EventTarget.prototype;
  EventTarget.prototype.addEventListener = function (...args) {
    if (this === window || this === document) live.listeners += 1;
    return addEventListener.apply(this, args);
  };
  EventTarget.prototype.removeEventListener = function (...args) {
    if (this === window || this === document) live.listeners -= 1;
    return removeEventListener.apply(this, args);
  };
  const Channel = window.BroadcastChannel;
  window.BroadcastChannel = class extends Channel {
    constructor(name) {
      super(name);
      live.channels.add(this);
    }

    close() {
      live.channels.delete(this);
      super.close();
    }
  };
  // The baseline: what the page keeps alive before the widget's module runs at all (the loader's
  // instantiation of the wasm module comes before the first mount).
  const snapshot = () => ({ intervals: live.intervals.size, timeouts: live.timeouts.size, listeners: live.listeners, channels: live.channels.size });
  for (const name of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[name];
    WebAssembly[name] = function (...args) {
      live.baseline ??= snapshot();
      return original.apply(this, args);
    };
  }
  document.addEventListener('securitypolicyviolation', (event) =>
    live.violations.push(`${event.violatedDirective}: ${event.blockedURI}`),
  );
};

const liveCounts = (page) =>
  page.evaluate(async () => ({
    intervals: window.__live.intervals.size,
    timeouts: window.__live.timeouts.size,
    listeners: window.__live.listeners,
    channels: window.__live.channels.size,
    locks: ((await navigator.locks?.query())?.held ?? []).map((lock) => lock.name),
  }));

/** The example desktop on a static server (CSP on), the API proxied to a fresh simulator. */
async function withDesk(body, { simArgs = [], csp = STRICT_CSP, allowFailedLoads = false, beforeGoto = async () => {} } = {}) {
  const sim = await startTestSimulator(...simArgs);
  const site = await startStaticServer({
    mounts: deskMounts(),
    proxyTo: sim.url,
    headers: { 'content-security-policy': csp },
  });
  const page = await newPage(browser, { viewport: { width: 1280, height: 800 } });
  const cspConsole = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspConsole.push(message.text());
  });
  try {
    await page.addInitScript(instrument);
    await page.context().request.post(`${sim.url}/_sim/login`);
    await beforeGoto(page);
    await page.goto(`${site.url}/desk/`);
    const widget = new HostedWidget(page, page.locator('#im-widget'));
    await widget.connection('Connected').waitFor();
    await body({ sim, site, page, widget });
    assert.deepEqual(await page.evaluate(() => window.__live.violations), [], 'no CSP violation event');
    assert.deepEqual(cspConsole, [], 'no CSP message on the console');
    assert.equal(await page.locator('[data-imw-crashed]').count(), 0, 'the panic hook never fired');
    assertNoProblems(page, { allowFailedLoads });
  } finally {
    await page.context().close();
    await site.stop();
    await sim.stop();
  }
}

test('the release build has no inline script and only relative, hashed asset names', () => {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'every <script> has a src');
  assert.doesNotMatch(html, /\sstyle=/, 'no style attribute');
  for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) assert.match(url, /^\.\//, `${url} is relative`);
  const files = readdirSync(distDir);
  assert.ok(files.includes('imw-loader.js'), 'the loader has a stable name');
  for (const ext of ['.wasm', '.css']) {
    // Trunk prints the 64-bit hash without leading zeros: 15 digits one build in 16.
    assert.ok(files.some((f) => f.endsWith(ext) && /-[0-9a-f]{12,16}(_bg)?\./.test(f)), `a hashed ${ext} file`);
  }
  const loader = readFileSync(join(distDir, 'imw-loader.js'), 'utf8');
  assert.doesNotMatch(loader, /\beval\(|new Function/, 'the loader evaluates no strings');
});

test('the loader asks for the module and every script at once, not each after the one before', { timeout: 90_000 }, async () => {
  // The files imw-loader.js was built with (the glue, the module), and what the glue imports.
  const files = loaderFiles(distDir);
  const imports = staticImports(distDir, files.js);
  assert.ok(imports.length > 0, `the glue imports the split loader: ${JSON.stringify(files)}`);
  const askedAt = new Map();
  let glueReleasedAt;
  await withDesk(
    async () => {
      // Connected (withDesk waits for it), so everything was fetched. The glue was held back half a second; the rest must have been asked for meanwhile (the
      // desk page has no preload links: only the loader can ask that early).
      for (const file of [files.wasm, ...imports]) {
        assert.ok(askedAt.has(file), `${file} was fetched`);
        assert.ok(askedAt.get(file) < glueReleasedAt, `${file} asked for before the glue arrived (${askedAt.get(file) - glueReleasedAt} ms)`);
      }
    },
    {
      beforeGoto: async (page) => {
        page.on('request', (request) => {
          const file = new URL(request.url()).pathname.split('/').pop();
          if (!askedAt.has(file)) askedAt.set(file, Date.now());
        });
        await page.route(`**/${files.js}`, async (route) => {
          await new Promise((resolve) => setTimeout(resolve, 500));
          glueReleasedAt = Date.now();
          await route.fallback();
        });
      },
    },
  );
});

test('strict CSP: the example desktop at a sub-path works and the browser reports no violation', { timeout: 90_000 }, async () => {
  await withDesk(async ({ sim, page, widget }) => {
    const { id } = await ring(sim, '3004');
    await widget.row('3004').waitFor();
    await theyWrite(sim, id, 'Can you take a look at case 4711?');
    await widget.openSession('3004');
    await widget.transcript.getByText('Can you take a look at case 4711?', { exact: true }).waitFor();
    await widget.send('On my way');
    await eventually(
      async () => {
        const state = await sim.control('GET', '/state');
        return state.sessions.find((s) => s.id === id)?.transcript.some((l) => l.direction === 'out' && l.text === 'On my way');
      },
      { what: "the agent's reply at the server" },
    );
    await widget.transcript.getByText('Sent', { exact: true }).waitFor();
    // The host's own look is untouched by the widget's stylesheet.
    const hostFont = await page.locator('.desk-header__title').evaluate((e) => getComputedStyle(e).fontFamily);
    assert.match(hostFont, /Georgia/);
    await saveScreenshot(page, 'host-page');
  });
});

test('host page: events for every change, unmount leaves nothing running, mount again', { timeout: 120_000 }, async () => {
  await withDesk(async ({ sim, site, page, widget }) => {
    await page.evaluate(() => {
      window.__events = [];
      const host = document.getElementById('im-widget');
      for (const type of ['session-added', 'state-changed', 'message', 'completed', 'unread', 'error']) {
        host.addEventListener(`imw:${type}`, (event) => window.__events.push({ type, ...event.detail }));
      }
    });
    const events = () => page.evaluate(() => window.__events);
    const has = (probe, what) => eventually(async () => (await events()).some(probe), { what });

    const { id } = await ring(sim, '3004');
    await has((e) => e.type === 'session-added' && e.session === id && e.party === '3004' && e.state === 'Alerting', 'session-added');
    await theyWrite(sim, id, 'Hello from 3004');
    await has((e) => e.type === 'message' && e.session === id && e.text === 'Hello from 3004', 'message');
    await has((e) => e.type === 'unread' && e.total === 1, 'unread 1');
    // The host's own header shows it, from the event.
    await page.getByText('IM: 1 unread', { exact: true }).waitFor();
    await widget.openSession('3004');
    await has((e) => e.type === 'unread' && e.total === 0, 'unread 0 once read');
    await widget.send('Hi');
    await has((e) => e.type === 'state-changed' && e.previous === 'Alerting' && e.state === 'Talking', 'state-changed');
    await sim.control('PUT', '/faults', { serverErrorsForMs: 3000 });
    await widget.send('This one fails');
    await has((e) => e.type === 'error' && e.session === id && e.message.length > 0, 'an error');
    await sim.control('PUT', '/faults', { serverErrorsForMs: 0 });
    await sim.control('POST', `/sessions/${id}/complete`);
    await has((e) => e.type === 'completed' && e.session === id, 'completed');
    assert.equal(await page.locator('#im-widget').getAttribute('data-imw-unread'), '0');

    // Unmount with the host's own button: the widget goes, and so does everything it ran.
    await page.getByRole('button', { name: 'Close IM panel' }).click();
    await page.getByRole('button', { name: 'Open IM panel' }).waitFor();
    assert.equal(await widget.region.count(), 0, 'the widget is gone');
    assert.equal(await page.locator('#im-widget').innerHTML(), '', 'the host element is empty');
    // The long-poll is aborted: the simulator holds no /meta/connect of this page any more. The
    // CometD client itself is left to the server's sweep, so another tab of the agent can carry it
    // on without a gap (docs/ARCHITECTURE.md, "Embedding").
    const held = async () => (await sim.control('GET', '/state')).bayeux.clients.filter((c) => c.connectHeld).map((c) => c.clientId);
    await eventually(async () => (await held()).length === 0, { timeoutMs: 3_000, what: 'no /meta/connect held after unmount (the poll holds for 30 s)' });
    const baseline = await page.evaluate(() => window.__live.baseline);
    assert.ok(baseline, 'the baseline was taken before the widget first ran');
    await page.waitForTimeout(1500);
    const afterFirst = await liveCounts(page);
    assert.deepEqual(
      { intervals: afterFirst.intervals, timeouts: afterFirst.timeouts, listeners: afterFirst.listeners, channels: afterFirst.channels, locks: afterFirst.locks },
      { ...baseline, locks: [] },
      'no timer, listener, channel or lock left beyond what the page had before the first mount',
    );
    const requestsBefore = site.requests.filter((r) => r.includes('/api/')).length;
    const apiBefore = (await sim.control('GET', '/state')).counters;
    await page.waitForTimeout(3000);
    assert.equal(site.requests.filter((r) => r.includes('/api/')).length, requestsBefore, 'no request after unmount');
    assert.deepEqual((await sim.control('GET', '/state')).counters, apiBefore, 'the simulator saw nothing more either');
    assert.deepEqual(await held(), [], 'and holds no connect');

    // Mount again (the host's button calls GwsImWidget.mount): it works, and a second round
    // leaves exactly as much behind as the first.
    await page.getByRole('button', { name: 'Open IM panel' }).click();
    await widget.connection('Connected').waitFor();
    await widget.row('3004').waitFor();
    await page.getByRole('button', { name: 'Close IM panel' }).click();
    await page.getByRole('button', { name: 'Open IM panel' }).waitFor();
    await page.waitForTimeout(1500);
    assert.deepEqual(await liveCounts(page), afterFirst, 'a second mount and unmount leave nothing more');
  }, { simArgs: ['--poll-timeout-ms', '30000'], allowFailedLoads: true });
});

test('two widgets on one page, one with a cross-origin API base (CORS with credentials), do not interfere', { timeout: 120_000 }, async () => {
  // The second simulator is another origin; it takes the page's cookie (credentials) and CSRF token
  // across origins. The first one (behind the desk's proxy) needs no cookie, so they do not collide.
  const remote = await startTestSimulator('--cors-origin', '*');
  try {
    await withDesk(
      async ({ sim, page, widget }) => {
        await page.context().request.post(`${remote.url}/_sim/login`);
        const warnings = [];
        page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
        await page.evaluate(async (apiBase) => {
          const second = document.createElement('div');
          second.id = 'second-widget';
          document.querySelector('.desk-side').append(second);
          // A number option is read as JavaScript spells it (this one is out of range: it warns).
          await window.GwsImWidget.mount(second, { apiBase, sound: false, unknownOption: 1, retentionHours: 1000.5 });
        }, `${remote.url}/api/v2`);
        const other = new HostedWidget(page, page.locator('#second-widget'));
        await other.connection('Connected').waitFor();
        assert.ok(
          warnings.some((w) => w.includes('retentionHours "1000.5" is not a number of hours')),
          `the number option reached the widget as "1000.5": ${warnings}`,
        );
        assert.ok(warnings.some((w) => w.includes('unknown option "unknownOption" ignored')), 'the unknown option is named');
        const title = await page.title();

        const local = await ring(sim, '3004');
        const far = await ring(remote, '3005');
        await widget.row('3004').waitFor();
        await other.row('3005').waitFor();
        assert.equal(await widget.row('3005').count(), 0, 'each widget shows its own sessions');
        assert.equal(await other.row('3004').count(), 0);
        await eventually(
          async () => {
            const alerts = await page.evaluate(() => (window.__imwAlerts ?? []).map((a) => a.session));
            return alerts.includes(local.id) && alerts.includes(far.id);
          },
          { what: 'both widgets to alert' },
        );
        await theyWrite(sim, local.id, 'one');
        await theyWrite(remote, far.id, 'two');
        await eventually(async () => (await page.title()) === `(2) ${title}`, { what: 'the title to add up both totals' });

        // The cross-origin widget writes with the page's cookie and the exposed CSRF token.
        await other.openSession('3005');
        await other.send('Across origins');
        await eventually(
          async () =>
            (await remote.control('GET', '/state')).sessions
              .find((s) => s.id === far.id)
              ?.transcript.some((l) => l.direction === 'out' && l.text === 'Across origins'),
          { what: 'the cross-origin reply at the server' },
        );

        // Unmounting one leaves the other working, and the title to the other's total.
        await page.evaluate(() => window.GwsImWidget.unmount(document.getElementById('im-widget')));
        await theyWrite(remote, far.id, 'still here');
        await other.transcript.getByText('still here', { exact: true }).waitFor();
        await eventually(async () => (await page.title()) === title, { what: 'the title without the unmounted total' });
        await page.evaluate(() => window.GwsImWidget.unmount(document.getElementById('second-widget')));
      },
      // The host allows the API's origin in connect-src; everything else stays strict.
      { simArgs: ['--no-auth'], csp: `${STRICT_CSP} ${remote.url}` },
    );
  } finally {
    await remote.stop();
  }
});
