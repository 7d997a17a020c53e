// Suggestions from support transcripts: upload a transcript (text with speaker labels or a JSON
// export), then review the Q&A pairs Clara proposes from it — accept (edited or not) or reject;
// the ones an existing pair already covers are listed apart. Nothing enters the knowledge base
// until the owner accepts. The suggestion cards are suggestions-card.js.
import * as api from './api.js';
import { ago, fill, h, notice, number, pager, screenHeader, when } from './dom.js';
import { uploadForm } from './documents-upload.js';
import { acceptedQuestion, card, pairLink } from './suggestions-card.js';

const TABS = [['suggested', 'To review'], ['covered', 'Already covered'], ['accepted', 'Accepted'], ['rejected', 'Rejected'], ['all', 'All']];
const ACCEPT = '.txt,.text,.log,.json,.md,text/plain,application/json';
const PER_PAGE = 25;

const plural = (n, one, many) => `${number(n)} ${n === 1 ? one : many}`;

/** "Read "Chat export": 12 exchanges, 9 new suggestions, 2 already covered, 1 asked again." */
function readText({ transcript: t, skipped }) {
  return `Read "${t.title}": ${plural(t.exchange_count, 'exchange', 'exchanges')}, `
    + `${plural(t.suggested_count, 'new suggestion', 'new suggestions')}, ${number(t.covered_count)} already covered`
    + (t.merged_count ? `, ${number(t.merged_count)} asked again (counted with an earlier suggestion)` : '')
    + (skipped ? `, ${number(skipped)} left out (over the pair limits)` : '') + '.';
}

export async function render(root, ctx) {
  const tab = TABS.some(([t]) => t === ctx.query.get('status')) ? ctx.query.get('status') : 'suggested';
  const page = Number(ctx.query.get('page')) || 1;
  const status = notice();
  const lists = h('div', { class: 'suggestion-lists', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const uploads = h('section', { class: 'transcripts', 'aria-labelledby': 'transcripts-title' });

  const decided = async (s, verb) => {
    const shown = [...lists.querySelectorAll('.suggestion')];
    const at = shown.findIndex((x) => x.dataset.suggestion === s.id);
    if (verb === 'accept') {
      const question = await acceptedQuestion(s);
      status.className = 'notice ok';
      fill(status, 'Accepted: the pair is in the knowledge base now, where Clara embeds it: ', pairLink(question));
      ctx.announce('Accepted. The pair is in the knowledge base now.');
    } else {
      status.ok(`Rejected: "${s.question}" is not offered again.`);
      ctx.announce('Rejected.');
    }
    await reload();
    // keyboard users stay where they were: on the next card, else on the list's heading
    const next = [...lists.querySelectorAll('.suggestion')][Math.max(0, at)];
    (next?.querySelector('button') || lists.querySelector('h2'))?.focus();
  };

  const section = (title, data, intro, more) => h('section', { class: 'suggestion-section', 'data-section': title },
    h('h2', { tabindex: '-1' }, `${title} (${number(data.total)})`),
    intro ? h('p', { class: 'hint' }, intro) : null,
    data.items.length
      ? h('ul', { class: 'cards' }, data.items.map((s) => card(s, { decided })))
      : h('p', { class: 'empty' }, tab === 'suggested' && title === 'To review'
        ? 'Nothing to review: upload a transcript above.' : 'None.'),
    more);

  const load = async () => {
    const one = (s, p = 1, per = PER_PAGE) => api.get('/api/owner/transcript-suggestions', { status: s, page: p, per_page: per });
    if (tab === 'suggested') {
      // the default view: the new suggestions, and below them the ones a pair already answers
      const [suggested, covered] = await Promise.all([one('suggested', page), one('covered')]);
      fill(lists,
        section('To review', suggested, 'Most asked first. Accept a pair as it is, edit it first, or reject it.',
          suggested.total > suggested.per_page ? pager(suggested, (p) => ctx.navigate('#/suggestions?page=' + p), 'Suggestion pages') : null),
        section('Already covered', covered, 'An existing pair answers these questions already. Accept one anyway if that pair does not really answer it.',
          covered.total > covered.per_page ? h('p', {}, h('a', { href: '#/suggestions?status=covered' }, `All ${number(covered.total)} already covered`)) : null));
    } else {
      const data = await one(tab, page);
      fill(lists, section(TABS.find(([t]) => t === tab)[1], data, null,
        data.total > data.per_page ? pager(data, (p) => ctx.navigate(`#/suggestions?status=${tab}&page=${p}`), 'Suggestion pages') : null));
    }
  };

  const loadTranscripts = async () => {
    const list = await api.get('/api/owner/transcripts', { per_page: 10 });
    fill(uploads, h('h2', { id: 'transcripts-title' }, 'Uploaded transcripts'),
      list.items.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'transcripts-table' }, h('caption', { class: 'sr-only' }, 'Uploaded transcripts, newest first'),
          h('thead', {}, h('tr', {}, ['Title', 'Exchanges', 'Suggested', 'Already covered', 'Asked again', 'Proposed by', 'Uploaded'].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, list.items.map(transcriptRow))))
        : h('p', { class: 'empty' }, 'No transcripts yet.'),
      list.total > list.items.length ? h('p', { class: 'hint' }, `The newest ${list.items.length} of ${number(list.total)}.`) : null);
  };

  const reload = () => Promise.all([load(), loadTranscripts()]).catch((e) => status.error(e));
  const upload = uploadForm({
    path: '/api/owner/transcripts', submit: 'Upload and read', ctx, accept: ACCEPT, titleMax: 200,
    fileHint: 'Text with speaker labels at the start of each line (Customer: … / Agent: …), or a JSON export of conversations. '
      + 'UTF-8, up to 1 MB. Choose one, or drop it on this box.',
    titleHint: 'Shown here and kept with the pairs you accept. Without one, the file name is the title.',
    doneText: readText,
    onDone: async () => { if (tab !== 'suggested' || page !== 1) ctx.navigate('#/suggestions'); else await reload(); },
  });

  fill(root, screenHeader('Suggestions'),
    h('p', { class: 'lead' }, 'Upload a support transcript and Clara proposes Q&A pairs from what customers asked and your team answered. '
      + 'Nothing enters the knowledge base until you accept it.'),
    h('details', { class: 'panel-box', open: true }, h('summary', {}, 'Upload a transcript'), upload),
    h('nav', { class: 'tabs', 'aria-label': 'Which suggestions' }, TABS.map(([t, label]) =>
      h('a', { href: '#/suggestions' + (t === 'suggested' ? '' : '?status=' + t), 'aria-current': t === tab ? 'page' : null }, label))),
    status, lists, uploads);
  await Promise.all([load(), loadTranscripts()]);
}

function transcriptRow(t) {
  return h('tr', { 'data-transcript': t.id },
    h('th', { scope: 'row', 'data-label': 'Title', class: 'q' }, t.title, h('span', { class: 'hint block' }, t.format === 'json' ? 'JSON export' : 'Text')),
    h('td', { 'data-label': 'Exchanges', class: 'exchanges' }, number(t.exchange_count)),
    h('td', { 'data-label': 'Suggested', class: 'suggested' }, number(t.suggested_count)),
    h('td', { 'data-label': 'Already covered', class: 'covered-count' }, number(t.covered_count)),
    h('td', { 'data-label': 'Asked again' }, number(t.merged_count)),
    h('td', { 'data-label': 'Proposed by' }, t.extracted_by === 'llm' ? 'the LLM (rewritten)' : 'the exchanges as written'),
    h('td', { 'data-label': 'Uploaded' }, h('time', { datetime: t.created_at, title: when(t.created_at) }, ago(t.created_at))));
}
