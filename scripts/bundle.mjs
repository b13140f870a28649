// What the release bundle in dist/ is made of, shared by scripts/size-report.mjs and bench/run.mjs:
// every .wasm/.js/.css file with its raw, gzip -9 and brotli q11 size, and which of them are the
// first load — imw-loader.js and the files it names to fetch at start (the JS glue, the module,
// the stylesheet). Anything else there (a chunk fetched later) counts in the total only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

export const LOADER = 'imw-loader.js';

/** The `const files = {…}` imw-loader.js was built with: { js, wasm, css, imports }. */
export function loaderFiles(dist) {
  const loader = readFileSync(join(dist, LOADER), 'utf8');
  const named = loader.match(/^const files = (\{.*\});$/m)?.[1];
  if (!named) throw new Error(`${LOADER} names no files (const files = {…}); was it made by scripts/trunk-loader.mjs?`);
  return JSON.parse(named);
}

/** The file names imw-loader.js fetches at start. */
export function firstLoadFiles(dist) {
  const { js, wasm, css } = loaderFiles(dist);
  // The JS glue and every module it imports statically (the split chunks' loader): all fetched
  // before the module starts.
  return [LOADER, wasm, css, js, ...staticImports(dist, js)];
}

/** The .js files `file` (in `dir`) imports statically, and what they import, each once. */
export function staticImports(dir, file) {
  const found = [];
  const pending = [file];
  while (pending.length) {
    const text = readFileSync(join(dir, pending.pop()), 'utf8');
    for (const [, imported] of text.matchAll(/(?:^|\n)\s*import\b[^'"]*['"]\.\/([^'"]+\.js)['"]/g)) {
      if (imported === file || found.includes(imported)) continue;
      found.push(imported);
      pending.push(imported);
    }
  }
  return found;
}

export function measure(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

const sum = (name, rows) =>
  rows.reduce((s, r) => ({ name, raw: s.raw + r.raw, gzip: s.gzip + r.gzip, brotli: s.brotli + r.brotli }), {
    name,
    raw: 0,
    gzip: 0,
    brotli: 0,
  });

/** { files: [{ name, raw, gzip, brotli, firstLoad }], firstLoad: totals, total: totals }. */
export function bundle(dist) {
  const names = readdirSync(dist)
    .filter((name) => /\.(wasm|js|css)$/.test(name))
    .filter((name) => statSync(join(dist, name)).isFile())
    .sort();
  if (names.length === 0) throw new Error(`no .wasm/.js/.css files in ${dist}; build first`);
  const first = new Set(firstLoadFiles(dist));
  for (const name of first) {
    if (!names.includes(name)) throw new Error(`${LOADER} fetches ${name}, which is not in ${dist}`);
  }
  const files = names.map((name) => ({ name, ...measure(readFileSync(join(dist, name))), firstLoad: first.has(name) }));
  return {
    files,
    firstLoad: sum('first load', files.filter((f) => f.firstLoad)),
    total: sum('total', files),
  };
}
