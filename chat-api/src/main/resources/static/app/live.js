// Live updates: one EventSource on /api/owner/events. Events are hints ("this changed"), never the
// data: a screen subscribes to the names it shows and refetches, debounced. After a reconnect
// (events missed meanwhile are not replayed) every subscriber refetches.

const NAMES = ['pair', 'gap', 'question', 'import', 'answer-model', 'feedback', 'spend-cap', 'document'];
const subscribers = new Set();
let source = null;
let connectedOnce = false;
let retryTimer = null;
let retryDelay = 3000;
let shown = () => {};
let current = 'offline';
const statusListener = (status) => { current = status; shown(status); };

/** status: 'connecting' | 'live' | 'offline' */
export const onStatus = (fn) => { shown = fn; };
/** Whether the stream is open now (a screen that must not miss a change polls while it is not). */
export const isLive = () => current === 'live';

export function start() {
  if (source) return;
  statusListener('connecting');
  source = new EventSource('/api/owner/events');
  source.addEventListener('hello', () => {
    retryDelay = 3000;
    statusListener('live');
    if (connectedOnce) notify('reconnect', {});
    connectedOnce = true;
  });
  for (const name of NAMES) {
    source.addEventListener(name, (e) => {
      let data = {};
      try { data = JSON.parse(e.data); } catch (err) { /* a hint all the same */ }
      notify(name, data);
    });
  }
  source.onerror = () => {
    statusListener('offline');
    // the browser reconnects by itself unless the answer was not an event stream (e.g. 401, 503)
    if (source.readyState === EventSource.CLOSED) {
      source = null;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(start, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    }
  };
}

export function stop() {
  clearTimeout(retryTimer);
  source?.close();
  source = null;
  connectedOnce = false;
  statusListener('offline');
}

function notify(name, data) {
  for (const s of subscribers) {
    if (name === 'reconnect' || s.names.includes(name)) s.hint(name, data);
  }
}

/**
 * Calls `refresh(hints)` at most once per `wait` ms after events of the given names arrive
 * (hints: the events' data, for a screen that wants to know which rows changed).
 * Returns the function that unsubscribes.
 */
export function subscribe(names, refresh, wait = 400) {
  let timer = null;
  let pending = [];
  const s = {
    names,
    hint(name, data) {
      pending.push({ name, ...data });
      // the first hint starts the clock; later ones ride along (a busy stream still refreshes)
      timer ??= setTimeout(() => { const hints = pending; pending = []; timer = null; refresh(hints); }, wait);
    },
  };
  subscribers.add(s);
  return () => { clearTimeout(timer); subscribers.delete(s); };
}
