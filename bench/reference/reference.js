// The speed reference for bench/run.mjs: what a competent JavaScript developer would write with the
// official CometD client and plain DOM updates — the same work as the widget's hot path: the list
// (state, unread, last message per row), the open session's transcript appended line by line, and
// a composer. No framework, no virtual DOM.
import { CometD } from './cometd/cometd.js';

const api = '/api/v2';
const sessions = new Map(); // id → { row, preview, badge, lines: string[], unread }
let open = null;
// Scrolling as the widget does: while the agent reads the newest line (within 24 px of the bottom),
// the log is scrolled to the bottom in the next animation frame, after the new line is laid out.
const PINNED_SLACK = 24;
let pinned = true;
let scrollQueued = false;
const list = document.getElementById('sessions');
const transcript = document.getElementById('transcript');
const party = document.getElementById('party');
const status = document.getElementById('status');
transcript.addEventListener('scroll', () => {
  pinned = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight <= PINNED_SLACK;
});
function keepScrolled() {
  if (!pinned || scrollQueued) return;
  scrollQueued = true;
  requestAnimationFrame(() => {
    scrollQueued = false;
    transcript.scrollTop = transcript.scrollHeight;
  });
}

const number = (session) => {
  const p = session.participants?.[0] ?? {};
  return p.formattedPhoneNumber ?? p.e164Number ?? p.phoneNumber ?? p.digits ?? '?';
};

function upsert(session) {
  let entry = sessions.get(session.id);
  if (!entry) {
    const item = document.createElement('li');
    const row = document.createElement('button');
    const name = document.createElement('strong');
    const state = document.createElement('span');
    const badge = document.createElement('span');
    const preview = document.createElement('span');
    row.append(name, ' ', state, ' ', badge, ' ', preview);
    item.append(row);
    list.append(item);
    entry = { row, name, state, badge, preview, lines: [], unread: 0 };
    sessions.set(session.id, entry);
    row.addEventListener('click', () => select(session.id));
  }
  entry.session = session;
  entry.name.textContent = number(session);
  entry.state.textContent = session.state;
  return entry;
}

function select(id) {
  open = id;
  const entry = sessions.get(id);
  entry.unread = 0;
  entry.badge.textContent = '';
  party.textContent = `Chat with ${number(entry.session)}`;
  const fragment = document.createDocumentFragment();
  for (const text of entry.lines) {
    const li = document.createElement('li');
    li.textContent = text;
    fragment.append(li);
  }
  transcript.replaceChildren(fragment);
  pinned = true;
  keepScrolled();
}

function onMessage(id, text) {
  const entry = sessions.get(id);
  if (!entry) return;
  entry.lines.push(text);
  entry.preview.textContent = text;
  if (id === open) {
    const li = document.createElement('li');
    li.textContent = text;
    transcript.append(li);
    keepScrolled();
  } else {
    entry.unread += 1;
    entry.badge.textContent = `${entry.unread} unread`;
  }
}

async function load() {
  const reply = await fetch(`${api}/me/im-sessions?fields=*`, { credentials: 'include' });
  const body = await reply.json();
  for (const session of body.imSessions ?? []) upsert(session);
}

const cometd = new CometD();
// GWS offers long-polling only, on one URL.
cometd.unregisterTransport('websocket');
cometd.configure({ url: `${location.origin}${api}/notifications`, appendMessageTypeToURL: false });
cometd.addListener('/meta/connect', (reply) => {
  status.textContent = reply.successful ? 'Connected' : 'Reconnecting…';
});
cometd.handshake((reply) => {
  if (!reply.successful) return;
  cometd.subscribe('/v2/me/im-sessions', (message) => {
    const data = message.data?.data ?? message.data;
    if (data.imSession) upsert(data.imSession);
    if (data.notificationType === 'NewMessage') {
      const id = data.imSession?.id ?? data.imSessionPath?.split('/').pop();
      onMessage(id, data.message);
    }
  });
  load();
});
