// First row on a host page that has only the loader tag (no preload links), at an emulated network
// round trip (Chromium's own latency emulation, every request), for two builds alternated in one run:
//   BASE_DIST=dist-base NEW_DIST=dist LATENCY=80 RUNS=7 node bench/loader-latency.mjs
// (GWS_SIM_BIN as for the browser tests). Prints each run and the medians; docs/BENCHMARKS.md has a run.
import { launchBrowser, newPage } from '../e2e/lib/browser.mjs';
import { startSimulator } from '../e2e/lib/server.mjs';
import { startStaticServer } from '../e2e/lib/static-server.mjs';
import { eventually } from '../e2e/lib/widget-page.mjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
const host = join(dirname(fileURLToPath(import.meta.url)), '..', 'target', 'bench-host');
mkdirSync(host, { recursive: true });
writeFileSync(join(host, 'index.html'), `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>host</title>
<script type="module" src="../widget/imw-loader.js"></script></head>
<body><h1>Agent desktop</h1><div data-gws-im-widget data-api-base="/api/v2"></div></body></html>`);
const latency = Number(process.env.LATENCY ?? 40);
const dists = { base: resolve(process.env.BASE_DIST ?? 'dist-base'), new: resolve(process.env.NEW_DIST ?? 'dist') };
const sim = await startSimulator({ args: ['--scenario', 'none', '--no-auth', '--no-csrf'] });
const sites = {};
for (const [k, d] of Object.entries(dists)) sites[k] = await startStaticServer({ mounts: { '/widget/': d, '/host/': host }, proxyTo: sim.url });
for (let i = 0; i < 20; i++) await sim.control('POST', '/sessions', { from: String(3100 + i) });
const browser = await launchBrowser();
const results = { base: [], new: [] };
for (let run = 0; run < Number(process.env.RUNS ?? 5); run++) {
  for (const k of ['base', 'new']) {
    const page = await newPage(browser);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: -1, uploadThroughput: -1 });
    await page.addInitScript(() => {
      new MutationObserver((_, o) => {
        if (document.querySelector('[aria-label="Sessions"] li')) { window.__firstRow = performance.now(); o.disconnect(); }
      }).observe(document, { subtree: true, childList: true });
    });
    await page.goto(`${sites[k].url}/host/`);
    const t = await eventually(() => page.evaluate(() => window.__firstRow), { what: 'row', timeoutMs: 20000 });
    const res = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => `${new URL(e.name).pathname.replace(/.*\//, '').slice(0, 14)} ${e.startTime.toFixed(0)}-${e.responseEnd.toFixed(0)}`).join(' | '));
    results[k].push(t);
    if (run === 0) console.log(k, t.toFixed(0), res);
    await page.context().close();
  }
}
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const k of ['base', 'new']) console.log(`${k}: first row median ${med(results[k]).toFixed(0)} ms (runs ${results[k].map((v) => v.toFixed(0)).join(', ')}) at ${latency} ms latency`);
await browser.close(); process.exit(0);
