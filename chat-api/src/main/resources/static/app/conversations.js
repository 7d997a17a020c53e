// Conversations: the list (newest first, escalated ones on their own with a filter) and one
// conversation with each answer's confidence, the pairs it matched and whether it became a gap.
import * as api from './api.js';
import { ago, badge, checkbox, fill, h, pager, percent, screenHeader, when } from './dom.js';

export async function render(root, ctx) {
  if (ctx.rest[0]) return one(root, ctx, ctx.rest[0]);
  const escalated = ctx.query.get('escalated') === 'true';
  const page = Number(ctx.query.get('page')) || 1;
  const only = checkbox('Only escalated conversations', escalated);
  only.control.addEventListener('change', () => ctx.navigate('#/conversations' + (only.control.checked ? '?escalated=true' : '')));
  const list = h('div', { 'aria-live': 'polite' });
  fill(root, screenHeader('Conversations'), only, list);
  const load = async () => {
    const data = await api.get('/api/owner/conversations', { escalated: escalated || undefined, page, per_page: 25 });
    if (!data.items.length) { fill(list, h('p', { class: 'empty' }, 'No conversations yet.')); return; }
    fill(list, h('ul', { class: 'conversation-list' }, data.items.map((c) => h('li', {},
      h('a', { href: '#/conversations/' + c.id }, c.title || 'Untitled conversation'), ' ',
      c.escalated ? badge('Escalated', 'warn') : null,
      h('span', { class: 'hint' }, ` ${c.message_count} messages · ${ago(c.last_message_at || c.created_at)}`)))),
    pager(data, (p) => ctx.navigate(`#/conversations?${escalated ? 'escalated=true&' : ''}page=${p}`)));
  };
  await load();
  ctx.live(['question'], () => load().catch(() => {}), 1000);
}

async function one(root, ctx, id) {
  const body = h('div');
  fill(root, h('p', {}, h('a', { href: '#/conversations' }, '← All conversations')), screenHeader('Conversation'), body);
  const load = async () => {
    const { conversation: c, messages } = await api.get('/api/owner/conversations/' + encodeURIComponent(id));
    const matched = [...new Set(messages.flatMap((m) => (Array.isArray(m.metadata?.matched_qa_ids) ? m.metadata.matched_qa_ids : [])))].slice(0, 20);
    const pairs = new Map();
    await Promise.all(matched.map((pid) => api.get('/api/owner/qa-pairs/' + encodeURIComponent(pid)).then((p) => pairs.set(pid, p), () => {})));
    fill(body,
      h('p', { class: 'meta' }, c.title ? h('span', { class: 'q' }, c.title) : null,
        ` Started ${when(c.created_at)} · ${c.message_count} messages `, c.escalated ? badge('Escalated', 'warn') : null),
      h('ol', { class: 'transcript' }, messages.map((m) => message(m, pairs))));
  };
  await load();
  ctx.live(['question'], (hints) => { if (hints.some((x) => x.conversation_id === id || x.name === 'reconnect')) load().catch(() => {}); });
}

function message(m, pairs) {
  const meta = m.metadata || {};
  const bot = m.role === 'assistant';
  const li = h('li', { class: 'msg ' + (bot ? 'bot' : 'user') },
    h('p', { class: 'who' }, bot ? 'Clara' : 'Visitor', h('span', { class: 'hint' }, ' · ' + when(m.created_at))),
    // the content as text, never as markup (a visitor's or an LLM's words)
    h('p', { class: 'content' }, m.content));
  if (bot) {
    const facts = h('p', { class: 'facts' });
    if (typeof meta.confidence === 'number') facts.append(badge('Confidence ' + percent(meta.confidence), meta.gap_detected ? 'warn' : 'ok'), ' ');
    if (meta.gap_detected) facts.append(badge('Flagged as a gap', 'warn'), ' ');
    if (meta.escalation_offered) facts.append(badge('Offered a call', 'muted'), ' ');
    li.append(facts);
    const ids = Array.isArray(meta.matched_qa_ids) ? meta.matched_qa_ids : [];
    if (ids.length) {
      li.append(h('div', { class: 'matched' }, h('p', { class: 'hint' }, 'Matched Q&A pairs:'),
        h('ul', {}, ids.map((pid) => h('li', {}, pairs.get(pid)?.question ?? 'a pair that is gone')))));
    }
  }
  return li;
}
