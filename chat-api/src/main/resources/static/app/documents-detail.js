// One document: its facts and status (kept current by `document` events, or polled while the event
// stream is down), its chunks as the chat searches them, a new version, the download and the
// deletion. Chunks are the document's own words, untrusted: they only ever become text nodes.
import * as api from './api.js';
import { fill, h, notice, number, pager, screenHeader, when } from './dom.js';
import { deleteButton, fileUrl, format, pollWhileOffline, statusBadge, unfinished } from './documents.js';
import { bytes, uploadForm } from './documents-upload.js';

export async function render(root, ctx, id) {
  const path = '/api/owner/documents/' + encodeURIComponent(id);
  const page = Number(ctx.query.get('page')) || 1;
  const status = notice();
  const head = h('div');
  const facts = h('div', { class: 'panel-box doc-facts', 'aria-live': 'polite' });
  const chunks = h('section', { class: 'doc-chunks', 'aria-labelledby': 'chunks-title' });
  const statuses = new Map();
  let shown = null;

  const load = async () => {
    const d = await api.get(path);
    statuses.set(d.id, d.status);
    const changed = shown && (shown.status !== d.status || shown.serving_version !== d.serving_version);
    // the heading again only when the title changed (a new version may rename it): a delete being confirmed stays
    if (!shown || shown.title !== d.title) {
      fill(head, screenHeader(d.title, h('a', { class: 'button', href: fileUrl(d), download: '' }, 'Download'),
        deleteButton(d, () => { ctx.announce(`Deleted "${d.title}".`); ctx.navigate('#/documents'); }, status)));
    }
    shown = d;
    fill(facts, h('dl', { class: 'facts-list' },
      h('dt', {}, 'Status'), h('dd', {}, statusBadge(d),
        d.status === 'failed' && d.failure_reason ? h('span', { class: 'reason' }, ' ' + d.failure_reason) : null,
        unfinished(d) ? h('span', { class: 'hint' }, d.serving_version ? ` version ${d.serving_version} answers meanwhile` : ' Clara is reading it…') : null),
      h('dt', {}, 'Format'), h('dd', {}, format(d.content_type)),
      h('dt', {}, 'File'), h('dd', { class: 'q' }, `${d.file_name || '—'} (${bytes(d.file_size)})`),
      h('dt', {}, 'Version'), h('dd', {}, d.serving_version && d.serving_version !== d.version
        ? `${d.version} (version ${d.serving_version} answers)` : String(d.version)),
      h('dt', {}, 'Chunks'), h('dd', { class: 'chunks' }, number(d.chunk_count)),
      h('dt', {}, 'Uploaded'), h('dd', {}, when(d.created_at)),
      h('dt', {}, 'Updated'), h('dd', {}, when(d.updated_at))));
    if (changed || !chunks.hasChildNodes()) await loadChunks();
  };

  const loadChunks = async () => {
    const list = await api.get(path + '/chunks', { page, per_page: 20 });
    fill(chunks, h('h2', { id: 'chunks-title' }, 'Chunks'),
      h('p', { class: 'hint' }, 'The passages the chat searches, each under the heading it belongs to.'),
      list.items.length
        ? h('ol', { class: 'chunk-list', start: list.items[0].index + 1 }, list.items.map((c) => h('li', { class: 'chunk', 'data-chunk': c.index },
          // the document's text as text: "<img onerror=…>" in a file stays characters
          h('h3', { class: 'chunk-heading' }, c.heading || `Chunk ${c.index + 1}`),
          h('p', { class: 'chunk-text' }, c.content))))
        : h('p', { class: 'empty' }, unfinished(shown) ? 'No chunks yet: they appear once the document is ready.' : 'No chunks.'),
      list.total > list.per_page ? pager(list, (p) => ctx.navigate(`#/documents/${encodeURIComponent(id)}?page=${p}`), 'Chunk pages') : null);
  };

  const reload = () => load().catch((e) => status.error(e));
  const version = uploadForm({
    path: path + '/versions', submit: 'Upload the new version', ctx,
    titleHint: 'Leave it empty to keep the current title.',
    onDone: reload,
  });
  fill(root, h('p', {}, h('a', { href: '#/documents' }, '← All documents')), head, status, facts,
    h('details', { class: 'panel-box' }, h('summary', {}, 'Upload a new version'),
      h('p', { class: 'hint' }, 'The current version keeps answering until the new one is ready.'), version),
    chunks);
  // a failure (404 for another owner's id) becomes the screen's alert (main.js)
  await load();
  ctx.live(['document'], (hints) => {
    if (hints.some((x) => x.document_id === id || x.name === 'reconnect')) reload();
    const done = hints.find((x) => x.document_id === id && (x.status === 'ready' || x.status === 'failed'));
    if (done) ctx.announce(done.status === 'ready' ? 'The document is ready.' : 'The document could not be read.');
  }, 300);
  pollWhileOffline(ctx, () => (shown && unfinished(shown) ? [shown.id] : []), statuses, reload);
}
