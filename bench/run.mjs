// The performance benchmarks of issue 8, side by side in one run, in headless Debian Chromium:
// the release widget (dist/) and a vanilla-JS reference page (bench/reference, the official CometD
// client and plain DOM appends), both on one gws-sim behind one static server (same origin).
// Writes bench/results.json and the figures section of docs/BENCHMARKS.md.
//
//   ./bench/run.sh            builds, then runs everything (about 10–15 minutes)
//   node bench/run.mjs --quick  smaller counts (a couple of minutes), figures not written to the docs
import { cpus, totalmem } from 'node:os';
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, newPage, chromiumPath } from '../e2e/lib/browser.mjs';
import { startSimulator, distDir } from '../e2e/lib/server.mjs';
import { startStaticServer } from '../e2e/lib/static-server.mjs';
import { eventually } from '../e2e/lib/widget-page.mjs';
import { bundle, firstLoadFiles } from '../scripts/bundle.mjs';
import { record } from './chart.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const shiftArg = process.argv.find((a) => a.startsWith('--shift='))?.slice(8);
const N = quick
  ? { messages: 200, growthBig: 2000, growthAppends: 40, history: 100, dayLines: 2000, keys: 30, switches: 10, startups: 3, shift: 200, idleMs: 20_000 }
  : { messages: 1000, growthBig: 10_000, growthAppends: 100, history: 500, dayLines: 10_000, keys: 60, switches: 20, startups: 7, shift: 5000, idleMs: 60_000 };

if (shiftArg) N.shift = Number(shiftArg);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

// ---- the world ----------------------------------------------------------------------------
const staticDir = join(root, 'target', 'bench-static');
const firstLoad = firstLoadFiles(distDir);
function writeStaticPage() {
  // A page that fetches the widget's first-load files (imw-loader.js and what it fetches at start)
  // and runs none of them: the start-up baseline.
  mkdirSync(staticDir, { recursive: true });
  const css = firstLoad.find((f) => f.endsWith('.css'));
  const fetched = firstLoad.filter((f) => !f.endsWith('.css')).map((f) => `../widget/${f}`);
  writeFileSync(
    join(staticDir, 'index.html'),
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>static</title>
<link rel="stylesheet" href="../widget/${css}"><script type="module" src="static.js"></script></head>
<body><p>static page of the same bytes</p></body></html>`,
  );
  writeFileSync(
    join(staticDir, 'static.js'),
    `await Promise.all(${JSON.stringify(fetched)}.map((f) => fetch(f).then((r) => r.arrayBuffer())));
window.__loadedAt = performance.now();`,
  );
}

const sim = await startSimulator({ args: ['--scenario', 'none', '--no-auth', '--no-csrf', '--poll-timeout-ms', '30000', '--max-interval-ms', '60000'] });
writeStaticPage();
const site = await startStaticServer({
  mounts: {
    '/widget/': distDir,
    '/reference/': join(root, 'bench', 'reference'),
    '/reference/cometd/': join(root, 'e2e', 'node_modules', 'cometd'),
    '/static/': staticDir,
  },
  proxyTo: sim.url,
});
const browser = await launchBrowser();

// Records when text "bench-<n>-" is first shown in the transcript (the element with role="log"),
// and what intervals/timeouts run. Both pages are timed the same way, to the end of the frame that
// shows the text: a MutationObserver notes the mutation that puts it into the log
// (`__inserted`); the first animation frame after it runs the page's own frame work (both pages
// scroll the log in a requestAnimationFrame callback), then style, layout and paint; a message
// posted from that frame's callback runs as the next task, after the frame's rendering, and its
// time is the one reported (`__seen`). So each page pays, inside its window, whatever layout its
// update needs, forced or not.
const probe = () => {
  const seen = new Map();
  const inserted = new Map();
  window.__seen = seen;
  window.__inserted = inserted;
  window.__timers = { intervals: [], timeouts: 0 };
  performance.setResourceTimingBufferSize(1_000_000);
  let waiting = [];
  const afterFrame = new MessageChannel();
  afterFrame.port1.onmessage = () => {
    const at = performance.now();
    for (const n of waiting) seen.set(n, at);
    waiting = [];
  };
  const inLog = (node) => {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return Boolean(element?.closest?.('[role="log"]'));
  };
  const note = (node, at) => {
    const text = node.textContent;
    if (!text || !text.includes('bench-') || !inLog(node)) return;
    for (const match of text.matchAll(/bench-(\d+)-/g)) {
      if (inserted.has(match[1])) continue;
      inserted.set(match[1], at);
      if (!waiting.length) requestAnimationFrame(() => afterFrame.port2.postMessage(0));
      waiting.push(match[1]);
    }
  };
  new MutationObserver((records) => {
    const at = performance.now();
    for (const record of records) {
      if (record.type === 'characterData') note(record.target, at);
      for (const node of record.addedNodes) note(node, at);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
  const { setInterval, setTimeout } = window;
  window.setInterval = (fn, delay, ...rest) => {
    window.__timers.intervals.push(delay ?? 0);
    return setInterval(fn, delay, ...rest);
  };
  window.setTimeout = (fn, delay, ...rest) =>
    setTimeout((...a) => {
      window.__timers.timeouts += 1;
      if (typeof fn === 'function') fn(...a);
    }, delay, ...rest);
};

const pages = {
  widget: {
    url: '/widget/',
    ready: (page) => page.getByRole('status').filter({ hasText: /^Connected$/ }).waitFor({ timeout: 30_000 }),
    open: async (page, number) => {
      await page.getByRole('list', { name: 'Sessions' }).getByRole('button', { name: new RegExp(number) }).click();
      await page.getByRole('region', { name: new RegExp(`Chat with ${number}`) }).waitFor();
    },
    composer: (page) => page.getByRole('textbox', { name: 'Message' }),
  },
  reference: {
    url: '/reference/',
    ready: (page) => page.getByRole('status').filter({ hasText: /^Connected$/ }).waitFor({ timeout: 30_000 }),
    open: async (page, number) => {
      await page.getByRole('list', { name: 'Sessions' }).getByRole('button', { name: new RegExp(number) }).click();
      await page.getByRole('heading', { name: `Chat with ${number}` }).waitFor();
    },
    composer: (page) => page.getByRole('textbox', { name: 'Message' }),
  },
};

async function openPage(kind, { viewport } = {}) {
  const page = await newPage(browser, viewport ? { viewport } : {});
  if (process.env.BENCH_DEBUG) page.on('console', (m) => console.log(kind, m.type(), m.text()));
  await page.addInitScript(probe);
  await page.goto(`${site.url}${pages[kind].url}`);
  await pages[kind].ready(page);
  return page;
}

const ring = async (from) => (await sim.control('POST', '/sessions', { from })).id;
const write = (id, text) => sim.control('POST', `/sessions/${id}/messages`, { text });

/** Posts `count` messages "bench-<first+i>-…" to `id`, one every `everyMs`. */
async function steady(id, first, count, everyMs) {
  const start = Date.now();
  for (let i = 0; i < count; i++) {
    const due = start + i * everyMs;
    if (due > Date.now()) await sleep(due - Date.now());
    await write(id, `bench-${first + i}-${'x'.repeat(20)}`);
  }
}

/** Posts `count` filler lines quickly (16 at a time). */
async function fill(id, count, tag = 'fill') {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await write(id, `${tag} line ${i} of the transcript, some ordinary words`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** Waits until the widget has taken in every filler line: a last line (CometD keeps order) is shown. */
async function filled(page, id, count) {
  const last = `filled ${count}`;
  await write(id, last);
  await page.getByRole('log').getByText(last, { exact: true }).waitFor({ timeout: 300_000 });
}

/**
 * For messages first..first+count-1: the client cost, from the end of the long-poll reply that
 * carried each one (resource timing: the last reply that ended before the text entered the log) to
 * the end of the frame that shows it (`frame`), and, for comparison, to the mutation (`dom`).
 */
async function clientLatencies(page, first, count) {
  await eventually(
    () => page.evaluate(([f, c]) => { for (let n = f; n < f + c; n++) if (!window.__seen.has(String(n))) return false; return true; }, [first, count]),
    { timeoutMs: 120_000, what: `messages ${first}..${first + count - 1} shown in the log` },
  );
  return page.evaluate(([f, c]) => {
    const ends = performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/notifications'))
      .map((e) => e.responseEnd)
      .sort((a, b) => a - b);
    const frame = [];
    const dom = [];
    for (let n = f; n < f + c; n++) {
      const at = window.__inserted.get(String(n));
      let carrier = -Infinity;
      for (const end of ends) if (end <= at) carrier = end;
      if (Number.isFinite(carrier)) {
        frame.push(window.__seen.get(String(n)) - carrier);
        dom.push(at - carrier);
      }
    }
    return { frame, dom };
  }, [first, count]);
}

const results = { quick, date: new Date().toISOString(), machine: {}, figures: {} };
async function bench(name, run) {
  if (only && !only.includes(name)) return;
  process.stdout.write(`bench ${name} … `);
  const started = Date.now();
  await sim.control('POST', '/reset');
  results.figures[name] = await run();
  console.log(`${((Date.now() - started) / 1000).toFixed(0)} s`, JSON.stringify(results.figures[name]));
}

// ---- 1. notification → DOM, widget vs reference, alternating -----------------------------------
await bench('notificationToDom', async () => {
  const lat = { widget: [], reference: [] };
  const dom = { widget: [], reference: [] };
  let first = 0;
  for (const kind of ['widget', 'reference', 'widget', 'reference']) {
    await sim.control('POST', '/reset');
    const page = await openPage(kind);
    const id = await ring('3002');
    await page.getByRole('list', { name: 'Sessions' }).getByRole('button', { name: /3002/ }).waitFor();
    await pages[kind].open(page, '3002');
    const count = N.messages / 2;
    await steady(id, first, count, 20);
    const { frame, dom: inserted } = await clientLatencies(page, first, count);
    lat[kind].push(...frame);
    dom[kind].push(...inserted);
    first += count;
    await page.context().close();
  }
  const fig = (k) => ({
    p50: quantile(lat[k], 0.5),
    p95: quantile(lat[k], 0.95),
    n: lat[k].length,
    // To the mutation only (before the frame): the old measure, for comparison.
    domP50: quantile(dom[k], 0.5),
    domP95: quantile(dom[k], 0.95),
  });
  const w = fig('widget');
  const r = fig('reference');
  return { widget: w, reference: r, ratioP50: w.p50 / r.p50, ratioP95: w.p95 / r.p95 };
});

// ---- 2. transcript growth: appending at 100 vs at N lines -----------------------------------
await bench('transcriptGrowth', async () => {
  const out = {};
  let first = 100_000;
  for (const size of [100, N.growthBig]) {
    await sim.control('POST', '/reset');
    const page = await openPage('widget');
    const id = await ring('3002');
    await pages.widget.open(page, '3002');
    await fill(id, size);
    await filled(page, id, size);
    await sleep(500);
    await steady(id, first, N.growthAppends, 50);
    const { frame: lat } = await clientLatencies(page, first, N.growthAppends);
    first += N.growthAppends;
    out[size] = { p50: quantile(lat, 0.5), p95: quantile(lat, 0.95) };
    await page.context().close();
  }
  return { ...out, ratioP50: out[N.growthBig].p50 / out[100].p50, ratioP95: out[N.growthBig].p95 / out[100].p95 };
});

/**
 * Types N.keys letters 30 ms apart into `field` and returns keypress → next paint as the browser's
 * Event Timing API measures it (the INP metric: from the key event's timestamp to the paint after
 * its handlers, rounded to 8 ms). It reports only events of 16 ms or more, so a key not reported
 * took under 16 ms; `over16` counts those reported above 16 ms.
 */
async function typeKeys(page, field) {
  await page.evaluate(() => {
    window.__slowKeys = [];
    window.__keys = 0;
    document.addEventListener('keydown', () => (window.__keys += 1), true);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'keydown') window.__slowKeys.push(e.duration);
    }).observe({ type: 'event', durationThreshold: 16 });
  });
  await field.click();
  for (let i = 0; i < N.keys; i++) {
    await page.keyboard.press(String.fromCharCode(97 + (i % 26)));
    await sleep(30);
  }
  await sleep(300);
  const { slowKeys, keys } = await page.evaluate(() => ({ slowKeys: window.__slowKeys, keys: window.__keys }));
  // Keys not reported count as 16 ms (an upper bound) for the percentile.
  const all = [...slowKeys, ...Array(Math.max(0, keys - slowKeys.length)).fill(16)];
  return {
    p95AtMost: quantile(all, 0.95),
    over16: slowKeys.filter((d) => d > 16).length,
    at16: slowKeys.filter((d) => d === 16).length,
    slowest: Math.max(0, ...slowKeys),
    n: keys,
  };
}

// ---- 3. a full day: history in the list, a long transcript; typing and switching ---------------
await bench('fullDay', async () => {
  await sim.control('POST', '/load', { sessions: 0, messagesPerSecond: 0, completed: N.history, durationMs: 1 });
  const page = await openPage('widget');
  const big = await ring('3002');
  const small = await ring('3003');
  await pages.widget.open(page, '3002');
  await fill(big, N.dayLines);
  await filled(page, big, N.dayLines);
  const rows = await page.getByRole('list', { name: 'Sessions' }).getByRole('listitem').count();
  const echo = await typeKeys(page, pages.widget.composer(page));
  // The same keys, measured the same way in the same run, on a page with nothing but a textarea:
  // what this machine and browser allow at best.
  const bare = await newPage(browser);
  await bare.setContent('<!DOCTYPE html><html lang="en"><body><label>Message <textarea rows="2"></textarea></label></body></html>');
  const bareEcho = await typeKeys(bare, bare.getByRole('textbox', { name: 'Message' }));
  await bare.context().close();
  // click on a row → the other chat on screen (next frame after its header appears)
  const switches = [];
  for (let i = 0; i < N.switches; i++) {
    const number = i % 2 === 0 ? '3003' : '3002';
    const row = page.getByRole('list', { name: 'Sessions' }).getByRole('button', { name: new RegExp(number) });
    await row.evaluate((el, n) => {
      window.__switch = null;
      const start = performance.now();
      const check = () => {
        const chat = document.querySelector(`section[aria-label*="${n}"]`);
        if (chat && chat.querySelector('[role="log"] > *')) {
          requestAnimationFrame(() => (window.__switch = performance.now() - start));
        } else requestAnimationFrame(check);
      };
      el.click();
      check();
    }, number);
    switches.push(await eventually(() => page.evaluate(() => window.__switch), { what: 'the switch' }));
  }
  await page.context().close();
  void small;
  return {
    rowsInList: rows,
    transcriptLines: N.dayLines,
    keyEcho: echo,
    bareTextareaKeyEcho: bareEcho,
    switchSessions: { p50: quantile(switches, 0.5), max: Math.max(...switches), n: switches.length },
  };
});

// ---- 4. start-up: first session row vs a static page of the same bytes -----------------------
await bench('startUp', async () => {
  for (let i = 0; i < 20; i++) await ring(String(3100 + i));
  const sizes = new Map(bundle(distDir).files.map((f) => [f.name, f.brotli]));
  const widget = [];
  const baseline = [];
  let fetchedFirst = null;
  for (let i = 0; i < N.startups; i++) {
    const page = await newPage(browser);
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('[aria-label="Sessions"] li')) {
          window.__firstRow = performance.now();
          // What the page had fetched of the widget by then (by the browser's own record).
          window.__fetchedFirst = performance
            .getEntriesByType('resource')
            .filter((e) => e.responseEnd <= window.__firstRow)
            .map((e) => new URL(e.name).pathname);
          observer.disconnect();
        }
      }).observe(document, { subtree: true, childList: true });
    });
    await page.goto(`${site.url}/widget/`);
    widget.push(await eventually(() => page.evaluate(() => window.__firstRow), { what: 'the first row' }));
    fetchedFirst ??= await page.evaluate(() => window.__fetchedFirst);
    await page.context().close();
    const other = await newPage(browser);
    await other.goto(`${site.url}/static/`);
    baseline.push(await eventually(() => other.evaluate(() => window.__loadedAt), { what: 'the static page' }));
    await other.context().close();
  }
  // The bundle's files the browser had fetched when the first row showed, at their brotli size.
  const files = fetchedFirst
    .filter((path) => path.startsWith('/widget/'))
    .map((path) => path.slice('/widget/'.length))
    .filter((name) => sizes.has(name));
  const w = quantile(widget, 0.5);
  const b = quantile(baseline, 0.5);
  return {
    widgetFirstRow: w,
    staticSameBytes: b,
    ratio: w / b,
    runs: N.startups,
    firstLoad: { files, brotli: files.reduce((sum, name) => sum + sizes.get(name), 0), total: [...sizes.values()].reduce((a, v) => a + v, 0) },
  };
});

// ---- 5. a shift: sessions arrive, chat, complete and are dismissed; memory before and after ----
await bench('shift', async () => {
  const page = await openPage('widget');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const memory = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    const wasm = await page.evaluate(() => window.GwsImWidget?.wasmMemoryBytes?.() ?? 0);
    const nodes = metrics.find((m) => m.name === 'Nodes')?.value ?? 0;
    // A diagnostic build (the `alloc-stats` feature) also reports the allocator's live bytes.
    const alloc = await page.evaluate(() => (window.__imwAlloc ? JSON.parse(window.__imwAlloc()) : null));
    return { heap, wasm, nodes, ...(alloc ? { alloc } : {}) };
  };
  const before = await memory();
  const samples = [{ sessions: 0, ...before }];
  const half = N.shift / 2;
  let middle = null;
  const batch = 10;
  const every = Math.max(batch, Math.round(N.shift / 20 / batch) * batch);
  for (let start = 0; start < N.shift; start += batch) {
    const numbers = Array.from({ length: Math.min(batch, N.shift - start) }, (_, i) => String(50000 + start + i));
    const ids = await Promise.all(numbers.map((n) => ring(n)));
    await Promise.all(ids.map((id, i) => write(id, `Hello, ${numbers[i]} here`).then(() => write(id, 'Thanks, bye'))));
    await Promise.all(ids.map((id) => sim.control('POST', `/sessions/${id}/complete`)));
    for (const number of numbers) {
      const row = page.getByRole('list', { name: 'Sessions' }).getByRole('button', { name: new RegExp(number) });
      await row.click();
      await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
      await row.waitFor({ state: 'detached' });
    }
    const done = start + numbers.length;
    if (done % every === 0 || done === half) {
      const sample = { sessions: done, ...(await memory()) };
      samples.push(sample);
      if (done === half) middle = sample;
      if (process.env.BENCH_DEBUG) console.log(JSON.stringify(sample));
    }
  }
  const after = await memory();
  await page.context().close();
  const total = (m) => m.heap + m.wasm;
  const growth = total(after) - total(before);
  return {
    sessions: N.shift,
    before,
    middle,
    after,
    growthBytes: growth,
    // The shift's two halves: memory that levels off grows far less in the second.
    firstHalfBytes: middle ? total(middle) - total(before) : NaN,
    secondHalfBytes: middle ? total(after) - total(middle) : NaN,
    wasmFirstHalfBytes: middle ? middle.wasm - before.wasm : NaN,
    wasmSecondHalfBytes: middle ? after.wasm - middle.wasm : NaN,
    samples,
  };
});

// ---- 6. idle: requests and timer wake-ups over a quiet minute --------------------------------
await bench('idle', async () => {
  await ring('3002');
  const page = await openPage('widget');
  await sleep(2000);
  const t0 = await page.evaluate(() => ({ timeouts: window.__timers.timeouts, at: performance.now() }));
  const requests0 = site.requests.length;
  await sleep(N.idleMs);
  const t1 = await page.evaluate(() => ({ timeouts: window.__timers.timeouts, at: performance.now(), intervals: window.__timers.intervals }));
  const requests = site.requests.slice(requests0);
  await page.context().close();
  return {
    seconds: N.idleMs / 1000,
    requests: requests.length,
    // The browser's own request for the page's icon (Chromium asks for /favicon.ico when it likes,
    // sometimes seconds after the load) is not the widget's: counted apart.
    nonPollRequests: requests.filter((r) => !r.includes('/notifications') && !r.includes('/favicon.ico')).length,
    otherRequests: requests.filter((r) => !r.includes('/notifications')),
    timeoutWakeupsPerSecond: (t1.timeouts - t0.timeouts) / ((t1.at - t0.at) / 1000),
    shortestInterval: Math.min(...t1.intervals.filter((d) => d > 0)),
  };
});

// ---- size (from the same build) ---------------------------------------------------------------
results.figures.size = JSON.parse(execSync('node scripts/size-report.mjs --json', { cwd: root, encoding: 'utf8' }));

results.machine = {
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
  memory: mb(totalmem()),
  chromium: execSync(`${chromiumPath} --version 2>/dev/null`, { encoding: 'utf8' }).trim(),
  node: process.version,
  wasm: readdirSync(distDir).filter((f) => f.endsWith('.wasm')).map((f) => `${f} (${statSync(join(distDir, f)).size} bytes)`)[0],
};

await browser.close();
await site.stop();
await sim.stop();

writeFileSync(join(root, 'bench', quick ? 'results-quick.json' : 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
if (!quick && !only) writeDocs(results);
console.log(JSON.stringify(results.figures, null, 1));

function writeDocs({ date, machine, figures: f }) {
  const mark = (ok) => (ok ? 'holds' : '**misses**');
  const kbOf = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
  const measuredFirst = f.startUp.firstLoad.brotli;
  const rows = [
    ['first load: wasm + JS + CSS fetched before the first session row shows (the browser\'s record), brotli', '≤ 100 KB', `${kbOf(measuredFirst)} (${f.startUp.firstLoad.files.join(', ')}; size report: ${kbOf(f.size.firstLoad.brotli)})`, mark(measuredFirst <= 100_000)],
    ['everything in dist/ (wasm + JS + CSS), brotli', '≤ 200 KB', kbOf(f.size.total.brotli), mark(f.size.total.brotli <= 200_000)],
    ['start-up: first row / a static page fetching the same first-load files (median)', '≤ 1.3×', `${ms(f.startUp.widgetFirstRow)} / ${ms(f.startUp.staticSameBytes)} = ${f.startUp.ratio.toFixed(2)}×`, mark(f.startUp.ratio <= 1.3)],
    [`keypress → echo painted (${f.fullDay.rowsInList} rows, ${f.fullDay.transcriptLines}-line transcript open; Event Timing)`, 'every key ≤ 16 ms', `${f.fullDay.keyEcho.over16} of ${f.fullDay.keyEcho.n} keys over 16 ms (slowest ${ms(f.fullDay.keyEcho.slowest)}); the same keys on a page with only a textarea: ${f.fullDay.bareTextareaKeyEcho.over16} over 16 ms (slowest ${ms(f.fullDay.bareTextareaKeyEcho.slowest)})`, mark(f.fullDay.keyEcho.over16 === 0)],
    ['notification → shown (end of its frame) p50, widget / vanilla CometD page', '≤ 1.2×', `${ms(f.notificationToDom.widget.p50)} / ${ms(f.notificationToDom.reference.p50)} = ${f.notificationToDom.ratioP50.toFixed(2)}×`, mark(f.notificationToDom.ratioP50 <= 1.2)],
    ['notification → shown (end of its frame) p95, widget / vanilla CometD page', '≤ 1.2×', `${ms(f.notificationToDom.widget.p95)} / ${ms(f.notificationToDom.reference.p95)} = ${f.notificationToDom.ratioP95.toFixed(2)}×`, mark(f.notificationToDom.ratioP95 <= 1.2)],
    ['switching sessions (max of the runs)', '≤ 33 ms', `${ms(f.fullDay.switchSessions.max)} (p50 ${ms(f.fullDay.switchSessions.p50)})`, mark(f.fullDay.switchSessions.max <= 33)],
    [`append at ${N.growthBig} lines / at 100 (p50)`, '≤ 1.2×', `${ms(f.transcriptGrowth[N.growthBig].p50)} / ${ms(f.transcriptGrowth[100].p50)} = ${f.transcriptGrowth.ratioP50.toFixed(2)}×`, mark(f.transcriptGrowth.ratioP50 <= 1.2)],
    [`a shift: ${f.shift.sessions} sessions, JS heap + wasm memory growth after dismissal`, '≤ 5 MB', `${mb(f.shift.growthBytes)} (wasm ${mb(f.shift.after.wasm - f.shift.before.wasm)})`, mark(f.shift.growthBytes <= 5e6)],
    [`a shift: growth over sessions ${f.shift.sessions / 2}–${f.shift.sessions} / over 0–${f.shift.sessions / 2} (JS heap + wasm)`, '≤ 0.1', `${mb(f.shift.secondHalfBytes)} / ${mb(f.shift.firstHalfBytes)} = ${(f.shift.secondHalfBytes / f.shift.firstHalfBytes).toFixed(2)} (wasm alone ${mb(f.shift.wasmSecondHalfBytes)} / ${mb(f.shift.wasmFirstHalfBytes)})`, mark(f.shift.secondHalfBytes <= 0.1 * f.shift.firstHalfBytes)],
    [`idle ${f.idle.seconds} s: requests other than the long-poll`, '0', String(f.idle.nonPollRequests), mark(f.idle.nonPollRequests === 0)],
    ['idle: shortest timer period', '≥ 1 s', ms(f.idle.shortestInterval), mark(f.idle.shortestInterval >= 1000)],
  ];
  const round = (v, digits) => Math.round(v * 10 ** digits) / 10 ** digits;
  record({
    date,
    commit: execSync('git rev-parse --short HEAD', { cwd: root, encoding: 'utf8' }).trim(),
    firstLoadKB: round(measuredFirst / 1000, 1),
    totalKB: round(f.size.total.brotli / 1000, 1),
    keysOver16: f.fullDay.keyEcho.over16,
    slowestKeyMs: f.fullDay.keyEcho.slowest,
    switchMaxMs: round(f.fullDay.switchSessions.max, 1),
    startUpRatio: round(f.startUp.ratio, 2),
    notificationP50Ratio: round(f.notificationToDom.ratioP50, 2),
    notificationP95Ratio: round(f.notificationToDom.ratioP95, 2),
  });
  const table = [
    '| what | target | measured | |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
  const section = `<!-- bench:start (written by bench/run.mjs; do not edit by hand) -->
Last full run: ${date}. Machine: ${machine.cpus}, ${machine.memory} RAM; ${machine.chromium} headless; Node ${machine.node}.

${table}

Raw figures: [bench/results.json](../bench/results.json). Every full run so far ([bench/history.json](../bench/history.json)):

![The figures over the full runs](benchmarks-chart.svg)
<!-- bench:end -->`;
  const path = join(root, 'docs', 'BENCHMARKS.md');
  const doc = readFileSync(path, 'utf8');
  const next = /<!-- bench:start[\s\S]*<!-- bench:end -->/.test(doc)
    ? doc.replace(/<!-- bench:start[\s\S]*<!-- bench:end -->/, section)
    : `${doc.trimEnd()}\n\n## Benchmark figures\n\n${section}\n`;
  writeFileSync(path, next);
}
