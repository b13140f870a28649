// Prints the release bundle's sizes (raw, gzip -9, brotli q11) per file, for the first load (what
// imw-loader.js fetches before the widget can show anything) and in total; with --check, fails when
// either brotli figure passes its budget in scripts/size-budget.json. --json prints the figures.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = process.env.DIST_DIR ?? join(root, 'dist');
const budget = JSON.parse(readFileSync(join(root, 'scripts', 'size-budget.json'), 'utf8'));

let figures;
try {
  figures = bundle(dist);
} catch (error) {
  console.error(`size-report: ${error.message}`);
  process.exit(1);
}
const { files, firstLoad, total } = figures;

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ files, firstLoad, total, budget }));
  process.exit(0);
}

const kb = (bytes) => (bytes / 1000).toFixed(1).padStart(8);
console.log(`bundle size (KB = 1000 bytes)         raw     gzip   brotli`);
for (const r of files) {
  console.log(`${(r.firstLoad ? '* ' : '  ') + r.name}`.padEnd(32) + ` ${kb(r.raw)} ${kb(r.gzip)} ${kb(r.brotli)}`);
}
for (const r of [firstLoad, total]) console.log(`${r.name.padEnd(32)} ${kb(r.raw)} ${kb(r.gzip)} ${kb(r.brotli)}`);
console.log(
  `(* first load) budget: first load <= ${(budget.maxFirstLoadBrotliBytes / 1000).toFixed(1)} KB, ` +
    `total <= ${(budget.maxBrotliBytes / 1000).toFixed(1)} KB brotli`,
);

if (process.argv.includes('--check')) {
  const over = [
    [firstLoad.brotli, budget.maxFirstLoadBrotliBytes, 'first load'],
    [total.brotli, budget.maxBrotliBytes, 'total'],
  ].filter(([bytes, max]) => !(bytes <= max));
  for (const [bytes, max, what] of over) {
    console.error(
      `size-report: the bundle's ${what} is ${bytes} bytes brotli, over its budget of ${max}. ` +
        'Shrink it, or raise scripts/size-budget.json in a commit that says why.',
    );
  }
  if (over.length) process.exit(1);
}
