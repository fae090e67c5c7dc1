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
  isShown, kindOf, valueFromText, buildRequest, fieldForPointer, setAt, fieldByPath, CONTRACT,
  isPrimary, aesUpFront, isPendingAe, plainError, gradeDescriptions,
} from './fields.js';
import { readCase, readCaseObject, MAX_FILE_BYTES } from './case-file.js';
import {
  unitLabel, display, systemOf, formatNumber, fromCanonical, toCanonical, parseTyped, troughKind, canonicalUnit, SYSTEMS, decimals,
} from './units.js';
import { renderAnswer, renderReferences } from './render.js';
import { label } from './labels.js';
import { noteText, shortNote, inputLines } from './notes.js';
import { planLine } from './plan-view.js';
import { amlGrowth, latestTrough, troughHistoryRequest, dayNumber } from './history.js';
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
  fieldUnits: {}, // path → a unit chosen at the field, over the switch above
  text: {}, // path → what the clinician typed / chose (their units)
  values: {}, // path → request value (canonical units)
  aes: [], // [{term, grade, recurrent}]
  troughs: [], // [{date, dose_mg, trough_ng_ml (canonical)}]
  troughStart: '', // the therapy's start date, for trough_history's days
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

// The unit a field is typed in: its own choice (labs that come in two
// units, the trough), else the switch of its system. A limit follows its lab.
const PER_FIELD_UNIT = new Set(['bilirubin', 'creatinine', 'trough_everolimus', 'trough_sirolimus']);
const unitOwner = (field) => (field.isLimit ? FIELDS.find((x) => x.pair === field.path) : field);
function choiceFor(field, kind) {
  return state.fieldUnits[unitOwner(field).path] ?? state.units[systemOf(kind)];
}
function unitsFor(field) {
  const kind = kindOf(field, effectiveDrug());
  return kind ? { ...state.units, [systemOf(kind)]: choiceFor(field, kind) } : state.units;
}
const hasUnitChoice = (field) => !field.isLimit && PER_FIELD_UNIT.has(kindOf(field, 'everolimus'));

function unitSelect(field) {
  const kind = kindOf(field, effectiveDrug());
  const sel = h('select', {
    class: 'unit-select', id: `${idFor(field.path)}-unit`, autocomplete: 'off', dataset: { unitOf: field.path },
    'aria-label': `Unit for ${field.label.toLowerCase()}`,
  }, SYSTEMS[systemOf(kind)].map((c) => h('option', { value: c }, unitLabel(kind, c))));
  sel.value = choiceFor(field, kind);
  sel.addEventListener('change', () => {
    state.fieldUnits[field.path] = sel.value;
    // The value stays; only how it reads changes (and its limit's).
    redisplay(field);
    if (field.pair) redisplay(fieldByPath.get(field.pair));
    updateUnitLabels();
    recompute();
  });
  return sel;
}

function unitText(field) {
  const kind = kindOf(field, effectiveDrug());
  if (kind) return unitLabel(kind, choiceFor(field, kind));
  return field.unit || '';
}

// Yes/no questions (and two-way choices such as sex) are one tap: a radio
// group, one Tab stop, arrows to move, its question as the legend.
const isSegmented = (field) => field.type === 'tri' || (field.type === 'enum' && Array.isArray(field.options) && field.options.length <= 2);

function segmented(field, id, describedBy) {
  const opts = field.type === 'tri' ? [['yes', 'Yes'], ['no', 'No']] : field.options;
  const group = h('fieldset', { class: 'seg', id, dataset: { path: field.path }, 'aria-describedby': describedBy },
    h('legend', {}, field.label),
    [...opts, ['', 'Not known']].map(([v, t]) => {
      const rid = `${id}--${v || 'unknown'}`;
      return h('span', { class: 'seg-option' },
        h('input', { type: 'radio', id: rid, name: field.path, value: v, autocomplete: 'off', checked: v === '' }),
        h('label', { for: rid }, t));
    }));
  // The rest of the page reads and writes every control's .value (state
  // sync, prefill, the tests' snapshots): the group answers to it too.
  Object.defineProperty(group, 'value', {
    get: () => group.querySelector('input:checked')?.value ?? '',
    set: (v) => { for (const r of group.querySelectorAll('input')) r.checked = r.value === String(v ?? ''); },
  });
  return group;
}

function fieldControl(field) {
  const id = idFor(field.path);
  const describedBy = [`${id}-hint`, `${id}-cmp`, `${id}-err`].join(' ');
  const common = { id, name: field.path, dataset: { path: field.path }, 'aria-describedby': describedBy, autocomplete: 'off' };
  if (isSegmented(field)) return segmented(field, id, describedBy);
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
  if (isSegmented(field)) {
    return h('div', { class: 'field seg-field', dataset: { field: field.path } }, fieldControl(field),
      h('p', { class: 'hint', id: `${id}-hint` }, field.hint || ''),
      h('p', { class: 'compared', id: `${id}-cmp` }),
      h('p', { class: 'error', id: `${id}-err`, hidden: true }));
  }
  return h('div', { class: `field${field.isLimit ? ' limit' : ''}`, dataset: { field: field.path } },
    h('label', { for: id },
      field.short ? [h('span', { class: 'visually-hidden' }, field.prefix), field.short] : field.label,
      h('span', { class: 'unit', dataset: { unitFor: field.path } }, u ? ` (${u})` : '')),
    hasUnitChoice(field) ? h('div', { class: 'with-unit' }, fieldControl(field), unitSelect(field)) : fieldControl(field),
    h('p', { class: 'hint', id: `${id}-hint` }, field.hint || ''),
    h('p', { class: 'compared', id: `${id}-cmp` }),
    h('p', { class: 'error', id: `${id}-err`, hidden: true }));
}

// Each group has two fieldsets: one up front in #groups, one under "More
// (optional)" (#more-groups). Fields are drawn up front; placeFields() moves
// each to where the question wants it. Drawing yields after each field so
// that it can be spread over idle moments.
function groupBox(g, title, where, prefix) {
  const fs = h('fieldset', { class: 'group', id: `${prefix}${g}`, dataset: { group: g }, hidden: true }, h('legend', {}, title));
  $(where).appendChild(fs);
  return fs;
}
function moreBox() {
  const more = h('details', { class: 'more-fields', id: 'more-fields', hidden: true },
    h('summary', {}, 'More (optional)'),
    h('p', { class: 'hint' }, 'Everything else this question can use. The answer says when it needs one of these.'),
    h('div', { id: 'more-groups' }));
  $('#groups').after(more);
  // The unit switches are a setting, not a question: kept with the rest.
  more.querySelector('.hint').after($('#group-units'));
}
function* drawGroup(g, title) {
  const fs = groupBox(g, title, '#groups', 'group-');
  const mfs = groupBox(g, title, '#more-groups', 'more-');
  const fields = FIELDS.filter((x) => x.group === g);
  if (g === 'liver') {
    fs.appendChild(h('div', { class: 'field-grid' }, fieldBlock(fields.find((x) => !x.sub))));
    mfs.appendChild(h('div', { class: 'field-grid' }));
    const sub = h('details', { class: 'sub', id: 'liver-components' }, h('summary', {}, 'Child-Pugh components (instead of the class)'));
    mfs.appendChild(sub);
    for (const x of fields.filter((y) => y.sub === 'components')) {
      sub.appendChild(fieldBlock(x));
      yield;
    }
  } else if (g === 'labs') {
    const note = 'Your laboratory’s limits are used for the risk scores and toxicity grades.';
    fs.appendChild(h('p', { class: 'hint' }, note));
    mfs.appendChild(h('p', { class: 'hint' }, note));
    const grid = h('div', { class: 'lab-grid' });
    fs.appendChild(grid);
    mfs.appendChild(h('div', { class: 'lab-grid' }));
    for (const x of fields.filter((y) => !y.isLimit)) {
      const row = h('div', { class: 'lab-row', dataset: { unit: x.path } }, fieldBlock(x));
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
        // First the answer (a first row may move the group up front), then focus.
        recompute();
        $$('#ae-rows .ae-row select')[$$('#ae-rows .ae-row').length * 2 - 2]?.focus();
      },
    }, 'Add an adverse event'));
  } else {
    const grid = h('div', { class: 'field-grid' });
    fs.appendChild(grid);
    mfs.appendChild(h('div', { class: 'field-grid' }));
    for (const x of fields) {
      grid.appendChild(fieldBlock(x));
      yield;
    }
  }
}

// Puts each field (a lab with its limit as one row) up front or under
// "More (optional)" for this question. Only what changes place moves, to
// the position FIELDS gives it, so the field being typed in keeps its focus.
function placeFields(c) {
  const units = [];
  for (const field of FIELDS) {
    if (field.sub || field.isLimit || field.group === 'adverse_events') continue;
    const node = field.group === 'labs' ? $(`.lab-row[data-unit="${field.path}"]`) : $(`[data-field="${field.path}"]`);
    if (!node) continue;
    const up = isPrimary(field, c.indication, promoted) || (field.pair && isPrimary(fieldByPath.get(field.pair), c.indication, promoted));
    const box = $(`#${up ? 'group-' : 'more-'}${field.group} ${field.group === 'labs' ? '.lab-grid' : '.field-grid'}`);
    units.push([node, box]);
  }
  units.forEach(([node, box], i) => {
    if (node.parentNode === box) return;
    const after = units.slice(i + 1).find(([n]) => n.parentNode === box);
    box.insertBefore(node, after ? after[0] : null);
  });
  const ae = $('#group-adverse_events');
  if (ae) {
    const target = aesUpFront(c.indication) || state.aes.length ? '#groups' : '#more-groups';
    if (ae.parentNode !== $(target)) $(target).appendChild(ae);
  }
}

function drawAes() {
  const root = $('#ae-rows');
  clear(root);
  state.aes.forEach((ae, i) => {
    const base = `/adverse_events/${i}`;
    const id = `ae-${i}`;
    const term = h('select', { id: `${id}-term`, dataset: { path: `${base}/term` }, 'aria-describedby': `${id}-err`, autocomplete: 'off' },
      h('option', { value: '' }, 'Choose…'), AE_TERMS.map(([v, t]) => h('option', { value: v }, t)));
    term.value = ae.term || '';
    const grade = h('select', { id: `${id}-grade`, dataset: { path: `${base}/grade` }, 'aria-describedby': `${id}-err`, autocomplete: 'off' },
      h('option', { value: '' }, 'Grade…'), [1, 2, 3, 4, 5].map((g) => h('option', { value: String(g) }, `Grade ${g}`)));
    describeGrades(grade, ae.term);
    grade.value = ae.grade === '' || ae.grade == null ? '' : String(ae.grade);
    const rec = h('input', { type: 'checkbox', id: `${id}-rec`, dataset: { path: `${base}/recurrent` }, autocomplete: 'off' });
    rec.checked = Boolean(ae.recurrent);
    const update = () => {
      if (term.value !== state.aes[i].term) describeGrades(grade, term.value);
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

// Grade options say what the grade means where the content defines it by a
// laboratory value (in the units the clinician reads); otherwise the number.
function describeGrades(select, term) {
  const fmt = (path, v) => {
    const kind = kindOf(fieldByPath.get(path), effectiveDrug());
    return kind ? `${display(kind, v, state.units[systemOf(kind)])} ${unitLabel(kind, state.units[systemOf(kind)])}` : String(v);
  };
  const text = term ? gradeDescriptions(getContent()?.ctcae, term, fmt) : {};
  for (const o of select.options) if (o.value) o.textContent = text[o.value] ? `Grade ${o.value} — ${text[o.value]}` : `Grade ${o.value}`;
}

// The question's field groups (hundreds of elements, all hidden until an
// indication is chosen) are drawn after the page is ready, one group per
// idle moment so that no long task holds up a tap; the first use that needs
// them (an indication chosen, a case loaded) draws what is left at once.
function* drawAllGroups() {
  moreBox();
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
  for (const sel of $$('select[data-unit-of]')) {
    const field = fieldByPath.get(sel.dataset.unitOf);
    const kind = kindOf(field, effectiveDrug());
    [...sel.options].forEach((o) => { o.textContent = unitLabel(kind, o.value); });
    sel.value = choiceFor(field, kind);
  }
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
  // A radio's question is its group (the element carrying data-path).
  const el = ev.target.closest?.('[data-path]');
  const path = el?.dataset.path;
  if (!path) return;
  if (path === '/indication') {
    state.indication = el.value;
    askedFor = new Set();
    newQuestion();
    engineDrug = '';
    drawDrugOptions();
    syncFormFromState();
    reconvertTroughs();
  } else if (path === '/drug') {
    state.drug = el.value;
    newQuestion();
    syncFormFromState();
    reconvertTroughs();
  } else {
    const field = fieldByPath.get(path);
    if (!field) return;
    state.text[path] = el.value;
    markEdited(path, idFor);
    const v = valueFromText(field, el.value, unitsFor(field), effectiveDrug());
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
  if (!kind || typeof v !== 'number' || unitLabel(kind, choiceFor(field, kind)) === canonicalUnit(kind)) {
    el.textContent = '';
    return;
  }
  el.textContent = `= ${formatNumber(v, 3)} ${canonicalUnit(kind)} (the value compared)`;
}

function redisplay(field) {
  const kind = kindOf(field, effectiveDrug());
  const v = state.values[field.path];
  if (kind && typeof v === 'number') {
    state.text[field.path] = display(kind, v, choiceFor(field, kind));
    const el = document.getElementById(idFor(field.path));
    if (el) el.value = state.text[field.path];
  }
  showCompared(field);
}

function onUnitsChange(ev) {
  const sys = ev.target.dataset.units;
  state.units[sys] = ev.target.value;
  // The switch sets every field of its system, including those set one by one.
  for (const path of Object.keys(state.fieldUnits)) {
    const kind = kindOf(fieldByPath.get(path), effectiveDrug());
    if (kind && systemOf(kind) === sys) delete state.fieldUnits[path];
  }
  // Keep the canonical values; only their display changes, so switching back
  // and forth never drifts and never changes the answer.
  for (const field of FIELDS) {
    const kind = kindOf(field, effectiveDrug());
    if (kind && systemOf(kind) === sys) redisplay(field);
  }
  updateUnitLabels();
  drawAes(); // grade descriptions carry laboratory values in these units
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
// Fields moved up front for this question because the engine asked for them
// or a loaded case filled them; they stay up front until the question
// changes, so nothing jumps away while it is being typed.
let promoted = new Set();
function updateVisibility(c) {
  for (const p of askedFor) promoted.add(p);
  const key = JSON.stringify([c.indication, c.drug, c.sex, [...askedFor].sort(), [...promoted].sort(), state.aes.length > 0]);
  if (key === visibilityKey) return;
  visibilityKey = key;
  if (groupsDone) placeFields(c);
  for (const block of $$('#case-form .field[data-field]')) {
    setHidden(block, !visible(fieldByPath.get(block.dataset.field), c));
  }
  $$('.lab-row').forEach((r) => setHidden(r, $$('.field', r).every((b) => b.hidden)));
  const liverSub = $('#liver-components');
  if (liverSub) setHidden(liverSub, $$('.field[data-field]', liverSub).every((b) => b.hidden));
  for (const fs of $$('#case-form fieldset.group[data-group]')) {
    const g = fs.dataset.group;
    setHidden(fs, !state.indication || (g !== 'adverse_events' && !$$('.field[data-field]', fs).some((b) => !b.hidden)));
  }
  const more = $('#more-fields');
  if (more) setHidden(more, !state.indication || $$('#more-groups > fieldset.group', more).every((fs) => fs.hidden));
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

// The last complete answer for this question, kept (greyed, with a banner
// naming what is awaited) while a value is invalid or an adverse-event row
// waits for its grade. A new question, a loaded case or a cleared form
// forgets it: an answer is never shown beside another patient's values.
let lastGood = null;
function newQuestion() {
  promoted = new Set();
  lastGood = null;
}

let staleBanner = null;
function showStale(waiting) {
  if (!staleBanner) {
    staleBanner = h('p', { id: 'answer-stale', class: 'answer-stale', role: 'status', 'aria-live': 'polite', hidden: true });
    $('#answer-body').before(staleBanner);
  }
  const stale = Boolean(waiting.length) && Boolean(lastGood);
  $('#answer-body').classList.toggle('is-stale', stale);
  setText(staleBanner, waiting.length
    ? `Waiting for: ${waiting.join('; ')}.${stale ? ' The answer below is the last complete one, for the values before this change.' : ''}`
    : '');
  setHidden(staleBanner, !waiting.length);
}

// What the answer waits for, in words: fields to correct, grades to choose.
function waitingFor(resp) {
  const out = [];
  for (const a of state.aes) if (isPendingAe(a)) out.push(`grade of ${label('term', a.term).toLowerCase()}`);
  if (resp.status === 'invalid_request') {
    for (const e of resp.errors || []) {
      const field = fieldForPointer(e.path || '');
      const name = field ? field.label : e.path === '/therapy/trough_history' ? 'the trough history' : 'a value';
      const text = `${name.charAt(0).toLowerCase()}${name.slice(1)} (see the message at the field)`;
      if (!out.includes(text)) out.push(text);
    }
  }
  return out;
}

// The therapy's trough history for the engine, when the table has a start
// date and complete rows (history.js does the arithmetic).
function troughHistory() {
  if (!troughKind(effectiveDrug())) return [];
  return troughHistoryRequest(state.troughs, state.troughStart, state.values['/therapy/frequency']);
}

function recompute(depth = 0) {
  const c = ctx();
  updateVisibility(c);

  if (!core) return;
  if (!state.indication) {
    lastRequest = null;
    lastResponse = null;
    lastGood = null;
    showStale([]);
    renderAnswer($('#answer-body'), null, null);
    $('#engine-state').textContent = 'Choose the indication to start.';
    clearMarks();
    renderReferences($('#reference-list'), null);
    announce('');
    $('#answer-peek').hidden = true;
    return;
  }
  const req = buildRequest({
    indication: state.indication, drug: state.drug, values: state.values, adverseEvents: state.aes, troughHistory: troughHistory(),
  }, c, (field) => visible(field, c));
  const text = core.evaluate(JSON.stringify(req));
  let resp;
  try {
    resp = JSON.parse(text);
  } catch {
    resp = { status: 'error', errors: [{ path: '', code: 'malformed_json', message: 'The engine answer could not be read.' }] };
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
  setText($('#engine-state'), resp.status === 'ok' ? '' : resp.status === 'invalid_request' ? 'Some values need correcting.' : 'The calculator could not answer this question.');
  markFields(resp);
  const waiting = resp.status === 'error' ? [] : waitingFor(resp);
  if (resp.status !== 'ok' && resp.status !== 'invalid_request') lastGood = null;
  showStale(waiting);
  if (waiting.length && lastGood) {
    // Keep the last complete answer on screen; the raw view still shows
    // what was just sent and answered. The phone's bar says what is awaited
    // rather than repeat a decision made on the earlier values.
    fillRaw();
    setText($('#answer-peek'), `Waiting for: ${waiting.join('; ')}`);
    return;
  }
  if (resp.status === 'ok' && !waiting.length) lastGood = resp;
  // Errors reach the answer in the same words as at their fields.
  const shown = resp.status === 'ok' ? resp : { ...resp, errors: (resp.errors || []).map((e) => ({ ...e, message: errorText(e) })) };
  const refNumber = new Map((resp.references || []).map((r, i) => [r.id, i + 1]));
  const refInfo = new Map((resp.references || []).map((r) => [r.id, r]));
  const unverified = new Map((resp.unverified_rules || []).map((u) => [u.rule, u]));
  renderAnswer($('#answer-body'), shown, { units: state.units, refNumber, refInfo, unverified, focusField }, rawDetails());
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

// An engine error in words, at its field: the range with its unit, and
// what the value would be if it was typed in the field's other unit.
function errorText(e) {
  const field = fieldForPointer(e.path || '');
  const kind = field ? kindOf(field, effectiveDrug()) : null;
  const unit = kind ? canonicalUnit(kind) : field?.unit || '';
  const text = plainError(e, field, unit, (got, min, max) => slipHint(field, kind, got, min, max));
  return kind && unitLabel(kind, choiceFor(field, kind)) !== unit ? `${text} (checked in ${unit})` : text;
}

function slipHint(field, kind, got, min, max) {
  if (!field) return '';
  const fits = (x) => Number.isFinite(x) && x >= min && x <= max;
  const unit = kind ? canonicalUnit(kind) : field.unit || '';
  for (const [name, factor] of field.slips || []) {
    const x = got * factor;
    if (fits(x)) return `${formatNumber(got, 4)} looks like ${name}: ${formatNumber(x, 2)} ${unit}?`;
  }
  if (kind) {
    // The engine checks canonical values: read what was typed as the other unit.
    const choices = SYSTEMS[systemOf(kind)];
    const typed = choiceFor(field, kind);
    for (const choice of choices) {
      if (choice === typed || unitLabel(kind, choice) === canonicalUnit(kind)) continue;
      const x = toCanonical(kind, got, choice);
      if (fits(x)) return `${formatNumber(got, 4)} looks like ${unitLabel(kind, choice)}: ${formatNumber(x, decimals(kind, choices[0]))} ${unit}?`;
    }
  }
  return '';
}

function focusField(pointer) {
  const field = fieldForPointer(pointer);
  let el = field ? document.getElementById(idFor(field.path)) : document.querySelector(`[data-path="${pointer}"]`);
  if (!el && /^\/adverse_events/.test(pointer)) el = document.querySelector(`[data-path^="/adverse_events"]`);
  if (!el) return;
  if (el.tagName === 'FIELDSET') el = el.querySelector('input:checked') || el.querySelector('input');
  for (let det = el.closest('details'); det; det = det.parentElement.closest('details')) det.open = true;
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
  const el = h('input', { type: 'text', inputmode: 'decimal', 'aria-label': labelText, autocomplete: 'off', ...attrs });
  el.value = value;
  el.addEventListener('input', () => onInput(el.value));
  return el;
}

// A start date the history cannot use is said at the field (not guessed).
function showStartDateError() {
  const bad = state.troughStart !== '' && dayNumber(state.troughStart) === null;
  const err = $('#trough-start-err');
  setText(err, bad ? 'Type the date as YYYY-MM-DD, e.g. 2026-01-05: until then no trough history is sent.' : '');
  setHidden(err, !bad);
  if (bad) $('#trough-start').setAttribute('aria-invalid', 'true');
  else $('#trough-start').removeAttribute('aria-invalid');
}

// The table feeds the request's trough history: the answer follows it.
function troughsChanged() {
  updateHistoryViews();
  recompute();
}

function drawTroughTable() {
  $('#trough-start').value = state.troughStart || '';
  showStartDateError();
  const body = $('#trough-table tbody');
  clear(body);
  const kind = troughDisplayKind();
  state.troughs.forEach((row, i) => {
    const n = i + 1;
    body.appendChild(h('tr', {},
      h('td', {}, historyInput(`Trough row ${n}, date`, row.date || '', (v) => { row.date = v; troughsChanged(); }, { type: 'date', inputmode: null })),
      h('td', {}, historyInput(`Trough row ${n}, dose in mg`, row.dose_text ?? formatNumber(row.dose_mg, 2), (v) => {
        row.dose_text = v;
        const x = parseTyped(v);
        row.dose_mg = Number.isFinite(x) ? x : null;
        troughsChanged();
      })),
      h('td', {}, historyInput(`Trough row ${n}, trough in ${unitLabel(kind, state.units.trough)}`,
        typeof row.trough_ng_ml === 'number' ? display(kind, row.trough_ng_ml, state.units.trough) : '', (v) => {
          const x = parseTyped(v);
          row.trough_ng_ml = Number.isFinite(x) ? toCanonical(kind, x, state.units.trough) : null;
          troughsChanged();
        })),
      h('td', {}, h('button', {
        type: 'button', class: 'remove', 'aria-label': `Remove trough row ${n}`,
        onclick: () => { state.troughs.splice(i, 1); drawHistory(); recompute(); $('#trough-add').focus(); },
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
      ? (kind ? display(kind, value, choiceFor(field, kind)) : formatNumber(value, 4))
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
    units: { ...state.units, ...(Object.keys(state.fieldUnits).length ? { fields: { ...state.fieldUnits } } : {}) },
    request: lastRequest || { contract: CONTRACT, indication: state.indication || undefined },
    history: {
      troughs: state.troughs.map(({ date, dose_mg, trough_ng_ml }) => ({ date, dose_mg, trough_ng_ml })),
      trough_start_date: state.troughStart || undefined,
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

// Loads a case object (from a file, or a Bundle read by fhir.js): all of it
// is checked into a new state first (case-file.js); the form changes only
// if that succeeds, and then wholly, with the previous answer forgotten.
// Returns the pointers the form does not know (reported, not loaded).
export function loadCase(obj) {
  const { next, unknown } = readCaseObject(obj);
  applyCase(next);
  return unknown;
}

function applyCase(next) {
  const fresh = blankState();
  Object.assign(fresh.units, next.units);
  fresh.fieldUnits = { ...next.fieldUnits };
  fresh.indication = next.indication;
  fresh.drug = next.drug;
  fresh.aes = next.aes;
  fresh.troughs = next.troughs;
  fresh.aml = next.aml;
  fresh.troughStart = next.troughStart;
  state = fresh;
  askedFor = new Set();
  newQuestion();
  engineDrug = '';
  // A loaded value is shown up front, never hidden in a closed disclosure.
  for (const path of Object.keys(next.values)) promoted.add(path);
  for (const sel of $$('[data-units]')) sel.value = state.units[sel.dataset.units];
  $('#indication').value = state.indication;
  drawDrugOptions();
  ensureGroups();
  for (const [path, v] of Object.entries(next.values)) setField(path, v);
  syncFormFromState();
  for (const field of FIELDS) showCompared(field);
  showProvenance($('#case-form'), {}, idFor);
  drawHistory();
  $('#note-box').hidden = true;
  $('#note-text').value = '';
  recompute();
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
  try {
    loadCase({ units: { ...state.units, fields: { ...state.fieldUnits } }, request, history: { troughs: r.troughs } });
  } catch (err) {
    message(`Could not use that FHIR Bundle: ${err.message} Nothing was changed.`);
    return { ok: false, message: err.message, unmapped: [] };
  }
  showProvenance($('#case-form'), r.provenance, idFor);
  const text = bundleSummaryText(r);
  message(text);
  return { ok: true, message: text, unmapped: r.unmapped };
}

function importCase(file) {
  // Refused before it is read: a bigger file is not a case (and could hold
  // the tab for a long time).
  if (file.size > MAX_FILE_BYTES) {
    message(`Could not load that file: it is larger than ${MAX_FILE_BYTES / 1024} KiB (${Math.ceil(file.size / 1024)} KiB), the most a case file can be. Nothing was changed.`);
    return;
  }
  const reader = new FileReader();
  reader.onload = () => {
    const text = String(reader.result);
    let bundle = false;
    try {
      bundle = JSON.parse(text)?.resourceType === 'Bundle';
    } catch { /* readCase says why */ }
    if (bundle) {
      prefillBundle(text);
      return;
    }
    const r = readCase(text, file.size);
    if (!r.ok) {
      message(`Could not load that file: ${r.error} Nothing was changed.`);
      return;
    }
    applyCase(r.next);
    message([r.unknown.length ? `Case loaded. Not loaded (unknown to this form): ${r.unknown.join(', ')}` : 'Case loaded from the file.', r.next.note].filter(Boolean).join(' '));
  };
  reader.onerror = () => message('Could not read that file. Nothing was changed.');
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
  newQuestion();
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
  $('#trough-start').addEventListener('input', (ev) => {
    state.troughStart = ev.target.value.trim();
    showStartDateError();
    recompute();
  });
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
