// The dashboard's shell: hash routes (#/gaps, #/conversations/<id>), the signed-in check, the
// navigation, live updates. Each screen is a module with render(root, ctx).
import * as api from './api.js';
import * as live from './live.js';
import { fill, h } from './dom.js';

const SCREENS = {
  overview: { title: 'Overview', load: () => import('./overview.js') },
  pairs: { title: 'Knowledge base', load: () => import('./pairs.js') },
  documents: { title: 'Documents', load: () => import('./documents.js') },
  suggestions: { title: 'Suggestions', load: () => import('./suggestions.js') },
  gaps: { title: 'Gap inbox', load: () => import('./gaps.js') },
  calibration: { title: 'Calibration', load: () => import('./calibration.js') },
  conversations: { title: 'Conversations', load: () => import('./conversations.js') },
  settings: { title: 'Widget settings', load: () => import('./settings.js') },
  keys: { title: 'Keys & usage', load: () => import('./keys.js') },
  model: { title: 'Answer model', load: () => import('./model.js') },
  phrasing: { title: 'Phrasing suggestions', load: () => import('./phrasing.js') },
};
// reachable without a session: sign-in and the pages the account mails link to
const PUBLIC = new Set(['signin', 'signup', 'forgot', 'reset-password', 'confirm']);

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const top = document.getElementById('top');
const menu = document.getElementById('menu-button');
let session = null;
let leave = [];
let generation = 0; // the screen being shown: a slower, older render must not subscribe any more

/** location.hash "#/conversations/ID?x=1" → { name: 'conversations', rest: ['ID'], query } */
function route() {
  const [path, qs] = location.hash.replace(/^#\/?/, '').split('?');
  const [name, ...rest] = path.split('/').filter(Boolean);
  return { name: name || 'overview', rest, query: new URLSearchParams(qs || '') };
}

export const navigate = (hash) => { location.hash = hash; };

function announce(text) {
  const el = document.getElementById('announcer');
  el.textContent = '';
  setTimeout(() => { el.textContent = text; }, 50);
}

function buildNav(current) {
  fill(nav, h('ul', {}, Object.entries(SCREENS).map(([name, s]) =>
    h('li', {}, h('a', { href: '#/' + name, 'aria-current': name === current ? 'page' : null }, s.title)))));
}

async function show() {
  leave.forEach((fn) => fn());
  leave = [];
  const gen = ++generation;
  const r = route();
  const isPublic = PUBLIC.has(r.name);
  if (!isPublic && !session) session = await api.session().catch(() => null);
  if (!isPublic && !session) {
    if (r.name !== 'signin') sessionStorage.setItem('clara:after-signin', location.hash);
    return showPublic({ name: 'signin', rest: [], query: r.query });
  }
  if (isPublic) return showPublic(r);
  const screen = SCREENS[r.name];
  top.hidden = false;
  nav.hidden = false;
  buildNav(r.name);
  document.getElementById('workspace-name').textContent = session.workspace?.name || '';
  live.start();
  if (!screen) {
    fill(main, h('h1', { tabindex: '-1' }, 'Not found'), h('p', {}, 'There is no such page. '), h('a', { href: '#/overview' }, 'Go to the overview'));
    return;
  }
  document.title = screen.title + ' · Clara';
  const root = h('div', { class: 'screen screen-' + r.name });
  fill(main, root);
  const ctx = context(r, gen);
  try {
    const module = await screen.load();
    await module.render(root, ctx);
  } catch (e) {
    if (e.status !== 401) fill(root, h('h1', { tabindex: '-1' }, screen.title), h('p', { class: 'notice error', role: 'alert' }, e.message || String(e)));
  }
  focusHeading(root);
}

function context(r, gen = generation) {
  const keep = (fn) => { if (gen === generation) leave.push(fn); else fn(); };
  return {
    ...r,
    session,
    navigate,
    announce,
    /** Live hints of these event names call refresh (debounced) while this screen is shown. */
    live: (names, refresh, wait) => keep(live.subscribe(names, refresh, wait)),
    /** Runs when the screen is left (timers, listeners). */
    onLeave: keep,
  };
}

async function showPublic(r) {
  top.hidden = true;
  nav.hidden = true;
  live.stop();
  const module = await import('./signin.js');
  const root = h('div', { class: 'screen screen-public' });
  fill(main, root);
  await module.render(root, { ...context(r), signedIn });
  focusHeading(root);
}

function focusHeading(root) {
  // keyboard and screen-reader users land on the new screen's title after a navigation
  if (document.activeElement === document.body || !main.contains(document.activeElement)) {
    root.querySelector('h1')?.focus({ preventScroll: true });
  }
}

async function signedIn(s) {
  session = s;
  const back = sessionStorage.getItem('clara:after-signin');
  sessionStorage.removeItem('clara:after-signin');
  const target = back && !PUBLIC.has(back.replace(/^#\/?/, '').split(/[/?]/)[0]) ? back : '#/overview';
  if (location.hash === target) show();
  else navigate(target);
}

api.onUnauthorized(() => {
  if (!session) return;
  session = null;
  live.stop();
  leave.forEach((fn) => fn());
  leave = [];
  generation++;
  sessionStorage.setItem('clara:after-signin', location.hash);
  showPublic({ name: 'signin', rest: [], query: new URLSearchParams('expired=1') });
});

live.onStatus((status) => {
  const el = document.getElementById('live-status');
  el.dataset.status = status;
  el.textContent = status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…';
});

document.getElementById('sign-out').addEventListener('click', async () => {
  await api.signOut().catch(() => {});
  session = null;
  live.stop();
  navigate('#/signin');
});

menu.addEventListener('click', () => {
  const open = menu.getAttribute('aria-expanded') !== 'true';
  menu.setAttribute('aria-expanded', String(open));
  nav.classList.toggle('open', open);
});
nav.addEventListener('click', (e) => {
  if (e.target.closest('a')) { menu.setAttribute('aria-expanded', 'false'); nav.classList.remove('open'); }
});

// an OAuth provider sends the browser back to /app/?signin_error=…: keep it for the sign-in screen
const params = new URLSearchParams(location.search);
if (params.has('signin_error')) {
  sessionStorage.setItem('clara:signin-error', params.get('signin_error'));
  history.replaceState(null, '', location.pathname + '#/signin');
}

window.addEventListener('hashchange', show);
show();
