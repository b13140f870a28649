// Driver (stretch): Debian's WebKitGTK MiniBrowser through WebKitWebDriver (W3C WebDriver over plain
// HTTP, no npm client), under xvfb-run (it needs a display). WebDriver classic has no role query:
// candidates are picked in the page by role (explicit or implicit), then WebKit's own accessibility
// answers for each (`computedrole`, `computedlabel`). It has no init scripts and no console events
// (errors are recorded by a script put in after each navigation: one thrown while the page starts is
// not seen, though a failed start still shows as no "Connected"), so it runs the core journey only.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const MINIBROWSER = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const DEFAULT_TIMEOUT_MS = 10_000;
const POLL_MS = 100;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const normalized = (text) => (text ?? '').replace(/\s+/g, ' ').trim();

/** CSS for the elements that may have `role`, explicit or implicit (what the widget uses). */
const CANDIDATES = {
  button: 'button, [role="button"], input[type="button"], input[type="submit"]',
  textbox: 'input:not([type]), input[type="text"], input[type="search"], textarea, [role="textbox"]',
  region: 'section, [role="region"]',
  list: 'ul, ol, [role="list"]',
  listitem: 'li, [role="listitem"]',
  log: '[role="log"]',
  status: '[role="status"], output',
  dialog: 'dialog, [role="dialog"], [role="alertdialog"]',
  heading: 'h1, h2, h3, h4, h5, h6, [role="heading"]',
};

/** The processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid) {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // Field 4 of /proc/<pid>/stat is the parent; the command name (field 2) may hold spaces.
        return readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  async call(method, path, body) {
    const response = await fetch(`${this.base}/session/${this.id}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const reply = await response.json();
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${reply.value?.error}: ${reply.value?.message}`);
    return reply.value;
  }

  /** Runs `source` (a function's text) with `args`; elements go in and out as WebDriver references. */
  execute(source, args = []) {
    return this.call('POST', '/execute/async', {
      script: `const done = arguments[arguments.length - 1]; Promise.resolve((${source})(...Array.prototype.slice.call(arguments, 0, -1))).then(done, (e) => done({ __error: String(e) }));`,
      args,
    }).then((value) => {
      if (value && value.__error) throw new Error(value.__error);
      return value;
    });
  }
}

const ref = (id) => ({ [ELEMENT]: id });

// Runs in the page: console errors, uncaught errors and unhandled rejections into window.__wdProblems.
function collectErrors() {
  if (window.__wdProblems) return;
  window.__wdProblems = [];
  const error = console.error.bind(console);
  console.error = (...args) => {
    window.__wdProblems.push(`console.error: ${args.map(String).join(' ')}`);
    error(...args);
  };
  window.addEventListener('error', (event) => window.__wdProblems.push(`page error: ${event.message}`));
  window.addEventListener('unhandledrejection', (event) => window.__wdProblems.push(`page error: ${event.reason}`));
}

class Target {
  constructor(session, parent, find, what) {
    this.session = session;
    this.parent = parent;
    this.find = find; // async (rootIds) => ids
    this.what = what;
  }

  async elements() {
    const roots = this.parent ? await this.parent.elements() : [null];
    return this.find(roots);
  }

  child(find, what) {
    return new Target(this.session, this, find, `${this.what} » ${what}`);
  }

  /** Elements under `roots` matching `css`, filtered in the page by `predicate` (a function's text). */
  query(roots, css, predicate = '() => true', arg = null) {
    return this.session
      .execute(
        // Element references go as top-level arguments: WebKitWebDriver does not resolve nested ones.
        `(css, arg, ...roots) => { const keep = ${predicate}; return (roots.length ? roots : [document]).flatMap((root) => [...root.querySelectorAll(css)]).filter((e) => keep(e, arg)); }`,
        [css, arg, ...roots.filter(Boolean).map(ref)],
      )
      .then((elements) => elements.map((e) => e[ELEMENT]));
  }

  role(role, name) {
    const css = CANDIDATES[role] ?? `[role="${role}"]`;
    return this.child(async (roots) => {
      const kept = [];
      for (const id of await this.query(roots, css)) {
        // An element re-rendered away meanwhile answers with an error: it is not there any more.
        const found = await this.session.call('GET', `/element/${id}/computedrole`).catch(() => null);
        if (found !== role) continue;
        if (name !== undefined) {
          const label = await this.session.call('GET', `/element/${id}/computedlabel`).catch(() => null);
          if (normalized(label) !== name) continue;
        }
        kept.push(id);
      }
      return kept;
    }, `${role} ${JSON.stringify(name ?? '')}`);
  }

  text(text) {
    // The smallest elements whose text holds `text`.
    const predicate = `(e, t) => e.textContent.includes(t) && ![...e.children].some((c) => c.textContent.includes(t))`;
    return this.child((roots) => this.query(roots, '*', predicate, text), `text ${JSON.stringify(text)}`);
  }

  css(selector) {
    return this.child((roots) => this.query(roots, selector), selector);
  }

  filtered(text, exact) {
    return new Target(
      this.session,
      this.parent,
      async (roots) => {
        const ids = await this.find(roots);
        const texts = await this.session.execute('(...elements) => elements.map((e) => e.textContent)', ids.map(ref));
        return ids.filter((_, i) => (exact ? normalized(texts[i]) === normalized(text) : normalized(texts[i]).includes(normalized(text))));
      },
      `${this.what} ${exact ? '=' : 'with'} ${JSON.stringify(text)}`,
    );
  }

  withText(text) {
    return this.filtered(text, false);
  }

  withExactText(text) {
    return this.filtered(text, true);
  }

  async firstVisible() {
    for (const id of await this.elements()) if (await this.session.call('GET', `/element/${id}/displayed`)) return id;
    return null;
  }

  async waitVisible({ timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const id = await this.firstVisible().catch(() => null);
      if (id) return id;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${this.what} to be visible`);
      await sleep(POLL_MS);
    }
  }

  async waitHidden({ timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.firstVisible().catch(() => 'unknown')) === null) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${this.what} to be hidden`);
      await sleep(POLL_MS);
    }
  }

  async act(action) {
    const deadline = Date.now() + DEFAULT_TIMEOUT_MS;
    for (;;) {
      try {
        return await action(await this.waitVisible());
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(POLL_MS);
      }
    }
  }

  click() {
    return this.act((id) => this.session.call('POST', `/element/${id}/click`, {}));
  }

  fill(value) {
    return this.act(async (id) => {
      await this.session.call('POST', `/element/${id}/clear`, {});
      if (value !== '') await this.session.call('POST', `/element/${id}/value`, { text: value });
    });
  }

  press(key) {
    const keys = { Enter: '\uE007', Escape: '\uE00C', Tab: '\uE004' };
    return this.act((id) => this.session.call('POST', `/element/${id}/value`, { text: keys[key] ?? key }));
  }

  async count() {
    return (await this.elements()).length;
  }

  async textContent() {
    const [id] = await this.elements();
    if (!id) throw new Error(`no ${this.what}`);
    return this.session.execute('(e) => e.textContent', [ref(id)]);
  }

  inputValue() {
    return this.act((id) => this.session.call('GET', `/element/${id}/property/value`));
  }

  attribute(name) {
    return this.act((id) => this.session.call('GET', `/element/${id}/attribute/${name}`));
  }

  screenshot(path) {
    return this.act(async (id) => {
      writeFileSync(path, Buffer.from(await this.session.call('GET', `/element/${id}/screenshot`), 'base64'));
    });
  }
}

class Page extends Target {
  constructor(session, close) {
    super(session, null, async () => [null], 'page');
    this.problems = [];
    this.console = [];
    this.closeSession = close;
  }

  async elements() {
    return [null];
  }

  child(find, what) {
    return new Target(this.session, this, find, `page » ${what}`);
  }

  /** Navigates, then records errors from here on (WebDriver classic has no console events). */
  async goto(url) {
    await this.session.call('POST', '/url', { url });
    await this.session.execute(collectErrors.toString());
  }

  async reload() {
    await this.session.call('POST', '/refresh', {});
    await this.session.execute(collectErrors.toString());
  }

  /** Moves what the page recorded since the last navigation into `problems`. */
  async collectProblems() {
    const recorded = await this.session.execute('() => { const seen = window.__wdProblems ?? []; window.__wdProblems = []; return seen; }');
    this.problems.push(...recorded);
  }

  evaluate(fn, arg) {
    if (typeof fn === 'string') return this.session.execute(`() => (0, eval)(${JSON.stringify(fn)})`);
    return this.session.execute(fn.toString(), arg === undefined ? [] : [arg]);
  }

  addInitScript() {
    throw new Error('WebDriver classic has no init scripts: this journey does not run in WebKit');
  }

  async screenshot(path) {
    writeFileSync(path, Buffer.from(await this.session.call('GET', '/screenshot'), 'base64'));
  }

  close() {
    return this.closeSession();
  }
}

export const webkit = {
  name: 'webkit',
  async launch() {
    const port = await freePort();
    const server = spawn('xvfb-run', ['-a', '/usr/bin/WebKitWebDriver', `--port=${port}`], { stdio: 'ignore', detached: true });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await fetch(`${base}/status`, { signal: AbortSignal.timeout(1_000) });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not start: ${error.message}`);
        await sleep(200);
      }
    }
    return {
      name: 'webkit',
      async newContext() {
        // One WebDriver session is one MiniBrowser with its own storage: one page per context here.
        const response = await fetch(`${base}/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            capabilities: { alwaysMatch: { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } },
          }),
          signal: AbortSignal.timeout(30_000),
        });
        const { value } = await response.json();
        if (!value?.sessionId) throw new Error(`WebKitWebDriver refused a session: ${JSON.stringify(value)}`);
        const session = new Session(base, value.sessionId);
        let closed = false;
        const close = async () => {
          if (closed) return;
          closed = true;
          await fetch(`${base}/session/${value.sessionId}`, { method: 'DELETE', signal: AbortSignal.timeout(10_000) }).catch(() => {});
        };
        let opened = false;
        return {
          async newPage() {
            if (opened) throw new Error('the WebKit driver has one page per context');
            opened = true;
            await session.call('POST', '/window/rect', { width: 1024, height: 720 }).catch(() => {});
            return new Page(session, close);
          },
          close,
        };
      },
      async close() {
        // Stop WebKitWebDriver only: xvfb-run then stops Xvfb and removes its temporary folder itself.
        const exited = new Promise((resolve) => server.once('exit', resolve));
        for (const pid of childrenOf(server.pid)) process.kill(pid, 'SIGTERM');
        const timer = setTimeout(() => {
          try {
            process.kill(-server.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 5_000);
        await exited;
        clearTimeout(timer);
      },
    };
  },
};
