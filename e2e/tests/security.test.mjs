// Security of the session (issue 9, item 5): the widget never stores credentials or tokens in the
// browser's storage; it talks only to the page's origin and the configured API origin, and sends the
// CSRF header only to the API; the CSRF token it sends is the one the server last gave (under the
// header name X-CSRF-HEADER names), followed when the server rotates it. The strict CSP is proven in
// embed.test.mjs ("the example desk page runs the widget under a strict CSP …").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSimulator } from '../lib/server.mjs';
import { WidgetPage, eventually } from '../lib/widget-page.mjs';
import { browserTests, ring, theyWrite } from '../lib/harness.mjs';

const withWidget = browserTests();

/** Everything the page keeps: both storages (keys and values), IndexedDB names, Cache Storage keys. */
const dumpStorage = (page) =>
  page.evaluate(async () => {
    const all = (storage) => Object.fromEntries(Object.keys(storage).map((key) => [key, storage.getItem(key)]));
    const databases = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [];
    const cacheKeys = [];
    for (const name of await caches.keys()) {
      cacheKeys.push(name);
      for (const request of await (await caches.open(name)).keys()) cacheKeys.push(request.url);
    }
    return { local: all(localStorage), session: all(sessionStorage), databases, cacheKeys };
  });

/** Records every request the page makes: URL, method and all headers. */
function recordRequests(page) {
  const seen = [];
  page.on('request', async (request) => {
    seen.push({ url: request.url(), method: request.method(), headers: await request.allHeaders().catch(() => request.headers()) });
  });
  return seen;
}

test('after a session of use and a reload, no cookie, token or credential is in any browser storage', { timeout: 90_000 }, async () => {
  await withWidget(async ({ sim, page, widget }) => {
    const requests = recordRequests(page);
    const tokens = new Set();
    page.on('response', (response) => {
      const token = response.headers()['x-csrf-token'];
      if (token) tokens.add(token);
    });
    // A session of use: one rings, the agent answers, they write, case data comes and is edited.
    const { id } = await ring(sim, '3003', { userData: { customer: 'Globex' } });
    await widget.openSession('3003');
    await widget.send('Hello, how can I help?');
    await theyWrite(sim, id, 'My invoice is wrong');
    await widget.transcript.getByText('My invoice is wrong', { exact: true }).waitFor();
    await sim.control('POST', `/sessions/${id}/user-data`, { userData: { caseId: 'CS-42' } });
    const caseId = widget.caseData.getByRole('definition').filter({ hasText: 'CS-42' });
    await caseId.waitFor();
    await page.reload();
    await widget.connection('Connected').waitFor();
    await widget.openSession('3003');
    await widget.transcript.getByText('My invoice is wrong', { exact: true }).waitFor();
    await page.waitForFunction(() => Object.keys(localStorage).length > 0);

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'JSESSIONID');
    assert.ok(session?.value, 'the page is signed in with a session cookie');
    assert.ok(tokens.size > 0, 'the server gave CSRF tokens');
    const stored = await dumpStorage(page);
    const text = JSON.stringify(stored);
    assert.ok(text.includes('My invoice is wrong'), 'the dump holds what the widget keeps (the transcript)');
    assert.ok(!text.includes(session.value), 'no JSESSIONID value in storage');
    for (const token of tokens) assert.ok(!text.includes(token), 'no CSRF token in storage');
    assert.doesNotMatch(text, /password|authorization|jsessionid|csrf/i, 'no credential or token names in storage');

    // Every request goes to the page's own origin (here also the API's); none carries credentials
    // the widget made up (Authorization).
    const origin = new URL(sim.url).origin;
    assert.ok(requests.length > 10);
    for (const request of requests) {
      assert.equal(new URL(request.url).origin, origin, `${request.method} ${request.url} stays on the page's origin`);
      assert.equal(request.headers.authorization, undefined, `${request.url}: no Authorization header`);
    }
  });
});

test('with a cross-origin API base, the CSRF header goes only to the API origin and the static files never get it', { timeout: 90_000 }, async () => {
  // Cookies are host-scoped (both origins are 127.0.0.1), so what is checked is where the widget
  // sends its CSRF header and API calls: only to the configured API origin.
  const api = await startTestSimulator('--cors-origin', '*', '--no-auth');
  try {
    await withWidget(async ({ sim, page }) => {
      const pageOrigin = new URL(sim.url).origin;
      const apiOrigin = new URL(api.url).origin;
      assert.notEqual(pageOrigin, apiOrigin);
      // The page's own widget goes; one on the cross-origin API base takes its place (as embed.test.mjs).
      await page.evaluate(() => window.GwsImWidget.unmount(document.querySelector('[data-gws-im-widget]')));
      const requests = recordRequests(page);
      await page.evaluate(async (apiBase) => {
        const host = document.createElement('div');
        host.id = 'cross-origin-widget';
        document.body.append(host);
        await window.GwsImWidget.mount(host, { apiBase, sound: false });
      }, `${api.url}/api/v2`);
      const widget = new WidgetPage(page);
      await widget.connection('Connected').waitFor();
      const { id } = await ring(api, '3005');
      await widget.openSession('3005');
      await widget.send('Across origins');
      await eventually(
        async () => (await api.control('GET', '/state')).sessions.find((s) => s.id === id)?.transcript.some((l) => l.direction === 'out'),
        { what: 'the message at the API' },
      );
      const withCsrf = requests.filter((r) => r.headers['x-csrf-token'] !== undefined);
      assert.ok(withCsrf.length > 0, 'writes carry the CSRF header');
      assert.ok(requests.some((r) => new URL(r.url).origin === apiOrigin), 'the API origin was called');
      for (const request of requests) {
        const where = new URL(request.url).origin;
        assert.ok([pageOrigin, apiOrigin].includes(where), `${request.url}: only the page and the API origins`);
        if (where === pageOrigin) {
          assert.equal(request.method, 'GET', `${request.url}: the page origin only serves static files`);
          assert.equal(request.headers['x-csrf-token'], undefined, `${request.url}: no CSRF header to the page origin`);
          assert.ok(!new URL(request.url).pathname.startsWith('/api/'), `${request.url}: the API is not called on the page origin`);
        }
      }
      await page.evaluate(() => window.GwsImWidget.unmount(document.getElementById('cross-origin-widget')));
    });
  } finally {
    await api.stop();
  }
});

test('the CSRF token sent is the last one the server gave, under the header name it named, and a rotation is followed', { timeout: 90_000 }, async () => {
  let rotate = false;
  const rotated = { seen: false };
  const posts = [];
  let realToken;
  await withWidget(
    async ({ sim, widget }) => {
      const { id } = await ring(sim, '3003');
      await widget.openSession('3003');
      await widget.send('before the rotation');
      // Generous: every request of this page goes through a Playwright route.
      await widget.transcript.locator('.imw-line--outgoing').getByText('Sent', { exact: true }).waitFor({ timeout: 30_000 });
      const first = posts.at(-1);
      assert.equal(first.headers['x-csrf-token'], realToken, 'the token of the last GET, under X-CSRF-TOKEN');

      // The server rotates: the next GET names another header and another token.
      rotate = true;
      await sim.control('POST', '/faults/unknown-client'); // a new CometD session re-reads the list (a GET)
      await eventually(() => rotated.seen, { what: 'a GET with the rotated token' });
      await widget.send('after the rotation');
      await eventually(async () => (await sim.control('GET', '/state')).sessions.find((s) => s.id === id).transcript.some((l) => l.text === 'after the rotation'), {
        what: 'the message after the rotation at the server',
      });
      const last = posts.at(-1);
      assert.equal(last.headers['x-rotated-csrf'], 'rotated-token-2', 'the rotated token, under the rotated header name');
      assert.equal(last.headers['x-csrf-token'], undefined, 'not the old header any more');
    },
    {
      routes: [
        [
          '**/api/v2/**',
          async (route) => {
            const request = route.request();
            if (request.method() === 'POST' && !request.url().includes('/notifications')) {
              const headers = request.headers();
              posts.push({ url: request.url(), headers });
              // The simulator knows only its own token and header: hand it what it expects.
              const { 'x-rotated-csrf': rotatedToken, ...rest } = headers;
              return route.continue({ headers: rotatedToken ? { ...rest, 'x-csrf-token': realToken } : headers });
            }
            if (request.method() !== 'GET') return route.continue();
            const response = await route.fetch();
            const headers = response.headers();
            if (headers['x-csrf-token']) realToken = headers['x-csrf-token'];
            if (!rotate) return route.fulfill({ response });
            rotated.seen = true;
            return route.fulfill({ response, headers: { ...headers, 'x-csrf-header': 'X-Rotated-Csrf', 'x-csrf-token': 'rotated-token-2' } });
          },
        ],
      ],
    },
  );
});
