// The module-cycle check of the test command (scripts/module-cycles.mjs) fails on a circle and
// passes without one: it is run here on small crates written to a temporary directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'module-cycles.mjs');

function check(files) {
  const root = mkdtempSync(join(tmpdir(), 'imw-cycles-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const run = spawnSync(process.execPath, [script, root], { encoding: 'utf8', timeout: 10_000 });
    return { status: run.status, output: run.stdout + run.stderr };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('a circle through use trees, inline paths and super is found at both levels', () => {
  const { status, output } = check({
    'lib.rs': 'mod api;\nmod i18n;\nmod state;\n',
    'api/mod.rs': 'mod error;\n',
    'api/error.rs': 'use crate::i18n::{fill, Texts};\n',
    'i18n.rs': 'pub fn f(at: crate::state::Millis) {}\n',
    'state/mod.rs': 'mod model;\nmod notice;\npub use self::model::Millis;\nuse crate::{api::Error};\n',
    'state/model.rs': 'use super::notice::Notice;\npub type Millis = f64;\n',
    'state/notice.rs': 'use super::model::Action;\n',
  });
  assert.equal(status, 1, output);
  assert.match(output, /module cycle: .*: api → i18n → state → api/);
  assert.match(output, /\(in state\): state::model → state::notice → state::model/);
});

test('imports in one direction, a parent re-exporting its children, and tests that use anything pass', () => {
  const { status, output } = check({
    'lib.rs': 'mod api;\nmod state;\n',
    'api.rs': '// crate::state is not named here: use crate::state;\npub struct Error;\n#[cfg(test)]\nmod tests {\n    use crate::state::Model;\n}\n',
    'state/mod.rs': 'mod model;\npub use model::Model;\nuse crate::api::Error;\n',
    'state/model.rs': 'use super::Model as _;\npub struct Model { text: &\'static str }\nconst S: &str = "crate::api";\n',
  });
  assert.equal(status, 0, output);
  assert.match(output, /no module cycle/);
});
