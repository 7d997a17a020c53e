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

// ── a signed-in user (data-user-*, window.ClaraUser or Clara.identify): the server verifies it ──
let USER = null;
const text = (v) => (typeof v === 'string' && v ? v : undefined);
const subOf = (t) => { try { return JSON.parse(atob(t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub; } catch (e) { return ''; } };
const identify = (u) => {
  USER = u && typeof u === 'object' ? { id: text(u.id), hash: text(u.hash), token: text(u.token), name: text(u.name),
    email: text(u.email), traits: u.traits && typeof u.traits === 'object' ? u.traits : undefined } : null;
  if (USER && !USER.token && !(USER.id && USER.hash)) USER = null;
};
const attr = (n) => (script && script.getAttribute('data-user-' + n)) || undefined;
identify(attr('id') || attr('token')
  ? { id: attr('id'), hash: attr('hash'), token: attr('token'), name: attr('name'), email: attr('email') } : window.ClaraUser);
const userHeaders = () => (!USER ? {} : USER.token ? { 'X-Clara-User-Token': USER.token }
  : { 'X-Clara-User': USER.id, 'X-Clara-User-Hash': USER.hash });
// ── the visitor's session, per workspace, user and tab ──
const memory = {};
const key = () => 'clara:' + WS + ':' + (USER ? 'u:' + (USER.id || subOf(USER.token)) + ':' : '');
const store = {
  get: (k) => { try { return sessionStorage.getItem(key() + k); } catch (e) { return memory[key() + k] || null; } },
  set: (k, v) => { try { sessionStorage.setItem(key() + k, v); } catch (e) { memory[key() + k] = v; } },
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
