// Phrasing suggestions: a visitor liked an answer to a question asked in other words than the
// pair's; accepting adds those words as a new pair with the same answer.
import * as api from './api.js';
import { busy, button, fill, h, notice, pager, screenHeader, when } from './dom.js';

export async function render(root, ctx) {
  const page = Number(ctx.query.get('page')) || 1;
  const status = notice();
  const list = h('div', { 'aria-live': 'polite' });
  fill(root, screenHeader('Phrasing suggestions'),
    h('p', { class: 'lead' }, 'Visitors rated these answers up after asking in their own words. Accept a phrasing to teach Clara those words too.'),
    status, list);
  const load = async () => {
    const data = await api.get('/api/owner/phrasing-suggestions', { page, per_page: 25 });
    if (!data.items.length) { fill(list, h('p', { class: 'empty' }, 'No suggestions right now.')); return; }
    fill(list, h('ul', { class: 'cards' }, data.items.map((s) => h('li', { class: 'card' },
      h('p', {}, h('strong', {}, 'A visitor asked: '), h('span', { class: 'q' }, s.phrasing)),
      h('p', {}, h('strong', {}, 'Answered with the pair: '), s.pair_question),
      h('p', { class: 'clamp hint' }, s.pair_answer),
      h('p', { class: 'hint' }, when(s.created_at), s.source_conversation_id ? [' · ', h('a', { href: '#/conversations/' + s.source_conversation_id }, 'Conversation')] : null),
      h('div', { class: 'actions' },
        decide('Accept', s, 'accept', 'The phrasing is a new pair now.', status, load, 'primary'),
        decide('Reject', s, 'reject', 'Suggestion rejected: it is not offered again.', status, load))))),
    data.total > data.per_page ? pager(data, (p) => ctx.navigate('#/phrasing?page=' + p)) : null);
  };
  await load();
  ctx.live(['feedback'], () => load().catch(() => {}), 1000);
}

const decide = (label, s, verb, done, status, reload, cls) => button(label, (e) => busy(e.currentTarget, async () => {
  await api.post(`/api/owner/phrasing-suggestions/${s.id}/${verb}`);
  status.ok(done);
  await reload();
}, (err) => status.error(err)), { class: cls, 'aria-label': `${label}: ${s.phrasing}` });
