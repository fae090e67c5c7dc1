// plan-view.js — the engine's `plan` in words: what to do, what to give
// (tablets, mL or vials), when to check next as a calendar date, and what
// changes what to do. Pure text helpers (no DOM) for the note and the bar;
// the section itself is drawn by render.js. The clock lives here, in the
// page: the engine only says "in 7–14 days".
import { label, prose } from './labels.js';
import { formatNumber } from './units.js';

// The action as a reader says it (the contract's plan.action codes).
const ACTION_WORDS = {
  start: 'Start', continue: 'Continue', increase: 'Increase the dose', decrease: 'Reduce the dose',
  withhold: 'Withhold', discontinue: 'Stop permanently', do_not_start: 'Do not start',
  need_more_data: 'More information needed',
};
export const actionWords = (action) => ACTION_WORDS[action] || label('x', action);

// The plan's heading: the verb, the drug where a reader puts it.
const TITLES = {
  start: 'Start %', continue: 'Continue %', increase: 'Increase the % dose', decrease: 'Reduce the % dose',
  withhold: 'Withhold %', discontinue: 'Stop % permanently', do_not_start: 'Do not start %',
};
export function actionTitle(action, drug, question) {
  // A start held until labs recover is not a withhold of a drug not yet given.
  if (question === 'start' && action === 'withhold' && drug) return `Do not start ${drug} yet`;
  const t = TITLES[action];
  return t && drug ? t.replace('%', drug) : actionWords(action);
}

// Actions after which nothing is given now.
export const NO_DOSE_NOW = new Set(['withhold', 'discontinue', 'do_not_start', 'need_more_data']);

const CHECK_WHAT = { trough: 'Trough level', labs: 'Blood tests', imaging: 'Imaging', clinical: 'Clinical review' };
export const checkWhat = (what) => CHECK_WHAT[what] || label('x', what);

export const mg = (x) => (x === null || x === undefined ? '' : `${formatNumber(x, 2)} mg`);

// "tablet" → "tablets", "tablet for oral suspension" → "tablets for oral
// suspension"; a unit that is a symbol (mL) stays as it is.
function plural(unit, count) {
  if (count === 1 || !unit || !/^[a-z]+/.test(unit)) return unit || '';
  return unit.replace(/^([a-z]+?)(s?)\b/, (m, w) => `${w}s`);
}

// What to give, in words: "1 × 5 mg tablet + 2 × 2 mg tablets", "2.5 mL
// of the 1 mg/mL oral solution". Empty when the plan gives nothing.
export function unitsText(units) {
  if (!Array.isArray(units) || units.length === 0) return '';
  return units.map((u) => {
    if (u.volume_ml != null) {
      return `${formatNumber(u.volume_ml, 2)} mL of the ${formatNumber(u.concentration_mg_ml, 2)} mg/mL oral solution`;
    }
    // The gel's amount is the label's daily maximum halved between the two
    // applications (content: sirolimus_topical notes.daily_maximum).
    if (u.gel_mg_per_application != null) return `at most ${formatNumber(u.gel_mg_per_application, 2)} mg of gel per application, a thin layer on the lesions`;
    return `${formatNumber(u.count, 2)} × ${mg(u.strength_mg)} ${plural(u.unit || '', u.count)}`.trim();
  }).join(' + ');
}

// "10 mg once daily" (with the per-m² dose when the plan gives one).
export function doseText(dose_mg, frequency, dose_mg_per_m2) {
  if (dose_mg === null || dose_mg === undefined) return '';
  const perM2 = dose_mg_per_m2 != null ? ` (${formatNumber(dose_mg_per_m2, 2)} mg/m²)` : '';
  return `${mg(dose_mg)}${frequency ? ` ${label('frequency', frequency)}` : ''}${perM2}`;
}

// ---- dates -------------------------------------------------------------------
const dateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const dayFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric' });
const monthFmt = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric' });

export function addDays(date, n) {
  const d = new Date(date.getFullYear(), date.getMonth(), date.getDate());
  d.setDate(d.getDate() + n);
  return d;
}

// [low, high] days from today as dates: "on 21 Dec 2026", "between 14 and
// 21 Dec 2026", "between 28 Dec 2026 and 4 Jan 2027".
export function dateWindow(inDays, today = new Date()) {
  if (!Array.isArray(inDays) || inDays.length !== 2) return '';
  const [lo, hi] = inDays.map((n) => addDays(today, n));
  if (inDays[0] === inDays[1]) return `on ${dateFmt.format(lo)}`;
  if (monthFmt.format(lo) === monthFmt.format(hi)) return `between ${dayFmt.format(lo)} and ${dateFmt.format(hi)}`;
  return `between ${dateFmt.format(lo)} and ${dateFmt.format(hi)}`;
}

export function daysText(inDays) {
  if (!Array.isArray(inDays) || inDays.length !== 2) return '';
  return inDays[0] === inDays[1] ? `in ${inDays[0]} days` : `in ${inDays[0]}–${inDays[1]} days`;
}

// "Trough level between 14 and 21 Dec 2026 (in 7–14 days)"
export function nextCheckText(next, today = new Date()) {
  if (!next || !Array.isArray(next.in_days)) return '';
  return `${checkWhat(next.what)} ${dateWindow(next.in_days, today)} (${daysText(next.in_days)})`;
}

// ---- what changes what to do ---------------------------------------------------
// The first sentence of an engine text: enough to say what it is about in
// the plan; the whole text stays in its own section below.
export function firstSentence(text) {
  const t = prose(String(text || ''));
  const m = /^(.{20,}?[.;])(\s|$)/.exec(t);
  return m ? m[1].replace(/;$/, '.') : t;
}

// Interactions that change the dose or the choice of medicine (not those
// that only ask for monitoring), then the serious warnings.
export function planAlerts(resp) {
  const ix = (resp.interactions || []).filter((i) => i.action && i.action !== 'monitor')
    .map((i) => ({ kind: 'interaction', code: i.drug, text: `${i.drug}: ${interactionWords(i)}`, refs: i.refs }));
  // A serious "avoid this combination" warning repeats an interaction
  // already listed: the interaction line says it, with the medicine's name.
  const avoided = ix.length > 0;
  const serious = (resp.warnings || []).filter((w) => w.severity === 'serious' && !(avoided && /_avoid$/.test(w.code || '')))
    .map((w) => ({ kind: 'warning', code: w.code, text: firstSentence(w.text), refs: w.refs }));
  return [...ix, ...serious];
}

// "avoid (strong CYP3A4/P-gp inhibitor); if it cannot be avoided, 5 mg",
// "reduce the dose to 2.5 mg (moderate CYP3A4/P-gp inhibitor)"
export function interactionWords(i) {
  const action = label('ixAction', i.action).toLowerCase();
  const cls = ` (${label('ixClass', i.class)})`;
  if (i.dose_mg == null) return `${action}${cls}`;
  if (i.action === 'avoid') return `${action}${cls}; if it cannot be avoided, ${mg(i.dose_mg)}`;
  return `${action} to ${mg(i.dose_mg)}${cls}`;
}

// The plan's "give now" and "then" in words, for the bar and the note.
export function giveNowText(plan) {
  if (!plan) return '';
  if (NO_DOSE_NOW.has(plan.action) || plan.dose_mg == null) {
    return { withhold: 'nothing now (withheld)', discontinue: 'nothing (stopped)', do_not_start: 'nothing (not started)' }[plan.action] || 'no dose yet';
  }
  const u = unitsText(plan.units);
  return `${doseText(plan.dose_mg, plan.frequency, plan.dose_mg_per_m2)}${u ? ` = ${u}` : ''}`;
}

export function resumeText(resume) {
  if (!resume || resume.dose_mg == null) return '';
  const u = unitsText(resume.units);
  return `${doseText(resume.dose_mg, resume.frequency)}${u ? ` = ${u}` : ''}${resume.when ? ` (when: ${prose(resume.when)})` : ''}`;
}

// One line for the phone's bar: the engine's summary sentence as it is (the
// sentence other tools and the note quote), or failing that the action and
// the dose (never a dose when nothing is given now).
export function planLine(plan) {
  if (!plan) return '';
  if (plan.summary) return plan.summary;
  const drug = plan.drug ? ` ${label('drug', plan.drug)}` : '';
  if (NO_DOSE_NOW.has(plan.action) || plan.dose_mg == null) return `${actionWords(plan.action)}${drug}.`;
  return `${actionWords(plan.action)}${drug}: ${giveNowText(plan)}.`;
}
