// app.js — the calculator page. It loads the WebAssembly engine, draws the
// form for the chosen question, turns what is typed into a mtor-calc/1
// request (canonical units), calls evaluate() on every input and shows the
// answer. No clinical logic lives here, and nothing is stored or sent:
// no localStorage, no cookies, no network beyond loading the page itself,
// and no patient value ever goes into the URL.
import { engine } from './engine.js';
import { h, clear } from './dom.js';
import {
  FIELDS, GROUPS, INDICATIONS, DRUGS, DEFAULT_DRUG, AE_TERMS, ALL_FORMS, ALL_FREQUENCIES,
  isShown, kindOf, valueFromText, buildRequest, fieldForPointer, getAt, setAt, fieldByPath, CONTRACT,
} from './fields.js';
import { unitLabel, display, systemOf, formatNumber, fromCanonical, toCanonical, parseTyped, troughKind, canonicalUnit } from './units.js';
import { renderAnswer, renderReferences } from './render.js';
import { label } from './labels.js';
import { noteText, shortNote, inputLines } from './notes.js';
import { planLine } from './plan-view.js';
import { amlGrowth, latestTrough } from './history.js';
import { drawTroughChart, drawAmlChart, resizeCharts } from './charts.js';
import { bundleToCase, bundleSummaryText } from './fhir.js';
import { initEmbedApi } from './embed-api.js';
import { showProvenance, markEdited } from './provenance-view.js';
import './embed.js'; // reads ?embed=1 and marks the page for the compact embed layout

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

// ---- state (memory only) ------------------------------------------------------
const blankState = () => ({
  indication: '',
  drug: '',
  units: { lab: 'us', body: 'metric', trough: 'mass' },
  text: {}, // path → what the clinician typed / chose (their units)
  values: {}, // path → request value (canonical units)
  aes: [], // [{term, grade, recurrent}]
  troughs: [], // [{date, dose_mg, trough_ng_ml (canonical)}]
  aml: [], // [{date, diameter_cm}]
});
let state = blankState();
let core = null;
let lastRequest = null;
let lastResponse = null;


// ---- content helpers ------------------------------------------------------------
// The engine's embedded content (indications, drugs, references), about
// 190 KB of JSON: read and parsed on first need (an indication chosen, the
// sources list opened, an idle moment after start), not before the first
// paint. null until the engine is there, or if it cannot be read.
let contentCache;
function getContent() {
  if (!core) return null;
  if (contentCache === undefined) {
    try {
      const c = JSON.parse(core.content());
      contentCache = { ...(c.content || {}), content_version: c.content_version };
    } catch {
      contentCache = null;
    }
  }
  return contentCache;
}
const defaultDrug = (ind) => {
  const c = getContent()?.indications?.[ind];
  if (c && 'default_drug' in c) return c.default_drug;
  return DEFAULT_DRUG[ind] ?? null;
};
const labelledDrugs = (ind) => getContent()?.indications?.[ind]?.drugs || (DEFAULT_DRUG[ind] ? [DEFAULT_DRUG[ind]] : []);
// The drug the answer is about: the one chosen, else the one the engine
// picked last time for this question (it may depend on the inputs, e.g.
// RCC after sunitinib), else the indication's default. It decides which
// inputs apply (a trough only for everolimus and sirolimus) and the units of
// a trough.
let engineDrug = '';
const effectiveDrug = () => state.drug || engineDrug || defaultDrug(state.indication) || '';
const ctx = () => ({ indication: state.indication, drug: effectiveDrug(), sex: state.values['/patient/sex'] });

// Options that depend on the drug (forms and frequencies it has), from the
// engine's content when it lists them, otherwise every contract value.
function dynamicOptions(kind) {
  const d = getContent()?.[effectiveDrug()];
  if (kind === 'forms') {
    const forms = d?.forms ? Object.keys(d.forms) : null;
    return forms ? ALL_FORMS.filter(([k]) => forms.includes(k)) : ALL_FORMS;
  }
  const freqs = Array.isArray(d?.frequencies) ? d.frequencies : null;
  return freqs ? ALL_FREQUENCIES.filter(([k]) => freqs.includes(k)) : ALL_FREQUENCIES;
}

// ---- form drawing ---------------------------------------------------------------
const idFor = (path) => `f${path.replace(/\//g, '-')}`;

function unitText(field) {
  const kind = kindOf(field, effectiveDrug());
  if (kind) return unitLabel(kind, state.units[systemOf(kind)]);
  return field.unit || '';
}

function fieldControl(field) {
  const id = idFor(field.path);
  const describedBy = [`${id}-hint`, `${id}-cmp`, `${id}-err`].join(' ');
  const common = { id, name: field.path, dataset: { path: field.path }, 'aria-describedby': describedBy };
  if (field.type === 'tri') {
    return h('select', common, h('option', { value: '' }, 'Not stated'), h('option', { value: 'yes' }, 'Yes'), h('option', { value: 'no' }, 'No'));
  }
  if (field.type === 'enum') {
    const opts = typeof field.options === 'string' ? dynamicOptions(field.options) : field.options;
    return h('select', common, h('option', { value: '' }, 'Not stated'), opts.map(([v, t]) => h('option', { value: v }, t)));
  }
  const inputmode = field.type === 'int' ? 'numeric' : field.type === 'number' ? 'decimal' : 'text';
  return h('input', { ...common, type: 'text', inputmode, spellcheck: 'false', autocomplete: 'off' });
}

function fieldBlock(field) {
  const id = idFor(field.path);
  const u = unitText(field);
  return h('div', { class: `field${field.isLimit ? ' limit' : ''}`, dataset: { field: field.path } },
    h('label', { for: id },
      field.short ? [h('span', { class: 'visually-hidden' }, field.prefix), field.short] : field.label,
      h('span', { class: 'unit', dataset: { unitFor: field.path } }, u ? ` (${u})` : '')),
    fieldControl(field),
    h('p', { class: 'hint', id: `${id}-hint` }, field.hint || ''),
    h('p', { class: 'compared', id: `${id}-cmp` }),
    h('p', { class: 'error', id: `${id}-err`, hidden: true }));
}

// One fieldset per group, appended to #groups (hidden) in GROUPS order, then
// filled a few fields at a time: it yields after each, so that drawing can
// be spread over idle moments.
function* drawGroup(g, title) {
  const fs = h('fieldset', { class: 'group', id: `group-${g}`, dataset: { group: g }, hidden: true }, h('legend', {}, title));
  $('#groups').appendChild(fs);
  const fields = FIELDS.filter((x) => x.group === g);
  if (g === 'liver') {
    fs.appendChild(fieldBlock(fields.find((x) => !x.sub)));
    const sub = h('details', { class: 'sub', id: 'liver-components' }, h('summary', {}, 'Child-Pugh components (instead of the class)'));
    fs.appendChild(sub);
    for (const x of fields.filter((y) => y.sub === 'components')) {
      sub.appendChild(fieldBlock(x));
      yield;
    }
  } else if (g === 'labs') {
    fs.appendChild(h('p', { class: 'hint' }, 'Your laboratory’s limits are used for the risk scores and toxicity grades.'));
    const grid = h('div', { class: 'lab-grid' });
    fs.appendChild(grid);
    for (const x of fields.filter((y) => !y.isLimit)) {
      const row = h('div', { class: 'lab-row' }, fieldBlock(x));
      if (x.pair) row.appendChild(fieldBlock(fieldByPath.get(x.pair)));
      grid.appendChild(row);
      yield;
    }
  } else if (g === 'adverse_events') {
    fs.appendChild(h('div', { id: 'ae-rows' }));
    fs.appendChild(h('button', {
      type: 'button', id: 'ae-add',
      onclick: () => {
        state.aes.push({ term: '', grade: '', recurrent: false });
        drawAes();
        $$('#ae-rows .ae-row select')[$$('#ae-rows .ae-row').length * 2 - 2]?.focus();
        recompute();
      },
    }, 'Add an adverse event'));
  } else {
    const grid = h('div', { class: 'field-grid' });
    fs.appendChild(grid);
    for (const x of fields) {
      grid.appendChild(fieldBlock(x));
      yield;
    }
  }
}

function drawAes() {
  const root = $('#ae-rows');
  clear(root);
  state.aes.forEach((ae, i) => {
    const base = `/adverse_events/${i}`;
    const id = `ae-${i}`;
    const term = h('select', { id: `${id}-term`, dataset: { path: `${base}/term` }, 'aria-describedby': `${id}-err` },
      h('option', { value: '' }, 'Choose…'), AE_TERMS.map(([v, t]) => h('option', { value: v }, t)));
    term.value = ae.term || '';
    const grade = h('select', { id: `${id}-grade`, dataset: { path: `${base}/grade` }, 'aria-describedby': `${id}-err` },
      h('option', { value: '' }, 'Grade…'), [1, 2, 3, 4, 5].map((g) => h('option', { value: String(g) }, `Grade ${g}`)));
    grade.value = ae.grade === '' || ae.grade == null ? '' : String(ae.grade);
    const rec = h('input', { type: 'checkbox', id: `${id}-rec`, dataset: { path: `${base}/recurrent` } });
    rec.checked = Boolean(ae.recurrent);
    const update = () => {
      state.aes[i] = { term: term.value, grade: grade.value === '' ? '' : Number(grade.value), recurrent: rec.checked };
      recompute();
    };
    term.addEventListener('input', update);
    grade.addEventListener('input', update);
    rec.addEventListener('change', update);
    root.appendChild(h('fieldset', { class: 'ae-row', dataset: { index: i } },
      h('legend', {}, `Adverse event ${i + 1}`),
      h('div', { class: 'field' }, h('label', { for: term.id }, 'Event'), term),
      h('div', { class: 'field' }, h('label', { for: grade.id }, 'CTCAE grade'), grade),
      h('div', { class: 'field check' }, rec, h('label', { for: rec.id }, 'Recurrent (happened before)')),
      h('button', {
        type: 'button', class: 'remove', 'aria-label': `Remove adverse event ${i + 1}`,
        onclick: () => { state.aes.splice(i, 1); drawAes(); recompute(); $('#ae-add').focus(); },
      }, 'Remove'),
      h('p', { class: 'error', id: `${id}-err`, hidden: true })));
  });
}

// The question's field groups (hundreds of elements, all hidden until an
// indication is chosen) are drawn after the page is ready, one group per
// idle moment so that no long task holds up a tap; the first use that needs
// them (an indication chosen, a case loaded) draws what is left at once.
function* drawAllGroups() {
  for (const [g, title] of GROUPS) yield* drawGroup(g, title);
}
let groupsToDraw = null; // the drawing under way (a generator); null before it starts
let groupsDone = false;
function ensureGroups() {
  if (groupsDone) return;
  groupsToDraw ??= drawAllGroups();
  while (!groupsToDraw.next().done);
  groupsDone = true;
  groupsDrawn();
}
function drawGroupsWhenIdle() {
  groupsToDraw ??= drawAllGroups();
  const idle = window.requestIdleCallback || ((fn) => setTimeout(() => fn({ timeRemaining: () => 8 }), 1));
  const step = (deadline) => {
    if (groupsDone) return;
    // Slices of about 8 ms: well below a long task even on a slow phone.
    const end = performance.now() + 8;
    // At least one field per slice: a callback run by its timeout (a busy
    // page) has no idle time left, and must still make progress.
    let done = groupsToDraw.next().done;
    while (!done && performance.now() < end && deadline.timeRemaining() > 1) done = groupsToDraw.next().done;
    if (!done) {
      idle(step, { timeout: 1000 });
      return;
    }
    groupsDone = true;
    groupsDrawn();
  };
  idle(step, { timeout: 1000 });
}
// Once every group exists (drawn empty: nothing can be typed before).
function groupsDrawn() {
  drawHistory();
  visibilityKey = ''; // the next recompute sets every new field's visibility
}

// Puts state.text into the controls (after a load, a unit switch, a redraw).
function syncFormFromState() {
  ensureGroups();
  for (const field of FIELDS) {
    const el = document.getElementById(idFor(field.path));
    if (!el) continue;
    if (field.type === 'enum' && typeof field.options === 'string') {
      // Options depend on the drug: rebuild, keeping the choice if it exists.
      const keep = state.text[field.path] ?? '';
      clear(el);
      el.appendChild(h('option', { value: '' }, 'Not stated'));
      for (const [v, t] of dynamicOptions(field.options)) el.appendChild(h('option', { value: v }, t));
      if (keep && !dynamicOptions(field.options).some(([v]) => v === keep)) el.appendChild(h('option', { value: keep }, label(field.options === 'forms' ? 'form' : 'frequency', keep)));
    }
    el.value = state.text[field.path] ?? '';
  }
  updateUnitLabels();
  drawAes();
}

function updateUnitLabels() {
  for (const span of $$('[data-unit-for]')) {
    const u = unitText(fieldByPath.get(span.dataset.unitFor));
    span.textContent = u ? ` (${u})` : '';
  }
  const tk = troughKind(effectiveDrug()) || 'trough_everolimus';
  $('#trough-col').textContent = `Trough (${unitLabel(tk, state.units.trough)})`;
}

// ---- selects for the question -----------------------------------------------------
function drawQuestionSelects() {
  const ind = $('#indication');
  for (const [v, t] of INDICATIONS) ind.appendChild(h('option', { value: v }, t));
  drawDrugOptions();
}

function drawDrugOptions() {
  const sel = $('#drug');
  const keep = state.drug;
  clear(sel);
  const labelled = state.indication ? labelledDrugs(state.indication) : [];
  const dflt = state.indication ? defaultDrug(state.indication) : null;
  sel.appendChild(h('option', { value: '' }, dflt ? `The labelled drug (${label('drug', dflt)})` : 'The labelled drug (the calculator chooses)'));
  const inLabel = DRUGS.filter(([k]) => labelled.includes(k));
  const other = DRUGS.filter(([k]) => !labelled.includes(k));
  if (inLabel.length) sel.appendChild(h('optgroup', { label: 'Labelled for this indication' }, inLabel.map(([v, t]) => h('option', { value: v }, t))));
  sel.appendChild(h('optgroup', { label: inLabel.length ? 'Other (the answer says whether it applies)' : 'mTOR inhibitors' }, other.map(([v, t]) => h('option', { value: v }, t))));
  sel.value = keep;
}

// ---- reading input ----------------------------------------------------------------
function onFieldInput(ev) {
  const el = ev.target;
  const path = el.dataset?.path;
  if (!path) return;
  if (path === '/indication') {
    state.indication = el.value;
    askedFor = new Set();
    engineDrug = '';
    drawDrugOptions();
    syncFormFromState();
    reconvertTroughs();
  } else if (path === '/drug') {
    state.drug = el.value;
    syncFormFromState();
    reconvertTroughs();
  } else {
    const field = fieldByPath.get(path);
    if (!field) return;
    state.text[path] = el.value;
    markEdited(path, idFor);
    const v = valueFromText(field, el.value, state.units, effectiveDrug());
    if (v === undefined) delete state.values[path];
    else state.values[path] = v;
    showCompared(field);
  }
  recompute();
}

// Trough values are canonical; a drug change only changes how they display.
function reconvertTroughs() {
  for (const path of ['/therapy/trough_ng_ml', '/therapy/target_trough_ng_ml']) redisplay(fieldByPath.get(path));
  drawHistory();
}

// Under the field, the value the engine compares when the clinician types
// in other units ("= 10.02 mg/dL compared").
function showCompared(field) {
  const el = document.getElementById(`${idFor(field.path)}-cmp`);
  if (!el) return;
  const kind = kindOf(field, effectiveDrug());
  const v = state.values[field.path];
  if (!kind || typeof v !== 'number' || unitLabel(kind, state.units[systemOf(kind)]) === canonicalUnit(kind)) {
    el.textContent = '';
    return;
  }
  el.textContent = `= ${formatNumber(v, 3)} ${canonicalUnit(kind)} (the value compared)`;
}

function redisplay(field) {
  const kind = kindOf(field, effectiveDrug());
  const v = state.values[field.path];
  if (kind && typeof v === 'number') {
    state.text[field.path] = display(kind, v, state.units[systemOf(kind)]);
    const el = document.getElementById(idFor(field.path));
    if (el) el.value = state.text[field.path];
  }
  showCompared(field);
}

function onUnitsChange(ev) {
  const sys = ev.target.dataset.units;
  state.units[sys] = ev.target.value;
  // Keep the canonical values; only their display changes, so switching back
  // and forth never drifts and never changes the answer.
  for (const field of FIELDS) {
    const kind = kindOf(field, effectiveDrug());
    if (kind && systemOf(kind) === sys) redisplay(field);
  }
  updateUnitLabels();
  drawHistory();
  recompute();
}

// ---- evaluate and show ------------------------------------------------------------
// Fields the engine asked for (eligibility.missing) are shown even when this
// question would not normally show them, so that a clinician can always
// answer what the engine needs.
let askedFor = new Set();
const visible = (field, c) => isShown(field, c) || (askedFor.has(field.path) && !field.cond);

// Writes `hidden` only when it changes: a keystroke leaves the form's
// hundreds of elements untouched, so the browser has nothing to restyle.
function setHidden(el, hidden) {
  if (el && el.hidden !== hidden) el.hidden = hidden;
}

// Which fields are shown depends on the question, the drug, the sex and what
// the engine asked for, not on the values typed: redone only when those change.
let visibilityKey = '';
function updateVisibility(c) {
  const key = JSON.stringify([c.indication, c.drug, c.sex, [...askedFor].sort()]);
  if (key === visibilityKey) return;
  visibilityKey = key;
  for (const block of $$('#groups .field[data-field]')) {
    setHidden(block, !visible(fieldByPath.get(block.dataset.field), c));
  }
  for (const fs of $$('#groups fieldset.group')) {
    const g = fs.dataset.group;
    setHidden(fs, !state.indication || (g !== 'adverse_events' && !$$('.field[data-field]', fs).some((b) => !b.hidden)));
  }
  const liverSub = $('#liver-components');
  if (liverSub) setHidden(liverSub, $$('.field[data-field]', liverSub).every((b) => b.hidden));
  $$('.lab-row').forEach((r) => setHidden(r, $$('.field', r).every((b) => b.hidden)));
  setHidden($('#history'), !state.indication);
  setHidden($$('#history .history-block')[1], state.indication !== 'tsc_renal_aml');
  setHidden($$('#history .history-block')[0], !troughKind(effectiveDrug()));
}

// The request and the engine's answer as JSON, for integrators: one
// disclosure kept across answers, its 20 KB of text written only while it is
// open (when it opens, then on every answer).
let rawView = null;
let lastText = '';
function rawDetails() {
  if (!rawView) {
    rawView = h('details', { class: 'raw' },
      h('summary', {}, 'The request and the engine’s answer (JSON)'),
      h('h4', {}, 'Request sent to the engine'), h('pre', { id: 'raw-request' }),
      h('h4', {}, 'Engine response'), h('pre', { id: 'raw-response' }));
    rawView.addEventListener('toggle', fillRaw);
  }
  return rawView;
}
function fillRaw() {
  if (!rawView?.open || !lastRequest) return;
  rawView.querySelector('#raw-request').textContent = JSON.stringify(lastRequest, null, 2);
  rawView.querySelector('#raw-response').textContent = lastText;
}

function recompute(depth = 0) {
  const c = ctx();
  updateVisibility(c);

  if (!core) return;
  if (!state.indication) {
    lastRequest = null;
    lastResponse = null;
    renderAnswer($('#answer-body'), null, null);
    $('#engine-state').textContent = 'Choose the indication to start.';
    clearMarks();
    renderReferences($('#reference-list'), null);
    announce('');
    $('#answer-peek').hidden = true;
    return;
  }
  const req = buildRequest({ indication: state.indication, drug: state.drug, values: state.values, adverseEvents: state.aes }, c,
    (field) => visible(field, c));
  const text = core.evaluate(JSON.stringify(req));
  let resp;
  try {
    resp = JSON.parse(text);
  } catch {
    resp = { status: 'invalid_request', errors: [{ path: '', code: 'malformed_json', message: 'The engine answer could not be read.' }] };
  }
  lastRequest = req;
  lastResponse = resp;
  lastText = text;
  const asked = new Set((resp.eligibility?.missing || []).map((p) => fieldForPointer(p)?.path).filter(Boolean));
  let changed = [...asked].some((p) => !askedFor.has(p)) || [...askedFor].some((p) => !asked.has(p));
  if (resp.status === 'ok') askedFor = asked;
  const picked = !state.drug && resp.status === 'ok' && typeof resp.eligibility?.drug === 'string' ? resp.eligibility.drug : engineDrug;
  if (picked !== engineDrug) {
    const before = effectiveDrug();
    engineDrug = picked;
    if (effectiveDrug() !== before) {
      changed = true;
      syncFormFromState();
      reconvertTroughs();
    }
  }
  if (changed && resp.status === 'ok' && depth === 0) {
    // The set of fields shown changed: show them, and evaluate again in case
    // one of them already holds a value.
    recompute(1);
    return;
  }
  setText($('#engine-state'), resp.status === 'ok' ? '' : 'Some values need correcting.');
  markFields(resp);
  const refNumber = new Map((resp.references || []).map((r, i) => [r.id, i + 1]));
  const refInfo = new Map((resp.references || []).map((r) => [r.id, r]));
  const unverified = new Map((resp.unverified_rules || []).map((u) => [u.rule, u]));
  renderAnswer($('#answer-body'), resp, { units: state.units, refNumber, refInfo, unverified, focusField }, rawDetails());
  fillRaw();
  renderReferences($('#reference-list'), resp);
  if (!$('#note-box').hidden) $('#note-text').value = noteFor(req, resp);
  announce(summaryText(resp));
  const peek = $('#answer-peek');
  setText(peek, `Answer: ${summaryText(resp)}`);
  setHidden(peek, false);
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

// The marks in the form: error texts, aria-invalid inputs, fields the answer
// still needs. Only what differs from the last answer's marks is written.
let marks = { errors: new Map(), invalid: new Set(), missing: new Set() };
function applyMarks(next) {
  for (const [el] of marks.errors) if (!next.errors.has(el)) { el.hidden = true; el.textContent = ''; }
  for (const [el, text] of next.errors) { setText(el, text); setHidden(el, false); }
  for (const el of marks.invalid) if (!next.invalid.has(el)) el.removeAttribute('aria-invalid');
  for (const el of next.invalid) if (!marks.invalid.has(el)) el.setAttribute('aria-invalid', 'true');
  for (const el of marks.missing) if (!next.missing.has(el)) el.classList.remove('is-missing');
  for (const el of next.missing) if (!marks.missing.has(el)) el.classList.add('is-missing');
  marks = next;
}
function clearMarks() {
  applyMarks({ errors: new Map(), invalid: new Set(), missing: new Set() });
}

// invalid_request errors go next to the field their JSON Pointer names;
// missing inputs get a quiet mark on their field (and a list by the answer).
function markFields(resp) {
  const next = { errors: new Map(), invalid: new Set(), missing: new Set() };
  for (const e of resp.errors || []) {
    const ae = /^\/adverse_events\/(\d+)/.exec(e.path || '');
    let errEl = null;
    let input = null;
    if (ae) {
      errEl = document.getElementById(`ae-${ae[1]}-err`);
      input = document.querySelector(`[data-path="${e.path}"]`) || document.getElementById(`ae-${ae[1]}-term`);
    } else if (e.path === '/indication' || e.path === '/drug') {
      errEl = document.getElementById(`err${e.path.replace('/', '-')}`);
      input = document.querySelector(`[data-path="${e.path}"]`);
    } else {
      const field = fieldForPointer(e.path || '');
      if (field) {
        errEl = document.getElementById(`${idFor(field.path)}-err`);
        input = document.getElementById(idFor(field.path));
      }
    }
    if (errEl) next.errors.set(errEl, [next.errors.get(errEl), errorText(e)].filter(Boolean).join(' '));
    if (input) next.invalid.add(input);
  }
  for (const p of resp.eligibility?.missing || []) {
    const field = fieldForPointer(p);
    const block = field && document.querySelector(`[data-field="${field.path}"]`);
    if (block) next.missing.add(block);
  }
  applyMarks(next);
}

function errorText(e) {
  // The engine speaks canonical units; say so when the clinician typed in others.
  const field = fieldForPointer(e.path || '');
  const kind = field ? kindOf(field, effectiveDrug()) : null;
  const note = kind && unitLabel(kind, state.units[systemOf(kind)]) !== canonicalUnit(kind) ? ` (checked in ${canonicalUnit(kind)})` : '';
  return `${e.message}${note}`;
}

function focusField(pointer) {
  const field = fieldForPointer(pointer);
  let el = field ? document.getElementById(idFor(field.path)) : document.querySelector(`[data-path="${pointer}"]`);
  if (!el && /^\/adverse_events/.test(pointer)) el = document.querySelector(`[data-path^="/adverse_events"]`);
  if (!el) return;
  const det = el.closest('details');
  if (det) det.open = true;
  el.focus();
  el.scrollIntoView({ block: 'center' });
}

// The bar and the screen reader's summary: the plan's sentence first (it
// says "Withhold" when nothing is given; never a dose as the action).
function summaryText(resp) {
  if (resp.status !== 'ok') return `${(resp.errors || []).length} value(s) need correcting.`;
  if (resp.plan) {
    const missing = (resp.eligibility?.missing || []).length;
    return `${planLine(resp.plan)}${missing && resp.plan.action !== 'need_more_data' ? ` ${missing} input(s) still needed.` : ''}`;
  }
  const e = resp.eligibility || {};
  const r = resp.regimen;
  const parts = [`${label('status', e.status)}${e.drug ? `: ${label('drug', e.drug)}` : ''}`];
  if (r && r.dose_mg != null) parts.push(`${formatNumber(r.dose_mg, 2)} mg ${label('frequency', r.frequency)}`);
  if (resp.titration?.new_dose_mg != null) parts.push(`new dose ${formatNumber(resp.titration.new_dose_mg, 2)} mg`);
  const serious = (resp.warnings || []).filter((w) => w.severity === 'serious').length;
  if (serious) parts.push(`${serious} serious warning(s)`);
  const missing = (e.missing || []).length;
  if (missing) parts.push(`${missing} input(s) still needed`);
  return `${parts.join('; ')}.`;
}

// Screen readers hear a short summary once typing pauses, not every keystroke.
let announceTimer = null;
let lastAnnounced = '';
function announce(text) {
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    if (text === lastAnnounced) return;
    lastAnnounced = text;
    $('#announce').textContent = text;
  }, 800);
}

function drawPrintSummary() {
  const root = $('#print-inputs');
  clear(root);
  if (!lastRequest) return;
  root.appendChild(h('dl', { class: 'print-dl' }, inputLines(lastRequest, state.units).map(([k, v]) => h('div', { class: 'kv' }, h('dt', {}, k), h('dd', {}, v)))));
  const when = new Date().toISOString().slice(0, 10);
  $('#print-footer').textContent = `Printed ${when} · mtorcalc content ${lastResponse?.content_version || getContent()?.content_version || ''} · engine ${core.version()} · decision support only; check the current prescribing information.`;
}

// The printout is a chart note at a readable size (print.css): the plan,
// the case as entered and the key warnings first, the details after, over
// as many pages as they take. Nothing is scaled.
function preparePrint() {
  drawPrintSummary();
}

// ---- history --------------------------------------------------------------------------
function troughDisplayKind() {
  return troughKind(effectiveDrug()) || 'trough_everolimus';
}

function drawHistory() {
  drawTroughTable();
  drawAmlTable();
  updateHistoryViews();
}

function historyInput(labelText, value, onInput, attrs = {}) {
  const el = h('input', { type: 'text', inputmode: 'decimal', 'aria-label': labelText, ...attrs });
  el.value = value;
  el.addEventListener('input', () => onInput(el.value));
  return el;
}

function drawTroughTable() {
  const body = $('#trough-table tbody');
  clear(body);
  const kind = troughDisplayKind();
  state.troughs.forEach((row, i) => {
    const n = i + 1;
    body.appendChild(h('tr', {},
      h('td', {}, historyInput(`Trough row ${n}, date`, row.date || '', (v) => { row.date = v; updateHistoryViews(); }, { type: 'date', inputmode: null })),
      h('td', {}, historyInput(`Trough row ${n}, dose in mg`, row.dose_text ?? formatNumber(row.dose_mg, 2), (v) => {
        row.dose_text = v;
        const x = parseTyped(v);
        row.dose_mg = Number.isFinite(x) ? x : null;
        updateHistoryViews();
      })),
      h('td', {}, historyInput(`Trough row ${n}, trough in ${unitLabel(kind, state.units.trough)}`,
        typeof row.trough_ng_ml === 'number' ? display(kind, row.trough_ng_ml, state.units.trough) : '', (v) => {
          const x = parseTyped(v);
          row.trough_ng_ml = Number.isFinite(x) ? toCanonical(kind, x, state.units.trough) : null;
          updateHistoryViews();
        })),
      h('td', {}, h('button', {
        type: 'button', class: 'remove', 'aria-label': `Remove trough row ${n}`,
        onclick: () => { state.troughs.splice(i, 1); drawHistory(); $('#trough-add').focus(); },
      }, h('span', { 'aria-hidden': 'true' }, '✕')))));
  });
}

function drawAmlTable() {
  const body = $('#aml-table tbody');
  clear(body);
  state.aml.forEach((row, i) => {
    const n = i + 1;
    body.appendChild(h('tr', {},
      h('td', {}, historyInput(`Measurement ${n}, date`, row.date || '', (v) => { row.date = v; updateHistoryViews(); }, { type: 'date', inputmode: null })),
      h('td', {}, historyInput(`Measurement ${n}, largest diameter in cm`, row.diameter_text ?? formatNumber(row.diameter_cm, 2), (v) => {
        row.diameter_text = v;
        const x = parseTyped(v);
        row.diameter_cm = Number.isFinite(x) ? x : null;
        updateHistoryViews();
      })),
      h('td', {}, h('button', {
        type: 'button', class: 'remove', 'aria-label': `Remove measurement ${n}`,
        onclick: () => { state.aml.splice(i, 1); drawHistory(); $('#aml-add').focus(); },
      }, h('span', { 'aria-hidden': 'true' }, '✕')))));
  });
}

function updateHistoryViews() {
  const kind = troughDisplayKind();
  const unit = unitLabel(kind, state.units.trough);
  const toDisplay = (v) => fromCanonical(kind, v, state.units.trough);
  const target = lastResponse?.regimen?.trough_target_ng_ml || getContent()?.[effectiveDrug()]?.tdm?.target_range_ng_ml || [5, 15];
  const band = Array.isArray(target) ? target.map(toDisplay) : null;
  const tEl = $('#trough-chart');
  drawTroughChart(tEl, state.troughs, { band, unit, toDisplay });
  const latest = latestTrough(state.troughs);
  const tSummary = latest
    ? `Latest trough ${display(kind, latest.trough_ng_ml, state.units.trough)} ${unit} on ${latest.date} at ${formatNumber(latest.dose_mg, 2)} mg; shaded band: target ${band ? `${formatNumber(band[0], 2)}–${formatNumber(band[1], 2)} ${unit}` : 'not known'}.`
    : 'Add rows with a date, dose and trough to draw the chart.';
  $('#trough-summary').textContent = tSummary;
  tEl.setAttribute('aria-label', `Trough levels over time. ${tSummary}`);

  const g = amlGrowth(state.aml);
  const aEl = $('#aml-chart');
  drawAmlChart(aEl, state.aml);
  let aSummary = 'Add at least two dated measurements to compute the growth rate.';
  if (g.latest_cm_per_year !== null) {
    aSummary = `Growth between the two latest measurements: ${formatNumber(g.latest_cm_per_year, 2)} cm/year (${formatNumber(g.previous.diameter_cm, 2)} → ${formatNumber(g.latest.diameter_cm, 2)} cm over ${formatNumber(g.months_between, 1)} months)`;
    if (g.fitted_cm_per_year !== null) aSummary += `; least-squares over all ${g.points}: ${formatNumber(g.fitted_cm_per_year, 2)} cm/year`;
    aSummary += '.';
  }
  $('#aml-summary').textContent = aSummary;
  aEl.setAttribute('aria-label', `AML largest diameter over time. ${aSummary}`);
}

function setField(path, value) {
  const field = fieldByPath.get(path);
  if (value === undefined || value === null) {
    delete state.values[path];
    delete state.text[path];
  } else {
    state.values[path] = value;
    const kind = kindOf(field, effectiveDrug());
    state.text[path] = typeof value === 'number'
      ? (kind ? display(kind, value, state.units[systemOf(kind)]) : formatNumber(value, 4))
      : typeof value === 'boolean' ? (value ? 'yes' : 'no') : Array.isArray(value) ? (value.length ? value.join(', ') : 'none') : value;
  }
  const el = document.getElementById(idFor(path));
  if (el) el.value = state.text[path] ?? '';
  showCompared(field);
}

function useLatestTrough() {
  const latest = latestTrough(state.troughs);
  if (!latest) return message('Add a trough row with a date, dose and trough first.');
  setField('/therapy/current_dose_mg', latest.dose_mg);
  setField('/therapy/trough_ng_ml', latest.trough_ng_ml);
  setField('/therapy/days_on_current_dose', latest.days_on_dose);
  recompute();
  message(`Used the trough of ${latest.date}. Days on the current dose (${latest.days_on_dose}) count from the first trough row at this dose; correct it if the dose started earlier.`);
}

function useLatestAml() {
  const g = amlGrowth(state.aml);
  if (g.latest_cm_per_year === null) return message('Add two dated measurements first.');
  setField('/condition/aml/largest_diameter_cm', g.latest.diameter_cm);
  setField('/condition/aml/previous_largest_diameter_cm', g.previous.diameter_cm);
  setField('/condition/aml/months_between_measurements', Number(formatNumber(g.months_between, 1)));
  setField('/condition/aml/growth_cm_per_year', undefined); // let the engine derive it
  recompute();
  message('Used the two latest measurements; the engine computes the growth rate from them.');
}

// ---- the case as a file, as text, on paper ---------------------------------------------
function message(text) {
  $('#case-message').textContent = text;
}

function caseObject() {
  return {
    format: 'mtorcalc-case/1',
    exported: new Date().toISOString(),
    content_version: lastResponse?.content_version || getContent()?.content_version || null,
    units: { ...state.units },
    request: lastRequest || { contract: CONTRACT, indication: state.indication || undefined },
    history: {
      troughs: state.troughs.map(({ date, dose_mg, trough_ng_ml }) => ({ date, dose_mg, trough_ng_ml })),
      aml: state.aml.map(({ date, diameter_cm }) => ({ date, diameter_cm })),
    },
  };
}

function exportCase() {
  if (!state.indication) return message('Choose the indication first.');
  const blob = new Blob([`${JSON.stringify(caseObject(), null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  // The file name carries the date only, never a patient value.
  const a = h('a', { href: url, download: `mtorcalc-case-${new Date().toISOString().slice(0, 10)}.json`, class: 'visually-hidden' });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  message('Case exported as a JSON file to your downloads. It contains the patient’s values: store it as you would any clinical record.');
}

// Loads a case object (from a file): the request's values go into the form.
export function loadCase(obj) {
  const req = obj?.request && typeof obj.request === 'object' ? obj.request : obj;
  if (!req || typeof req !== 'object' || req.contract !== CONTRACT) throw new Error('This is not an mtorcalc case file (mtor-calc/1).');
  const next = blankState();
  if (obj.units) for (const k of Object.keys(next.units)) if (typeof obj.units[k] === 'string') next.units[k] = obj.units[k];
  next.indication = INDICATIONS.some(([k]) => k === req.indication) ? req.indication : '';
  next.drug = DRUGS.some(([k]) => k === req.drug) ? req.drug : '';
  state = next;
  askedFor = new Set();
  engineDrug = '';
  for (const sel of $$('[data-units]')) sel.value = state.units[sel.dataset.units];
  $('#indication').value = state.indication;
  drawDrugOptions();
  const notLoaded = [];
  for (const field of FIELDS) {
    const v = getAt(req, field.path);
    if (v !== undefined) setField(field.path, v);
  }
  walkLeaves(req, '', (p) => {
    if (['/contract', '/indication', '/drug'].includes(p) || /^\/adverse_events\//.test(p)) return;
    if (!fieldForPointer(p)) notLoaded.push(p);
  });
  state.aes = Array.isArray(req.adverse_events) ? req.adverse_events.map((a) => ({ term: a.term || '', grade: a.grade ?? '', recurrent: Boolean(a.recurrent) })) : [];
  const hist = obj.history || {};
  state.troughs = Array.isArray(hist.troughs) ? hist.troughs.map((r) => ({ date: r.date, dose_mg: r.dose_mg, trough_ng_ml: r.trough_ng_ml })) : [];
  state.aml = Array.isArray(hist.aml) ? hist.aml.map((r) => ({ date: r.date, diameter_cm: r.diameter_cm })) : [];
  syncFormFromState();
  for (const field of FIELDS) showCompared(field);
  showProvenance($('#case-form'), {}, idFor);
  drawHistory();
  recompute();
  return notLoaded;
}

// A FHIR R4 Bundle (a file, or a host page through embed-api.js) read by
// fhir.js into a new form state. The Bundle replaces the patient's values
// (it is a whole record); the question and the unit choices stay. Nothing
// changes unless all of it reads.
function prefillBundle(input) {
  const r = bundleToCase(input, { drug: effectiveDrug() });
  if (!r.ok) {
    message(`Could not use that FHIR Bundle: ${r.error} Nothing was changed.`);
    return { ok: false, message: r.error, unmapped: [] };
  }
  const request = { contract: CONTRACT, indication: state.indication || undefined, drug: state.drug || undefined };
  for (const [path, v] of Object.entries(r.values)) setAt(request, path, v);
  loadCase({ units: { ...state.units }, request, history: { troughs: r.troughs } });
  showProvenance($('#case-form'), r.provenance, idFor);
  const text = bundleSummaryText(r);
  message(text);
  return { ok: true, message: text, unmapped: r.unmapped };
}

function walkLeaves(o, p, fn) {
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o)) walkLeaves(v, `${p}/${k}`, fn);
  } else fn(p);
}

function importCase(file) {
  const reader = new FileReader();
  reader.onload = () => {
    try {
      const text = String(reader.result);
      const obj = JSON.parse(text);
      if (obj?.resourceType === 'Bundle') {
        prefillBundle(text);
        return;
      }
      const notLoaded = loadCase(obj);
      message(notLoaded.length ? `Case loaded. Not loaded (unknown to this form): ${notLoaded.join(', ')}` : 'Case loaded from the file.');
    } catch (err) {
      message(`Could not load that file: ${err.message}`);
    }
  };
  reader.onerror = () => message('Could not read that file.');
  reader.readAsText(file);
}

// "Copy note" (a few lines for the record) or "Copy full text" (the whole
// answer): on the clipboard when the browser allows it, and shown below
// the buttons either way.
let noteKind = 'short';
const noteFor = (req, resp) => (noteKind === 'short' ? shortNote(req, resp) : noteText(req, resp, state.units));
async function copyText(kind = 'full') {
  if (!lastRequest) return message('Choose the indication first.');
  noteKind = kind;
  const text = noteFor(lastRequest, lastResponse);
  const box = $('#note-box');
  box.hidden = false;
  const ta = $('#note-text');
  ta.value = text;
  ta.rows = Math.min(12, text.split('\n').length + 1);
  const what = kind === 'short' ? 'The note' : 'The full answer';
  try {
    await navigator.clipboard.writeText(text);
    message(`${what} is on the clipboard as text; it is also shown below.`);
  } catch {
    ta.focus();
    ta.select();
    message('Select the text below and copy it (the browser did not allow copying directly).');
  }
}

function clearCase() {
  state = blankState();
  askedFor = new Set();
  engineDrug = '';
  for (const sel of $$('[data-units]')) sel.value = state.units[sel.dataset.units];
  $('#indication').value = '';
  drawDrugOptions();
  syncFormFromState();
  for (const field of FIELDS) showCompared(field);
  showProvenance($('#case-form'), {}, idFor);
  drawHistory();
  $('#note-box').hidden = true;
  $('#note-text').value = '';
  recompute();
  message('Cleared. Nothing was stored anywhere.');
  $('#indication').focus();
}

// ---- start ------------------------------------------------------------------------------
function wire() {
  const form = $('#case-form');
  form.addEventListener('input', onFieldInput);
  form.addEventListener('change', (ev) => { if (ev.target.dataset?.units) onUnitsChange(ev); });
  form.addEventListener('submit', (ev) => ev.preventDefault());
  $('#copy-note').addEventListener('click', () => copyText('short'));
  $('#copy-text').addEventListener('click', () => copyText('full'));
  $('#print').addEventListener('click', () => { preparePrint(); window.print(); });
  $('#export').addEventListener('click', exportCase);
  $('#import').addEventListener('click', () => $('#import-file').click());
  $('#import-file').addEventListener('change', (ev) => {
    const file = ev.target.files?.[0];
    if (file) importCase(file);
    ev.target.value = '';
  });
  $('#clear').addEventListener('click', clearCase);
  $('#trough-add').addEventListener('click', () => {
    const cur = state.values['/therapy/current_dose_mg'];
    state.troughs.push({ date: '', dose_mg: typeof cur === 'number' ? cur : null, trough_ng_ml: null });
    drawHistory();
    $$('#trough-table tbody tr:last-child input')[0]?.focus();
  });
  $('#aml-add').addEventListener('click', () => {
    state.aml.push({ date: '', diameter_cm: null });
    drawHistory();
    $$('#aml-table tbody tr:last-child input')[0]?.focus();
  });
  $('#trough-use').addEventListener('click', useLatestTrough);
  $('#all-sources').closest('details').addEventListener('toggle', (ev) => { if (ev.target.open && core) showAllSources(); });
  $('#aml-use').addEventListener('click', useLatestAml);
  window.addEventListener('beforeprint', preparePrint);
  let resizeTimer = null;
  window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(resizeCharts, 150); });
}

// The 129 sources the engine knows, listed in About when that disclosure is
// first opened (not before the first paint).
function showAllSources() {
  const list = $('#all-sources');
  if (list.childElementCount) return;
  const refs = getContent()?.references || {};
  const ids = Object.keys(refs);
  $('#about-ref-count').textContent = `all ${ids.length} references`;
  list.append(...ids.map((id) => {
    const r = refs[id];
    const unconfirmed = r.verification && r.verification !== 'confirmed';
    return h('li', {}, r.title || id, r.section ? ` — ${r.section}` : '', r.date ? ` (${r.date})` : '',
      unconfirmed ? [' ', h('span', { class: 'unverified-badge' }, label('v', r.verification))] : '');
  }));
}

function engineFailed(err) {
  $('#engine-state').textContent = `The calculator engine could not start in this browser (${err?.message || err}). It needs WebAssembly.`;
}

// What has to happen before the page answers its first question, and no
// more: the question's two selects, the versions, the state line. The field
// groups follow in idle moments, the content and the sources list on first
// need, the raw JSON when opened.
async function start() {
  drawQuestionSelects();
  wire();
  // A host page that frames the calculator may prefill it and ask for answers.
  initEmbedApi({
    prefill: prefillBundle,
    evaluate: (text) => core.evaluate(text),
    ready: new Promise((resolve) => document.addEventListener('mtorcalc:ready', resolve, { once: true })),
  });
  // engine.js has already published window.mtorCalc when this resolves.
  const loaded = await engine;
  // A task of its own: instantiating the engine was one already.
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (loaded.error) {
    ensureGroups();
    recompute();
    engineFailed(loaded.error);
    return;
  }
  core = loaded.core;
  const version = core.version();
  for (const el of $$('.js-engine-version')) el.textContent = version;
  // version() ends "(content <version>)": the content itself is not needed yet.
  const contentVersion = /\(content ([^()]+)\)$/.exec(version)?.[1] || getContent()?.content_version || '—';
  for (const el of $$('.js-content-version')) el.textContent = contentVersion;
  drawDrugOptions();
  if (state.indication) syncFormFromState(); // chosen before the engine was there
  recompute();
  document.documentElement.dataset.ready = 'true';
  performance.mark('mtorcalc:ready'); // read by scripts/bench (time to a ready page)
  document.dispatchEvent(new CustomEvent('mtorcalc:ready'));
  drawGroupsWhenIdle();
}

start();
