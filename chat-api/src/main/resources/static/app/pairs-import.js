// CSV import: upload, a progress bar moved by `import` events (and by polling every 2 s in case
// events do not come), then the report: counts and the rows that were not imported, with why.
import * as api from './api.js';
import { busy, field, fill, h, notice, number, when } from './dom.js';
import { subscribe } from './live.js';

const DONE = new Set(['completed', 'failed', 'interrupted']);

export function importPanel(ctx, reloadPairs) {
  const file = h('input', { type: 'file', accept: '.csv,text/csv', required: true });
  const upload = h('button', { type: 'submit', class: 'primary' }, 'Import');
  const status = notice();
  const progress = h('div', { class: 'import-progress' });
  const form = h('form', { class: 'import-form' },
    field('CSV file', file, 'Columns question, answer and optionally category (a header row naming them, or that order). '
      + 'Rows already in the knowledge base are skipped, so uploading a file again imports nothing twice.'),
    upload);
  let watch = null;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!file.files[0]) { status.error('Choose a CSV file first.'); return; }
    busy(upload, async () => {
      status.clear();
      const job = await api.upload('/api/owner/qa-pairs/imports', file.files[0]);
      form.reset();
      watch?.();
      watch = follow(job, progress, ctx, reloadPairs);
    }, (err) => status.error(err));
  });
  ctx.onLeave(() => watch?.());
  // a job still running from before (another tab, a reload) is followed too
  api.get('/api/owner/qa-pairs/imports', { per_page: 1 }).then((list) => {
    const last = list.items?.[0];
    if (last && !DONE.has(last.status) && !watch) watch = follow(last, progress, ctx, reloadPairs);
  }, () => {});
  return h('details', { class: 'panel-box' }, h('summary', {}, 'Import a CSV file'), form, status, progress);
}

/** Shows a job's progress until it is done; returns the function that stops following it. */
function follow(job, el, ctx, reloadPairs) {
  let stopped = false;
  let timer = null;
  const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Import progress' });
  const text = h('p', { class: 'progress-text', role: 'status', 'aria-live': 'polite' });
  const report = h('div', { class: 'import-report' });
  fill(el, h('h3', {}, `Importing ${job.file_name || 'the file'}`), bar, text, report);

  const show = async (j) => {
    if (j.total_rows) { bar.max = j.total_rows; bar.value = j.processed_rows; } else bar.removeAttribute('value');
    el.dataset.status = j.status;
    text.textContent = j.status === 'queued' ? 'Waiting to start…'
      : j.status === 'running' ? `${number(j.processed_rows)} of ${j.total_rows == null ? '…' : number(j.total_rows)} rows processed`
        : j.status === 'completed' ? `Done: ${number(j.imported_rows)} imported, ${number(j.duplicate_rows)} duplicates skipped, ${number(j.invalid_rows)} invalid (of ${number(j.total_rows)} rows).`
          : j.status === 'failed' ? `The import failed: ${j.error || 'unknown error'}.`
            : 'The import was interrupted (the server stopped). Upload the file again to finish it: what was imported is skipped.';
    if (DONE.has(j.status)) {
      stop();
      if (j.status === 'completed') { bar.max = 1; bar.value = 1; }
      ctx.announce(text.textContent);
      reloadPairs();
      if (j.duplicate_rows || j.invalid_rows) await rows(j, report);
    }
  };
  const poll = async () => {
    if (stopped) return;
    try { await show(await api.get('/api/owner/qa-pairs/imports/' + job.id)); } catch (e) { text.textContent = e.message; }
    if (!stopped) { clearTimeout(timer); timer = setTimeout(poll, 2000); }
  };
  const unsubscribe = subscribe(['import'], (hints) => {
    if (hints.some((x) => x.import_id === job.id || x.name === 'reconnect')) poll();
  }, 150);
  function stop() { stopped = true; clearTimeout(timer); unsubscribe(); }
  show(job);
  poll();
  return stop;
}

async function rows(job, el) {
  const [invalid, duplicate] = await Promise.all(['invalid', 'duplicate'].map((outcome) =>
    api.get(`/api/owner/qa-pairs/imports/${job.id}/rows`, { outcome, per_page: 100 }).catch(() => ({ items: [], total: 0 }))));
  const items = [...invalid.items, ...duplicate.items].sort((a, b) => a.row_number - b.row_number);
  const more = invalid.total + duplicate.total - items.length;
  fill(el, h('details', { open: true }, h('summary', {}, 'Rows not imported'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Row', 'Line', 'Outcome', 'Reason', 'Question'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, items.map((r) => h('tr', {}, h('td', {}, r.row_number), h('td', {}, r.line_number), h('td', {}, r.outcome),
        h('td', {}, r.reason || (r.outcome === 'duplicate' ? 'already in the knowledge base' : '')), h('td', {}, r.question || '')))))),
    more > 0 ? h('p', { class: 'hint' }, `…and ${number(more)} more (started ${when(job.created_at)}).`) : null));
}
