// The host page's own script (no inline script anywhere: the page runs under a strict CSP).
// It shows the widget's unread total in the desktop header, logs the widget's events, and closes
// (unmounts) and reopens (mounts) the IM panel.
const host = document.getElementById('im-widget');
const unread = document.getElementById('desk-unread');
const log = document.getElementById('desk-events');
const toggle = document.getElementById('desk-toggle');

const describe = {
  'imw:session-added': (d) => `Session with ${d.party ?? 'unknown'} (${d.state})`,
  'imw:state-changed': (d) => `${d.party ?? d.session}: ${d.previous} → ${d.state}`,
  'imw:message': (d) => `${d.party ?? d.session} wrote: ${d.text}`,
  'imw:completed': (d) => `Session with ${d.party ?? d.session} ended`,
  'imw:unread': (d) => `Unread: ${d.total}`,
  'imw:error': (d) => `Error: ${d.message}`,
};

for (const [type, text] of Object.entries(describe)) {
  host.addEventListener(type, (event) => {
    const item = document.createElement('li');
    item.dataset.type = type;
    item.textContent = text(event.detail);
    log.append(item);
    if (type === 'imw:unread') {
      unread.textContent = event.detail.total ? `IM: ${event.detail.total} unread` : 'IM: no unread messages';
    }
  });
}

toggle.addEventListener('click', async () => {
  if (host.hasAttribute('data-imw-mounted')) {
    await window.GwsImWidget.unmount(host);
    toggle.textContent = 'Open IM panel';
    unread.textContent = 'IM: panel closed';
  } else {
    await window.GwsImWidget.mount(host, { sound: false });
    toggle.textContent = 'Close IM panel';
  }
});
