// Element helpers. Text from data only ever goes in through textContent / text nodes: h() never
// parses markup, so a visitor's "<img onerror=…>" shows as the characters it is.

/**
 * h('button', { class: 'primary', type: 'button', onclick: fn, 'aria-label': 'Close' }, 'text', child…)
 * Attributes are set with setAttribute (no style attribute: the CSP refuses inline styles; use
 * classes, or el.style from code); on* keys become listeners; strings become text nodes.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'value') el.value = value;
    else if (key === 'checked' || key === 'disabled' || key === 'hidden' || key === 'selected') el[key] = !!value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let ids = 0;
export const uid = (prefix = 'f') => `${prefix}-${++ids}`;

/** A labelled form field: a label, the control, a hint and a place for its error (aria-describedby). */
export function field(label, control, hint) {
  control.id ||= uid();
  const error = h('p', { class: 'field-error', id: control.id + '-error', hidden: true });
  const hintEl = hint ? h('p', { class: 'hint', id: control.id + '-hint' }, hint) : null;
  control.setAttribute('aria-describedby', [hintEl?.id, error.id].filter(Boolean).join(' '));
  const wrap = h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl, error);
  wrap.control = control;
  wrap.setError = (message) => {
    error.hidden = !message;
    error.textContent = message || '';
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  };
  return wrap;
}

/** A checkbox with its label after it. */
export function checkbox(label, checked, attrs = {}) {
  const input = h('input', { type: 'checkbox', id: uid(), checked, ...attrs });
  const wrap = h('div', { class: 'check' }, input, h('label', { for: input.id }, label));
  wrap.control = input;
  return wrap;
}

export const button = (label, onclick, attrs = {}) => h('button', { type: 'button', onclick, ...attrs }, label);

/** Runs an async action from a button: disabled meanwhile, errors reported to `report`. */
export async function busy(btn, action, report) {
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } catch (e) {
    if (report) report(e);
    else throw e;
  } finally {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
  }
}

/** A status line (role=status) to put messages and errors in. */
export function notice() {
  const el = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  el.ok = (text) => { el.className = 'notice ok'; el.textContent = text; };
  el.error = (e) => { el.className = 'notice error'; el.textContent = e?.message || String(e); };
  el.clear = () => { el.className = 'notice'; el.textContent = ''; };
  return el;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const when = (iso) => (iso ? dateTime.format(new Date(iso)) : '—');
export const number = (n) => (n == null ? '—' : new Intl.NumberFormat().format(n));
export const percent = (x, digits = 0) => (x == null || Number.isNaN(x) ? '—' : (x * 100).toFixed(digits) + ' %');

/** "3 minutes ago" */
export function ago(iso) {
  if (!iso) return '—';
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (Math.abs(s) < 60) return rtf.format(-s, 'second');
  if (Math.abs(s) < 3600) return rtf.format(-Math.round(s / 60), 'minute');
  if (Math.abs(s) < 86400) return rtf.format(-Math.round(s / 3600), 'hour');
  return rtf.format(-Math.round(s / 86400), 'day');
}

/** A heading with the screen's title and optional actions beside it. */
export const screenHeader = (title, ...actions) =>
  h('div', { class: 'screen-head' }, h('h1', { tabindex: '-1' }, title), actions.length ? h('div', { class: 'actions' }, actions) : null);

/** Previous / next paging for a {items, page, per_page, total} list. */
export function pager(list, go, label = 'Pages') {
  const pages = Math.max(1, Math.ceil(list.total / list.per_page));
  return h('nav', { class: 'pager', 'aria-label': label },
    button('Previous', () => go(list.page - 1), { disabled: list.page <= 1 }),
    h('span', {}, `Page ${list.page} of ${pages} · ${number(list.total)} in all`),
    button('Next', () => go(list.page + 1), { disabled: list.page >= pages }));
}

export const badge = (text, kind = '') => h('span', { class: 'badge ' + kind }, text);
