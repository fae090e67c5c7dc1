// charts.js — the two history charts, drawn with uPlot (npm `uplot`, copied
// into the site's vendor/ folder by scripts/build-site.mjs; no CDN). uPlot
// draws on a canvas and sizes itself through the CSSOM, which the CSP
// allows. The tables beside the charts are the accessible version of the
// same data; the chart containers carry a text summary as their label.
import uPlot from './vendor/uplot/uPlot.esm.js';
import { validRows } from './history.js';

const charts = new Map(); // container id → uPlot instance

function widthOf(el) {
  // Leave room for the card padding; never wider than the container, so the
  // phone layout does not scroll sideways.
  return Math.max(240, Math.min(720, Math.floor(el.clientWidth || el.parentElement?.clientWidth || 320)));
}

function destroy(id) {
  const c = charts.get(id);
  if (c) c.destroy();
  charts.delete(id);
}

// A shaded band between two y values (the target trough range), drawn
// under the series.
function bandPlugin(getBand) {
  return {
    hooks: {
      drawClear: [(u) => {
        const band = getBand();
        if (!band) return;
        const { ctx } = u;
        const y0 = u.valToPos(band[1], 'y', true);
        const y1 = u.valToPos(band[0], 'y', true);
        ctx.save();
        ctx.fillStyle = 'rgba(46, 125, 50, 0.15)';
        ctx.fillRect(u.bbox.left, y0, u.bbox.width, y1 - y0);
        ctx.restore();
      }],
    },
  };
}

const day2sec = (d) => d * 86400;
// Dates are calendar days stored as UTC midnight; show them in UTC so a time
// zone never moves a measurement to the day before.
const tzDate = (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');

// rows: [{date, dose_mg, trough_ng_ml}] (canonical ng/mL); band: [low, high]
// in the display unit; toDisplay converts ng/mL to the display unit.
export function drawTroughChart(el, rows, { band, unit, toDisplay }) {
  destroy(el.id);
  el.textContent = '';
  const pts = validRows(rows, ['dose_mg', 'trough_ng_ml']);
  if (pts.length === 0) return;
  const xs = pts.map((p) => day2sec(p.day));
  const ys = pts.map((p) => toDisplay(p.trough_ng_ml));
  const doses = pts.map((p) => p.dose_mg);
  const top = Math.max(...ys, band ? band[1] * 1.2 : 0, 1);
  const opts = {
    width: widthOf(el),
    height: 220,
    tzDate,
    plugins: [bandPlugin(() => band)],
    scales: { x: { time: true }, y: { range: [0, top] }, mg: { range: (u, min, max) => [0, Math.max(max * 1.2, 1)] } },
    axes: [
      {},
      { label: `Trough (${unit})`, scale: 'y' },
      { label: 'Dose (mg)', scale: 'mg', side: 1, grid: { show: false } },
    ],
    series: [
      {},
      { label: `Trough (${unit})`, scale: 'y', stroke: '#1565c0', width: 2, points: { size: 7 } },
      { label: 'Dose (mg)', scale: 'mg', stroke: '#6d4c41', width: 1, dash: [4, 4], paths: uPlot.paths.stepped({ align: 1 }) },
    ],
    legend: { show: true },
    cursor: { show: true, focus: { prox: 16 } },
  };
  charts.set(el.id, new uPlot(opts, [xs, ys, doses], el));
}

// rows: [{date, diameter_cm}]; growth: amlGrowth() result.
export function drawAmlChart(el, rows) {
  destroy(el.id);
  el.textContent = '';
  const pts = validRows(rows, ['diameter_cm']);
  if (pts.length === 0) return;
  const xs = pts.map((p) => day2sec(p.day));
  const ys = pts.map((p) => p.diameter_cm);
  const opts = {
    width: widthOf(el),
    height: 200,
    tzDate,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(max * 1.2, 1)] } },
    axes: [{}, { label: 'Largest diameter (cm)' }],
    series: [{}, { label: 'Largest diameter (cm)', stroke: '#ad1457', width: 2, points: { size: 7 } }],
    legend: { show: true },
  };
  charts.set(el.id, new uPlot(opts, [xs, ys], el));
}

// Re-fit every chart to its container (rotation, window resize).
export function resizeCharts() {
  for (const [id, c] of charts) {
    const el = document.getElementById(id);
    if (el) c.setSize({ width: widthOf(el), height: c.height });
  }
}
