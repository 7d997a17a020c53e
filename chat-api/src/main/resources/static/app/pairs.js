// Knowledge base: the Q&A pairs with search, category filter and paging; add, inline edit, soft
// delete and restore; near-duplicate warnings shown at the row they concern; each pair's
// embedding state kept current by `pair` events. The CSV import is in pairs-import.js.
import * as api from './api.js';
import { badge, busy, button, field, fill, h, notice, pager, screenHeader, uid } from './dom.js';
import { importPanel } from './pairs-import.js';

const warnings = new Map(); // pair id → near-duplicate warnings of its last save

export async function render(root, ctx) {
  const q = ctx.query;
  const state = { q: q.get('q') || '', category: q.get('category') || '', active: q.get('active') || 'true', page: Number(q.get('page')) || 1 };
  const status = notice();
  const table = h('div', { class: 'table-wrap' });
  const categories = h('datalist', { id: uid('categories') });
  let editing = null; // the id of the row being edited: live refreshes wait for it

  const go = (changes) => {
    const next = { ...state, page: 1, ...changes };
    const qs = new URLSearchParams(Object.entries(next).filter(([k, v]) => v && !(k === 'page' && v === 1) && !(k === 'active' && v === 'true')));
    ctx.navigate('#/pairs' + (qs.toString() ? '?' + qs : ''));
  };
  const search = h('input', { type: 'search', value: state.q, placeholder: 'Search questions and answers' });
  const category = h('input', { type: 'text', value: state.category, list: categories.id, placeholder: 'Any category' });
  const active = h('select', {}, [['true', 'Active'], ['false', 'Deleted'], ['all', 'All']].map(([v, l]) => h('option', { value: v, selected: v === state.active }, l)));
  const filters = h('form', { class: 'filters', role: 'search' }, field('Search', search), field('Category', category), field('Show', active),
    h('button', { type: 'submit' }, 'Apply'));
  filters.addEventListener('submit', (e) => { e.preventDefault(); go({ q: search.value.trim(), category: category.value.trim(), active: active.value }); });
  active.addEventListener('change', () => go({ q: search.value.trim(), category: category.value.trim(), active: active.value }));

  const load = async () => {
    const list = await api.get('/api/owner/qa-pairs', { q: state.q, category: state.category, active: state.active, page: state.page, per_page: 25 });
    const seen = new Set([...categories.options].map((o) => o.value));
    list.items.forEach((p) => { if (!seen.has(p.category)) { seen.add(p.category); categories.append(h('option', { value: p.category })); } });
    const rows = list.items.map((p) => row(p, actions));
    fill(table, list.items.length
      ? h('table', { class: 'pairs' }, h('caption', { class: 'sr-only' }, 'Q&A pairs'),
        h('thead', {}, h('tr', {}, ['Question', 'Answer', 'Category', 'State', 'Actions'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, rows))
      : h('p', { class: 'empty' }, state.q || state.category ? 'No pair matches.' : 'No pairs yet: add one or import a CSV file.'),
    list.total > list.per_page ? pager(list, (p) => go({ ...state, page: p })) : null);
  };
  const actions = {
    status, ctx,
    reload: () => load().catch((e) => status.error(e)),
    edit: (id) => { editing = id; },
    doneEditing: () => { editing = null; },
  };

  fill(root, screenHeader('Knowledge base'), addForm(actions), importPanel(ctx, actions.reload), filters, categories, status, table);
  await load();
  ctx.live(['pair', 'import'], () => { if (!editing) actions.reload(); });
}

function stateBadge(p) {
  if (!p.is_active) return badge('Deleted', 'muted');
  if (p.embedded && p.embedding_current !== false) return badge('Embedded', 'ok');
  return badge('Embedding…', 'pending');
}

function warningList(p) {
  const list = warnings.get(p.id);
  if (!list?.length) return null;
  return h('div', { class: 'warning', role: 'note' }, h('strong', {}, 'Possible duplicate: '),
    h('ul', {}, list.map((w) => h('li', {}, w.question, h('span', { class: 'hint' }, ` (${Math.round(w.similarity * 100)} % similar)`)))));
}

function row(p, actions) {
  const tr = h('tr', { 'data-pair': p.id, 'data-embedded': String(!!p.embedded) },
    h('th', { scope: 'row', 'data-label': 'Question' }, h('span', { class: 'q' }, p.question), warningList(p)),
    h('td', { 'data-label': 'Answer' }, h('span', { class: 'clamp' }, p.answer)),
    h('td', { 'data-label': 'Category' }, p.category),
    h('td', { 'data-label': 'State', class: 'state' }, stateBadge(p)),
    h('td', { 'data-label': 'Actions', class: 'row-actions' },
      p.is_active ? button('Edit', () => editRow(tr, p, actions), { 'aria-label': 'Edit: ' + p.question }) : null,
      p.is_active
        ? button('Delete', (e) => change(e, actions, 'DELETE', `/api/owner/qa-pairs/${p.id}`, 'Pair deleted. You can restore it from "Deleted".'), { 'aria-label': 'Delete: ' + p.question })
        : button('Restore', (e) => change(e, actions, 'POST', `/api/owner/qa-pairs/${p.id}/restore`, 'Pair restored.'), { 'aria-label': 'Restore: ' + p.question })));
  return tr;
}

const change = (e, actions, method, path, done) => busy(e.currentTarget, async () => {
  await api.request(method, path, method === 'POST' ? { json: {} } : {});
  actions.status.ok(done);
  actions.ctx.announce(done);
  await actions.reload();
}, (err) => actions.status.error(err));

function pairFields(p = {}) {
  return {
    question: field('Question', h('input', { type: 'text', value: p.question || '', maxlength: 1000, required: true })),
    answer: field('Answer', h('textarea', { rows: 3, maxlength: 10000, required: true }, p.answer || '')),
    category: field('Category', h('input', { type: 'text', value: p.category || 'general', maxlength: 50 })),
  };
}
const valuesOf = (f) => ({ question: f.question.control.value.trim(), answer: f.answer.control.value.trim(), category: f.category.control.value.trim() || undefined });
const showErrors = (f, err) => Object.entries(f).forEach(([k, x]) => x.setError(err?.fieldErrors?.[k]));

function editRow(tr, p, actions) {
  actions.edit(p.id);
  const f = pairFields(p);
  const status = notice();
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save');
  // keyboard users land on the row's Edit button again once it is redrawn
  const back = () => document.querySelector(`tr[data-pair="${p.id}"] button`)?.focus();
  const cancel = () => { actions.doneEditing(); actions.reload().then(back); };
  const form = h('form', { class: 'inline-edit', novalidate: true, 'aria-label': 'Edit pair' }, f.question, f.answer, f.category, status,
    h('div', { class: 'actions' }, save, button('Cancel', cancel)));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      showErrors(f, null);
      const res = await api.patch('/api/owner/qa-pairs/' + p.id, valuesOf(f));
      warnings.set(p.id, res?.warnings || []);
      actions.status.ok('Pair saved.');
      actions.doneEditing();
      await actions.reload();
      back();
    }, (err) => { showErrors(f, err); status.error(err); });
  });
  fill(tr, h('td', { colspan: 5 }, form));
  f.question.control.focus();
}

function addForm(actions) {
  const f = pairFields();
  const status = notice();
  const save = h('button', { type: 'submit', class: 'primary' }, 'Add pair');
  const form = h('form', { class: 'add-pair', novalidate: true }, f.question, f.answer, f.category, status, save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      showErrors(f, null);
      const res = await api.post('/api/owner/qa-pairs', valuesOf(f));
      warnings.set(res.qa_pair.id, res.warnings || []);
      status.ok(res.warnings?.length ? 'Pair added, but it looks like one you have: see the warning at its row.' : 'Pair added. Clara embeds it in a moment.');
      f.question.control.value = '';
      f.answer.control.value = '';
      await actions.reload();
      f.question.control.focus();
    }, (err) => { showErrors(f, err); status.error(err); });
  });
  return h('details', { class: 'panel-box' }, h('summary', {}, 'Add a pair'), form);
}
