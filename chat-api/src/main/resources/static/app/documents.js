// Documents: what Clara answers from when no Q&A pair does. The list (title, format, status,
// chunks, last change) with paging, an upload with its progress, and each document's status kept
// current by `document` events; while the event stream is down, an unfinished document is polled
// instead. One document's page (its chunks, a new version, download, delete) is documents-detail.js.
import * as api from './api.js';
import * as live from './live.js';
import { ago, badge, busy, button, fill, h, notice, number, pager, screenHeader, when } from './dom.js';
import { bytes, uploadForm } from './documents-upload.js';

const FORMATS = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'text/html': 'HTML',
  'text/markdown': 'Markdown',
  'text/plain': 'Text',
};
export const format = (type) => FORMATS[type] || type || '—';

const UNFINISHED = new Set(['pending', 'processing']);
export const unfinished = (d) => UNFINISHED.has(d.status);

/** The status as a badge: its word as the API says it, and what it means. */
export function statusBadge(d) {
  const [label, kind] = {
    pending: ['pending', 'pending'],
    processing: ['processing', 'pending'],
    ready: ['ready', 'ok'],
    failed: ['failed', 'bad'],
  }[d.status] || [d.status, 'muted'];
  return h('span', { class: 'doc-status', 'data-status': d.status }, badge(label, kind));
}

export const fileUrl = (d) => `/api/owner/documents/${encodeURIComponent(d.id)}/file`;

/**
 * Polls the unfinished documents `ids()` names every few seconds while the event stream is down,
 * calling changed() when one's status moved; stops when the screen is left.
 */
export function pollWhileOffline(ctx, ids, statuses, changed) {
  let timer = null;
  const tick = async () => {
    if (!live.isLive()) {
      for (const id of ids()) {
        const d = await api.get('/api/owner/documents/' + encodeURIComponent(id)).catch(() => null);
        if (d && d.status !== statuses.get(id)) { changed(d); break; }
      }
    }
    timer = setTimeout(tick, 3000);
  };
  timer = setTimeout(tick, 3000);
  ctx.onLeave(() => clearTimeout(timer));
}

/** A button that asks first, in the page (no browser dialog): "Delete …? [Delete] [Cancel]". */
export function deleteButton(d, onDeleted, status) {
  const wrap = h('span', { class: 'confirm' });
  const ask = () => {
    const yes = button('Yes, delete', (e) => busy(e.currentTarget, async () => {
      await api.del('/api/owner/documents/' + encodeURIComponent(d.id));
      await onDeleted();
    }, (err) => status.error(err)), { class: 'danger' });
    const no = button('Cancel', () => { reset(); first.focus(); });
    fill(wrap, h('span', { class: 'confirm-text', role: 'alert' }, `Delete "${d.title}" and its chunks? This cannot be undone.`), ' ', yes, ' ', no);
    yes.focus();
  };
  const first = button('Delete', ask, { 'aria-label': `Delete: ${d.title}` });
  const reset = () => fill(wrap, first);
  reset();
  return wrap;
}

export async function render(root, ctx) {
  if (ctx.rest[0]) return (await import('./documents-detail.js')).render(root, ctx, ctx.rest[0]);
  const page = Number(ctx.query.get('page')) || 1;
  const status = notice();
  const table = h('div', { class: 'table-wrap', 'aria-live': 'polite' });
  const statuses = new Map(); // document id → the status shown

  const load = async () => {
    const list = await api.get('/api/owner/documents', { page, per_page: 25 });
    statuses.clear();
    list.items.forEach((d) => statuses.set(d.id, d.status));
    fill(table, list.items.length
      ? h('table', { class: 'documents' }, h('caption', { class: 'sr-only' }, 'Documents'),
        h('thead', {}, h('tr', {}, ['Title', 'Format', 'Status', 'Chunks', 'Updated', 'Actions'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, list.items.map((d) => row(d, reload, status))))
      : h('p', { class: 'empty' }, 'No documents yet: upload one above.'),
    list.total > list.per_page ? pager(list, (p) => ctx.navigate('#/documents?page=' + p)) : null);
  };
  const reload = () => load().catch((e) => status.error(e));
  const upload = uploadForm({
    path: '/api/owner/documents', submit: 'Upload', ctx,
    titleHint: 'Shown to you and in the citations of answers. Without one, the file name is the title.',
    onDone: reload,
  });
  fill(root, screenHeader('Documents'),
    h('p', { class: 'lead' }, 'Clara answers from your documents when no Q&A pair answers a question. '
      + 'A document is ready once it is read, cut into passages (chunks) and embedded.'),
    h('details', { class: 'panel-box', open: true }, h('summary', {}, 'Upload a document'), upload),
    status, table);
  await load();
  ctx.live(['document'], (hints) => {
    reload();
    const done = hints.find((x) => x.status === 'ready' || x.status === 'failed');
    if (done) ctx.announce(done.status === 'ready' ? 'A document is ready.' : 'A document could not be read.');
  }, 300);
  pollWhileOffline(ctx, () => [...statuses].filter(([, s]) => UNFINISHED.has(s)).map(([id]) => id), statuses, reload);
}

function row(d, reload, status) {
  return h('tr', { 'data-document': d.id, 'data-status': d.status },
    h('th', { scope: 'row', 'data-label': 'Title' }, h('a', { href: '#/documents/' + encodeURIComponent(d.id), class: 'q' }, d.title),
      d.file_name && d.file_name !== d.title ? h('span', { class: 'hint block' }, d.file_name) : null),
    h('td', { 'data-label': 'Format' }, format(d.content_type), h('span', { class: 'hint' }, ` · ${bytes(d.file_size)}`)),
    h('td', { 'data-label': 'Status', class: 'state' }, statusBadge(d),
      d.status === 'failed' && d.failure_reason ? h('span', { class: 'hint block reason' }, d.failure_reason) : null,
      d.version > 1 && d.serving_version && d.serving_version !== d.version ? h('span', { class: 'hint block' }, `version ${d.serving_version} answers meanwhile`) : null),
    h('td', { 'data-label': 'Chunks', class: 'chunks' }, d.status === 'ready' || d.serving_version ? number(d.chunk_count) : '—'),
    h('td', { 'data-label': 'Updated' }, h('time', { datetime: d.updated_at, title: when(d.updated_at) }, ago(d.updated_at))),
    h('td', { 'data-label': 'Actions', class: 'row-actions' },
      h('a', { class: 'button', href: fileUrl(d), download: '', 'aria-label': `Download: ${d.title}` }, 'Download'),
      deleteButton(d, async () => { status.ok(`Deleted "${d.title}".`); await reload(); }, status)));
}
