// Prints the release bundle's sizes (raw, gzip -9, brotli q11) per file and in total, and with
// --check fails when the total brotli size passes the budget kept in scripts/size-budget.json.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = process.env.DIST_DIR ?? join(root, 'dist');
const budget = JSON.parse(readFileSync(join(root, 'scripts', 'size-budget.json'), 'utf8'));

const files = readdirSync(dist)
  .filter((name) => /\.(wasm|js|css)$/.test(name))
  .filter((name) => statSync(join(dist, name)).isFile())
  .sort();
if (files.length === 0) {
  console.error(`size-report: no .wasm/.js/.css files in ${dist}; build first`);
  process.exit(1);
}

const kb = (bytes) => (bytes / 1000).toFixed(1).padStart(8);
const rows = files.map((name) => {
  const bytes = readFileSync(join(dist, name));
  return {
    name,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
});
const total = rows.reduce(
  (sum, r) => ({ name: 'total', raw: sum.raw + r.raw, gzip: sum.gzip + r.gzip, brotli: sum.brotli + r.brotli }),
  { raw: 0, gzip: 0, brotli: 0 },
);

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ files: rows, total, budget: budget.maxBrotliBytes }));
  process.exit(0);
}

console.log(`bundle size (KB = 1000 bytes)     raw     gzip   brotli`);
for (const r of [...rows, total]) {
  console.log(`${r.name.padEnd(28)} ${kb(r.raw)} ${kb(r.gzip)} ${kb(r.brotli)}`);
}
console.log(`budget: total brotli <= ${(budget.maxBrotliBytes / 1000).toFixed(1)} KB`);

if (process.argv.includes('--check') && total.brotli > budget.maxBrotliBytes) {
  console.error(
    `size-report: the bundle is ${total.brotli} bytes brotli, over the budget of ${budget.maxBrotliBytes}. ` +
      'Shrink it, or raise scripts/size-budget.json in a commit that says why.',
  );
  process.exit(1);
}
