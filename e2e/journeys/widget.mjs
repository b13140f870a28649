// What journeys share: the widget as an agent sees it (found by role and visible text through the
// driver interface, e2e/lib/drivers/README.md), a fresh simulator per journey, and the checks every
// journey ends with (no crash notice, no console or page error).
import assert from 'node:assert/strict';
import { startTestSimulator } from '../lib/server.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually(probe, { timeoutMs = 10_000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** The widget inside `scope` (a driver Page or Target). */
export class Widget {
  constructor(scope) {
    this.region = scope.role('region', 'IM sessions');
  }

  /** The connection indicator showing exactly `text` ("Connected", "Reconnecting…", "Offline"). */
  connection(text) {
    return this.region.role('status').withExactText(text);
  }

  get sessionList() {
    return this.region.role('list', 'Sessions');
  }

  /** The list row (its button) of the session with `number`. */
  row(number) {
    return this.sessionList.role('button').withText(number);
  }

  chat(number) {
    return this.region.role('region', `Chat with ${number}`);
  }

  get transcript() {
    return this.region.role('log', 'Messages');
  }

  get composer() {
    return this.region.role('textbox', 'Message');
  }

  get caseData() {
    return this.region.role('region', 'Case data');
  }

  /** Opens the case-data panel's inputs (its pencil, "Edit case data") and returns the panel. */
  async editCaseData() {
    const data = this.caseData;
    await data.role('button', 'Edit case data').click();
    await data.role('button', 'Done').waitVisible();
    return data;
  }

  /** The transcript lines of one kind (incoming, outgoing, system, gap) holding `text`. */
  lines(kind, text) {
    const lines = this.transcript.css(`.imw-line--${kind}`);
    return text === undefined ? lines : lines.withText(text);
  }

  async waitConnected(options) {
    await this.connection('Connected').waitVisible(options);
    return this;
  }

  async openSession(number) {
    await this.row(number).click();
    await this.chat(number).waitVisible();
    return this.chat(number);
  }

  /** Types `text` into the composer and presses Enter. */
  async send(text) {
    await this.composer.fill(text);
    await this.composer.press('Enter');
  }
}

/** Another agent rings this one. */
export const ring = (sim, from, extra = {}) => sim.control('POST', '/sessions', { from, ...extra });

/** The other party of session `id` writes `text`. */
export const theyWrite = (sim, id, text) => sim.control('POST', `/sessions/${id}/messages`, { text });

export const serverState = (sim) => sim.control('GET', '/state');

export async function serverSession(sim, id) {
  return (await serverState(sim)).sessions.find((s) => s.id === id);
}

/** What the agent's own line `text` looks like at the server: how many times it is there. */
export async function timesAtServer(sim, id, text, direction = 'out') {
  const session = await serverSession(sim, id);
  return session.transcript.filter((line) => line.direction === direction && line.text === text).length;
}

/** Asserts the page is healthy: the panic hook never fired, no console error, no page error. */
export async function assertHealthy(page, { allow = [] } = {}) {
  if (page.collectProblems) await page.collectProblems();
  assert.equal(await page.css('[data-imw-crashed]').count(), 0, 'the panic hook never fired');
  const problems = page.problems.filter((problem) => !allow.some((pattern) => pattern.test(problem)));
  assert.deepEqual(problems, [], 'no console or page error');
}

/**
 * Runs `body({ sim, context, page, widget })` on a connected widget served by a fresh simulator,
 * then checks the page is healthy; everything is closed afterwards.
 */
export async function withWidget(browser, body, { simArgs = [], beforeOpen, allowProblems = [] } = {}) {
  const sim = await startTestSimulator(...simArgs);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (beforeOpen) await beforeOpen(sim, page);
    await page.goto(sim.url);
    const widget = await new Widget(page).waitConnected();
    await body({ sim, context, page, widget });
    await assertHealthy(page, { allow: allowProblems });
  } finally {
    await context.close();
    await sim.stop();
  }
}
