// The simulator's CometD endpoint against the OFFICIAL CometD JavaScript client (npm `cometd` 9,
// run in Node by `cometd-nodejs-client` 2): handshake, subscribe, delivery of the documented
// IM-session notifications, rehandshake after 402, recovery from a restart, closed-early polls,
// and the acknowledged-messages extension surviving a long-poll whose reply is lost on the wire.
//
// Run from e2e/: node --test tests/cometd-conformance.test.mjs
// The binary is $GWS_SIM_BIN or ../target/debug/gws-sim (cargo build -p gws-sim).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adapt } from 'cometd-nodejs-client';
import { CometD, AckExtension } from 'cometd';

const e2eDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SIM_BIN = process.env.GWS_SIM_BIN ?? resolve(e2eDir, '../target/debug/gws-sim');
const TOPIC = '/v2/me/im-sessions';
const POLL_TIMEOUT_MS = 2000;
const MAX_INTERVAL_MS = 8000;
const TEST_TIMEOUT_MS = 20_000;

// The adapter installs XMLHttpRequest (and WebSocket) on a global `window`, as a browser has them.
const adapterOptions = {};
adapt(adapterOptions);

// A switchable network between the client and the simulator: while it is down, requests fail at
// once, and a reply arriving for a request already in flight is lost (what a dying connection does).
const network = { down: false };
const AdaptedXMLHttpRequest = globalThis.window.XMLHttpRequest;
globalThis.window.XMLHttpRequest = class extends AdaptedXMLHttpRequest {
  send(body) {
    if (network.down) {
      setTimeout(() => this.onerror?.(), 0);
      return;
    }
    const deliver = this.onload;
    this.onload = () => (network.down ? this.onerror?.() : deliver?.call(this));
    super.send(body);
  }
};

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Resolves after `ms` without keeping the process alive once the test is over. */
const idle = (ms) => new Promise((done) => setTimeout(done, ms).unref());

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
async function until(what, check, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Starts gws-sim on a free loopback port and logs in. Resolves to { url, cookie, control, stop }. */
async function startSimulator(extraArgs = []) {
  assert.ok(existsSync(SIM_BIN), `no simulator binary at ${SIM_BIN}: run cargo build -p gws-sim or set GWS_SIM_BIN`);
  const args = [
    '--addr', '127.0.0.1:0',
    '--scenario', 'none',
    '--poll-timeout-ms', String(POLL_TIMEOUT_MS),
    '--max-interval-ms', String(MAX_INTERVAL_MS),
    ...extraArgs,
  ];
  const child = spawn(SIM_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((done) => child.once('exit', done));

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(killer);
    }
  }

  try {
    const lines = createInterface({ input: child.stdout });
    const firstLine = await Promise.race([
      new Promise((done) => lines.once('line', done)),
      exited.then((code) => Promise.reject(new Error(`gws-sim exited (${code}) before listening:\n${stderr}`))),
      idle(5000).then(() => Promise.reject(new Error(`gws-sim printed nothing within 5 s:\n${stderr}`))),
    ]);
    lines.on('line', () => {}); // keep draining stdout
    const match = /^gws-sim listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(firstLine);
    assert.ok(match, `unexpected first line: ${JSON.stringify(firstLine)}`);
    const url = match[1];

    const login = await fetch(`${url}/_sim/login`, { method: 'POST', signal: AbortSignal.timeout(5000) });
    assert.ok(login.ok, `POST /_sim/login answered ${login.status}`);
    await login.arrayBuffer();
    const session = login.headers.getSetCookie().find((cookie) => cookie.startsWith('JSESSIONID='));
    assert.ok(session, 'POST /_sim/login sets a JSESSIONID cookie');
    const cookie = session.split(';')[0];

    async function control(method, path, body) {
      const response = await fetch(`${url}/_sim${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      const text = await response.text();
      assert.ok(response.ok, `${method} /_sim${path} answered ${response.status}: ${text}`);
      return text ? JSON.parse(text) : null;
    }

    return { url, cookie, control, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The Bayeux engine's snapshot inside GET /_sim/state (the object with `clients` and `config`). */
function findBayeuxSnapshot(value, depth = 0) {
  if (!value || typeof value !== 'object' || depth > 3) return undefined;
  if (Array.isArray(value.clients) && value.config && typeof value.config === 'object') return value;
  for (const child of Object.values(value)) {
    const found = findBayeuxSnapshot(child, depth + 1);
    if (found) return found;
  }
  return undefined;
}

async function bayeuxClient(sim, clientId) {
  const snapshot = findBayeuxSnapshot(await sim.control('GET', '/state'));
  assert.ok(snapshot, 'GET /_sim/state carries the Bayeux snapshot');
  return snapshot.clients.find((client) => client.clientId === clientId);
}

/** The notification payload of a data message (quirk: some are wrapped once more in {data}). */
function payloadOf(message) {
  const data = message.data;
  return data && data.data && data.messageType === undefined ? data.data : data;
}

/**
 * The official client, set up as an application would: long-polling only (GWS has no WebSocket),
 * the session cookie on every request, and the subscription made again on every (re)handshake.
 */
function startClient(sim, { ack = false } = {}) {
  const cometd = new CometD();
  cometd.unregisterTransport('websocket');
  if (ack) cometd.registerExtension('ack', new AckExtension());
  cometd.configure({
    url: `${sim.url}/api/v2/notifications`,
    appendMessageTypeToURL: false,
    requestHeaders: { Cookie: sim.cookie },
    logLevel: 'warn',
    backoffIncrement: 250,
    maxBackoff: 1000,
    maxNetworkDelay: 5000,
  });
  const seen = { handshakes: [], connects: [], subscribes: [], messages: [] };
  cometd.addListener('/meta/handshake', (reply) => {
    seen.handshakes.push(reply);
    if (reply.successful) {
      cometd.subscribe(TOPIC, (message) => seen.messages.push(message), (subscribed) => seen.subscribes.push(subscribed));
    }
  });
  cometd.addListener('/meta/connect', (reply) => seen.connects.push(reply));
  cometd.handshake();

  const payloads = () => seen.messages.map(payloadOf);
  const texts = () =>
    payloads()
      .filter((payload) => payload?.messageType === 'IMLogUpdateMessage')
      .map((payload) => payload.message);
  async function subscribed(count = 1) {
    await until(`${count} successful subscription(s)`, () => seen.subscribes.filter((s) => s.successful).length >= count);
  }
  async function stop() {
    if (cometd.isDisconnected()) return;
    await Promise.race([new Promise((done) => cometd.disconnect(done)), idle(2000)]);
  }
  return { cometd, seen, payloads, texts, subscribed, stop };
}

/** Runs `body` with a fresh simulator and client, and always stops both. */
async function withSimulatorAndClient({ simArgs = [], ack = false } = {}, body) {
  const sim = await startSimulator(simArgs);
  let client;
  try {
    client = startClient(sim, { ack });
    await client.subscribed();
    await body(sim, client);
  } finally {
    network.down = false;
    await client?.stop();
    await sim.stop();
    for (const host of Object.keys(adapterOptions.globalCookies ?? {})) delete adapterOptions.globalCookies[host];
  }
}

async function ring(sim, from = '3003') {
  const reply = await sim.control('POST', '/sessions', { from });
  assert.equal(typeof reply?.id, 'string', 'POST /_sim/sessions answers {"id":…}');
  return reply.id;
}

async function write(sim, sessionId, text) {
  await sim.control('POST', `/sessions/${encodeURIComponent(sessionId)}/messages`, { text });
}

async function heldConnect(sim, client) {
  await until('a held /meta/connect', async () => (await bayeuxClient(sim, client.cometd.getClientId()))?.connectHeld);
}

test('handshake and subscribe over long-polling, then IM notifications arrive as the docs print them', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withSimulatorAndClient({ simArgs: ['--no-quirks'] }, async (sim, client) => {
    const handshake = client.seen.handshakes.find((reply) => reply.successful);
    assert.ok(handshake, 'a successful handshake');
    assert.ok(handshake.supportedConnectionTypes.includes('long-polling'));
    assert.equal(typeof handshake.clientId, 'string');
    assert.equal(client.cometd.getTransport().type, 'long-polling');
    assert.equal(client.seen.subscribes[0].subscription, TOPIC);

    const sessionId = await ring(sim, '3003');
    const ringing = await until('the StatusChange of the new session', () =>
      client.seen.messages.find((message) => payloadOf(message)?.imSession?.id === sessionId),
    );
    assert.equal(ringing.channel, TOPIC);
    assert.equal(typeof ringing.id, 'string', 'every data message has an id');
    const change = payloadOf(ringing);
    assert.equal(change.messageType, 'IMSessionStateChangeMessage');
    assert.equal(change.notificationType, 'StatusChange');
    assert.equal(change.imSession.state.trim(), 'Alerting');
    assert.equal(change.imSession.path, `/im-sessions/${sessionId}`);
    assert.equal(change.imSession.participants[0].phoneNumber, '3003');
    assert.ok(Array.isArray(change.imSession.capabilities));

    await write(sim, sessionId, 'Hello! This is my first message.');
    await until('the NewMessage notification', () => client.texts().length === 1);
    const newMessage = client.payloads().find((payload) => payload.messageType === 'IMLogUpdateMessage');
    // The docs' sample: exactly these four fields, no sender, no time, no message id.
    assert.deepEqual(Object.keys(newMessage).sort(), ['imSessionPath', 'message', 'messageType', 'notificationType']);
    assert.equal(newMessage.notificationType, 'NewMessage');
    assert.equal(newMessage.imSessionPath, `/im-sessions/${sessionId}`);
    assert.equal(newMessage.message, 'Hello! This is my first message.');

    const ids = client.seen.messages.map((message) => message.id);
    assert.equal(new Set(ids).size, ids.length, 'message ids are unique');
  });
});

test('after the server forgets every client (402), the client handshakes again, re-subscribes and keeps receiving', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withSimulatorAndClient({}, async (sim, client) => {
    const firstClientId = client.cometd.getClientId();
    await heldConnect(sim, client);
    await sim.control('POST', '/faults/unknown-client');

    await client.subscribed(2);
    const refused = client.seen.connects.find((reply) => reply.successful === false);
    assert.ok(refused, 'a /meta/connect was refused');
    assert.match(refused.error, /^402::/);
    assert.equal(refused.advice?.reconnect, 'handshake');
    assert.equal(client.seen.handshakes.filter((reply) => reply.successful).length, 2);
    assert.notEqual(client.cometd.getClientId(), firstClientId, 'a new clientId');

    const sessionId = await ring(sim);
    await write(sim, sessionId, 'still here after the rehandshake');
    await until('the message sent after the rehandshake', () => client.texts().includes('still here after the rehandshake'));
  });
});

test('with the AckExtension, a message written into a long-poll whose reply is lost arrives once after the client reconnects', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withSimulatorAndClient({ ack: true }, async (sim, client) => {
    const handshake = client.seen.handshakes.find((reply) => reply.successful);
    assert.equal(handshake.ext?.ack, true, 'the server grants the ack extension');
    const clientId = client.cometd.getClientId();
    const sessionId = await ring(sim);
    await until('the session to ring', () => client.payloads().some((payload) => payload?.imSession?.id === sessionId));

    await heldConnect(sim, client);
    network.down = true;
    await write(sim, sessionId, 'written while the connection died');
    await until('the message written into the dying long-poll', async () => (await bayeuxClient(sim, clientId))?.unackedBatches.length > 0);
    assert.deepEqual(client.texts(), [], 'the reply carrying it was lost');
    await sleep(1200); // offline for a while, far shorter than max interval
    network.down = false;

    await until('the message to be delivered again', () => client.texts().length === 1);
    await write(sim, sessionId, 'written after the outage');
    await until('the later message', () => client.texts().length === 2);
    await sleep(300); // a duplicate would arrive now
    assert.deepEqual(client.texts(), ['written while the connection died', 'written after the outage'], 'each message exactly once, in order');
    assert.equal(client.cometd.getClientId(), clientId, 'the same CometD session throughout, no rehandshake');
    await until('the server to drop acknowledged batches', async () => (await bayeuxClient(sim, clientId))?.unackedBatches.length === 0);
  });
});

test('without the ack extension (--no-ack) the same lost reply loses its message: why the extension matters', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withSimulatorAndClient({ simArgs: ['--no-ack'], ack: true }, async (sim, client) => {
    const handshake = client.seen.handshakes.find((reply) => reply.successful);
    assert.notEqual(handshake.ext?.ack, true, 'the extension is switched off');
    const clientId = client.cometd.getClientId();
    const sessionId = await ring(sim);
    await until('the session to ring', () => client.payloads().some((payload) => payload?.imSession?.id === sessionId));

    await heldConnect(sim, client);
    network.down = true;
    await write(sim, sessionId, 'written while the connection died');
    await until('the held long-poll to be answered', async () => !(await bayeuxClient(sim, clientId))?.connectHeld);
    await sleep(1200);
    network.down = false;

    await write(sim, sessionId, 'written after the outage');
    await until('the later message', () => client.texts().includes('written after the outage'));
    assert.deepEqual(client.texts(), ['written after the outage']);
    assert.equal(client.cometd.getClientId(), clientId, 'the CometD session survived; only the message is gone');
  });
});

test('a restart aborts the held long-poll; the client handshakes again and receives later messages', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withSimulatorAndClient({}, async (sim, client) => {
    const firstClientId = client.cometd.getClientId();
    await heldConnect(sim, client);
    await sim.control('POST', '/restart');

    await client.subscribed(2);
    assert.notEqual(client.cometd.getClientId(), firstClientId);
    const sessionId = await ring(sim);
    await write(sim, sessionId, 'after the restart');
    await until('the message sent after the restart', () => client.texts().includes('after the restart'));
  });
});

test('with closePollsEarly every /meta/connect returns at once, and messages still arrive', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withSimulatorAndClient({ ack: true }, async (sim, client) => {
    await heldConnect(sim, client);
    await sim.control('PUT', '/faults', { closePollsEarly: true });
    const before = client.seen.connects.length;
    await until('several early connect replies', () => client.seen.connects.length >= before + 5);
    assert.ok(client.seen.connects.slice(before).every((reply) => reply.successful), 'early replies are successful');

    const sessionId = await ring(sim);
    await write(sim, sessionId, 'during early closes');
    await until('the message sent during early closes', () => client.texts().includes('during early closes'));

    await sim.control('DELETE', '/faults');
    await heldConnect(sim, client);
    await write(sim, sessionId, 'after the fault');
    await until('the message sent after the fault', () => client.texts().length === 2);
    assert.deepEqual(client.texts(), ['during early closes', 'after the fault']);
  });
});
