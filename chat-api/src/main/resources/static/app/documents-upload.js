// The upload form of the documents screen (a new document, or a new version of one): a file picker
// that is also a drop zone, an optional title, and a progress bar moved by the request's own upload
// progress (XMLHttpRequest). The API's problem+json (413 too large, 415 not a document, a title
// against the rules) is shown in words, the title's at its field.
import * as api from './api.js';
import { busy, field, fill, h, notice, uid } from './dom.js';

export const ACCEPT = '.pdf,.docx,.html,.htm,.md,.markdown,.txt,application/pdf,'
  + 'application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/html,text/markdown,text/plain';

/** "48 kB" */
export function bytes(n) {
  if (n == null) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const FILE_HINT = 'PDF, Word (DOCX), HTML, Markdown or plain text. Choose one, or drop it on this box.';
const uploaded = (doc) => `Uploaded "${doc.title}". Clara reads it now; its status changes here when it is ready.`;

/**
 * uploadForm({ path, submit, titleHint, onDone }) → a form that posts `file` (and `title` when
 * given) to `path` and calls onDone(answer) with the API's answer. The documents' file types and
 * message unless `accept`, `fileHint`, `titleMax` and `doneText(answer)` say otherwise (transcripts).
 */
export function uploadForm({ path, submit, titleHint, onDone, ctx, accept = ACCEPT, fileHint = FILE_HINT, titleMax = 300, doneText = uploaded }) {
  const input = h('input', { type: 'file', accept, class: 'file-input' });
  const file = field('File', input, fileHint);
  const title = field('Title (optional)', h('input', { type: 'text', maxlength: titleMax }), titleHint);
  const chosen = h('p', { class: 'chosen', 'aria-live': 'polite' });
  const zone = h('div', { class: 'dropzone' }, file, chosen);
  const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Upload progress' });
  const text = h('p', { class: 'progress-text' });
  const progress = h('div', { class: 'upload-progress', hidden: true }, bar, text);
  const status = notice();
  const button = h('button', { type: 'submit', class: 'primary' }, submit);
  const form = h('form', { class: 'upload-form', novalidate: true }, zone, title, button, progress, status);
  let picked = null;

  const pick = (f) => {
    picked = f || null;
    fill(chosen, picked ? `Selected: ${picked.name} (${bytes(picked.size)})` : '');
    file.setError(null);
  };
  input.addEventListener('change', () => pick(input.files[0]));
  // the whole box takes a dropped file; the browser must not open it instead
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', (e) => { if (!zone.contains(e.relatedTarget)) zone.classList.remove('over'); });
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const dropped = e.dataTransfer?.files;
    if (!dropped?.length) return;
    if (dropped.length > 1) { file.setError('Drop one file at a time.'); return; }
    pick(dropped[0]);
  });

  const show = (state, loaded, total) => {
    progress.hidden = false;
    progress.dataset.state = state;
    if (total) { bar.max = total; bar.value = loaded; } else bar.removeAttribute('value');
    text.textContent = state === 'sending'
      ? (total ? `Uploading: ${Math.round((loaded / total) * 100)} % (${bytes(loaded)} of ${bytes(total)})` : 'Uploading…')
      : state === 'done' ? `Uploaded ${bytes(total)}.` : 'The upload did not finish.';
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!picked) { file.setError('Choose a file first (or drop one on the box).'); input.focus(); return; }
    const body = new FormData();
    body.append('file', picked, picked.name);
    if (title.control.value.trim()) body.append('title', title.control.value.trim());
    const size = picked.size;
    busy(button, async () => {
      status.clear();
      file.setError(null);
      title.setError(null);
      show('sending', 0, size);
      const doc = await api.uploadWithProgress(path, body, (loaded, total) => show('sending', loaded, total || size));
      show('done', size, size);
      form.reset();
      pick(null);
      const done = doneText(doc);
      status.ok(done);
      ctx.announce(done);
      await onDone(doc);
    }, (err) => {
      show('failed', 0, size);
      title.setError(err.fieldErrors?.title);
      file.setError(err.fieldErrors?.file);
      status.error(err.status === 0 && !err.problem?.detail
        ? 'The upload did not reach Clara (the connection closed). A file over the size limit is refused this way too.'
        : err);
    });
  });
  form.id = uid('upload');
  return form;
}
