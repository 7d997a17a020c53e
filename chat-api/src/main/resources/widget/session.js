/*! Clara chat widget. Embed with:
 *  <script src="https://HOST/widget.js" data-workspace="WORKSPACE_ID" async></script>
 * Vanilla JS, no dependencies, no requests to anyone but the Clara server it came from.
 * Its styles live in a Shadow DOM, so the host page's CSS cannot reach it and it cannot reach the page.
 *
 * chat-api serves its parts (chat-api/src/main/resources/widget/) as this one script, in a fixed
 * order inside one function, (function () { 'use strict'; …parts… })(): what a part declares at
 * its top level the later ones see, and nothing reaches the page's globals. The parts only declare;
 * the last one (start.js) starts the widget. */

// ── where the script came from: read now, while it runs (document.currentScript is null later) ──
const script = document.currentScript || document.querySelector('script[data-workspace][src*="widget.js"]');
const WS = script ? (script.getAttribute('data-workspace') || '').trim() : '';
const API = script
  ? (script.getAttribute('data-api') || new URL(script.src, location.href).origin).replace(/\/+$/, '') : '';

// ── the visitor's session, per workspace and tab ──
const memory = {};
const KEY = 'clara:' + WS + ':';
const store = {
  get: (k) => { try { return sessionStorage.getItem(KEY + k); } catch (e) { return memory[k] || null; } },
  set: (k, v) => { try { sessionStorage.setItem(KEY + k, v); } catch (e) { memory[k] = v; } },
};
// crypto.randomUUID exists only on https pages; getRandomValues everywhere
const uuid = () => (crypto.randomUUID ? crypto.randomUUID()
  : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));
const TOKEN = /^[\x21-\x7e]{32,128}$/;
const savedToken = () => { const t = store.get('session'); return t && TOKEN.test(t) ? t : null; };
const token = () => {
  let t = savedToken();
  if (!t) store.set('session', (t = (uuid() + uuid()).replace(/-/g, '')));
  return t;
};
