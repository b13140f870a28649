// Several tabs of one browser share one CometD connection: one tab (the Web Lock holder) long-polls
// and shares every notification on a BroadcastChannel; when it closes another takes the same CometD
// client over, so nothing published meanwhile is missed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSimulator } from '../lib/server.mjs';
import { launchBrowser } from '../lib/browser.mjs';
import { WidgetPage, eventually } from '../lib/widget-page.mjs';
import { shown } from '../lib/compare.mjs';

let browser;
let sim;
before(async () => {
  browser = await launchBrowser();
  sim = await startTestSimulator();
});
after(async () => {
  await browser?.close();
  await sim?.stop();
});

/** A page of `context` whose console errors and page errors are collected in `page.problems`. */
async function tab(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.setDefaultTimeout(10_000);
  return page;
}

const isLeader = (page) => page.evaluate(() => window.__imwLeader === true);
const clients = async () => (await sim.control('GET', '/state')).bayeux.clients;
const theyWrite = (id, text) => sim.control('POST', `/sessions/${id}/messages`, { text });
const incoming = (widget, text) => widget.transcript.locator('.imw-line--incoming').filter({ hasText: text });
const outgoing = (widget, text) => widget.transcript.locator('.imw-line--outgoing').filter({ hasText: text });

test('two tabs share one CometD client; the other takes it over when the leader closes, missing nothing', { timeout: 90_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  try {
    const first = await tab(context);
    const one = await new WidgetPage(first).openConnected(sim.url);
    await eventually(() => isLeader(first), { what: 'the first tab to lead' });
    const second = await tab(context);
    const two = await new WidgetPage(second).openConnected(sim.url);
    assert.equal(await isLeader(second), false, 'the second tab follows');
    await second.waitForTimeout(1_000);
    const before = await clients();
    assert.equal(before.length, 1, `exactly one CometD client: ${JSON.stringify(before)}`);

    const { id } = await sim.control('POST', '/sessions', { from: '3003' });
    await one.row('3003').waitFor();
    await two.row('3003').waitFor();
    await theyWrite(id, 'Hello from the customer');
    await one.openSession('3003');
    await two.openSession('3003');
    for (const widget of [one, two]) await incoming(widget, 'Hello from the customer').waitFor();

    // The follower sends: both tabs show it once, as the agent's, never as the customer's.
    await two.send('Reply typed in the second tab');
    for (const widget of [one, two]) {
      await outgoing(widget, 'Reply typed in the second tab').waitFor();
    }
    await eventually(
      async () => {
        const state = await sim.control('GET', '/state');
        const session = state.sessions.find((s) => s.id === id);
        return session.transcript.filter((m) => m.text === 'Reply typed in the second tab').length === 1;
      },
      { what: 'the server to hold the reply once' },
    );
    await second.waitForTimeout(700);
    for (const widget of [one, two]) {
      assert.equal(await outgoing(widget, 'Reply typed in the second tab').count(), 1, 'shown once as the agent’s');
      assert.equal(await incoming(widget, 'Reply typed in the second tab').count(), 0, 'the echo is not theirs');
    }

    // The leader closes (no /meta/disconnect: the page just goes); messages keep coming.
    await first.close();
    const missed = ['After close 1', 'After close 2', 'After close 3'];
    for (const text of missed) await theyWrite(id, text);
    for (const text of missed) await incoming(two, text).waitFor({ timeout: 8_000 });
    await eventually(() => isLeader(second), { what: 'the second tab to lead' });
    await theyWrite(id, 'After the takeover');
    await incoming(two, 'After the takeover').waitFor();
    await second.waitForTimeout(500);
    for (const text of [...missed, 'After the takeover']) {
      assert.equal(await incoming(two, text).count(), 1, `"${text}" shown once`);
    }
    assert.equal(await two.transcript.getByText('Messages may be missing').count(), 0, 'no gap');
    await two.connection('Connected').waitFor();
    const after = await clients();
    assert.deepEqual(
      after.map((c) => c.clientId),
      before.map((c) => c.clientId),
      'the second tab carries on the same CometD client',
    );
    assert.deepEqual(second.problems, []);
  } finally {
    await context.close();
  }
});

test('a message that fails in one tab shows failed in every tab, and a retry confirms it everywhere once', { timeout: 90_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  try {
    const one = await new WidgetPage(await tab(context)).openConnected(sim.url);
    const two = await new WidgetPage(await tab(context)).openConnected(sim.url);
    const { id } = await sim.control('POST', '/sessions', { from: '3006' });
    await theyWrite(id, 'Are you there?');
    await one.openSession('3006');
    await two.openSession('3006');
    await two.send('Yes, one moment');
    for (const widget of [one, two]) await outgoing(widget, 'Yes, one moment').filter({ hasText: 'Sent' }).waitFor();

    await sim.control('PUT', '/faults', { serverErrorsForMs: 60_000 });
    await two.send('This meets a server error');
    for (const widget of [one, two]) {
      await outgoing(widget, 'This meets a server error').filter({ hasText: 'Not sent' }).waitFor();
    }
    await sim.control('DELETE', '/faults');
    await two.transcript.getByRole('button', { name: 'Retry' }).click();
    for (const widget of [one, two]) {
      await eventually(async () => (await widget.transcript.getByText(/Not sent/).count()) === 0, {
        what: 'the retried message to be confirmed in every tab',
      });
      assert.equal(await outgoing(widget, 'This meets a server error').count(), 1, 'one line, not two');
      assert.equal(await incoming(widget, 'This meets a server error').count(), 0, 'never shown as theirs');
    }
  } finally {
    await context.close();
  }
});

// --- No period without a live Bayeux session goes unmarked (issue 13, item 5) -------------------

/** Init script for a follower: it never hears the leader's resume token (as if the leader died first). */
function dropResumeTokens() {
  const proto = BroadcastChannel.prototype;
  const onmessage = Object.getOwnPropertyDescriptor(proto, 'onmessage');
  window.__imwDroppedTokens = 0;
  Object.defineProperty(proto, 'onmessage', {
    configurable: true,
    get() {
      return onmessage.get.call(this);
    },
    set(handler) {
      const filtered =
        handler &&
        ((event) => {
          // A token crosses alone (a Hello's answer) or last in the bundle of a connect reply's
          // events: the token goes, the events still arrive.
          let message = null;
          try {
            message = typeof event.data === 'string' ? JSON.parse(event.data) : null;
          } catch {
            message = null;
          }
          if (message?.kind === 'resume') {
            window.__imwDroppedTokens += 1;
            return;
          }
          if (message?.kind === 'bundle' && Array.isArray(message.messages)) {
            const kept = message.messages.filter((m) => m?.kind !== 'resume');
            if (kept.length !== message.messages.length) {
              window.__imwDroppedTokens += message.messages.length - kept.length;
              handler.call(this, new MessageEvent('message', { data: JSON.stringify({ ...message, messages: kept }) }));
              return;
            }
          }
          handler.call(this, event);
        });
      onmessage.set.call(this, filtered);
    },
  });
}

/**
 * Holds every `/meta/handshake` of `page` for `ms` before it leaves, so whatever is published
 * meanwhile can reach no CometD client. Resolves to a counter of the handshakes held.
 */
async function holdHandshakes(page, ms) {
  const held = { count: 0 };
  await page.route('**/notifications', async (route) => {
    if ((route.request().postData() ?? '').includes('/meta/handshake')) {
      held.count += 1;
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
    await route.continue().catch(() => {});
  });
  return held;
}

/**
 * In session `number`, "before" and "after" are shown exactly once, and "during" is shown exactly
 * once or a gap marker stands between them where it would be; with `gapRequired`, the marker is
 * there whatever happened to "during". Returns whether "during" was shown.
 */
async function assertShownOrInGap(widget, number, { before, during, after, gapRequired = false }, where) {
  const { lines } = await shown(widget, number);
  const at = (text) => lines.flatMap((line, index) => (line.kind === 'incoming' && line.text === text ? [index] : []));
  const [beforeAt, duringAt, afterAt] = [at(before), at(during), at(after)];
  const what = `${where}, session with ${number}: ${JSON.stringify(lines.map((l) => `${l.kind}:${l.text}`))}`;
  assert.equal(beforeAt.length, 1, `${what}: "${before}" once`);
  assert.equal(afterAt.length, 1, `${what}: "${after}" once`);
  assert.ok(duringAt.length <= 1, `${what}: "${during}" not twice`);
  const gapBetween = lines.some((line, index) => line.kind === 'gap' && index > beforeAt[0] && index < afterAt[0]);
  if (duringAt.length === 0 || gapRequired) {
    assert.ok(gapBetween, `${what}: ${duringAt.length ? '' : `"${during}" missing and `}no gap marker between "${before}" and "${after}"`);
  }
  assert.equal(lines.filter((l) => l.kind === 'incoming').length, new Set(lines.filter((l) => l.kind === 'incoming').map((l) => l.text)).size, `${what}: nothing twice`);
  return duringAt.length === 1;
}

/** Two sessions, rung before any tab opens; resolves to [{ id, number }]. */
async function twoSessions(first, second) {
  const sessions = [];
  for (const number of [first, second]) sessions.push({ number, id: (await sim.control('POST', '/sessions', { from: number })).id });
  return sessions;
}

const everyone = (sessions, text) => Promise.all(sessions.map(({ id }) => theyWrite(id, text)));

test('a leader that dies before a follower heard any token: the new leader handshakes afresh and every tab marks the gap in every session', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  try {
    const sessions = await twoSessions('3101', '3102');
    const first = await tab(context);
    const one = await new WidgetPage(first).openConnected(sim.url);
    await eventually(() => isLeader(first), { what: 'the first tab to lead' });
    const followers = [];
    for (let n = 0; n < 2; n += 1) {
      const page = await tab(context);
      await page.addInitScript(dropResumeTokens);
      followers.push({ page, widget: await new WidgetPage(page).openConnected(sim.url), held: await holdHandshakes(page, 1_500) });
    }
    await everyone(sessions, 'Before the hand-over');
    for (const { widget } of [{ widget: one }, ...followers]) {
      for (const { number } of sessions) {
        await widget.openSession(number);
        await incoming(widget, 'Before the hand-over').waitFor();
      }
    }
    for (const { page } of followers) {
      assert.equal(await isLeader(page), false, 'followers follow');
      assert.ok((await page.evaluate(() => window.__imwDroppedTokens)) > 0, 'the leader sent a token this follower never heard');
    }
    const before = new Set((await clients()).map((c) => c.clientId));

    // The leader goes; while the next one's handshake is held, both sessions get a message that can
    // reach no CometD client.
    await first.close();
    await everyone(sessions, 'During the hand-over');
    const leader = await eventually(
      async () => {
        for (const follower of followers) if (await isLeader(follower.page)) return follower;
        return null;
      },
      { what: 'a follower to lead' },
    );
    // Old clients linger until the server sweeps them; exactly one new one serves both tabs.
    const fresh = await eventually(
      async () => {
        const up = (await clients()).filter((c) => !before.has(c.clientId) && c.connected);
        return up.length ? up : null;
      },
      { what: 'the new leader’s own CometD client', timeoutMs: 15_000 },
    );
    assert.equal(fresh.length, 1, `one new CometD client (the old one was not resumed): ${JSON.stringify(fresh)}`);
    assert.ok(leader.held.count > 0, 'the new leader handshook afresh (and was held)');
    for (const { widget } of followers) await widget.connection('Connected').waitFor({ timeout: 15_000 });

    await everyone(sessions, 'After the hand-over');
    for (const [n, { page, widget }] of followers.entries()) {
      for (const { number } of sessions) {
        await widget.openSession(number);
        await incoming(widget, 'After the hand-over').waitFor();
        await assertShownOrInGap(
          widget,
          number,
          { before: 'Before the hand-over', during: 'During the hand-over', after: 'After the hand-over' },
          `${page === leader.page ? 'new leader' : 'follower'} ${n}`,
        );
      }
      assert.equal(await page.locator('[data-imw-crashed]').count(), 0);
      assert.deepEqual(page.problems, []);
    }
  } finally {
    await context.close();
  }
});

test('reloading the only tab while a message is published: it is shown, or the gap marker covers it, in every session', { timeout: 90_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  try {
    const sessions = await twoSessions('3201', '3202');
    const page = await tab(context);
    const widget = await new WidgetPage(page).openConnected(sim.url);
    await everyone(sessions, 'Before the reload');
    for (const { number } of sessions) {
      await widget.openSession(number);
      await incoming(widget, 'Before the reload').waitFor();
    }
    // Kept (storage is written once a second), and live for a while.
    await page.waitForTimeout(1_500);
    const before = new Set((await clients()).map((c) => c.clientId));
    const held = await holdHandshakes(page, 1_500);

    const reloading = page.reload();
    await everyone(sessions, 'During the reload');
    await reloading;
    await widget.connection('Connected').waitFor({ timeout: 15_000 });
    assert.ok(held.count > 0, 'the reloaded page handshook afresh (and was held)');
    const fresh = (await clients()).filter((c) => !before.has(c.clientId));
    assert.equal(fresh.length, 1, `the reloaded page has one new CometD client: ${JSON.stringify(fresh)}`);

    await everyone(sessions, 'After the reload');
    for (const { number } of sessions) {
      await widget.openSession(number);
      await incoming(widget, 'After the reload').waitFor();
      await assertShownOrInGap(widget, number, { before: 'Before the reload', during: 'During the reload', after: 'After the reload' }, 'reloaded tab');
    }
    assert.equal(await page.locator('[data-imw-crashed]').count(), 0);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});

test('a simulator restart under two tabs: a new CometD client, the list re-read, and the gap marked in every tab and every session', { timeout: 90_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  try {
    const sessions = await twoSessions('3301', '3302');
    const pages = [];
    for (let n = 0; n < 2; n += 1) {
      const page = await tab(context);
      pages.push({ page, widget: await new WidgetPage(page).openConnected(sim.url) });
    }
    await everyone(sessions, 'Before the restart');
    for (const { widget } of pages) {
      for (const { number } of sessions) {
        await widget.openSession(number);
        await incoming(widget, 'Before the restart').waitFor();
      }
    }
    const before = new Set((await clients()).map((c) => c.clientId));
    for (const entry of pages) entry.held = await holdHandshakes(entry.page, 1_500);
    const lists = { count: 0 };
    for (const { page } of pages) {
      page.on('request', (request) => {
        if (request.method() === 'GET' && /\/me\/im-sessions/.test(request.url())) lists.count += 1;
      });
    }

    await sim.control('POST', '/restart');
    await everyone(sessions, 'During the restart');
    await eventually(async () => (await clients()).some((c) => !before.has(c.clientId)), {
      what: 'a new CometD client after the restart',
      timeoutMs: 20_000,
    });
    for (const { widget } of pages) await widget.connection('Connected').waitFor({ timeout: 15_000 });
    assert.equal(pages.reduce((sum, { held }) => sum + held.count, 0), 1, 'exactly one tab handshook again');
    assert.equal((await clients()).length, 1, 'still one CometD client for both tabs');
    await eventually(() => lists.count >= 2, { what: 'every tab to re-read the list' });

    await everyone(sessions, 'After the restart');
    for (const [n, { page, widget }] of pages.entries()) {
      for (const { number } of sessions) {
        await widget.openSession(number);
        await incoming(widget, 'After the restart').waitFor();
        await assertShownOrInGap(
          widget,
          number,
          { before: 'Before the restart', during: 'During the restart', after: 'After the restart', gapRequired: true },
          `tab ${n}`,
        );
      }
      assert.equal(await page.locator('[data-imw-crashed]').count(), 0);
      assert.deepEqual(page.problems.filter((p) => !/Failed to load resource/.test(p)), []);
    }
  } finally {
    await context.close();
  }
});
