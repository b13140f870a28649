// Trunk post-build step (scripts/post-build.mjs runs it before scripts/trunk-loader.mjs): cuts the WebAssembly module in two at the
// split points of src/ui/later.rs, so the first load carries only what the first screen needs.
// Trunk 0.21 cannot split, so this redoes its last steps from cargo's own output (linked with
// --emit-relocs, see .cargo/config.toml):
//   wasm-split-cli (wasm_split_cli_support)  → the main module, the `later` chunk, its JS loader
//   wasm-bindgen --keep-lld-exports          → the JS glue and the main module, as trunk makes them
//   wasm-opt -Os on each module (release)    → as trunk's data-wasm-opt="s"
// then names every file by one hash of the outputs and points index.html (its preload links and
// their integrity, its start-up script) at them instead of trunk's unsplit pair.
// A module without split points (the `split` feature off) is left as trunk made it.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fail = (message) => {
  console.error(`wasm-split: ${message}`);
  process.exit(1);
};
const staging = process.env.TRUNK_STAGING_DIR ?? fail('TRUNK_STAGING_DIR is not set (run by trunk as a post_build hook)');
const release = process.env.TRUNK_PROFILE === 'release';
const run = (tool, args) => {
  try {
    execFileSync(tool, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (error) {
    fail(`${tool} failed (${error.message.split('\n')[0]}); scripts/setup.sh installs it`);
  }
};

const indexPath = join(staging, 'index.html');
let html = readFileSync(indexPath, 'utf8');
const oldJs = html.match(/from '\.\/([^']+\.js)'/)?.[1];
const oldWasm = html.match(/module_or_path: '\.\/([^']+\.wasm)'/)?.[1];
if (!oldJs || !oldWasm) fail("no Trunk start-up script found in index.html; Trunk's output changed?");
const stem = oldJs.replace(/-[0-9a-f]+\.js$/, '').replace(/\.js$/, '');

// Cargo's output: the module before wasm-bindgen, where the split points are still imports.
const metadata = JSON.parse(execFileSync('cargo', ['metadata', '--format-version=1', '--no-deps', '--offline'], { encoding: 'utf8' }));
const input = join(metadata.target_directory, 'wasm32-unknown-unknown', release ? 'release' : 'debug', `${stem}.wasm`);
const raw = readFileSync(input);
if (!raw.includes('__wasm_split_placeholder__')) {
  console.log('wasm-split: no split points in the module (feature `split` off); left as trunk made it');
} else {
  if (!raw.includes('reloc.CODE')) fail(`${input} was linked without --emit-relocs (.cargo/config.toml sets it for wasm32)`);
  split();
}

function split() {
  const work = mkdtempSync(join(tmpdir(), 'imw-split-'));
  try {
    const split = join(work, 'split');
    const bound = join(work, 'bound');
    run('wasm-split-cli', ['--target', 'web', '--out-name', stem, input, split]);
    run('wasm-bindgen', ['--target=web', `--out-dir=${bound}`, `--out-name=${stem}`, '--keep-lld-exports', '--no-typescript', join(split, `${stem}.wasm`)]);
    const chunks = readdirSync(split).filter((f) => f.endsWith('.wasm') && f !== `${stem}.wasm`);
    const loader = readdirSync(split).find((f) => f.endsWith('.js'));
    if (!loader || chunks.length === 0) fail(`wasm-split-cli made no chunk or no loader in ${split}`);
    const modules = [[join(bound, `${stem}_bg.wasm`), `${stem}_bg.wasm`], ...chunks.map((c) => [join(split, c), c])];
    if (release) {
      for (const [path] of modules) run('wasm-opt', ['-Os', path, '-o', path]);
    }

    // One hash of everything names every file, so a host's cache never mixes two builds.
    const texts = { glue: readFileSync(join(bound, `${stem}.js`), 'utf8'), loader: readFileSync(join(split, loader), 'utf8') };
    const hash = createHash('sha256');
    for (const [path] of modules) hash.update(readFileSync(path));
    hash.update(texts.glue).update(texts.loader);
    const id = hash.digest('hex').slice(0, 16);
    const names = {
      glue: `${stem}-${id}.js`,
      main: `${stem}-${id}_bg.wasm`,
      loader: `imw-split-${id}.js`,
      chunks: Object.fromEntries(chunks.map((c) => [c, `imw-${c.replace(/^split_/, '').replace(/\.wasm$/, '')}-${id}.wasm`])),
    };
    const replaceAll = (text, from, to) => {
      if (!text.includes(from)) fail(`expected "${from}" in the generated JS; wasm-split-cli or wasm-bindgen changed?`);
      return text.split(from).join(to);
    };
    // Only the import's path: the imports object keeps the module name the wasm asks for.
    let glue = replaceAll(texts.glue, `from "./${loader}"`, `from "./${names.loader}"`);
    glue = glue.split(`${stem}_bg.wasm`).join(names.main);
    let chunkLoader = replaceAll(texts.loader, `from "./${stem}.js"`, `from "./${names.glue}"`);
    for (const [chunk, name] of Object.entries(names.chunks)) chunkLoader = replaceAll(chunkLoader, `"./${chunk}"`, `"./${name}"`);

    for (const file of [oldJs, oldWasm]) rmSync(join(staging, file));
    writeFileSync(join(staging, names.glue), glue);
    writeFileSync(join(staging, names.loader), chunkLoader);
    writeFileSync(join(staging, names.main), readFileSync(modules[0][0]));
    for (const [path, chunk] of modules.slice(1)) writeFileSync(join(staging, names.chunks[chunk]), readFileSync(path));

    // index.html: trunk's preload links (with their integrity) and start-up script, to the new pair.
    const integrity = (file) => `sha384-${createHash('sha384').update(readFileSync(join(staging, file))).digest('base64')}`;
    for (const [from, to] of [[oldJs, names.glue], [oldWasm, names.main]]) {
      html = html.replace(new RegExp(`<link[^>]*href="[^"]*${from.replace(/[.]/g, '\\.')}"[^>]*>`, 'g'), (tag) =>
        tag.replace(from, to).replace(/integrity="[^"]*"/, `integrity="${integrity(to)}"`),
      );
      html = html.split(from).join(to);
    }
    writeFileSync(indexPath, html);
    const kb = (file) => `${(readFileSync(join(staging, file)).length / 1000).toFixed(1)} KB`;
    console.log(
      `wasm-split: ${names.main} (${kb(names.main)}) + ${Object.values(names.chunks).map((c) => `${c} (${kb(c)})`).join(', ')}; ` +
        `${names.glue} imports ${names.loader}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
