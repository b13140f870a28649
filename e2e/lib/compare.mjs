// How the widget's view compares with the simulator's state (`GET /_sim/state`), both ways and in
// every session: shared by the fault matrix (faults.test.mjs) and the soak (soak.test.mjs).
import assert from 'node:assert/strict';

/** The delivery states that are still moving: wait for none before comparing. */
export const UNSETTLED = /Waiting to send|Sending…|Checking whether it was delivered/;

export const LABELS = { Initiating: 'Calling…', Alerting: 'Ringing', Talking: 'Talking', Completed: 'Completed' };

/** Everything the widget shows about session `number` (opens it). */
export async function shown(widget, number) {
  await widget.openSession(number);
  const chat = widget.chat(number);
  const lines = await chat.locator('.imw-line').evaluateAll((elements) =>
    elements.map((e) => ({
      kind: ['incoming', 'outgoing', 'system', 'gap'].find((k) => e.classList.contains(`imw-line--${k}`)),
      text: e.querySelector('.imw-line__text')?.textContent ?? '',
      status: e.querySelector('.imw-line__status')?.className ?? '',
      retry: [...e.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Retry'),
      // The evidence was lost with the Bayeux session (docs/RELIABILITY.md): delivered or not.
      uncertain: (e.querySelector('.imw-line__status')?.textContent ?? '') === 'May not have been delivered',
      // A gap line's bounds, ms since the epoch (the widget's clock; the simulator runs on the same machine).
      from: e.dataset.from === undefined ? null : Number(e.dataset.from),
      until: e.dataset.until === undefined ? null : Number(e.dataset.until),
    })),
  );
  const caseData = Object.fromEntries(
    await chat.locator('.imw-case__row').evaluateAll((rows) =>
      rows.map((r) => [r.querySelector('.imw-case__key').textContent.trim(), r.querySelector('input')?.value ?? r.querySelector('.imw-case__value').textContent.trim()]),
    ),
  );
  const row = await widget.row(number).textContent();
  const end = widget.region.getByRole('button', { name: 'End session', exact: true });
  const endEnabled = (await end.count()) > 0 && (await end.getAttribute('aria-disabled')) !== 'true';
  const gaps = lines.filter((l) => l.kind === 'gap').map(({ from, until }) => ({ from, until }));
  return { lines, caseData, row, endEnabled, gaps };
}

/** The other party's number of every row in the session list, in order. */
export async function rowNumbers(widget) {
  return widget.sessionList.locator('.imw-session__number').evaluateAll((elements) => elements.map((e) => e.textContent.trim()));
}

/** How often each value occurs. */
const tally = (values) => values.reduce((counts, value) => counts.set(value, (counts.get(value) ?? 0) + 1), new Map());

/**
 * Asserts the widget's view of every server session against `/_sim/state`, both ways:
 * - the list shows exactly the server's sessions (none missing, none the server lacks, none twice);
 * - each row's state and End control, and the case data key for key (none missing, none extra);
 * - every incoming line shown exactly once, or missing only if the server recorded it inside a gap
 *   the widget marks in that session (`gapAllowed`); none shown that the server lacks;
 * - every agent line (`typed`: session id → texts) shown exactly once and at the server at most
 *   once: Sent when it is there, else failed with Retry (or "May not have been delivered" with
 *   Retry); no agent line shown or at the server that was not typed.
 * `state` (optional) is a `/_sim/state` already read; `except` are session ids the agent dismissed.
 * Returns the views by number (with each session's gap markers).
 */
export async function assertMatchesServer(sim, widget, { gapAllowed, typed, state, except = new Set() }) {
  state ??= await sim.control('GET', '/state');
  const sessions = state.sessions.filter((s) => !except.has(s.id));
  const serverNumbers = sessions.map((s) => s.participants[0].phoneNumber);
  const rows = await rowNumbers(widget);
  assert.deepEqual([...rows].sort(), [...serverNumbers].sort(), 'the list shows exactly the server’s sessions, each once');

  const views = new Map();
  for (const session of sessions) {
    const number = session.participants[0].phoneNumber;
    const view = await shown(widget, number);
    views.set(number, view);
    const where = `session with ${number}`;
    assert.ok(view.row.includes(LABELS[session.state.trim()]), `${where}: the row says ${LABELS[session.state.trim()]} (${view.row})`);
    const canEnd = session.state.trim() !== 'Completed' && session.capabilities.includes('Complete');
    assert.equal(view.endEnabled, canEnd, `${where}: End session ${canEnd ? 'enabled' : 'not enabled'}`);
    const serverData = Object.fromEntries(Object.entries(session.userData ?? {}).map(([key, value]) => [key, String(value)]));
    assert.deepEqual(view.caseData, serverData, `${where}: the case data is the server’s, key for key`);

    for (const gap of view.gaps) {
      assert.ok(Number.isFinite(gap.from) && Number.isFinite(gap.until) && gap.from <= gap.until, `${where}: a gap marker with bounds (${JSON.stringify(gap)})`);
    }
    const inGap = (at) => view.gaps.some((gap) => gap.from <= at && at <= gap.until);
    const incoming = tally(view.lines.filter((l) => l.kind === 'incoming').map((l) => l.text));
    const incomingAtServer = session.transcript.filter((l) => l.direction === 'in');
    const atServerTally = tally(incomingAtServer.map((l) => l.text));
    for (const [text, times] of incoming) {
      assert.ok(atServerTally.has(text), `${where}: "${text}" shown but the server never had it`);
      assert.ok(times <= atServerTally.get(text), `${where}: "${text}" shown ${times} times, at the server ${atServerTally.get(text)}`);
    }
    for (const line of incomingAtServer) {
      const times = incoming.get(line.text) ?? 0;
      if (times === 0) {
        const gaps = JSON.stringify(view.gaps);
        assert.ok(gapAllowed && inGap(line.at), `${where}: "${line.text}" (published at ${line.at}) missing and not inside a marked gap (gaps ${gaps})`);
      }
    }

    const own = view.lines.filter((l) => l.kind === 'outgoing');
    const ownTally = tally(own.map((l) => l.text));
    const outAtServer = tally(session.transcript.filter((l) => l.direction === 'out').map((l) => l.text));
    const mine = typed.get(session.id) ?? [];
    for (const text of [...ownTally.keys(), ...outAtServer.keys()]) {
      assert.ok(mine.includes(text), `${where}: the agent line "${text}" was never typed here`);
    }
    for (const text of new Set(mine)) {
      const sentTimes = mine.filter((t) => t === text).length;
      const atServer = outAtServer.get(text) ?? 0;
      assert.equal(ownTally.get(text) ?? 0, sentTimes, `${where}: the agent's "${text}" shown once per time it was typed`);
      assert.ok(atServer <= sentTimes, `${where}: "${text}" at the server ${atServer} times, typed ${sentTimes}`);
      for (const line of own.filter((l) => l.text === text)) {
        if (line.uncertain) assert.ok(line.retry, `${where}: "${text}" may not have been delivered: the agent decides, with Retry`);
        else if (atServer === sentTimes) assert.match(line.status, /--sent/, `${where}: "${text}" delivered and shown Sent`);
        else assert.ok(/--failed/.test(line.status) && line.retry, `${where}: "${text}" not delivered, shown failed with Retry`);
      }
    }
  }
  return views;
}
