// charts.js — the two history charts, drawn here as SVG without a library:
// trough levels over time with the target band and the dose as a stepped
// line on a second axis, and the AML's largest diameter over time. SVG stays
// sharp at any zoom and in print. Everything is built with DOM calls and SVG
// attributes, and colours and dashes are classes in style.css, so the CSP
// needs no inline style. app.js names each chart container (role="img",
// aria-label with a summary); each chart adds a <desc> listing its data and
// points the container's aria-describedby at it. The tables beside the
// charts stay the editable record of the same data.
import { h } from './dom.js';
import { validRows, DAYS_PER_MONTH, DAYS_PER_YEAR, MS_PER_DAY } from './history.js';
import { formatNumber } from './units.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const charts = new Map(); // container id → draws that chart again at the container's width

function widthOf(el) {
  // Leave room for the card padding; never wider than the container, so the
  // phone layout does not scroll sideways.
  return Math.max(240, Math.min(720, Math.floor(el.clientWidth || el.parentElement?.clientWidth || 320)));
}

function svg(name, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

// A round step (1, 2 or 5 × 10^n) that cuts span into at most about count parts.
function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

// A value axis covering [lo, hi], widened to whole steps so that the end
// ticks are the edges of the plot.
function valueAxis(lo, hi, count) {
  const step = niceStep(hi - lo, count);
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const dp = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const ticks = [];
  for (let i = first; i <= last; i++) ticks.push({ value: i * step, label: (i * step).toFixed(dp) });
  return { min: first * step, max: last * step, ticks };
}

// Tick spacings for dates, finest first; beyond these, whole years.
const DATE_STEPS = [[1, 'day'], [2, 'day'], [7, 'day'], [14, 'day'], [1, 'month'], [2, 'month'], [3, 'month'], [6, 'month']];
const UNIT_DAYS = { day: 1, month: DAYS_PER_MONTH, year: DAYS_PER_YEAR };

// Ticks between day numbers d0 and d1 on round dates (Mondays, the first of
// a month, the first of January), at the finest spacing that gives fewer
// than count ticks. Dates are calendar days stored as UTC midnight, so they
// are read in UTC: a time zone never moves a tick to the day before. Each
// tick carries the year too where it is the first or the year changes.
function dateTicks(d0, d1, count) {
  let [n, unit] = DATE_STEPS.find(([k, u]) => (d1 - d0) / (k * UNIT_DAYS[u]) < count) ?? [0, 'year'];
  if (unit === 'year') n = Math.max(1, niceStep((d1 - d0) / UNIT_DAYS.year, count - 1));
  const days = [];
  if (unit === 'day') {
    // Day 4 of the epoch (1970-01-05) was a Monday.
    const offset = n >= 7 ? 4 : 0;
    for (let d = Math.ceil((d0 - offset) / n) * n + offset; d <= d1; d += n) days.push(d);
  } else {
    const months = unit === 'month' ? n : n * 12;
    const start = new Date(Math.ceil(d0) * MS_PER_DAY);
    const from = start.getUTCFullYear() * 12 + start.getUTCMonth() + (start.getUTCDate() > 1 ? 1 : 0);
    for (let mi = Math.ceil(from / months) * months; ; mi += months) {
      const d = Date.UTC(Math.floor(mi / 12), mi % 12, 1) / MS_PER_DAY;
      if (d > d1) break;
      days.push(d);
    }
  }
  let lastYear = null;
  return days.map((day) => {
    const t = new Date(day * MS_PER_DAY);
    const y = t.getUTCFullYear();
    const label = unit === 'day' ? `${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]}` : unit === 'month' ? MONTHS[t.getUTCMonth()] : String(y);
    const year = unit !== 'year' && y !== lastYear ? String(y) : '';
    lastYear = y;
    return { day, label, year };
  });
}

// The legend's key for a series: a short piece of the same line, drawn with
// the same classes as in the chart.
function key(series) {
  let mark;
  if (series.kind === 'band') mark = svg('rect', { class: 'band', x: 1, y: 1, width: 20, height: 10 });
  else {
    mark = svg('g', { class: series.cls }, svg('line', { class: series.kind, x1: 1, y1: 6, x2: 21, y2: 6 }));
    if (series.kind === 'line') mark.append(svg('circle', { class: 'point', cx: 11, cy: 6, r: 3.5 }));
  }
  return svg('svg', { width: 22, height: 12, viewBox: '0 0 22 12', 'aria-hidden': 'true' }, mark);
}

// spec: { height, days, left: {label, lo, hi}, right?: {label, lo, hi},
//   band?: [low, high] on the left axis, series: [{ cls, kind: 'line' | 'step',
//   axis: 'left' | 'right', label, values, tips (a point's text, for lines) }],
//   legend, desc }
function render(el, spec) {
  const width = widthOf(el);
  const m = { top: 10, right: spec.right ? 48 : 24, bottom: 34, left: 48 };
  const pw = width - m.left - m.right;
  const ph = spec.height - m.top - m.bottom;
  const bottom = m.top + ph;
  const right = m.left + pw;
  const { days } = spec;
  // A little room either side, so the first and last points are not on the axes.
  const pad = Math.max(3, (days[days.length - 1] - days[0]) * 0.04);
  const d0 = days[0] - pad;
  const d1 = days[days.length - 1] + pad;
  // Positions to a tenth of a pixel keep the attributes short; hairlines sit
  // on half pixels to stay sharp.
  const tenth = (v) => Math.round(v * 10) / 10;
  const crisp = (v) => Math.round(v) + 0.5;
  const x = (d) => tenth(m.left + ((d - d0) / (d1 - d0)) * pw);
  const axes = {};
  for (const side of ['left', 'right']) {
    if (!spec[side]) continue;
    const a = valueAxis(spec[side].lo, spec[side].hi, Math.max(2, Math.floor(ph / 32)));
    axes[side] = { ...a, y: (v) => tenth(bottom - ((v - a.min) / (a.max - a.min)) * ph) };
  }
  const descId = `${el.id}-desc`;
  const out = svg('svg', { width, height: spec.height, viewBox: `0 0 ${width} ${spec.height}` },
    svg('desc', { id: descId }, spec.desc));

  if (spec.band) {
    const [lo, hi] = [Math.min(...spec.band), Math.max(...spec.band)].map(axes.left.y);
    out.append(svg('rect', { class: 'band', x: m.left, y: hi, width: pw, height: lo - hi }));
  }
  const grid = svg('g', { class: 'grid' });
  for (const t of axes.left.ticks) grid.append(svg('line', { x1: m.left, x2: right, y1: crisp(axes.left.y(t.value)), y2: crisp(axes.left.y(t.value)) }));
  const xTicks = dateTicks(d0, d1, Math.max(2, Math.floor(pw / 60)));
  for (const t of xTicks) grid.append(svg('line', { x1: crisp(x(t.day)), x2: crisp(x(t.day)), y1: m.top, y2: bottom }));
  out.append(grid);

  for (const s of spec.series) {
    const y = axes[s.axis].y;
    const pts = s.values.map((v, i) => [x(days[i]), y(v)]);
    const g = svg('g', { class: s.cls });
    if (s.kind === 'step') {
      // The dose holds from its row to the next one; the last dose runs on
      // to the edge of the plot.
      let d = `M${pts[0][0]},${pts[0][1]}`;
      for (const [px, py] of pts.slice(1)) d += `H${px}V${py}`;
      g.append(svg('path', { class: 'step', d: `${d}H${right}` }));
    } else {
      g.append(svg('polyline', { class: 'line', points: pts.map((p) => p.join(',')).join(' ') }));
      pts.forEach(([cx, cy], i) => g.append(svg('circle', { class: 'point', cx, cy, r: 3.5 }, svg('title', {}, s.tips[i]))));
    }
    out.append(g);
  }

  const ax = svg('g', { class: 'axis' });
  ax.append(svg('line', { x1: m.left, x2: right, y1: crisp(bottom), y2: crisp(bottom) }));
  for (const t of xTicks) {
    ax.append(svg('text', { x: x(t.day), y: bottom + 14, 'text-anchor': 'middle' }, t.label));
    if (t.year) ax.append(svg('text', { x: x(t.day), y: bottom + 27, 'text-anchor': 'middle' }, t.year));
  }
  for (const side of Object.keys(axes)) {
    const a = axes[side];
    const left = side === 'left';
    const at = crisp(left ? m.left : right);
    ax.append(svg('line', { x1: at, x2: at, y1: m.top, y2: bottom }));
    for (const t of a.ticks) {
      const ty = a.y(t.value);
      ax.append(svg('line', { x1: at, x2: at + (left ? -4 : 4), y1: crisp(ty), y2: crisp(ty) }));
      ax.append(svg('text', { x: at + (left ? -6 : 6), y: ty, dy: '0.35em', 'text-anchor': left ? 'end' : 'start' }, t.label));
    }
    const lx = left ? 11 : width - 11;
    const ly = m.top + ph / 2;
    ax.append(svg('text', { x: lx, y: ly, 'text-anchor': 'middle', transform: `rotate(${left ? -90 : 90} ${lx} ${ly})` }, spec[side].label));
  }
  out.append(ax);

  const legend = h('ul', { class: 'chart-legend' }, spec.legend.map((s) => h('li', {}, key(s), s.label)));
  el.replaceChildren(out, legend);
  el.setAttribute('aria-describedby', descId);
}

// Draws the chart now and again on resizeCharts(); with nothing to draw the
// container is emptied.
function show(el, spec) {
  if (!spec) {
    charts.delete(el.id);
    el.replaceChildren();
    el.removeAttribute('aria-describedby');
    return;
  }
  const draw = () => render(el, spec);
  charts.set(el.id, draw);
  draw();
}

const num = (v) => formatNumber(v, 2);

// rows: [{date, dose_mg, trough_ng_ml}] (canonical ng/mL); band: [low, high]
// in the display unit; toDisplay converts ng/mL to the display unit.
export function drawTroughChart(el, rows, { band, unit, toDisplay }) {
  const pts = validRows(rows, ['dose_mg', 'trough_ng_ml']);
  if (pts.length === 0) {
    show(el, null);
    return;
  }
  const ys = pts.map((p) => toDisplay(p.trough_ng_ml));
  const doses = pts.map((p) => p.dose_mg);
  const troughLabel = `Trough (${unit})`;
  const bandText = band ? `; shaded band: target ${num(band[0])}–${num(band[1])} ${unit}` : '';
  const tips = pts.map((p, i) => `${p.date}: ${num(ys[i])} ${unit} at ${num(p.dose_mg)} mg`);
  const series = [
    { cls: 'series-trough', kind: 'line', axis: 'left', label: troughLabel, values: ys, tips },
    { cls: 'series-dose', kind: 'step', axis: 'right', label: 'Dose (mg)', values: doses },
  ];
  show(el, {
    height: 220,
    days: pts.map((p) => p.day),
    left: { label: troughLabel, lo: Math.min(0, ...ys), hi: Math.max(...ys, band ? band[1] * 1.2 : 0, 1) },
    right: { label: 'Dose (mg)', lo: Math.min(0, ...doses), hi: Math.max(Math.max(...doses) * 1.2, 1) },
    band,
    series,
    legend: band ? [...series, { kind: 'band', label: `Target range (${unit})` }] : series,
    desc: `Trough in ${unit} (left axis, solid line with points) and dose in mg (right axis, dashed steps) ` +
      `from ${pts[0].date} to ${pts[pts.length - 1].date}${bandText}. ${tips.join('. ')}.`,
  });
}

// rows: [{date, diameter_cm}].
export function drawAmlChart(el, rows) {
  const pts = validRows(rows, ['diameter_cm']);
  if (pts.length === 0) {
    show(el, null);
    return;
  }
  const ys = pts.map((p) => p.diameter_cm);
  const tips = pts.map((p) => `${p.date}: ${num(p.diameter_cm)} cm`);
  const series = [{ cls: 'series-aml', kind: 'line', axis: 'left', label: 'Largest diameter (cm)', values: ys, tips }];
  show(el, {
    height: 200,
    days: pts.map((p) => p.day),
    left: { label: 'Largest diameter (cm)', lo: Math.min(0, ...ys), hi: Math.max(Math.max(...ys) * 1.2, 1) },
    series,
    legend: series,
    desc: `Largest AML diameter in cm from ${pts[0].date} to ${pts[pts.length - 1].date}. ${tips.join('. ')}.`,
  });
}

// Re-fit every chart to its container (rotation, window resize).
export function resizeCharts() {
  for (const [id, draw] of charts) if (document.getElementById(id)) draw();
}
