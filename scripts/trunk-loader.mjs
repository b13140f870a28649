// Trunk post-build hook: makes the release output embeddable under a strict Content-Security-Policy.
// Trunk writes an inline <script type="module"> that starts the WebAssembly module and one stylesheet
// per CSS file. This moves the start-up into imw-loader.js (stable name: the one URL a host page
// includes), joins the stylesheets into one hashed imw-<hash>.css, and points index.html at both.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { staticImports } from './bundle.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('trunk-loader: TRUNK_STAGING_DIR is not set (run by trunk as a post_build hook)');
  process.exit(1);
}
const indexPath = join(staging, 'index.html');
let html = readFileSync(indexPath, 'utf8');

const inline = html.match(/<script type="module">([\s\S]*?)<\/script>/);
const js = inline?.[1].match(/from '\.\/([^']+\.js)'/)?.[1];
const wasm = inline?.[1].match(/module_or_path: '\.\/([^']+\.wasm)'/)?.[1];
if (!inline || !js || !wasm) {
  console.error("trunk-loader: no Trunk start-up script found in index.html; Trunk's output changed?");
  process.exit(1);
}

const links = [...html.matchAll(/<link rel="stylesheet" href="\.\/([^"]+\.css)"[^>]*>\s*/g)];
const css = links.map(([, file]) => readFileSync(join(staging, file), 'utf8')).join('\n');
const hash = (text, algorithm = 'sha256') => createHash(algorithm).update(text).digest();
const cssFile = `imw-${hash(css).toString('hex').slice(0, 16)}.css`;
writeFileSync(join(staging, cssFile), css);
for (const [, file] of links) rmSync(join(staging, file));

// What the glue imports statically (the split chunks' loader): the loader asks for it at once too.
const imports = staticImports(staging, js);

const loader = `// The GWS IM widget's loader, generated at build time by scripts/trunk-loader.mjs.
// A host page needs: <script type="module" src=".../imw-loader.js"></script> and
// <div data-gws-im-widget></div>. This adds the widget's stylesheet, starts the WebAssembly module
// (which mounts every [data-gws-im-widget] element) and offers window.GwsImWidget.
const files = ${JSON.stringify({ js, wasm, css: cssFile, imports })};
const url = (file) => new URL(file, import.meta.url).href;

function addStylesheet() {
  const href = url(files.css);
  if ([...document.querySelectorAll('link[rel="stylesheet"]')].some((link) => link.href === href)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.append(link);
}

// The module's bytes, compiled as they arrive when served as application/wasm; otherwise the
// response as it is (the glue then compiles it the slow way, with a warning).
async function compile(response) {
  const type = response.headers.get('content-type')?.split(';')[0].trim();
  return response.ok && type === 'application/wasm' ? WebAssembly.compileStreaming(response) : response;
}

let wasm;
async function start() {
  addStylesheet();
  // Every file at once: the module downloads and compiles while the JS loads, rather than after
  // the glue has loaded and asked for it (a round trip each, on a host page with no preload links).
  const module = fetch(url(files.wasm)).then(compile);
  const [widget] = await Promise.all([import(url(files.js)), ...files.imports.map((file) => import(url(file)))]);
  wasm = await widget.default({ module_or_path: await module });
  return widget;
}

const ready = start();
ready.then(
  () => document.dispatchEvent(new CustomEvent('imw:ready')),
  (error) => console.error('gws-im-widget could not start:', error),
);

/** mount(element, options): a widget in element; unmount(element): stops it; signOut(element): the agent's stored data gone in every tab; transcript(element, sessionId): a session's lines as data; mountAll(): every [data-gws-im-widget]. */
window.GwsImWidget = {
  ready: ready.then(() => undefined),
  mount: async (element, options) => (await ready).mount(element, options),
  unmount: async (element) => (await ready).unmount(element),
  signOut: async (element) => (await ready).signOut(element),
  transcript: async (element, sessionId) => (await ready).transcript(element, sessionId),
  mountAll: async () => (await ready).mountAll(),
  /** The WebAssembly memory's size in bytes (for memory measurements). */
  wasmMemoryBytes: () => wasm?.memory?.buffer.byteLength ?? 0,
};
`;
writeFileSync(join(staging, 'imw-loader.js'), loader);

const integrity = `sha384-${hash(css, 'sha384').toString('base64')}`;
html = html.replace(links[0]?.[0] ?? '', `<link rel="stylesheet" href="./${cssFile}" integrity="${integrity}"/>\n    `);
for (const [tag] of links.slice(1)) html = html.replace(tag, '');
html = html.replace(inline[0], '<script type="module" src="./imw-loader.js"></script>');
writeFileSync(indexPath, html);
console.log(`trunk-loader: imw-loader.js → ${js}, ${wasm}; ${links.length} stylesheets → ${cssFile}`);
