// Small inline-SVG charts (no library). Each chart is an <svg role="img"> named by a title and a
// description that says what it shows in words; the numbers themselves are in a table beside it.
import { h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const s = (tag, attrs = {}, ...children) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v));
  children.forEach((c) => el.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return el;
};
let ids = 0;

function frame(title, description, width, height) {
  const id = 'chart-' + (++ids);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-t ${id}-d`, class: 'chart' },
    s('title', { id: `${id}-t` }, title), s('desc', { id: `${id}-d` }, description));
  return svg;
}

// the top of the scale: four equal steps of a round size (1, 2 or 5 × 10ⁿ, at least 1), so every
// grid line has a whole-number label
const niceMax = (max) => {
  const raw = Math.max(1, max / 4);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  return 4 * [1, 2, 5, 10].map((m) => m * p).find((m) => m >= raw);
};

/**
 * Grouped bars per label: series [{ name, values, cls }] (cls: a CSS class giving the fill).
 * `description` is the text alternative; a legend follows the chart.
 */
export function barChart({ title, description, labels, series, height = 220 }) {
  const W = 720, H = height, L = 40, B = 26, T = 10;
  const max = niceMax(Math.max(0, ...series.flatMap((x) => x.values)));
  const svg = frame(title, description, W, H);
  const plotW = W - L - 8, plotH = H - B - T;
  for (let i = 0; i <= 4; i++) {
    const y = T + plotH - (plotH * i) / 4;
    svg.append(s('line', { x1: L, x2: W - 8, y1: y, y2: y, class: 'grid' }),
      s('text', { x: L - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, Math.round((max * i) / 4)));
  }
  const slot = plotW / Math.max(1, labels.length);
  const bw = Math.max(1, (slot * 0.8) / series.length);
  labels.forEach((label, i) => {
    series.forEach((ser, j) => {
      const v = ser.values[i] || 0;
      const bh = (plotH * v) / max;
      const bar = s('rect', { x: L + i * slot + slot * 0.1 + j * bw, y: T + plotH - bh, width: bw, height: bh, class: 'bar ' + ser.cls });
      bar.append(s('title', {}, `${label}: ${v} ${ser.name}`));
      svg.append(bar);
    });
    const every = Math.ceil(labels.length / 8);
    if (i % every === 0) svg.append(s('text', { x: L + i * slot + slot / 2, y: H - 8, class: 'axis', 'text-anchor': 'middle' }, label));
  });
  return h('figure', { class: 'chart-box' }, svg, legend(series));
}

const legend = (series) => h('ul', { class: 'legend' },
  series.map((x) => h('li', {}, h('span', { class: 'swatch ' + x.cls, 'aria-hidden': 'true' }), x.name)));

/**
 * A line over x in [x0, x1] with y in [0, 1] (shares) and a movable vertical marker.
 * Returns { el, mark(x, label) } — mark moves the marker (a <line class="marker"> with data-x).
 */
export function lineChart({ title, description, points, x0, x1, xLabel, yLabel, saved }) {
  const W = 720, H = 260, L = 48, B = 34, T = 12, R = 12;
  const plotW = W - L - R, plotH = H - B - T;
  const X = (x) => L + ((x - x0) / (x1 - x0)) * plotW;
  const Y = (y) => T + plotH - y * plotH;
  const svg = frame(title, description, W, H);
  for (let i = 0; i <= 4; i++) {
    const y = Y(i / 4);
    svg.append(s('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'grid' }),
      s('text', { x: L - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, `${i * 25}%`));
  }
  // a label every 0.1 (counted in whole steps, so no rounding drift)
  for (let i = Math.ceil(x0 * 10 - 1e-9); i <= Math.floor(x1 * 10 + 1e-9); i++) {
    svg.append(s('text', { x: X(i / 10), y: H - 16, class: 'axis', 'text-anchor': 'middle' }, (i / 10).toFixed(1)));
  }
  svg.append(s('text', { x: L + plotW / 2, y: H - 2, class: 'axis', 'text-anchor': 'middle' }, xLabel),
    s('text', { x: 12, y: T + plotH / 2, class: 'axis', 'text-anchor': 'middle', transform: `rotate(-90 12 ${T + plotH / 2})` }, yLabel));
  svg.append(s('polyline', { points: points.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' '), class: 'line' }));
  if (saved != null) {
    svg.append(s('line', { x1: X(saved), x2: X(saved), y1: T, y2: T + plotH, class: 'saved-marker', 'data-x': saved }));
  }
  const marker = s('line', { y1: T, y2: T + plotH, class: 'marker' });
  const dot = s('circle', { r: 5, class: 'marker-dot' });
  svg.append(marker, dot);
  const mark = (x, y) => {
    marker.setAttribute('x1', X(x).toFixed(1));
    marker.setAttribute('x2', X(x).toFixed(1));
    marker.setAttribute('data-x', x.toFixed(2));
    dot.setAttribute('cx', X(x).toFixed(1));
    dot.setAttribute('cy', Y(y).toFixed(1));
  };
  return { el: h('figure', { class: 'chart-box' }, svg), mark };
}

/** The numbers of a chart as a table, in a <details> so it takes no room until wanted. */
export function dataTable(summary, head, rows) {
  return h('details', { class: 'data' }, h('summary', {}, summary),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))))));
}
