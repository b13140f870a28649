// Malformed and extreme input (issue 9): non-JSON, truncated JSON, wrong types and nulls from the
// REST API and in CometD replies, a notification for an unknown session, a 1 MB message, 5,000
// case-data keys, 1,000 sessions. Each gives a clear state or message, never a panic (the harness
// checks the panic hook never fired) and never a frozen page: no task of a second or more
// (PerformanceObserver "longtask"), which is the bound, not a speed target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../lib/widget-page.mjs';
import { browserTests, ring, theyWrite } from '../lib/harness.mjs';

const withWidget = browserTests();

const watchLongTasks = (page) =>
  page.evaluate(() => {
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
const assertNoFreeze = async (page, what) => {
  const longest = await page.evaluate(() => window.__longest);
  assert.ok(longest < 1000, `${what}: the page froze for ${Math.round(longest)} ms`);
};

// Each bad body and the reason the agent is told beyond the fixed "Could not load IM sessions." prefix.
const BAD_BODIES = {
  'non-JSON': ['<html><body>502 Bad Gateway</body></html>', 'The server sent something unreadable (not JSON).'],
  'truncated JSON': ['{"statusCode":0,"imSessions":[{"id":"x","state":"Tal', 'The server sent something unreadable (not JSON).'],
  'wrong types': ['{"statusCode":"zero","imSessions":{"id":7}}', 'The server sent something unreadable (statusCode is not a number: "zero").'],
  null: ['null', 'The server sent something unreadable (not a JSON object).'],
  'an array': ['[1,2,3]', 'The server sent something unreadable (not a JSON object).'],
};

for (const [name, [body, reason]] of Object.entries(BAD_BODIES)) {
  test(`a session list reply that is ${name} gives a clear message with its reason, no panic`, { timeout: 60_000 }, async () => {
    let served = 0;
    await withWidget(
      async ({ widget }) => {
        const message = widget.region.getByText(/^Could not load IM sessions\./);
        await message.waitFor();
        assert.ok(served >= 1, 'the bad body was served');
        assert.equal(await message.textContent(), `Could not load IM sessions. ${reason}`, 'with the reason for this body');
      },
      {
        // The widget reads the list again by itself, maybe while the page closes: ignore that late one.
        routes: [
          [
            '**/api/v2/me/im-sessions?fields=*',
            (route) => {
              served += 1;
              return route.fulfill({ status: 200, contentType: 'application/json', body }).catch(() => {});
            },
          ],
        ],
      },
    );
  });
}

test('a bad session list reply once, then the real one: the list appears by itself, without a reload', { timeout: 60_000 }, async () => {
  let served = 0;
  await withWidget(
    async ({ sim, page, widget }) => {
      await page.evaluate(() => {
        window.__notReloaded = true;
      });
      await ring(sim, '3002');
      // The widget retries by itself after 2 s; the real reply now lists the session.
      await widget.row('3002').waitFor({ timeout: 20_000 });
      assert.equal(await widget.region.getByText(/Could not load IM sessions\./).count(), 0, 'the error is gone');
      assert.equal(await page.evaluate(() => window.__notReloaded), true, 'no reload');
      assert.ok(served >= 2, 'the list was read again');
    },
    {
      routes: [
        [
          '**/api/v2/me/im-sessions?fields=*',
          (route) => {
            served += 1;
            const answer = served === 1 ? route.fulfill({ status: 200, contentType: 'application/json', body: BAD_BODIES['truncated JSON'][0] }) : route.continue();
            return answer.catch(() => {});
          },
        ],
      ],
    },
  );
});

test('while the session list cannot be read, the widget offers "Try again", which reads it', { timeout: 60_000 }, async () => {
  let broken = true;
  await withWidget(
    async ({ widget }) => {
      await widget.region.getByText(/Could not load IM sessions\./).waitFor();
      broken = false;
      await widget.button('Try again').click();
      await widget.region.getByText('No IM sessions', { exact: true }).waitFor();
      assert.equal(await widget.region.getByText(/Could not load IM sessions\./).count(), 0, 'the error is gone');
      assert.equal(await widget.button('Try again').count(), 0, 'and so is the button');
    },
    {
      routes: [
        [
          '**/api/v2/me/im-sessions?fields=*',
          (route) => (broken ? route.fulfill({ status: 502, contentType: 'text/html', body: BAD_BODIES['non-JSON'][0] }) : route.continue()).catch(() => {}),
        ],
      ],
      allowFailedLoads: true,
    },
  );
});

test('malformed CometD messages and a notification for an unknown session are ignored; later ones arrive', { timeout: 60_000 }, async () => {
  await withWidget(async ({ sim, page, widget }) => {
    const { id } = await ring(sim, '3002');
    await widget.openSession('3002');
    const junk = [
      { channel: '/v2/me/im-sessions', data: null },
      { channel: '/v2/me/im-sessions', data: { messageType: 7, notificationType: ['NewMessage'] } },
      { channel: '/v2/me/im-sessions', data: { notificationType: 'NewMessage', imSessionPath: '/im-sessions/nobody', message: 'for nobody' } },
      { channel: '/v2/me/im-sessions', data: { notificationType: 'StatusChange', imSession: { id: null, state: 17 } } },
      { channel: 42 },
      'a string',
      null,
    ];
    let injected = 0;
    await page.route('**/api/v2/notifications', async (route) => {
      // A poll held while this route is removed below ends unhandled-or-not: ignore its late fulfil.
      const response = await route.fetch().catch(() => null);
      if (!response) return;
      const messages = await response.json().catch(() => null);
      if (!Array.isArray(messages) || injected >= 2) return route.fulfill({ response }).catch(() => {});
      injected += 1;
      return route.fulfill({ response, body: JSON.stringify([...junk, ...messages]) }).catch(() => {});
    });
    // Each message ends the held poll, so the junk rides along with real messages.
    await theyWrite(sim, id, 'first real one');
    await widget.transcript.getByText('first real one', { exact: true }).waitFor();
    await theyWrite(sim, id, 'second real one');
    await widget.transcript.getByText('second real one', { exact: true }).waitFor();
    await eventually(async () => injected >= 2, { timeoutMs: 20_000, what: 'junk injected into two replies' });
    // A whole reply that is not JSON: the poll is retried with the same client, nothing lost.
    await page.unroute('**/api/v2/notifications');
    let garbage = 0;
    await page.route('**/api/v2/notifications', (route) =>
      garbage++ < 1 ? route.fulfill({ status: 200, contentType: 'application/json', body: '[{"channel":"/meta/conn' }) : route.fallback(),
    );
    await theyWrite(sim, id, 'still listening');
    await widget.transcript.getByText('still listening', { exact: true }).waitFor({ timeout: 15_000 });
    assert.equal(await widget.region.getByText('for nobody').count(), 0, 'the unknown session made nothing up');
    await widget.connection('Connected').waitFor();
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });
});

test('a message for a session the widget never heard of re-reads the list, which shows it with its real state', { timeout: 60_000 }, async () => {
  // What happens, in order: the notifications the page receives and the list reads it makes.
  const log = [];
  let hiding = false;
  let hidden = 0;
  // Installed before the page opens, so every long-poll goes through it.
  const notifications = async (route) => {
    const response = await route.fetch().catch(() => null);
    if (!response) return;
    const messages = await response.json().catch(() => null);
    if (!Array.isArray(messages)) return route.fulfill({ response }).catch(() => {});
    const data = messages.filter((m) => m?.channel === '/v2/me/im-sessions');
    if (hiding) {
      hidden += data.length;
      const rest = messages.filter((m) => m?.channel !== '/v2/me/im-sessions');
      return route.fulfill({ response, body: JSON.stringify(rest) }).catch(() => {});
    }
    for (const m of data) log.push(`notification ${m.data?.notificationType}`);
    return route.fulfill({ response }).catch(() => {});
  };
  await withWidget(
    async ({ sim, page, widget }) => {
      page.on('request', (request) => {
        if (request.method() === 'GET' && new URL(request.url()).pathname === '/api/v2/me/im-sessions') log.push('GET list');
      });
      // The session rings at the server, but the page never hears of it.
      hiding = true;
      const { id } = await ring(sim, '3005');
      await eventually(async () => hidden >= 1, { what: 'the ring notification to be kept from the page' });
      await page.waitForTimeout(500);
      assert.equal(await widget.row('3005').count(), 0, 'the widget does not know the session');
      hiding = false;
      log.length = 0;

      await theyWrite(sim, id, 'hello from a stranger');
      const row = widget.row('3005');
      await row.waitFor();
      await row.filter({ hasText: 'Ringing' }).waitFor();
      const notified = log.indexOf('notification NewMessage');
      assert.ok(notified >= 0, `the message notification reached the page (${JSON.stringify(log)})`);
      assert.ok(log.indexOf('GET list', notified) > notified, `the list was read after it (${JSON.stringify(log)})`);
      assert.equal(await widget.sessionRows.count(), 1, 'one row for the session, no placeholder beside it');
      await widget.openSession('3005');
      await widget.transcript.getByText('hello from a stranger', { exact: true }).waitFor();
      assert.equal(await widget.transcript.getByText('hello from a stranger', { exact: true }).count(), 1, 'the message once');
      await page.unrouteAll({ behavior: 'ignoreErrors' });
    },
    { routes: [['**/api/v2/notifications', notifications]] },
  );
});

test('a 1 MB message, 5,000 case-data keys and 1,000 sessions: shown, and no freeze', { timeout: 180_000 }, async () => {
  await withWidget(async ({ sim, page, widget }) => {
    await watchLongTasks(page);
    const { id } = await ring(sim, '3002');
    await widget.openSession('3002');
    const huge = `START ${'lorem ipsum '.repeat(87_000)} END`;
    assert.ok(huge.length > 1_000_000);
    await theyWrite(sim, id, huge);
    await widget.transcript.getByText(/^START lorem ipsum/).waitFor({ timeout: 30_000 });
    const shownLength = await widget.transcript.getByText(/^START lorem ipsum/).evaluate((e) => e.textContent.length);
    assert.equal(shownLength, huge.length, 'the whole message is shown');
    await assertNoFreeze(page, 'a 1 MB message');

    const userData = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`key${i}`, `value ${i}`]));
    await sim.control('POST', `/sessions/${id}/user-data`, { userData });
    // The first hundred are shown, the rest a click away (rendering 5,000 editable rows at once froze
    // the page for over a second).
    await widget.caseData.getByText('key99', { exact: true }).waitFor({ timeout: 30_000 });
    assert.equal(await widget.caseData.getByText('key100', { exact: true }).count(), 0);
    await widget.caseData.getByRole('button', { name: 'Show 100 more of 4,900 hidden keys' }).click();
    await widget.caseData.getByText('key199', { exact: true }).waitFor();
    await assertNoFreeze(page, '5,000 case-data keys');

    await sim.control('POST', '/load', { sessions: 1000, messagesPerSecond: 0, completed: 0, durationMs: 1 });
    await eventually(async () => (await widget.sessionRows.count()) >= 1001, { timeoutMs: 60_000, what: '1,001 rows' });
    await assertNoFreeze(page, '1,000 sessions');
    // Still usable: the agent writes in the first session.
    await widget.openSession('3002');
    await widget.send('still usable');
    await widget.transcript.getByText('still usable', { exact: true }).waitFor();
  });
});
