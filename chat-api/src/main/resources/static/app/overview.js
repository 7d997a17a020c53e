// Overview: the knowledge base and conversation counts, answered vs flagged per day, escalations,
// the most asked open gaps. Live: refetched on question, gap and pair events.
import * as api from './api.js';
import { barChart, dataTable } from './charts.js';
import { ago, fill, h, number, screenHeader } from './dom.js';

export async function render(root, ctx) {
  const body = h('div', { class: 'overview' });
  fill(root, screenHeader('Overview'), body);
  const load = async () => {
    const [stats, daily, escalated, gaps] = await Promise.all([
      api.get('/api/owner/workspace/stats'),
      api.get('/api/owner/stats/daily', { days: 30 }).catch(() => null),
      api.get('/api/owner/conversations', { escalated: true, per_page: 1 }),
      api.get('/api/owner/gaps', { status: 'open', sort: 'ask_count', per_page: 5 }),
    ]);
    fill(body, tiles(stats, escalated, daily), chart(daily), topGaps(gaps));
  };
  await load();
  ctx.live(['question', 'gap', 'pair'], () => load().catch(() => {}), 1000);
}

const tile = (label, value, hint, href) => h('div', { class: 'tile' },
  h('p', { class: 'tile-label' }, label),
  h('p', { class: 'tile-value', 'data-stat': label }, value),
  hint ? h('p', { class: 'hint' }, href ? h('a', { href }, hint) : hint) : null);

function tiles(s, escalated, daily) {
  const days = daily?.days || [];
  const sum = (k) => days.reduce((n, d) => n + (d[k] || 0), 0);
  const questions = sum('questions');
  return h('section', { class: 'tiles', 'aria-label': 'Figures' },
    tile('Q&A pairs', number(s.active_pairs), `${number(s.embedded_pairs)} embedded · ${number(s.pending_embeddings)} pending`, '#/pairs'),
    tile('Open gaps', number(s.open_gaps), 'Questions Clara could not answer', '#/gaps'),
    tile('Questions (30 days)', number(questions),
      questions ? `${Math.round((100 * sum('answered')) / questions)} % answered` : 'No questions yet'),
    tile('Escalations', number(escalated.total), 'Conversations that asked for a person', '#/conversations?escalated=true'),
    tile('Conversations', number(s.sessions), s.last_activity_at ? 'Last activity ' + ago(s.last_activity_at) : 'No activity yet'));
}

function chart(daily) {
  if (!daily) return h('p', { class: 'notice' }, 'Daily figures are not available.');
  const days = daily.days;
  const labels = days.map((d) => d.date.slice(5));
  const answered = days.map((d) => d.answered);
  const flagged = days.map((d) => d.flagged);
  const total = (a) => a.reduce((x, y) => x + y, 0);
  return h('section', { class: 'panel-box' }, h('h2', {}, 'Answered and flagged, per day'),
    barChart({
      title: 'Questions answered and flagged per day, last 30 days',
      description: `Over the last ${days.length} days Clara answered ${total(answered)} questions and flagged ${total(flagged)} as gaps; `
        + `${total(days.map((d) => d.escalations))} conversations escalated. The table below has each day's numbers.`,
      labels,
      series: [{ name: 'answered', values: answered, cls: 's1' }, { name: 'flagged', values: flagged, cls: 's2' }],
    }),
    dataTable('The numbers per day', ['Day', 'Questions', 'Answered', 'Flagged', 'Escalations'],
      days.map((d) => [d.date, d.questions, d.answered, d.flagged, d.escalations])));
}

function topGaps(list) {
  return h('section', { class: 'panel-box' }, h('h2', {}, 'Most asked open gaps'),
    list.items.length
      ? h('ol', { class: 'plain-list' }, list.items.map((g) => h('li', {},
        h('span', { class: 'q' }, g.question), ' ', h('span', { class: 'hint' }, `asked ${g.ask_count}× · ${ago(g.last_asked_at)}`))))
      : h('p', {}, 'No open gaps: Clara answered everything it was asked.'),
    h('p', {}, h('a', { href: '#/gaps' }, 'Open the gap inbox')));
}
