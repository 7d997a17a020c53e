// Calibration: how many of the period's questions a confidence threshold would flag (send to the
// gap inbox instead of answering). The slider moves a marker on the curve and the figures before
// anything is saved; saving is PATCH /api/owner/workspace/settings {confidence_threshold}.
import * as api from './api.js';
import { lineChart } from './charts.js';
import { busy, button, fill, h, notice, number, percent, screenHeader, uid } from './dom.js';

const MIN = 0.5;
const MAX = 0.95;

/** Share of the period's questions flagged at threshold t (unmatched ones always are). */
export function flaggedAt(cal, t) {
  if (!cal.questions) return { flagged: 0, share: 0 };
  const below = cal.bins.slice(0, Math.round(t * 100)).reduce((a, b) => a + b, 0);
  const flagged = cal.unmatched + below;
  return { flagged, share: flagged / cal.questions };
}

export async function render(root, ctx) {
  const days = ctx.query.get('days') === '30' ? 30 : 7;
  const body = h('div');
  fill(root, screenHeader('Calibration'),
    h('p', { class: 'lead' }, 'Clara answers a question only when its confidence reaches the threshold; below it, the question becomes a gap. '
      + 'Higher means fewer wrong answers and more gaps.'),
    h('nav', { class: 'tabs', 'aria-label': 'Period' },
      [7, 30].map((d) => h('a', { href: '#/calibration?days=' + d, 'aria-current': d === days ? 'page' : null }, `Last ${d} days`))),
    body);

  let dirty = false;
  let lastSaved = null; // what the last save said, shown again once the figures are redrawn
  const load = async () => {
    if (dirty) return; // a threshold being tried stays until saved or reset
    const cal = await api.get('/api/owner/calibration', { days });
    draw(body, cal, ctx, () => { dirty = true; }, (message) => { dirty = false; lastSaved = message; load(); }, lastSaved);
    lastSaved = null;
  };
  await load();
  ctx.live(['question'], () => load().catch(() => {}), 2000);
}

function draw(body, cal, ctx, touched, saved, message) {
  const points = [];
  for (let t = 0; t <= 100; t++) points.push([t / 100, flaggedAt(cal, t / 100).share]);
  const x0 = 0.3;
  const chart = lineChart({
    title: `Share of questions flagged at each threshold, last ${cal.days} days`,
    description: `${cal.questions} questions in the period. At the current threshold ${cal.threshold.toFixed(2)} `
      + `${percent(flaggedAt(cal, cal.threshold).share)} were flagged; at 0.50 it would be ${percent(flaggedAt(cal, 0.5).share)}, `
      + `at 0.95 ${percent(flaggedAt(cal, 0.95).share)}.`,
    points: points.filter(([x]) => x >= x0), x0, x1: 1, xLabel: 'confidence threshold', yLabel: 'flagged', saved: cal.threshold,
  });
  const id = uid('threshold');
  const slider = h('input', { type: 'range', id, min: MIN, max: MAX, step: 0.01, value: cal.threshold.toFixed(2), 'aria-describedby': id + '-fig' });
  const num = h('input', { type: 'number', id: id + '-n', min: MIN, max: MAX, step: 0.01, value: cal.threshold.toFixed(2), class: 'narrow' });
  const figures = h('p', { id: id + '-fig', class: 'figures', 'aria-live': 'polite' });
  const status = notice();
  const save = button('Save threshold', null, { class: 'primary' });
  const reset = button(`Use the model's default (${cal.model_threshold.toFixed(2)})`);

  const update = (t) => {
    const { flagged, share } = flaggedAt(cal, t);
    chart.mark(t, share);
    const now = flaggedAt(cal, cal.threshold);
    fill(figures, h('strong', {}, `At ${t.toFixed(2)}: ${percent(share)} flagged`),
      ` (${number(flagged)} of ${number(cal.questions)} questions would have become gaps; ${number(cal.questions - flagged)} answered). `,
      `Saved threshold ${cal.threshold.toFixed(2)}: ${percent(now.share)} flagged.`);
    save.disabled = Math.abs(t - cal.threshold) < 0.005;
  };
  const set = (value, from) => {
    const t = Math.min(MAX, Math.max(MIN, Number(value)));
    if (Number.isNaN(t)) return;
    if (from !== slider) slider.value = t.toFixed(2);
    if (from !== num) num.value = t.toFixed(2);
    touched();
    update(t);
  };
  slider.addEventListener('input', () => set(slider.value, slider));
  num.addEventListener('change', () => set(num.value, num));
  const store = (value, e) => busy(e.currentTarget, async () => {
    await api.patch('/api/owner/workspace/settings', { confidence_threshold: value });
    const text = value == null ? 'The model\'s default threshold is in use.' : `Threshold ${value.toFixed(2)} saved.`;
    status.ok(text);
    ctx.announce('Threshold saved.');
    saved(text);
  }, (err) => status.error(err));
  save.addEventListener('click', (e) => store(Number(slider.value), e));
  reset.addEventListener('click', (e) => store(null, e));

  fill(body,
    cal.questions ? null : h('p', { class: 'notice' }, 'No questions in this period yet: the curve fills in as visitors ask.'),
    h('section', { class: 'panel-box' }, chart.el,
      h('div', { class: 'threshold-row' },
        h('label', { for: id }, 'Threshold'), slider,
        h('label', { for: id + '-n', class: 'sr-only' }, 'Threshold (number)'), num),
      figures,
      h('p', { class: 'hint' }, `${number(cal.unmatched)} of the questions matched nothing at all and are flagged at any threshold. `
        + `The search model's default is ${cal.model_threshold.toFixed(2)}.`),
      status, h('div', { class: 'actions' }, save, reset)));
  update(cal.threshold);
  if (message) status.ok(message);
}
