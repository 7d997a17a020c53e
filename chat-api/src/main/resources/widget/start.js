// ── the last part: builds the widget once its settings are in; once per workspace and page ──
function build(s) {
  const w = buildPanel(s);
  addMessage(w, 'assistant', s.welcome_message || 'Hi! How can I help you today?');
  w.suggested = Array.isArray(s.suggested_messages) && s.suggested_messages.length
    ? add(w, chipsOf(w, s.suggested_messages.slice(0, 5), 'Suggested messages')) : null;
  w.restoring = restore(w);
  wireControls(w);
  return w;
}

// Clara.identify(user or null), heard by every widget of the page
const clara = (window.Clara = window.Clara || {});
(clara.identified = clara.identified || []).push(identify);
clara.identify = (u) => clara.identified.forEach((f) => f(u));

// data-preview (the dashboard's /app/preview.html): drawn from settings its own origin posts
if (script && script.hasAttribute('data-preview')) {
  addEventListener('message', (e) => {
    const s = e.origin === location.origin && e.data && e.data.clara_preview;
    if (!s || typeof s !== 'object') return;
    const old = document.querySelector('clara-widget');
    if (old) old.remove();
    setOpen(build(s), true, false);
  });
// a page may hold the script twice (or two scripts for one workspace): one widget each workspace
} else if (script) {
  const loaded = (window.__claraWidgets = window.__claraWidgets || {});
  if (WS && !loaded[WS]) {
    loaded[WS] = true;
    const start = () => fetch(API + '/api/widget/' + encodeURIComponent(WS) + '/settings', { credentials: 'omit' })
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error('HTTP ' + res.status))))
      .then(build)
      .catch((e) => { loaded[WS] = false; console.warn('Clara widget: not shown for workspace ' + WS + ':', e.message); });
    if (document.body) start();
    else document.addEventListener('DOMContentLoaded', start);
  }
}
