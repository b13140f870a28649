#!/usr/bin/env node
// Fails when the modules of a crate import each other in a circle (issue 15).
//
//   node scripts/module-cycles.mjs src simulator/src      # exits 1 and names every circle found
//   node scripts/module-cycles.mjs --mermaid src          # the top level as a Mermaid flowchart
//
// For each crate source directory it reads every `.rs` file, takes its module path from the file's
// place (src/state/reduce.rs → state::reduce), and collects what it names: `use` trees and inline
// paths starting with `crate::`, `super::` or `self::`. A path names the longest known module it
// starts with. Two levels are checked:
//   - the top level: `a → b` when anything in `a` (or below it) names something in `b` (or below);
//   - inside each folder: between sibling modules (`state::reduce → state::stored`); a module's own
//     parent (`mod.rs` that declares and re-exports it) is not a sibling.
// Code under `#[cfg(test)]` (test modules, inline or in their own file) is left out: tests may use
// anything. `main.rs` is its own crate and is skipped.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

function rustFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...rustFiles(path));
    else if (name.endsWith('.rs')) found.push(path);
  }
  return found;
}

/** src/state/reduce.rs → ['state', 'reduce']; lib.rs / mod.rs name their folder. */
function modulePath(root, file) {
  const parts = relative(root, file).split(sep);
  const last = parts.pop().replace(/\.rs$/, '');
  if (last !== 'mod' && last !== 'lib') parts.push(last);
  return parts;
}

/** The source without comments, string contents and `#[cfg(test)]` items. */
function code(text) {
  let out = '';
  for (let i = 0; i < text.length; ) {
    if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (text[i] === '"' && text[i - 1] !== "'") {
      i += 1;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i += 1;
      out += '""';
    } else if (text.startsWith('r#"', i)) {
      const end = text.indexOf('"#', i + 3);
      i = end < 0 ? text.length : end + 2;
      out += '""';
    } else {
      out += text[i];
      i += 1;
    }
  }
  return withoutTestItems(out);
}

/** Removes every item (`mod tests { … }`, `fn`, `use …;`) gated by `#[cfg(test)]` or `#[cfg(all(test, …))]`. */
function withoutTestItems(source) {
  const gate = /#\[cfg\((?:test|all\(test\b[^\]]*\)|all\([^\]]*\btest\))\)\]/g;
  let out = '';
  let from = 0;
  for (let match; (match = gate.exec(source)); ) {
    if (match.index < from) continue;
    out += source.slice(from, match.index);
    let i = match.index + match[0].length;
    // The item ends at its `;` or at the `}` closing its first `{`, whichever comes first.
    let depth = 0;
    for (; i < source.length; i += 1) {
      const c = source[i];
      if (c === ';' && depth === 0) break;
      if (c === '{') depth += 1;
      if (c === '}') {
        depth -= 1;
        if (depth === 0) break;
      }
    }
    from = i + 1;
    gate.lastIndex = from;
  }
  return out + source.slice(from);
}

/** `a::{b, c::{d, e}}` → ['a::b', 'a::c::d', 'a::c::e']. */
function expandUse(tree) {
  tree = tree.replace(/\s+/g, '');
  const brace = tree.indexOf('{');
  if (brace < 0) return [tree.replace(/as\w+$/, '')];
  const prefix = tree.slice(0, brace);
  const inner = tree.slice(brace + 1, tree.lastIndexOf('}'));
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i += 1) {
    if (inner[i] === '{') depth += 1;
    if (inner[i] === '}') depth -= 1;
    if (inner[i] === ',' && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts.filter(Boolean).flatMap((part) => expandUse(part).map((p) => (p === 'self' ? prefix.replace(/::$/, '') : prefix + p)));
}

/** An absolute module path for `path` as written in module `here`, or null (another crate, a local name). */
function resolve(path, here) {
  const segments = path.split('::').filter(Boolean);
  let base;
  if (segments[0] === 'crate') base = [];
  else if (segments[0] === 'self') base = [...here];
  else if (segments[0] === 'super') base = [...here];
  else return null;
  if (segments[0] !== 'crate' && segments[0] !== 'self') {
    // One step up per leading `super`.
    while (segments[0] === 'super') {
      base.pop();
      segments.shift();
    }
    return [...base, ...segments];
  }
  return [...base, ...segments.slice(1)];
}

function graph(root) {
  const files = rustFiles(root).filter((file) => !/(^|\/)main\.rs$/.test(relative(root, file)));
  const modules = new Map(files.map((file) => [modulePath(root, file).join('::'), file]));
  const isTestFile = (path) => path.split('::').some((segment) => segment === 'tests');
  const edges = [];
  for (const [name, file] of modules) {
    if (isTestFile(name)) continue;
    const here = name ? name.split('::') : [];
    // Inside a file, `super` is the parent of the file's module; inline `mod x { }` blocks are rare
    // outside tests and are counted as the file.
    const source = code(readFileSync(file, 'utf8'));
    const paths = [];
    for (const [, tree] of source.matchAll(/\buse\s+([^;]+);/g)) paths.push(...expandUse(tree));
    const inline = source.replace(/\buse\s+[^;]+;/g, '');
    for (const [path] of inline.matchAll(/\b(?:crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)+/g)) paths.push(path);
    for (const path of paths) {
      const absolute = resolve(path, here);
      if (!absolute) continue;
      // The longest known module the path starts with.
      for (let n = absolute.length; n > 0; n -= 1) {
        const target = absolute.slice(0, n).join('::');
        if (modules.has(target)) {
          if (target !== name && !isTestFile(target)) edges.push([name, target]);
          break;
        }
      }
    }
  }
  return edges;
}

/** Tarjan's strongly connected components of more than one node. */
function circles(edges) {
  const next = new Map();
  for (const [from, to] of edges) {
    if (!next.has(from)) next.set(from, new Set());
    if (!next.has(to)) next.set(to, new Set());
    next.get(from).add(to);
  }
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    indices.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node)) {
      if (!indices.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node), indices.get(to)));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...next.keys()].sort()) if (!indices.has(node)) visit(node);
  return found.map((component) => ({ component, next }));
}

/** One circle through `component`, as `a → b → a`, for the message. */
function oneLoop({ component, next }) {
  const members = new Set(component);
  const start = component[0];
  const path = [start];
  const seen = new Set([start]);
  const walk = (node) => {
    for (const to of [...next.get(node)].sort()) {
      if (!members.has(to)) continue;
      if (to === start) return true;
      if (seen.has(to)) continue;
      seen.add(to);
      path.push(to);
      if (walk(to)) return true;
      path.pop();
    }
    return false;
  };
  walk(start);
  return [...path, start].join(' → ');
}

/** The edges between `level`'s members: top level (`[]`) or the children of one folder. */
function levelEdges(edges, level) {
  const depth = level.length;
  const prefix = level.join('::');
  const key = (name) => {
    const parts = name ? name.split('::') : [];
    if (parts.length <= depth || parts.slice(0, depth).join('::') !== prefix) return null;
    return parts.slice(0, depth + 1).join('::');
  };
  return edges.map(([from, to]) => [key(from), key(to)]).filter(([from, to]) => from && to && from !== to);
}

let failed = false;
const mermaid = process.argv.includes('--mermaid');
for (const root of process.argv.slice(2).filter((a) => !a.startsWith('--'))) {
  if (mermaid) {
    // The top level as a Mermaid flowchart, for docs/ARCHITECTURE.md.
    const top = new Set(levelEdges(graph(root), []).map(([f, t]) => `    ${f.replace(/\W/g, '_')} --> ${t.replace(/\W/g, '_')}`));
    console.log(['```mermaid', `%% ${root}: generated by node scripts/module-cycles.mjs --mermaid ${root}`, 'flowchart TD', ...[...top].sort(), '```'].join('\n'));
    continue;
  }
  const edges = graph(root);
  const folders = new Set([[]].map((l) => l.join('::')));
  for (const [from, to] of edges) {
    for (const name of [from, to]) {
      const parts = name.split('::');
      for (let n = 1; n < parts.length; n += 1) folders.add(parts.slice(0, n).join('::'));
    }
  }
  const problems = [];
  for (const folder of [...folders].sort()) {
    const level = folder ? folder.split('::') : [];
    for (const circle of circles(levelEdges(edges, level))) {
      if (process.env.MODULE_CYCLES_WHY) {
        const members = new Set(circle.component);
        const at = (name) => [...members].find((m) => name === m || name.startsWith(`${m}::`));
        const why = [...new Set(edges.filter(([f, t]) => at(f) && at(t) && at(f) !== at(t)).map(([f, t]) => `  ${f} → ${t}`))];
        console.error(why.join('\n'));
      }
      problems.push(`${root}${folder ? ` (in ${folder})` : ''}: ${oneLoop(circle)}  [${circle.component.join(', ')}]`);
    }
  }
  if (problems.length) {
    failed = true;
    for (const problem of problems) console.error(`module cycle: ${problem}`);
  } else {
    console.log(`${root}: no module cycle (${new Set(edges.map((e) => e.join('>'))).size} imports between ${new Set(edges.flat()).size} modules)`);
  }
}
process.exit(failed ? 1 : 0);
