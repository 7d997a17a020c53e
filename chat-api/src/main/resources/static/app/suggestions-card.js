// One transcript suggestion as a card: the proposed question and answer (a customer's and an
// agent's words, untrusted: text nodes only), how many exchanges said it, the pair that already
// covers it, and Accept (as proposed, or after editing it in place) / Reject.
import * as api from './api.js';
import { badge, busy, button, field, fill, h, notice, percent } from './dom.js';

const STATUS = {
  suggested: ['suggested', 'pending'],
  covered: ['already covered', 'warn'],
  accepted: ['accepted', 'ok'],
  rejected: ['rejected', 'muted'],
};

/** A search of the knowledge base for a pair's question: the KB screen has no page per pair. */
export const pairLink = (question) => h('a', { href: '#/pairs?q=' + encodeURIComponent(question), class: 'q' }, question);

/** The accepted pair's question (the owner may have edited it), else the suggestion's. */
export async function acceptedQuestion(s) {
  if (!s.accepted_qa_id) return s.question;
  const pair = await api.get('/api/owner/qa-pairs/' + encodeURIComponent(s.accepted_qa_id)).catch(() => null);
  return pair?.question || s.question;
}

const times = (n) => (n === 1 ? 'once' : `${n} times`);

/**
 * card(s, { decided(s, verb), status }) → the card; decided() is called with the API's answer
 * after an accept or a reject, `status` is the screen's notice.
 */
export function card(s, actions) {
  const [label, kind] = STATUS[s.status] || [s.status, 'muted'];
  const body = h('div', { class: 'suggestion-body' });
  const error = notice();
  const controls = h('div', { class: 'actions' });
  const el = h('li', { class: 'card suggestion', 'data-suggestion': s.id, 'data-status': s.status },
    h('p', { class: 'meta' }, badge(label, kind), ' ',
      h('span', { class: 'sources', 'data-sources': s.sources }, `Asked ${times(s.sources)}`),
      s.transcript_title ? h('span', { class: 'hint' }, ' · from ', h('span', { class: 'q' }, s.transcript_title)) : null),
    body,
    s.covered_by ? h('p', { class: 'covered' }, 'Already covered by: ',
      s.covered_by.question ? pairLink(s.covered_by.question) : 'a pair that was deleted since',
      s.covered_by.similarity != null ? h('span', { class: 'hint' }, ` (similarity ${percent(s.covered_by.similarity)})`) : null) : null,
    s.status === 'accepted' ? inKnowledgeBase(s) : null,
    error, controls);

  const view = () => {
    fill(body, h('h3', { class: 'q suggestion-question' }, s.question), h('p', { class: 'suggestion-answer' }, s.answer));
    if (s.status !== 'suggested' && s.status !== 'covered') { fill(controls); return; }
    fill(controls,
      button('Accept', (e) => accept(e.currentTarget, {}), { class: 'primary', 'aria-label': `Accept: ${s.question}` }),
      button('Edit', edit, { 'aria-label': `Edit before accepting: ${s.question}` }),
      button('Reject', (e) => busy(e.currentTarget, async () => {
        error.clear();
        await actions.decided(await api.post(`/api/owner/transcript-suggestions/${encodeURIComponent(s.id)}/reject`), 'reject');
      }, (err) => error.error(err)), { 'aria-label': `Reject: ${s.question}` }));
  };

  const accept = (btn, changes, fields = {}) => busy(btn, async () => {
    error.clear();
    Object.values(fields).forEach((f) => f.setError(null));
    const decided = await api.post(`/api/owner/transcript-suggestions/${encodeURIComponent(s.id)}/accept`, changes);
    await actions.decided(decided, 'accept');
  }, (err) => {
    for (const [name, message] of Object.entries(err.fieldErrors || {})) fields[name]?.setError(message);
    error.error(err);
  });

  const edit = () => {
    const question = field('Question', h('textarea', { rows: 2, maxlength: 1000, value: s.question }));
    const answer = field('Answer', h('textarea', { rows: 5, maxlength: 10000, value: s.answer }));
    const category = field('Category (optional)', h('input', { type: 'text' }));
    const form = h('form', { class: 'suggestion-edit', novalidate: true }, question, answer, category);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const changes = {};
      // only what the owner changed: the pair then records whether it was edited
      if (question.control.value.trim() !== s.question) changes.question = question.control.value.trim();
      if (answer.control.value.trim() !== s.answer) changes.answer = answer.control.value.trim();
      if (category.control.value.trim()) changes.category = category.control.value.trim();
      accept(save, changes, { question, answer, category });
    });
    const save = h('button', { type: 'submit', class: 'primary' }, 'Accept as edited');
    form.append(h('div', { class: 'actions' }, save, button('Cancel', () => { view(); controls.querySelector('button')?.focus(); })));
    fill(body, form);
    fill(controls);
    question.control.focus();
  };

  view();
  return el;
}

function inKnowledgeBase(s) {
  const el = h('p', { class: 'hint accepted-as' }, 'In the knowledge base: ');
  acceptedQuestion(s).then((question) => el.append(pairLink(question)));
  return el;
}
