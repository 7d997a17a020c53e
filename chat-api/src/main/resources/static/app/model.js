// Answer model: the trained model's status and knowledge-base health, and the test questions with
// their results for the newest version. Live: refetched when a model is trained.
import * as api from './api.js';
import { badge, busy, button, field, fill, h, notice, percent, screenHeader, when } from './dom.js';

export async function render(root, ctx) {
  const status = h('section', { class: 'panel-box' });
  const health = h('section', { class: 'panel-box' });
  const tests = h('section', { class: 'panel-box' });
  fill(root, screenHeader('Answer model'), status, health, tests);
  await Promise.all([statusBox(status), healthBox(health), testsBox(tests)]);
  // a new model: new status, health and results (a test question being typed is left alone)
  ctx.live(['answer-model'], () => Promise.all([statusBox(status), healthBox(health),
    tests.contains(document.activeElement) ? null : testsBox(tests)]).catch(() => {}), 1500);
  // a changed knowledge base waits to be trained: the status says so
  ctx.live(['pair'], () => statusBox(status).catch(() => {}), 2000);
}

async function statusBox(box) {
  const { model, training } = await api.get('/api/owner/answer-model');
  fill(box, h('h2', {}, 'Status'),
    model ? h('dl', { class: 'facts-list' },
      h('dt', {}, 'Version'), h('dd', {}, String(model.version)),
      h('dt', {}, 'Trained'), h('dd', {}, when(model.trained_at), model.converged ? '' : ' (did not converge)'),
      h('dt', {}, 'Knowledge'), h('dd', {}, `${model.pair_count} pairs in ${model.group_count} answer groups, ${model.out_of_scope_count} out-of-scope examples`),
      h('dt', {}, 'Embedding model'), h('dd', {}, model.embedding_model))
      : h('p', {}, 'No model yet: one is trained once the knowledge base has enough pairs.'),
    training.in_progress ? h('p', {}, badge('Training now', 'pending')) : training.waiting ? h('p', {}, badge('Changes waiting to be trained', 'pending')) : null);
}

async function healthBox(box) {
  const r = await api.get('/api/owner/answer-model/health');
  if (!r.health) { fill(box, h('h2', {}, 'Knowledge-base health'), h('p', {}, r.message || 'No health report yet.')); return; }
  const x = r.health;
  const rep = (g) => g?.representative?.question ?? 'a group with no pair left';
  fill(box, h('h2', {}, 'Knowledge-base health'),
    h('p', { class: 'figures' }, `Accuracy ${percent(x.accuracy)} over ${x.checked_pairs} pairs (${x.folds}-fold check).`),
    x.confused_groups?.length ? h('div', {}, h('h3', {}, 'Answers Clara confuses (merge or reword them)'),
      h('ul', {}, x.confused_groups.map((c) => h('li', {}, h('span', { class: 'q' }, rep(c.group_a)), ' ↔ ', h('span', { class: 'q' }, rep(c.group_b)))))) : null,
    x.misplaced_pairs?.length ? h('div', {}, h('h3', {}, 'Pairs that look like another answer'),
      h('ul', {}, x.misplaced_pairs.map((p) => h('li', {}, h('span', { class: 'q' }, p.question), ' → ', rep(p.predicted_group))))) : null,
    x.single_phrasing_groups != null ? h('p', { class: 'hint' }, `${x.single_phrasing_groups} answers have a single phrasing: adding another helps Clara recognise them.`) : null);
}

const OUTCOMES = { right: ['Right', 'ok'], wrong_answer: ['Wrong answer', 'warn'], wrongly_flagged: ['Not answered', 'warn'], wrongly_answered: ['Answered although it should not', 'warn'], pending: ['Not checked yet', 'pending'] };

async function testsBox(box) {
  const status = notice();
  const [results, pairs] = await Promise.all([
    api.get('/api/owner/answer-tests/results').catch((e) => (e.status === 404 ? null : Promise.reject(e))),
    api.get('/api/owner/qa-pairs', { active: 'true', per_page: 200 }),
  ]);
  const checked = results?.model_version != null;
  const tests = checked ? null : await api.get('/api/owner/answer-tests', { per_page: 200 });
  const items = checked ? results.items : (tests.items || tests);
  const reload = () => testsBox(box);
  const question = field('Test question', h('input', { type: 'text', required: true, maxlength: 2000 }));
  const expected = field('Should be answered with', h('select', {}, h('option', { value: '' }, '— nothing: Clara should not answer it —'),
    pairs.items.map((p) => h('option', { value: p.id }, p.question))));
  const add = h('button', { type: 'submit', class: 'primary' }, 'Add test question');
  const form = h('form', { novalidate: true }, question, expected, add);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(add, async () => {
      await api.post('/api/owner/answer-tests', { question: question.control.value.trim(), expected_qa_id: expected.control.value || null });
      await reload();
    }, (err) => { question.setError(err.fieldErrors.question); expected.setError(err.fieldErrors.expected_qa_id); status.error(err); });
  });
  const s = results?.summary;
  fill(box, h('h2', {}, 'Test questions'),
    checked ? h('p', { class: 'figures' }, `Version ${results.model_version}: ${s.right} of ${s.total} right`, s.pending ? `, ${s.pending} not checked yet` : '', '.') : null,
    results?.regressions?.length ? h('p', { class: 'notice error' }, `${results.regressions.length} question(s) got worse than in the previous version.`) : null,
    status,
    items.length ? h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ['Question', 'Expected', 'Outcome', 'Answered with', 'Actions'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, items.map((t) => {
        const [label, kind] = OUTCOMES[t.outcome] || ['—', ''];
        return h('tr', {}, h('td', { 'data-label': 'Question' }, t.question), h('td', { 'data-label': 'Expected' }, t.expected_question || 'no answer'),
          h('td', { 'data-label': 'Outcome' }, t.outcome ? badge(label, kind) : '—', t.confidence != null ? ` ${percent(t.confidence)}` : ''),
          h('td', { 'data-label': 'Answered with' }, t.answered_question || ''),
          h('td', { 'data-label': 'Actions' }, button('Delete', (e) => busy(e.currentTarget, async () => { await api.del('/api/owner/answer-tests/' + t.id); await reload(); },
            (err) => status.error(err)), { 'aria-label': 'Delete test: ' + t.question })));
      }))))
      : h('p', { class: 'empty' }, 'No test questions yet. Add questions visitors ask, with the answer they should get.'),
    h('details', {}, h('summary', {}, 'Add a test question'), form));
}
