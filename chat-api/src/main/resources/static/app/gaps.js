// Gap inbox: the questions Clara could not answer (or answered and got a thumbs down), grouped by
// meaning (group_id), most asked first. "Answer this" adds the answer as a Q&A pair and resolves
// the whole group in place; the group stays on screen while the loop closes live (the pair is
// embedded, the group's other phrasings resolved with it, each one reversible).
import * as api from './api.js';
import { ago, badge, busy, button, checkbox, field, fill, h, notice, screenHeader } from './dom.js';

const FILTERS = [['open', 'Open'], ['resolved', 'Resolved'], ['dismissed', 'Dismissed'], ['auto', 'Resolved automatically']];
// kept while the app runs: gaps resolved along with their group, and groups answered on this screen
const withGroup = new Set();
const answered = new Map(); // group key → { pairId, gapId, grouped }

const keyOf = (g) => g.group_id || g.id;

export async function render(root, ctx) {
  const filter = FILTERS.some(([f]) => f === ctx.query.get('filter')) ? ctx.query.get('filter') : 'open';
  const status = notice();
  const list = h('div', { class: 'gap-groups', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  fill(root, screenHeader('Gap inbox'),
    h('p', { class: 'lead' }, 'Questions visitors asked that Clara could not answer well. Answer a group once and every phrasing in it is covered.'),
    h('nav', { class: 'tabs', 'aria-label': 'Which gaps' }, FILTERS.map(([f, label]) =>
      h('a', { href: '#/gaps?filter=' + f, 'aria-current': f === filter ? 'page' : null }, label))),
    status, list);

  const load = async () => {
    const items = (await api.get('/api/owner/gaps', { status: filter === 'auto' ? 'resolved' : filter, sort: 'ask_count', per_page: 200 })).items;
    const shown = filter === 'auto' ? items.filter((g) => g.resolved_automatically || withGroup.has(g.id)) : items;
    const groups = group(shown);
    // groups answered here stay in the open inbox until the owner is done with them
    const pinned = filter === 'open' ? await Promise.all([...answered].map(([key, a]) => pinnedGroup(key, a))) : [];
    const pinnedKeys = new Set(pinned.map((p) => p.key));
    const rest = groups.filter((g) => !pinnedKeys.has(g.key));
    if (!rest.length && !pinned.length) {
      fill(list, h('p', { class: 'empty' }, filter === 'open' ? 'No open gaps. Nice work.' : 'Nothing here.'));
      return;
    }
    fill(list, pinned.map((p) => groupCard(p, filter, actions)), rest.map((g) => groupCard(g, filter, actions)));
  };
  // while an answer is being written the list stays as it is; a change meanwhile redraws it after
  let writing = false;
  let missed = false;
  const actions = {
    reload: () => load().catch((e) => status.error(e)), status, ctx,
    writing: (on) => { writing = on; if (!on && missed) { missed = false; actions.reload(); } },
  };
  await load();
  ctx.live(['gap', 'pair', 'question'], () => { if (writing) missed = true; else actions.reload(); });
}

function group(gaps) {
  const byKey = new Map();
  for (const g of gaps) {
    const k = keyOf(g);
    if (!byKey.has(k)) byKey.set(k, []);
    byKey.get(k).push(g);
  }
  return [...byKey].map(([key, members]) => summary(key, members)).sort((a, b) => b.asked - a.asked || b.last.localeCompare(a.last));
}

function summary(key, members) {
  // the most asked phrasing leads; on a tie, the first one asked
  members.sort((a, b) => b.ask_count - a.ask_count || a.created_at.localeCompare(b.created_at));
  return {
    key, members, lead: members[0],
    asked: members.reduce((n, g) => n + g.ask_count, 0),
    last: members.map((g) => g.last_asked_at || '').sort().pop(),
  };
}

async function pinnedGroup(key, a) {
  const gaps = !a.grouped
    ? [await api.get('/api/owner/gaps/' + a.gapId)]
    : (await api.get('/api/owner/gaps', { status: 'all', group_id: key, per_page: 200 })).items;
  const pair = await api.get('/api/owner/qa-pairs/' + encodeURIComponent(a.pairId)).catch(() => null);
  return { ...summary(key, gaps), answeredWith: a, pair };
}

function groupCard(g, filter, actions) {
  const lead = g.lead;
  const headingId = 'gap-' + g.key;
  const card = h('article', { class: 'gap-group' + (g.answeredWith ? ' answered' : ''), 'aria-labelledby': headingId, 'data-group': g.key },
    h('h2', { id: headingId, class: 'q' }, lead.question),
    h('p', { class: 'meta' },
      lead.kind === 'feedback' ? badge('Thumbs down', 'warn') : null,
      `Asked ${g.asked} ${g.asked === 1 ? 'time' : 'times'}`,
      g.members.length > 1 ? ` · ${g.members.length} phrasings` : '',
      ` · last asked ${ago(g.last)}`));
  if (lead.kind === 'feedback') card.append(feedback(lead));
  if (g.answeredWith) card.append(loop(g, actions));
  card.append(h('ul', { class: 'phrasings', 'aria-label': 'Phrasings' }, g.members.map((m) => phrasing(m, g, actions))));
  if (!g.answeredWith && filter === 'open') card.append(answerArea(g, actions));
  return card;
}

function feedback(gap) {
  return h('div', { class: 'feedback' },
    h('p', {}, h('strong', {}, 'Clara answered: '), gap.ai_answer || '—'),
    gap.feedback_comment ? h('p', {}, h('strong', {}, 'The visitor commented: '), gap.feedback_comment) : null);
}

function stateOf(m) {
  if (m.status === 'open') return badge('Open');
  if (m.status === 'dismissed') return badge('Dismissed', 'muted');
  if (m.resolved_automatically || withGroup.has(m.id)) return badge('Resolved automatically', 'ok');
  return badge('Resolved', 'ok');
}

function phrasing(m, g, actions) {
  const li = h('li', { class: 'phrasing', 'data-gap': m.id, 'data-status': m.status },
    h('span', { class: 'q' }, m.question), ' ',
    h('span', { class: 'hint' }, `${m.ask_count}× · ${ago(m.last_asked_at)}`), ' ', stateOf(m));
  const tools = h('span', { class: 'row-actions' });
  if (m.session_id) tools.append(h('a', { href: '#/conversations/' + m.session_id }, 'Conversation'));
  const act = (label, path, body, done) => button(label, (e) => busy(e.currentTarget, async () => {
    await api.request(body === undefined ? 'POST' : 'PUT', path, { json: body ?? {} });
    if (done) done();
    actions.status.ok(`${label}: done.`);
    actions.ctx.announce(`${label}: done.`);
    await actions.reload();
  }, (err) => actions.status.error(err)));
  if (m.status === 'open' && !g.answeredWith) tools.append(act('Dismiss', `/api/owner/gaps/${m.id}/dismiss`));
  if (m.status !== 'open') tools.append(act('Reopen', `/api/owner/gaps/${m.id}/reopen`, undefined, () => withGroup.delete(m.id)));
  if (m.status === 'dismissed') {
    const teach = checkbox('Teach Clara this is out of scope', m.teach_out_of_scope);
    teach.control.addEventListener('change', () => busy(teach.control, async () => {
      await api.put(`/api/owner/gaps/${m.id}/out-of-scope`, { teach: teach.control.checked });
      actions.status.ok(teach.control.checked ? 'Clara learns this question is out of scope.' : 'No longer taught as out of scope.');
    }, (err) => { teach.control.checked = !teach.control.checked; actions.status.error(err); }));
    tools.append(teach);
  }
  li.append(tools);
  return li;
}

// the loop after "Answer this": the pair's embedding, then the group's phrasings resolved with it
function loop(g, actions) {
  const embedded = g.pair?.embedded;
  const open = g.members.filter((m) => m.status === 'open').length;
  return h('div', { class: 'loop', role: 'status' },
    h('p', {}, badge('Answered', 'ok'), ' Your answer is a new Q&A pair: ',
      h('a', { href: '#/pairs?q=' + encodeURIComponent(g.pair?.question || '') }, g.pair?.question || 'the pair')),
    h('p', { class: 'pair-state', 'data-embedded': String(!!embedded) },
      embedded ? 'Embedded: Clara answers this question now.' : 'Embedding the answer…'),
    h('p', {}, open ? `${open} phrasing(s) still open.` : 'Every phrasing of this group is resolved.'),
    button('Done', () => { answered.delete(g.key); actions.reload(); }));
}

function answerArea(g, actions) {
  const area = h('div', { class: 'answer-area' });
  const open = button('Answer this', () => {
    open.hidden = true;
    actions.writing(true);
    const form = answerForm(g, actions, () => { form.remove(); open.hidden = false; open.focus(); actions.writing(false); });
    area.append(form);
    form.querySelector('textarea').focus();
  }, { class: 'primary' });
  area.append(open);
  if (g.members.length > 1) {
    area.append(button('Dismiss the group', (e) => busy(e.currentTarget, async () => {
      for (const m of g.members) if (m.status === 'open') await api.post(`/api/owner/gaps/${m.id}/dismiss`);
      actions.status.ok('Group dismissed.');
      await actions.reload();
    }, (err) => actions.status.error(err))));
  }
  return area;
}

function answerForm(g, actions, cancel) {
  const lead = g.lead;
  const question = field('Question', h('input', { type: 'text', value: lead.question, maxlength: 1000, required: true }));
  const answer = field('Answer', h('textarea', { rows: 4, maxlength: 10000, required: true }), 'What Clara should answer to every phrasing of this group.');
  const category = field('Category', h('input', { type: 'text', value: 'general', maxlength: 50 }));
  const status = notice();
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save answer');
  const form = h('form', { class: 'answer-form', novalidate: true }, question, answer, category, status,
    h('div', { class: 'actions' }, save, button('Cancel', cancel)));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      [question, answer, category].forEach((f) => f.setError(null));
      const res = await api.post(`/api/owner/gaps/${lead.id}/resolve`, {
        question: question.control.value.trim(), answer: answer.control.value.trim(),
        category: category.control.value.trim() || undefined, resolve_group: true,
      });
      (res.also_resolved || []).forEach((id) => withGroup.add(id));
      answered.set(g.key, { pairId: res.qa_pair_id, gapId: lead.id, grouped: !!lead.group_id });
      actions.ctx.announce('Answer saved. Resolving the group.');
      actions.writing(false);
      await actions.reload();
    }, (err) => {
      question.setError(err.fieldErrors.question);
      answer.setError(err.fieldErrors.answer);
      category.setError(err.fieldErrors.category);
      status.error(err);
    });
  });
  return form;
}
