// render.js — draws the engine's response, in the order a prescriber reads
// it: verdict → regimen → titration → adverse-event actions → interactions →
// warnings (by severity) → monitoring → expected response → derived values.
// The page adds no clinical logic: every number shown is the engine's, and
// every line carries links to the references the engine gave for it.
import { h, clear } from './dom.js';
import { label } from './labels.js';
import { labelForPointer } from './fields.js';
import { display, unitLabel, troughKind, formatNumber } from './units.js';

const SEVERITY_ORDER = ['serious', 'caution', 'info'];

// The answer's parts, in reading order: [name, draw(resp, ctx) → node or
// null, the response members it reads]. Each part is redrawn only when what
// it reads changed (see renderAnswer), so one part can be updated in place.
const PARTS = [
  ['errors', (r, c) => (r.status === 'ok' ? null : renderErrors(r, c)), (r) => [r.status, r.errors]],
  ['verdict', ok(renderVerdict), (r) => [r.eligibility]],
  ['regimen', ok(renderRegimen), (r) => [r.regimen, r.derived?.bsa_m2]],
  ['titration', ok(renderTitration), (r) => [r.titration, r.regimen?.drug, r.eligibility?.drug]],
  ['toxicity', ok(renderToxicity), (r) => [r.toxicity]],
  ['interactions', ok(renderInteractions), (r) => [r.interactions, r.interactions_unrecognized]],
  ['warnings', ok(renderWarnings), (r) => [r.warnings]],
  ['monitoring', ok((r, c) => renderList(r.monitoring, 'monitoring', 'Monitoring plan', (m) => [h('strong', {}, m.what), m.when ? ` — ${m.when}` : ''], c)), (r) => [r.monitoring]],
  ['expected-response', ok((r, c) => renderList(r.expected_response, 'expected-response', 'Expected response', (e) => [e.text], c)), (r) => [r.expected_response]],
  ['derived', ok(renderDerived), (r) => [r.derived]],
  ['unverified', ok(renderUnverified), (r) => [r.unverified_rules]],
  ['content-line', ok((r) => h('p', { class: 'content-line' }, `Content version ${r.content_version} · engine ${r.engine_version}`)), (r) => [r.content_version, r.engine_version]],
];
function ok(draw) {
  return (resp, ctx) => (resp.status === 'ok' ? draw(resp, ctx) : null);
}

// What a part also depends on besides the members it reads: the units the
// clinician reads, and the references and unconfirmed rules it names, whose
// numbers, titles and marks its links and badges show. Only those it names:
// a reference added for another part does not redraw this one.
function keyOf(reads, resp, ctx) {
  const own = JSON.stringify(reads);
  const named = (list, id) => (list || []).filter((x) => own.includes(JSON.stringify(x[id])));
  return JSON.stringify([ctx.units, own, named(resp.references, 'id').map((r) => [ctx.refNumber.get(r.id), r]), named(resp.unverified_rules, 'rule')]);
}

const drawn = new WeakMap(); // root → Map(part name → { key, node })

// Draws resp into root, keeping every part whose inputs did not change (its
// DOM nodes, focus and open disclosures stay as they are) and replacing the
// others. `tail`, if given, is kept as root's last child (the page's raw JSON
// view). ctx: { units, refNumber: Map id→n, refInfo: Map id→reference,
// unverified: Map rule→{verification,note}, focusField(pointer) }
export function renderAnswer(root, resp, ctx, tail = null) {
  let parts = drawn.get(root);
  if (!parts) drawn.set(root, (parts = new Map()));
  const want = [];
  if (resp) {
    for (const [name, draw, reads] of PARTS) {
      const key = keyOf(reads(resp), resp, ctx);
      let part = parts.get(name);
      if (!part || part.key !== key) {
        part = { key, node: draw(resp, ctx) };
        parts.set(name, part);
      }
      if (part.node) want.push(part.node);
    }
  } else {
    parts.clear();
  }
  if (tail && resp) want.push(tail);
  // Put the wanted nodes in order, moving or inserting only what differs,
  // then drop what is left over.
  want.forEach((node, i) => {
    const at = root.childNodes[i];
    if (at !== node) root.insertBefore(node, at || null);
  });
  while (root.childNodes.length > want.length) root.lastChild.remove();
}

// ---- building blocks -------------------------------------------------------

function section(cls, title, ...body) {
  const id = `ans-${cls}`;
  return h('section', { class: `ans ${cls}`, 'aria-labelledby': id }, h('h3', { id }, title), ...body);
}

// [1] [2]… links into the references panel; a reference not confirmed
// against the current label is marked (†) and says so to screen readers.
export function refLinks(refs, ctx) {
  if (!Array.isArray(refs) || refs.length === 0) return null;
  // The same reference twice on one line adds nothing: link it once.
  return h('span', { class: 'refs' }, [...new Set(refs)].map((id) => {
    const n = ctx.refNumber.get(id);
    // A reference the response's references[] does not list cannot be
    // linked; show its id rather than a dead link (and the engine should
    // list it: the contract says every id used appears there).
    if (n === undefined) return h('span', { class: 'ref unlisted', dataset: { ref: id } }, `[${id}]`);
    const info = ctx.refInfo.get(id);
    const unconfirmed = info && info.verification && info.verification !== 'confirmed';
    const name = info ? `${info.title}${info.section ? `, ${info.section}` : ''}` : id;
    return h('a', {
      href: `#ref-${cssId(id)}`, class: unconfirmed ? 'ref unconfirmed' : 'ref', dataset: { ref: id },
      'aria-label': `Reference ${n ?? ''}: ${name}${unconfirmed ? ' (not confirmed against the current label)' : ''}`,
    }, `[${n ?? '?'}${unconfirmed ? '†' : ''}]`);
  }));
}

export const cssId = (id) => String(id).replace(/[^A-Za-z0-9_-]/g, '_');

function ruleBadge(rule, ctx) {
  const u = rule && ctx.unverified.get(rule);
  if (!u) return null;
  return h('span', { class: 'unverified-badge', title: u.note || '' }, `not confirmed (${label('v', u.verification)})`);
}

function line(content, refs, ctx, attrs = {}, rule) {
  return h('li', attrs, content, ' ', refLinks(refs, ctx), ruleBadge(rule, ctx));
}

function renderList(items, cls, title, body, ctx) {
  if (!Array.isArray(items) || items.length === 0) return null;
  return section(cls, title, h('ul', {}, items.map((it) => line(body(it), it.refs, ctx, { dataset: { code: it.code || '' } }, it.rule))));
}

const mg = (x) => (x === null || x === undefined ? '' : `${formatNumber(x, 2)} mg`);

// A trough value in ng/mL, plus the clinician's chosen unit when that differs.
function trough(value, drug, ctx) {
  if (value === null || value === undefined) return '';
  const base = `${formatNumber(value, 2)} ng/mL`;
  const kind = troughKind(drug);
  if (!kind || ctx.units.trough === 'mass') return base;
  return `${base} (${display(kind, value, ctx.units.trough)} ${unitLabel(kind, ctx.units.trough)})`;
}

function troughRange(range, drug, ctx) {
  if (!Array.isArray(range) || range.length !== 2) return '';
  const base = `${formatNumber(range[0], 2)}–${formatNumber(range[1], 2)} ng/mL`;
  const kind = troughKind(drug);
  if (!kind || ctx.units.trough === 'mass') return base;
  const u = ctx.units.trough;
  return `${base} (${display(kind, range[0], u)}–${display(kind, range[1], u)} ${unitLabel(kind, u)})`;
}

const days = (r) => (Array.isArray(r) && r.length === 2 ? (r[0] === r[1] ? `${r[0]} days` : `${r[0]}–${r[1]} days`) : '');

// ---- sections ---------------------------------------------------------------

function renderVerdict(resp, ctx) {
  const e = resp.eligibility;
  if (!e) return null;
  const drug = e.drug ? label('drug', e.drug) : 'no mTOR inhibitor';
  const chosen = e.drug_chosen_by === 'engine' ? ' (the labelled drug, chosen by the calculator)' : '';
  const body = [
    h('p', { class: `verdict-status status-${e.status}`, dataset: { status: e.status } },
      h('span', { class: 'status-word' }, label('status', e.status)), ` — ${drug}${chosen}`, ' ', refLinks(e.refs, ctx)),
  ];
  const crit = Array.isArray(e.criteria) ? e.criteria : [];
  if (crit.length) {
    body.push(h('ul', { class: 'criteria' }, crit.map((c) => {
      const state = c.met === true ? 'met' : c.met === false ? 'unmet' : 'unknown';
      const word = { met: 'Met', unmet: 'Not met', unknown: 'Unknown' }[state];
      return h('li', { class: `criterion ${state}`, dataset: { code: c.code, met: state } },
        h('span', { class: 'crit-mark', 'aria-hidden': 'true' }, { met: '✓', unmet: '✗', unknown: '?' }[state]),
        h('span', { class: 'visually-hidden' }, `${word}: `), c.text, ' ', refLinks(c.refs, ctx), ruleBadge(c.rule, ctx));
    })));
  }
  if (Array.isArray(e.missing) && e.missing.length) {
    body.push(h('div', { class: 'missing', id: 'missing' },
      h('p', {}, h('strong', {}, 'Needed to answer fully: ')),
      h('ul', {}, e.missing.map((p) => h('li', { dataset: { pointer: p } },
        h('a', { href: '#', class: 'missing-link', dataset: { pointer: p }, onclick: (ev) => { ev.preventDefault(); ctx.focusField(p); } },
          labelForPointer(p)))))));
  }
  for (const alt of e.alternatives || []) body.push(h('p', { class: 'alternative' }, 'Alternative: ', typeof alt === 'string' ? alt : alt.text || JSON.stringify(alt), ' ', refLinks(alt.refs, ctx)));
  for (const n of e.notes || []) body.push(h('p', { class: 'note' }, typeof n === 'string' ? n : n.text || '', ' ', refLinks(n.refs, ctx)));
  return section('verdict', 'Verdict', ...body);
}

function renderRegimen(resp, ctx) {
  const r = resp.regimen;
  if (!r) return null;
  const rows = [];
  const row = (k, ...v) => rows.push(h('div', { class: 'kv' }, h('dt', {}, k), h('dd', {}, ...v)));
  row('Drug', `${label('drug', r.drug)}${r.product ? ` (${r.product})` : ''}`);
  row('Form', `${label('form', r.form)}${r.route ? `, ${label('route', r.route)}` : ''}`);
  const d = resp.derived || {};
  // A BSA-based dose: show the arithmetic, and when the engine rounded the
  // calculated dose to what the strengths can make, both numbers.
  let perM2 = '';
  if (r.dose_mg_per_m2 != null && d.bsa_m2 != null) {
    const calc = r.calculated_dose_mg != null ? r.calculated_dose_mg : null;
    perM2 = ` — ${formatNumber(r.dose_mg_per_m2, 2)} mg/m² × ${formatNumber(d.bsa_m2, 2)} m²${calc != null ? ` = ${mg(calc)}` : ''}`;
    if (calc != null && calc !== r.dose_mg) perM2 += ', rounded to a dose the strengths can make';
  } else if (r.dose_mg_per_m2 != null) {
    perM2 = ` (${formatNumber(r.dose_mg_per_m2, 2)} mg/m²)`;
  }
  row('Dose', h('strong', { class: 'dose', dataset: { value: r.dose_mg ?? '' } }, r.dose_mg != null ? mg(r.dose_mg) : '—'), perM2);
  row('Schedule', h('span', { class: 'frequency', dataset: { value: r.frequency || '' } }, label('frequency', r.frequency)));
  if (Array.isArray(r.units) && r.units.length) {
    row('What to give', r.units.map((u, i) => [i ? ' + ' : '', `${u.count} × ${formatNumber(u.strength_mg, 2)} mg ${u.unit || label('form', r.form)}`]));
  }
  if (Array.isArray(r.trough_target_ng_ml)) row('Trough target', h('span', { class: 'trough-target' }, troughRange(r.trough_target_ng_ml, r.drug, ctx)));
  if (Array.isArray(r.next_trough_check_days)) row('Check the trough', `in ${days(r.next_trough_check_days)}`);
  if (r.premedication) row('Premedication', typeof r.premedication === 'string' ? r.premedication : r.premedication.text || JSON.stringify(r.premedication));
  const adj = Array.isArray(r.adjustments) ? r.adjustments : [];
  const body = [h('dl', { class: 'kvs' }, rows), refLinks(r.refs, ctx)];
  if (adj.length) {
    body.push(h('h4', {}, 'Adjustments'), h('ul', { class: 'adjustments' }, adj.map((a) => line(
      [`${a.note || label('adj', a.code)}`, a.from_mg != null ? ` (${mg(a.from_mg)} → ${mg(a.to_mg)})` : ''], a.refs, ctx, { dataset: { code: a.code } }, a.rule))));
  }
  for (const n of r.notes || []) body.push(h('p', { class: 'note' }, typeof n === 'string' ? n : n.text || ''));
  return section('regimen', 'Regimen', ...body);
}

function renderTitration(resp, ctx) {
  const t = resp.titration;
  if (!t) return null;
  const drug = resp.regimen?.drug || resp.eligibility?.drug;
  const formula = h('p', { class: 'formula' },
    'New dose = current dose × target ÷ measured trough = ',
    `${mg(t.current_dose_mg)} × ${formatNumber(t.target_trough_ng_ml, 2)} ÷ ${formatNumber(t.trough_ng_ml, 2)} = `,
    h('strong', {}, mg(t.raw_new_dose_mg)));
  const rows = [];
  const row = (k, ...v) => rows.push(h('div', { class: 'kv' }, h('dt', {}, k), h('dd', {}, ...v)));
  row('Measured trough', trough(t.trough_ng_ml, drug, ctx));
  const source = t.target_source && t.target_source !== 'clinician' ? ' (middle of the labelled range: no target was given)' : t.target_source === 'clinician' ? ' (your target)' : '';
  row('Target trough', trough(t.target_trough_ng_ml, drug, ctx), source);
  if (Array.isArray(t.target_range_ng_ml)) row('Labelled range', troughRange(t.target_range_ng_ml, drug, ctx), t.in_range === true ? ' — the trough is in range' : t.in_range === false ? ' — the trough is out of range' : '');
  row('New dose', h('strong', { class: 'new-dose', dataset: { value: t.new_dose_mg ?? '' } }, t.new_dose_mg != null ? mg(t.new_dose_mg) : '—'),
    t.new_frequency ? ` ${label('frequency', t.new_frequency)}` : '', t.capped ? ' (capped)' : '',
    t.dose_not_raised ? ' (no tablet dose: the lowest strength would raise it; see below)' : '');
  if (t.below_lowest_strength) row('Lowest strength', mg(t.lowest_strength_mg));
  row('At steady state', t.at_steady_state ? 'yes' : 'no — recheck before changing the dose');
  if (Array.isArray(t.recheck_days)) row('Recheck the trough', `in ${days(t.recheck_days)}`);
  const notes = [t.text, ...(t.notes || [])].filter(Boolean).map((n) => h('p', { class: 'note' }, typeof n === 'string' ? n : n.text || ''));
  // The engine's own reasons beside the dose: the tablet floor, and the
  // label's optional loading dose with what the tablets can make of it.
  if (t.floor_note) {
    notes.unshift(h('p', { class: 'note floor-note', dataset: { rule: t.floor_rule || '' } },
      t.floor_note, ' ', refLinks(t.floor_refs, ctx), ruleBadge(t.floor_rule, ctx)));
  }
  const l = t.loading_dose_option;
  if (l) notes.push(renderLoadingDose(l, ctx));
  return section('titration', 'Trough titration', formula, h('dl', { class: 'kvs' }, rows), refLinks(t.refs, ctx), ruleBadge(t.rule, ctx), ...notes);
}

// The label's optional loading dose (sirolimus): the formula's amount, the
// days it is spread over, and the largest amount the dosage form can make
// when that differs.
function renderLoadingDose(l, ctx) {
  const parts = [h('strong', {}, 'Optional loading dose: '), l.formula ? `${l.formula}. ` : ''];
  if (l.possible === false) {
    parts.push(l.text || '');
  } else {
    const perDay = l.days > 1 ? `${mg(l.loading_mg_per_day)} a day for ${l.days} days` : `${mg(l.loading_mg_per_day)} on one day`;
    parts.push(`Give ${perDay} with the new maintenance dose (${mg(l.total_mg_per_day)} that day). `);
    if (l.rounded_down && l.achievable_loading_mg_per_day != null) {
      parts.push(h('span', { class: 'achievable', dataset: { value: l.achievable_loading_mg_per_day } },
        `What the ${label('form', l.form)} can make: ${mg(l.achievable_loading_mg_per_day)} a day`,
        Array.isArray(l.achievable_units_per_day) && l.achievable_units_per_day.length
          ? ` (${l.achievable_units_per_day.map((u) => `${u.count} × ${formatNumber(u.strength_mg, 2)} mg`).join(' + ')})` : '',
        `, ${mg(l.achievable_total_mg_per_day)} that day. `));
      if (l.rounding_note) parts.push(l.rounding_note, ' ', refLinks(l.rounding_refs, ctx), ruleBadge(l.rounding_rule, ctx), ' ');
    }
    if (l.text) parts.push(l.text, ' ');
    if (l.hepatic_note) parts.push(l.hepatic_note, ' ', refLinks(l.hepatic_note_refs, ctx));
  }
  parts.push(' ', refLinks(l.refs, ctx), ruleBadge(l.rule, ctx));
  return h('p', { class: 'note loading-dose', dataset: { rule: l.rule || '' } }, ...parts);
}

function renderToxicity(resp, ctx) {
  const list = resp.toxicity || [];
  if (!list.length) return null;
  return section('toxicity', 'Adverse-event actions', h('ul', {}, list.map((t) => line([
    h('strong', {}, `${label('term', t.term)} grade ${t.grade}: ${t.action ? label('action', t.action) : 'no action from the label'}`),
    t.until ? ` until ${t.until}` : '',
    t.resume ? `; ${label('resume', t.resume)}` : '',
    t.resume_dose_mg != null ? ` — ${mg(t.resume_dose_mg)}${t.resume_frequency ? ` ${label('frequency', t.resume_frequency)}` : ''}` : '',
    t.supportive ? h('span', { class: 'supportive' }, ` Supportive care: ${t.supportive}`) : '',
    // Why the answer differs from the plain table row: the engine says so, and so does the page.
    ...[
      t.action ? null : t.text,
      t.grade_note && t.reported_grade != null ? `${t.grade_note} (reported: grade ${t.reported_grade})` : null,
      t.dose_basis === 'regimen_assumed' ? `No current dose was entered: worked from ${mg(t.assumed_current_dose_mg)}; enter the current dose if it differs.` : null,
      t.resume_cap_note, t.level_note, t.resume_note,
    ].filter(Boolean).map((n) => h('span', { class: 'note' }, ` ${n}`)),
  ], t.refs, ctx, { dataset: { term: t.term, action: t.action } }, t.rule))));
}

function renderInteractions(resp, ctx) {
  const list = resp.interactions || [];
  const unknown = resp.interactions_unrecognized || [];
  if (!list.length && !unknown.length) return null;
  const body = [];
  if (list.length) {
    body.push(h('ul', {}, list.map((i) => line([
      h('strong', {}, `${i.drug}`), ` (${label('ixClass', i.class)}): ${label('ixAction', i.action)}`,
      i.dose_mg != null ? ` — if unavoidable, ${mg(i.dose_mg)}` : '',
      i.text ? ` ${i.text}` : '',
    ], i.refs, ctx, { dataset: { drug: i.drug, action: i.action } }, i.rule))));
  }
  if (unknown.length) {
    body.push(h('p', { class: 'unrecognized' }, 'Not recognised (not checked for interactions): ', unknown.join(', ')));
  }
  return section('interactions', 'Interactions', ...body);
}

function renderWarnings(resp, ctx) {
  const list = resp.warnings || [];
  if (!list.length) return null;
  const sorted = [...list].sort((a, b) => rank(a.severity) - rank(b.severity));
  return section('warnings', 'Warnings', h('ul', {}, sorted.map((w) => line([
    h('span', { class: `severity sev-${w.severity}` }, label('severity', w.severity)), ' ', w.text,
  ], w.refs, ctx, { class: `warning sev-${w.severity}`, dataset: { code: w.code, severity: w.severity } }, w.rule))));
}

const rank = (s) => {
  const i = SEVERITY_ORDER.indexOf(s);
  return i < 0 ? SEVERITY_ORDER.length : i;
};

// Values the engine computed from the inputs, shown with the unit the
// engine compared (canonical) and, where the clinician works in SI, that too.
function renderDerived(resp, ctx) {
  const d = resp.derived || {};
  const rows = [];
  const row = (k, v, refs) => rows.push(h('div', { class: 'kv' }, h('dt', {}, k), h('dd', {}, v, ' ', refLinks(refs, ctx))));
  // A given BSA is shown with the value from weight and height beside it, so a slip is visible.
  const bsaCheck = d.bsa_m2_from_weight_height != null ? `; from weight and height ${formatNumber(d.bsa_m2_from_weight_height, 2)} m² (${d.bsa_formula_for_comparison})` : '';
  if (d.bsa_m2 != null) row('Body surface area', `${formatNumber(d.bsa_m2, 2)} m²${d.bsa_formula_text ? ` — ${d.bsa_formula_text}` : d.bsa_formula ? ` (${d.bsa_formula})` : ''}${bsaCheck}`, d.bsa_refs);
  if (d.child_pugh) {
    const cp = d.child_pugh;
    const range = cp.score == null && cp.score_min != null ? `, score ${cp.score_min}–${cp.score_max} from incomplete components${cp.class_range && cp.class_range[0] !== cp.class_range[1] ? ` (class ${cp.class_range[0]} or ${cp.class_range[1]}: the worse is used)` : ''}` : '';
    row('Child-Pugh', `class ${cp.class ?? '—'}${cp.score != null ? `, score ${cp.score}` : ''}${range}`, cp.refs || d.child_pugh_refs);
  }
  if (d.corrected_calcium_mg_dl != null) {
    const si = ctx.units.lab === 'si' ? ` (${display('calcium', d.corrected_calcium_mg_dl, 'si')} mmol/L)` : '';
    row('Corrected calcium', `${formatNumber(d.corrected_calcium_mg_dl, 2)} mg/dL${si}${d.corrected_calcium_formula ? ` — ${d.corrected_calcium_formula}` : ''}`, d.corrected_calcium_refs);
  }
  if (d.aml_growth_cm_per_year != null) row('AML growth', `${formatNumber(d.aml_growth_cm_per_year, 2)} cm/year`, d.aml_growth_refs);
  for (const [key, name] of [['imdc', 'IMDC'], ['mskcc', 'MSKCC'], ['arcc', 'ARCC poor-risk']]) {
    const s = d[key];
    if (!s) continue;
    const group = s.risk_group != null ? `${label('risk', s.risk_group)} risk` : s.poor_risk != null ? (s.poor_risk ? 'poor risk' : 'not poor risk') : 'risk not determined';
    const unknown = s.factors_unknown ? `, ${s.factors_unknown} unknown` : '';
    row(name, `${s.factors ?? '—'} factor(s)${unknown}: ${group}`, s.refs);
  }
  for (const c of d.ctcae || []) {
    const grade = c.grade === null || c.grade === undefined ? 'grade not determined (a limit is missing?)' : c.grade === 0 ? 'normal (grade 0)' : `grade ${c.grade}`;
    row(`CTCAE ${c.version || ''} ${label('term', c.term)}`.replace(/\s+/g, ' '), `${grade} (from ${labelForPointer(c.from)})`, c.refs);
  }
  if (!rows.length) return null;
  return section('derived', 'Values computed from the inputs', h('dl', { class: 'kvs' }, rows));
}

function renderUnverified(resp, ctx) {
  const list = resp.unverified_rules || [];
  if (!list.length) return null;
  return section('unverified', 'Rules not confirmed against the current label',
    h('p', { class: 'print-only-inline' }, `${list.length} rule(s) behind this answer are not confirmed against the current label; their references are marked † below.`),
    h('ul', {}, list.map((u) => h('li', { dataset: { rule: u.rule } },
      h('span', { class: 'unverified-badge' }, label('v', u.verification)), ' ', h('code', {}, u.rule), u.note ? ` — ${u.note}` : ''))));
}

function renderErrors(resp, ctx) {
  const errs = resp.errors || [];
  return section('errors', 'The question cannot be answered yet',
    h('p', {}, 'Please correct the values marked in the form:'),
    h('ul', {}, errs.map((e) => h('li', { dataset: { pointer: e.path, code: e.code } },
      h('a', { href: '#', onclick: (ev) => { ev.preventDefault(); ctx.focusField(e.path); } }, e.path ? labelForPointer(e.path) : 'The request'),
      `: ${e.message} (${label('errorCode', e.code)})`))));
}

// The references panel: numbered in the order the response lists them.
const listed = new WeakMap(); // list → the references it shows (JSON)
export function renderReferences(list, resp) {
  const key = JSON.stringify(resp?.references || []);
  if (listed.get(list) === key) return;
  listed.set(list, key);
  clear(list);
  for (const r of resp?.references || []) {
    const unconfirmed = r.verification && r.verification !== 'confirmed';
    list.appendChild(h('li', { id: `ref-${cssId(r.id)}`, tabindex: '-1', class: unconfirmed ? 'unconfirmed' : '', dataset: { ref: r.id } },
      h('span', { class: 'ref-title' }, r.title), r.section ? ` — ${r.section}` : '', r.date ? ` (${r.date})` : '',
      unconfirmed ? [' ', h('span', { class: 'unverified-badge' }, label('v', r.verification))] : '',
      r.note ? h('span', { class: 'ref-note' }, ` ${r.note}`) : '',
      r.source ? h('span', { class: 'ref-source' }, ' ', h('a', { href: r.source, rel: 'noopener noreferrer', target: '_blank' }, 'source')) : ''));
  }
}
