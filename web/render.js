// render.js — draws the engine's response, in the order a prescriber reads
// it: the plan (what to do now, what to give, when to check) → dose details
// (titration, model estimate, adverse-event actions, interactions, the
// labelled regimen) → warnings (by severity) and monitoring → eligibility
// criteria → expected response, derived values, unconfirmed rules.
// The page adds no clinical logic: every number shown is the engine's, and
// every line carries links to the references the engine gave for it.
import { h, clear } from './dom.js';
import { label, prose } from './labels.js';
import { labelForPointer } from './fields.js';
import { display, unitLabel, troughKind, formatNumber } from './units.js';
import {
  actionTitle, NO_DOSE_NOW, unitsText, doseText, nextCheckText, planAlerts, firstSentence, dateWindow, mg,
} from './plan-view.js';

const SEVERITY_ORDER = ['serious', 'caution', 'info'];

// Today's date as the plan's dates are counted from it: a plan drawn
// yesterday is redrawn with today's dates.
const todayKey = () => new Date().toDateString();

// The answer's parts, in reading order: [name, draw(resp, ctx) → node or
// null, the response members it reads]. Each part is redrawn only when what
// it reads changed (see renderAnswer), so one part can be updated in place.
const PARTS = [
  ['errors', (r, c) => (r.status === 'ok' ? null : renderErrors(r, c)), (r) => [r.status, r.errors]],
  ['plan', ok(renderPlan), (r) => [r.plan, r.eligibility?.missing, r.eligibility?.criteria, r.warnings, r.interactions, todayKey()]],
  // A start: the labelled regimen is the dose detail. Otherwise it comes
  // after the reasons for today's dose, as reference.
  ['regimen', ok((r, c) => (isStart(r) ? renderRegimen(r, c) : null)), (r) => [isStart(r), r.regimen, r.derived?.bsa_m2, r.plan?.units]],
  ['titration', ok(renderTitration), (r) => [r.titration, r.regimen?.drug, r.eligibility?.drug, r.plan]],
  ['forecast', ok(renderForecast), (r) => [r.forecast, r.titration?.target_range_ng_ml, r.regimen?.trough_target_ng_ml, r.regimen?.drug]],
  ['toxicity', ok(renderToxicity), (r) => [r.toxicity, r.plan]],
  ['interactions', ok(renderInteractions), (r) => [r.interactions, r.interactions_unrecognized, r.plan]],
  ['regimen-reference', ok((r, c) => (isStart(r) ? null : renderRegimen(r, c))), (r) => [isStart(r), r.regimen, r.derived?.bsa_m2]],
  ['warnings', ok(renderWarnings), (r) => [r.warnings]],
  ['monitoring', ok((r, c) => renderList(r.monitoring, 'monitoring', 'Monitoring plan', (m) => [h('strong', {}, prose(m.what)), m.when ? ` — ${prose(m.when)}` : ''], c)), (r) => [r.monitoring]],
  ['verdict', ok(renderVerdict), (r) => [r.eligibility]],
  ['expected-response', ok((r, c) => renderList(r.expected_response, 'expected-response', 'Expected response', (e) => [prose(e.text)], c)), (r) => [r.expected_response]],
  ['derived', ok(renderDerived), (r) => [r.derived]],
  ['unverified', ok(renderUnverified), (r) => [r.unverified_rules]],
  ['content-line', ok((r) => h('p', { class: 'content-line' }, `Content version ${r.content_version} · engine ${r.engine_version}`)), (r) => [r.content_version, r.engine_version]],
];
// Without a plan (an older engine) the regimen is the answer's dose.
const isStart = (r) => !r.plan || r.plan.question === 'start';
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
  const why = label('vWhy', u.verification);
  return h('span', { class: 'unverified-badge', title: u.note || '' }, why ? `not confirmed: ${why}` : 'not confirmed');
}

function line(content, refs, ctx, attrs = {}, rule) {
  return h('li', attrs, content, ' ', refLinks(refs, ctx), ruleBadge(rule, ctx));
}

function renderList(items, cls, title, body, ctx) {
  if (!Array.isArray(items) || items.length === 0) return null;
  return section(cls, title, h('ul', {}, items.map((it) => line(body(it), it.refs, ctx, { dataset: { code: it.code || '' } }, it.rule))));
}


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
    const states = crit.map((c) => (c.met === true ? 'met' : c.met === false ? 'unmet' : 'unknown'));
    const open = states.some((x) => x !== 'met');
    const counts = ['met', 'unmet', 'unknown'].map((x) => [x, states.filter((y) => y === x).length]).filter(([, n]) => n);
    const tally = counts.map(([x, n]) => `${n} ${{ met: 'met', unmet: 'not met', unknown: 'unknown' }[x]}`).join(', ');
    body.push(h('details', { class: 'criteria-box', open },
      h('summary', {}, `Criteria (${tally})`),
      h('ul', { class: 'criteria' }, crit.map((c, i) => {
        const state = states[i];
        const word = { met: 'Met', unmet: 'Not met', unknown: 'Unknown' }[state];
        return h('li', { class: `criterion ${state}`, dataset: { code: c.code, met: state } },
          h('span', { class: 'crit-mark', 'aria-hidden': 'true' }, { met: '✓', unmet: '✗', unknown: '?' }[state]),
          h('span', { class: 'visually-hidden' }, `${word}: `), prose(c.text), ' ', refLinks(c.refs, ctx), ruleBadge(c.rule, ctx));
      }))));
  }
  for (const alt of e.alternatives || []) body.push(h('p', { class: 'alternative' }, 'Alternative: ', typeof alt === 'string' ? prose(alt) : prose(alt.text) || JSON.stringify(alt), ' ', refLinks(alt.refs, ctx)));
  for (const n of e.notes || []) body.push(h('p', { class: 'note' }, typeof n === 'string' ? prose(n) : prose(n.text || ''), ' ', refLinks(n.refs, ctx)));
  return section('verdict', 'Eligibility', ...body);
}

// What the answer still needs, each a link to its field.
function renderMissing(missing, ctx) {
  if (!Array.isArray(missing) || !missing.length) return null;
  return h('div', { class: 'missing', id: 'missing' },
    h('p', {}, h('strong', {}, 'Needed to answer fully: ')),
    h('ul', {}, missing.map((p) => h('li', { dataset: { pointer: p } },
      h('a', { href: '#', class: 'missing-link', dataset: { pointer: p }, onclick: (ev) => { ev.preventDefault(); ctx.focusField(p); } },
        labelForPointer(p))))));
}

// ---- the plan ---------------------------------------------------------------
// The one decision, first: the action in words, what to give now (or that
// nothing is given), what follows a withhold, the next check as a date, and
// what changes what to do. Then the engine's sentence and its references.
function renderPlan(resp, ctx) {
  const p = resp.plan;
  const e = resp.eligibility || {};
  if (!p) {
    const missing = renderMissing(e.missing, ctx);
    return missing ? section('plan', 'Plan', missing) : null;
  }
  const drug = p.drug ? label('drug', p.drug) : '';
  const rows = [];
  const row = (k, cls, ...v) => rows.push(h('div', { class: `kv ${cls}` }, h('dt', {}, k), h('dd', {}, ...v)));
  if (NO_DOSE_NOW.has(p.action) || p.dose_mg == null) {
    const none = {
      withhold: p.question === 'start' ? `Nothing yet: do not start ${drug}` : `Nothing now: withhold ${drug}`,
      discontinue: `Nothing: stop ${drug} permanently`,
      do_not_start: `Nothing: do not start ${drug}`,
    }[p.action] || 'No dose yet';
    row('Give now', 'plan-give', h('span', { class: 'plan-no-dose' }, none));
  } else {
    const units = unitsText(p.units);
    row('Give now', 'plan-give',
      h('strong', { class: 'plan-dose', dataset: { value: p.dose_mg } }, doseText(p.dose_mg, p.frequency, p.dose_mg_per_m2)),
      units ? [' = ', h('span', { class: 'plan-units' }, units)] : '',
      // The form when the units do not already name it (an infusion, a gel).
      p.form && !units.includes(label('form', p.form)) ? h('span', { class: 'plan-form' }, ` (${label('form', p.form)})`) : '');
  }
  const r = p.resume;
  if (r && r.dose_mg != null) {
    const units = unitsText(r.units);
    row('Then', 'plan-resume', p.question === 'start' ? 'Start at ' : 'Resume at ',
      h('strong', { class: 'plan-resume-dose', dataset: { value: r.dose_mg } }, doseText(r.dose_mg, r.frequency)),
      units ? [' = ', h('span', { class: 'plan-units' }, units)] : '', r.when ? ` (when: ${prose(r.when)})` : '');
  }
  if (p.next_check) row('Next check', 'plan-next', h('span', { class: 'plan-next-date' }, nextCheckText(p.next_check)));
  if (p.action === 'do_not_start' || p.action === 'discontinue') {
    const why = (e.criteria || []).filter((c) => c.met === false).map((c) => prose(c.text));
    if (why.length) row('Why', 'plan-why', h('ul', { class: 'plan-why-list' }, why.map((t) => h('li', {}, t))));
    // What the engine offers instead, in its first sentence (the whole text is under Eligibility).
    const alt = (e.alternatives || [])[0];
    if (alt && p.action === 'do_not_start') row('Instead', 'plan-instead', firstSentence(typeof alt === 'string' ? alt : alt.text || ''));
  }
  const alerts = planAlerts(resp);
  const shown = alerts.slice(0, 3);
  const body = [
    h('p', { class: 'plan-summary' }, p.summary || '', ' ', refLinks(p.refs, ctx)),
    h('dl', { class: 'kvs plan-kvs' }, rows),
  ];
  if (shown.length) {
    body.push(h('div', { class: 'plan-alerts' },
      h('p', { class: 'plan-alerts-h' }, h('strong', {}, 'This changes what to do:')),
      h('ul', {}, shown.map((a) => h('li', { class: `plan-alert ${a.kind}`, dataset: { code: a.code } }, a.text, ' ', refLinks(a.refs, ctx)))),
      alerts.length > shown.length ? h('p', { class: 'plan-more' }, h('a', { href: '#ans-warnings' }, `${alerts.length - shown.length} more serious warning(s) below`)) : null));
  }
  body.push(renderMissing(e.missing, ctx));
  const title = h('span', { class: 'plan-action', dataset: { action: p.action } }, actionTitle(p.action, drug, p.question));
  return h('section', { id: 'plan', class: `ans plan plan-${p.action}`, 'aria-labelledby': 'plan-h', dataset: { action: p.action, question: p.question } },
    h('h3', { id: 'plan-h' }, h('span', { class: 'plan-label' }, 'Plan: '), title), ...body);
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
  // Bold only when it is the dose to give: as reference it must not outshine the plan.
  const start = isStart(resp);
  row('Dose', h(start ? 'strong' : 'span', { class: 'dose', dataset: { value: r.dose_mg ?? '' } }, r.dose_mg != null ? mg(r.dose_mg) : '—'), perM2);
  row('Schedule', h('span', { class: 'frequency', dataset: { value: r.frequency || '' } }, label('frequency', r.frequency)));
  // As reference (not a start) it says what the label starts with, never
  // what to give: that is the plan's alone.
  if (start && Array.isArray(r.units) && r.units.length) {
    row('What to give', unitsText(r.units.map((u) => ({ ...u, unit: u.unit || label('form', r.form) }))));
  }
  if (Array.isArray(r.trough_target_ng_ml)) row('Trough target', h('span', { class: 'trough-target' }, troughRange(r.trough_target_ng_ml, r.drug, ctx)));
  if (Array.isArray(r.next_trough_check_days)) row('Check the trough', `in ${days(r.next_trough_check_days)}`);
  if (r.premedication) row('Premedication', typeof r.premedication === 'string' ? prose(r.premedication) : prose(r.premedication.text) || JSON.stringify(r.premedication));
  const adj = Array.isArray(r.adjustments) ? r.adjustments : [];
  const body = [h('dl', { class: 'kvs' }, rows), refLinks(r.refs, ctx)];
  if (adj.length) {
    body.push(h('h4', {}, 'Adjustments'), h('ul', { class: 'adjustments' }, adj.map((a) => line(
      [`${prose(a.note) || label('adj', a.code)}`, a.from_mg != null ? ` (${mg(a.from_mg)} → ${mg(a.to_mg)})` : ''], a.refs, ctx, { dataset: { code: a.code } }, a.rule))));
  }
  for (const n of r.notes || []) body.push(h('p', { class: 'note' }, typeof n === 'string' ? prose(n) : prose(n.text || '')));
  if (start) return section('regimen', 'Labelled regimen', ...body);
  // Folded when the question is not a start, so that a withhold or a new
  // dose is never read beside a bold labelled dose.
  return section('regimen', 'Labelled start (reference)',
    h('details', { class: 'reference-start' }, h('summary', {}, 'The label’s starting regimen, for reference'), ...body));
}

function renderTitration(resp, ctx) {
  const t = resp.titration;
  if (!t) return null;
  const drug = resp.regimen?.drug || resp.eligibility?.drug;
  const plan = resp.plan;
  // The arithmetic is the small print under the answer, never a bold number
  // above it: the raw result (16.13 mg) is not a dose anyone gives.
  const formula = h('p', { class: 'formula' },
    'How: new dose = current dose × target ÷ measured trough = ',
    `${mg(t.current_dose_mg)} × ${formatNumber(t.target_trough_ng_ml, 2)} ÷ ${formatNumber(t.trough_ng_ml, 2)} = ${mg(t.raw_new_dose_mg)}`,
    t.new_dose_mg != null && t.new_dose_mg !== t.raw_new_dose_mg ? `, then ${t.capped ? 'capped' : 'rounded'} to ${mg(t.new_dose_mg)}` : '',
    t.cap_text ? `. ${prose(t.cap_text)}` : '');
  const rows = [];
  const row = (k, ...v) => rows.push(h('div', { class: 'kv' }, h('dt', {}, k), h('dd', {}, ...v)));
  // Tablets only when the plan gives this very dose (the plan counted them).
  const sameAsPlan = plan && plan.dose_mg != null && plan.dose_mg === t.new_dose_mg && (!t.new_frequency || plan.frequency === t.new_frequency);
  const units = sameAsPlan ? unitsText(plan.units) : '';
  row('New dose', h('strong', { class: 'new-dose', dataset: { value: t.new_dose_mg ?? '' } }, t.new_dose_mg != null ? mg(t.new_dose_mg) : '—'),
    t.new_frequency ? ` ${label('frequency', t.new_frequency)}` : '', units ? ` = ${units}` : '', t.capped ? ' (capped)' : '',
    t.dose_not_raised ? ' (no tablet dose: the lowest strength would raise it; see below)' : '');
  row('Measured trough', trough(t.trough_ng_ml, drug, ctx));
  const source = t.target_source && t.target_source !== 'clinician' ? ' (middle of the labelled range: no target was given)' : t.target_source === 'clinician' ? ' (your target)' : '';
  row('Target trough', trough(t.target_trough_ng_ml, drug, ctx), source);
  if (Array.isArray(t.target_range_ng_ml)) row('Labelled range', troughRange(t.target_range_ng_ml, drug, ctx), t.in_range === true ? ' — the trough is in range' : t.in_range === false ? ' — the trough is out of range' : '');
  if (t.below_lowest_strength) row('Lowest strength', mg(t.lowest_strength_mg));
  row('At steady state', t.at_steady_state ? 'yes' : 'no — recheck before changing the dose');
  if (Array.isArray(t.recheck_days)) row('Recheck the trough', `in ${days(t.recheck_days)} (${dateWindow(t.recheck_days)})`);
  const notes = [t.text, ...(t.notes || [])].filter(Boolean).map((n) => h('p', { class: 'note' }, typeof n === 'string' ? prose(n) : prose(n.text || '')));
  // The engine's own reasons beside the dose: the tablet floor, and the
  // label's optional loading dose with what the tablets can make of it.
  if (t.floor_note) {
    notes.unshift(h('p', { class: 'note floor-note', dataset: { rule: t.floor_rule || '' } },
      t.floor_note, ' ', refLinks(t.floor_refs, ctx), ruleBadge(t.floor_rule, ctx)));
  }
  const l = t.loading_dose_option;
  if (l) notes.push(renderLoadingDose(l, ctx));
  return section('titration', 'Trough titration (the label’s rule)', h('dl', { class: 'kvs' }, rows), formula, refLinks(t.refs, ctx), ruleBadge(t.rule, ctx), ...notes);
}

// The model-informed estimate (issue: a Bayesian trough forecast): shown
// beside the label's rule, in its own box and words, never styled as the
// plan and never a dose to give. Outside the model's studied population it
// offers no dose, and says why.
function renderForecast(resp, ctx) {
  const f = resp.forecast;
  if (!f) return null;
  const drug = resp.regimen?.drug || resp.plan?.drug || resp.eligibility?.drug;
  const range = resp.titration?.target_range_ng_ml || resp.regimen?.trough_target_ng_ml;
  const rangeText = Array.isArray(range) ? `${formatNumber(range[0], 2)}–${formatNumber(range[1], 2)} ng/mL` : 'the target range';
  const m = f.model || {};
  const body = [
    h('p', { class: 'forecast-what' },
      'A Bayesian estimate (maximum a posteriori) of this patient’s own clearance from the measured troughs and doses, with a published population-pharmacokinetic model. ',
      h('strong', {}, 'It does not change the plan above'), ', which follows the label’s rule.'),
    h('p', { class: 'forecast-model' }, h('span', { class: 'forecast-k' }, 'Model: '), m.citation || m.id || '', ' ', refLinks(m.refs, ctx)),
    m.population ? h('p', { class: 'forecast-population' }, h('span', { class: 'forecast-k' }, 'Studied in: '), m.population) : null,
  ];
  if (f.in_population === false) {
    body.push(h('p', { class: 'forecast-out', dataset: { inPopulation: 'false' } },
      h('strong', {}, 'No dose is offered: '), 'this patient lies outside the population the model was built on, so its estimate does not apply.'));
  } else {
    body.push(h('p', { class: 'forecast-in', dataset: { inPopulation: 'true' } }, 'The patient lies within the model’s studied population.'));
    const ind = f.individual;
    if (ind && ind.cl_l_h != null) {
      body.push(h('p', { class: 'forecast-individual' },
        `Estimated for this patient: apparent clearance ${formatNumber(ind.cl_l_h, 2)} L/h`,
        ind.v_l != null ? `, apparent volume ${formatNumber(ind.v_l, 2)} L` : '',
        ind.shrinkage_weight != null ? `; the troughs moved the estimate ${formatNumber(ind.shrinkage_weight * 100, 0)} % of the way from the population’s value (0 %: they say nothing; 100 %: they decide).` : '.'));
    }
    const pt = f.predicted_trough_ng_ml;
    if (pt && pt.median != null) {
      const iv = Array.isArray(pt.interval_90) ? ` (90 % interval ${trough(pt.interval_90[0], drug, ctx)} to ${trough(pt.interval_90[1], drug, ctx)})` : '';
      body.push(h('p', { class: 'forecast-predicted' }, 'Predicted trough at the current dose: median ', trough(pt.median, drug, ctx), iv, '.'));
    }
    const doses = Array.isArray(f.doses) ? f.doses : [];
    if (doses.length) {
      body.push(h('div', { class: 'table-wrap' }, h('table', { class: 'forecast-doses' },
        h('caption', {}, `Predicted trough for each dose the form can make, and the chance of a trough in ${rangeText}`),
        h('thead', {}, h('tr', {}, ['Dose', 'Median trough', '90 % interval', `Chance in ${rangeText}`].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, doses.map((d) => h('tr', { dataset: { dose: d.dose_mg } },
          h('th', { scope: 'row' }, `${mg(d.dose_mg)}${d.frequency ? ` ${label('frequency', d.frequency)}` : ''}`),
          h('td', {}, `${formatNumber(d.median_trough_ng_ml, 2)} ng/mL`),
          h('td', {}, Array.isArray(d.interval_90) ? `${formatNumber(d.interval_90[0], 2)}–${formatNumber(d.interval_90[1], 2)} ng/mL` : '—'),
          h('td', {}, d.p_in_range != null ? `${formatNumber(d.p_in_range * 100, 0)} %` : '—')))))));
      body.push(h('p', { class: 'forecast-note' }, 'The intervals are for the steady-state trough itself; a measured trough scatters further (assay and the model’s residual error).'));
    }
  }
  const caveats = Array.isArray(f.caveats) ? f.caveats : [];
  if (caveats.length) {
    body.push(h('p', { class: 'forecast-caveats-h' }, h('strong', {}, 'Why the estimate may not hold:')),
      h('ul', { class: 'forecast-caveats' }, caveats.map((c) => h('li', { dataset: { code: c.code || '' } }, prose(typeof c === 'string' ? c : c.text || '')))));
  }
  return h('section', { class: 'ans forecast', 'aria-labelledby': 'ans-forecast', dataset: { inPopulation: String(f.in_population !== false), model: m.id || '' } },
    h('h3', { id: 'ans-forecast' }, 'Model estimate (not the label’s rule)'), ...body);
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
  const resume = resp.plan?.resume;
  // Tablets for a resume dose only when it is the plan's (the plan counted them).
  const unitsFor = (t) => (resume && resume.dose_mg != null && resume.dose_mg === t.resume_dose_mg
    && (!t.resume_frequency || resume.frequency === t.resume_frequency) ? unitsText(resume.units) : '');
  return section('toxicity', 'Adverse-event actions', h('ul', {}, list.map((t) => line([
    h('strong', {}, `${label('term', t.term)} grade ${t.grade}: ${t.action && t.label_action !== false ? label('action', t.action) : 'no action from the label'}`),
    t.until ? ` until ${prose(t.until)}` : '',
    t.resume ? `; ${label('resume', t.resume)}` : '',
    t.resume_dose_mg != null ? ` — ${mg(t.resume_dose_mg)}${t.resume_frequency ? ` ${label('frequency', t.resume_frequency)}` : ''}` : '',
    unitsFor(t) ? ` = ${unitsFor(t)}` : '',
    t.supportive ? h('span', { class: 'supportive' }, `. Supportive care: ${prose(t.supportive)}`) : '',
    // Why the answer differs from the plain table row: the engine says so, and so does the page.
    ...[
      t.action ? null : t.text,
      t.grade_note && t.reported_grade != null ? `${t.grade_note} (reported: grade ${t.reported_grade})` : null,
      t.dose_basis === 'regimen_assumed' ? `No current dose was entered: worked from ${mg(t.assumed_current_dose_mg)}; enter the current dose if it differs.` : null,
      t.resume_cap_note, t.level_note, t.resume_note,
    ].filter(Boolean).map((n) => h('span', { class: 'note' }, ` ${prose(n)}`)),
  ], t.refs, ctx, { dataset: { term: t.term, action: t.action } }, t.rule))));
}

// An interaction's text often opens by naming its class and repeating the
// action ("P-gp and strong CYP3A4 inhibitor: avoid …"): the line already
// names both, so the text starts after that opening.
function interactionText(i) {
  const t = prose(i.text || '');
  const m = /^([^:.]{3,80}):\s+(.*)$/s.exec(t);
  const rest = m && /inhibitor|inducer|vaccine|calcineurin|ACE|grapefruit/i.test(m[1]) ? m[2] : t;
  return rest ? rest[0].toUpperCase() + rest.slice(1) : '';
}

function renderInteractions(resp, ctx) {
  const list = resp.interactions || [];
  const unknown = resp.interactions_unrecognized || [];
  if (!list.length && !unknown.length) return null;
  const plan = resp.plan;
  const body = [];
  if (list.length) {
    body.push(h('ul', {}, list.map((i) => {
      const text = interactionText(i);
      const units = plan && plan.dose_mg != null && plan.dose_mg === i.dose_mg ? unitsText(plan.units) : '';
      return line([
        h('strong', {}, `${i.drug}`), ` (${label('ixClass', i.class)}): `,
        // The action word only when the text does not already say it.
        text && new RegExp(`^${label('ixAction', i.action)}\\b`, 'i').test(text) ? '' : `${label('ixAction', i.action)}. `,
        text,
        i.dose_mg != null ? ` ${i.action === 'avoid' ? 'If it cannot be avoided' : 'Dose'}: ${mg(i.dose_mg)}${units ? ` = ${units}` : ''}.` : '',
      ], i.refs, ctx, { dataset: { drug: i.drug, action: i.action } }, i.rule);
    })));
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
    h('span', { class: `severity sev-${w.severity}` }, label('severity', w.severity)), ' ', prose(w.text),
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
