// How the widget's view compares with the simulator's state (`GET /_sim/state`): shared by the fault
// matrix (faults.test.mjs) and the soak (soak.test.mjs).
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
  return { lines, caseData, row, endEnabled };
}

/** Asserts the widget's view of every server session against `/_sim/state`. */
export async function assertMatchesServer(sim, widget, { gapAllowed, during, typed }) {
  const state = await sim.control('GET', '/state');
  for (const session of state.sessions) {
    const number = session.participants[0].phoneNumber;
    const view = await shown(widget, number);
    const where = `session with ${number}`;
    assert.ok(view.row.includes(LABELS[session.state.trim()]), `${where}: the row says ${LABELS[session.state.trim()]} (${view.row})`);
    const canEnd = session.state.trim() !== 'Completed' && session.capabilities.includes('Complete');
    assert.equal(view.endEnabled, canEnd, `${where}: End session ${canEnd ? 'enabled' : 'not enabled'}`);
    for (const [key, value] of Object.entries(session.userData ?? {})) {
      assert.equal(view.caseData[key], String(value), `${where}: case data ${key}`);
    }
    const incoming = view.lines.filter((l) => l.kind === 'incoming').map((l) => l.text);
    const gap = view.lines.some((l) => l.kind === 'gap');
    for (const line of session.transcript.filter((l) => l.direction === 'in')) {
      const times = incoming.filter((t) => t === line.text).length;
      assert.ok(times <= 1, `${where}: "${line.text}" shown ${times} times`);
      if (times === 0) {
        assert.ok(gapAllowed && during.has(line.text) && gap, `${where}: "${line.text}" missing${gap ? '' : ' with no gap marker'}`);
      }
    }
    assert.equal(new Set(incoming).size, incoming.length, `${where}: no incoming line twice`);
    const outAtServer = session.transcript.filter((l) => l.direction === 'out').map((l) => l.text);
    for (const text of typed.get(session.id) ?? []) {
      const atServer = outAtServer.filter((t) => t === text).length;
      const line = view.lines.find((l) => l.kind === 'outgoing' && l.text === text);
      assert.ok(line, `${where}: the agent's "${text}" is shown`);
      assert.ok(atServer <= 1, `${where}: "${text}" at the server ${atServer} times`);
      if (line.uncertain) assert.ok(line.retry, `${where}: "${text}" may not have been delivered: the agent decides, with Retry`);
      else if (atServer === 1) assert.match(line.status, /--sent/, `${where}: "${text}" delivered and shown Sent`);
      else assert.ok(/--failed/.test(line.status) && line.retry, `${where}: "${text}" not delivered, shown failed with Retry`);
    }
  }
}
