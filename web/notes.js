// notes.js — the answer as plain text: a short note to paste into the
// record ("Copy note": 3–8 lines) and the whole answer ("Copy full text"),
// and the inputs as label/value lines (print summary). Pure: no DOM, so
// tests can check the text. Every number is the engine's.
import { FIELDS, getAt, kindOf, INDICATIONS, labelForPointer } from './fields.js';
import { label, prose } from './labels.js';
import { display, unitLabel, formatNumber, systemOf } from './units.js';
import { giveNowText, resumeText, nextCheckText, planAlerts, actionWords } from './plan-view.js';

const ind = Object.fromEntries(INDICATIONS);

// [label, value-as-typed-with-unit] for every input in the request, in the
// form's order, in the clinician's units (and the canonical value when it
// differs — the value the engine compared).
export function inputLines(req, units) {
  const out = [];
  out.push(['Indication', ind[req.indication] || req.indication]);
  if (req.drug) out.push(['Drug', label('drugLong', req.drug)]);
  for (const f of FIELDS) {
    const v = getAt(req, f.path);
    if (v === undefined) continue;
    out.push([f.label, valueText(f, v, units, req.drug)]);
  }
  for (const [i, a] of (req.adverse_events || []).entries()) {
    out.push([`Adverse event ${i + 1}`, `${label('term', a.term)} grade ${a.grade ?? '?'}${a.recurrent ? ', recurrent' : ''}`]);
  }
  return out;
}

function valueText(f, v, units, drug) {
  if (Array.isArray(v)) return v.length ? v.join(', ') : 'none';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (f.type === 'enum') {
    const opt = Array.isArray(f.options) ? f.options.find(([k]) => k === v) : null;
    return opt ? opt[1] : label(f.path.endsWith('frequency') ? 'frequency' : f.path.endsWith('form') ? 'form' : 'x', v);
  }
  if (typeof v !== 'number') return String(v);
  const kind = kindOf(f, drug || 'everolimus');
  if (!kind) return `${formatNumber(v, 4)}${f.unit ? ` ${f.unit}` : ''}`;
  const choice = units[systemOf(kind)];
  const shown = `${display(kind, v, choice)} ${unitLabel(kind, choice)}`;
  const canonical = `${formatNumber(v, 4)} ${unitLabel(kind)}`;
  return shown === canonical || unitLabel(kind, choice) === unitLabel(kind) ? canonical : `${shown} (= ${canonical})`;
}

// The answer as text, in the same order as the page.
export function noteText(req, resp, units, when = new Date()) {
  const L = [];
  const date = when.toISOString().slice(0, 10);
  L.push(`mTOR inhibitor calculation (mtorcalc) — ${date}`);
  L.push(`Question: ${ind[req.indication] || req.indication}${req.drug ? `, ${label('drug', req.drug)}` : ''}`);
  L.push('');
  L.push('Inputs:');
  for (const [k, v] of inputLines(req, units)) L.push(`  ${k}: ${v}`);
  L.push('');
  if (!resp || resp.status !== 'ok') {
    L.push('No answer: the inputs have errors:');
    for (const e of resp?.errors || []) L.push(`  ${e.path || '(request)'}: ${e.message}`);
    return L.join('\n');
  }
  const refNo = new Map((resp.references || []).map((r, i) => [r.id, i + 1]));
  const refs = (ids) => (Array.isArray(ids) && ids.length ? ` [${[...new Set(ids)].map((id) => refNo.get(id) ?? id).join(', ')}]` : '');
  const e = resp.eligibility || {};
  L.push(`Verdict: ${label('status', e.status)} — ${e.drug ? label('drug', e.drug) : 'no mTOR inhibitor'}${refs(e.refs)}`);
  for (const c of e.criteria || []) L.push(`  ${c.met === true ? '[met]' : c.met === false ? '[not met]' : '[unknown]'} ${c.text}${refs(c.refs)}`);
  if ((e.missing || []).length) L.push(`  Needed to answer fully: ${e.missing.join(', ')}`);
  const r = resp.regimen;
  if (r) {
    L.push('');
    L.push(`Regimen: ${label('drug', r.drug)}${r.product ? ` (${r.product})` : ''}, ${label('form', r.form)}, ${r.dose_mg != null ? `${formatNumber(r.dose_mg, 2)} mg` : '—'} ${label('frequency', r.frequency)}${refs(r.refs)}`);
    if (r.dose_mg_per_m2 != null) L.push(`  ${formatNumber(r.dose_mg_per_m2, 2)} mg/m² × BSA ${formatNumber(resp.derived?.bsa_m2, 2)} m²${r.calculated_dose_mg != null ? ` = ${formatNumber(r.calculated_dose_mg, 2)} mg (calculated)` : ''}`);
    if ((r.units || []).length) L.push(`  Give: ${r.units.map((u) => `${u.count} × ${formatNumber(u.strength_mg, 2)} mg ${u.unit || ''}`.trim()).join(' + ')}`);
    for (const a of r.adjustments || []) L.push(`  Adjustment: ${a.note || a.code}${a.from_mg != null ? ` (${a.from_mg} → ${a.to_mg} mg)` : ''}${refs(a.refs)}`);
    if (Array.isArray(r.trough_target_ng_ml)) L.push(`  Trough target ${r.trough_target_ng_ml[0]}–${r.trough_target_ng_ml[1]} ng/mL`);
    if (Array.isArray(r.next_trough_check_days)) L.push(`  Check the trough in ${r.next_trough_check_days[0]}–${r.next_trough_check_days[1]} days`);
    if (r.premedication) L.push(`  Premedication: ${typeof r.premedication === 'string' ? r.premedication : r.premedication.text || ''}`);
  }
  const t = resp.titration;
  if (t) {
    L.push('');
    L.push(`Trough titration: ${formatNumber(t.current_dose_mg, 2)} mg × ${formatNumber(t.target_trough_ng_ml, 2)} ÷ ${formatNumber(t.trough_ng_ml, 2)} ng/mL = ${formatNumber(t.raw_new_dose_mg, 2)} mg → ${formatNumber(t.new_dose_mg, 2)} mg${t.new_frequency ? ` ${label('frequency', t.new_frequency)}` : ''}${t.capped ? ' (capped)' : ''}${refs(t.refs)}`);
    L.push(`  At steady state: ${t.at_steady_state ? 'yes' : 'no'}${Array.isArray(t.recheck_days) ? `; recheck in ${t.recheck_days[0]}–${t.recheck_days[1]} days` : ''}`);
  }
  const section = (title, items, fmt) => {
    if (!items || !items.length) return;
    L.push('');
    L.push(`${title}:`);
    for (const it of items) L.push(`  - ${fmt(it)}${refs(it.refs)}`);
  };
  section('Adverse-event actions', resp.toxicity, (x) => `${label('term', x.term)} grade ${x.grade}: ${label('action', x.action)}${x.until ? ` until ${x.until}` : ''}${x.resume ? `; ${label('resume', x.resume)}` : ''}${x.resume_dose_mg != null ? ` ${x.resume_dose_mg} mg` : ''}`);
  section('Interactions', resp.interactions, (x) => `${x.drug} (${label('ixClass', x.class)}): ${label('ixAction', x.action)}${x.dose_mg != null ? `; if unavoidable ${x.dose_mg} mg` : ''}`);
  if ((resp.interactions_unrecognized || []).length) L.push(`  Not recognised: ${resp.interactions_unrecognized.join(', ')}`);
  const sev = { serious: 0, caution: 1, info: 2 };
  section('Warnings', [...(resp.warnings || [])].sort((a, b) => (sev[a.severity] ?? 3) - (sev[b.severity] ?? 3)), (w) => `${label('severity', w.severity)}: ${w.text}`);
  section('Monitoring', resp.monitoring, (m) => `${m.what}${m.when ? ` — ${m.when}` : ''}`);
  section('Expected response', resp.expected_response, (x) => x.text);
  if ((resp.references || []).length) {
    L.push('');
    L.push('References:');
    resp.references.forEach((x, i) => L.push(`  [${i + 1}] ${x.title}${x.section ? `, ${x.section}` : ''}${x.date ? ` (${x.date})` : ''}${x.verification && x.verification !== 'confirmed' ? ` — NOT CONFIRMED against the current label (${x.verification})` : ''}`));
  }
  if ((resp.unverified_rules || []).length) L.push(`Rules not confirmed against the current label: ${resp.unverified_rules.map((u) => u.rule).join(', ')}`);
  L.push('');
  L.push(`Content version ${resp.content_version}; engine ${resp.engine_version}. Decision support only; check the current prescribing information.`);
  return L.join('\n');
}

// The assessment and plan a clinician pastes into a note: indication and
// decision, dose and tablets, next check as a date, at most two key
// warnings, content version and date. 3–8 lines whatever the answer.
export function shortNote(req, resp, when = new Date()) {
  const date = when.toISOString().slice(0, 10);
  const L = [];
  const drug = resp?.plan?.drug || resp?.eligibility?.drug || req.drug;
  L.push(`mTOR inhibitor plan (mtorcalc, ${date}): ${ind[req.indication] || req.indication}${drug ? `, ${label('drug', drug)}` : ''}.`);
  if (!resp || resp.status !== 'ok') {
    L.push(`No answer yet: ${(resp?.errors || []).length} value(s) need correcting.`);
    L.push('Decision support only; check the current prescribing information.');
    return L.join('\n');
  }
  const p = resp.plan;
  const e = resp.eligibility || {};
  if (p) {
    L.push(`Decision: ${p.summary || actionWords(p.action)}`);
    const give = giveNowText(p);
    const then = resumeText(p.resume);
    L.push(`Give: ${give}${then ? `; then ${then}` : ''}.`);
    if (p.next_check) L.push(`Next check: ${nextCheckText(p.next_check, when)}.`);
  } else {
    L.push(`Decision: ${label('status', e.status)}${e.drug ? ` (${label('drug', e.drug)})` : ''}.`);
  }
  const missing = e.missing || [];
  if (missing.length) L.push(`Still needed: ${missing.slice(0, 3).map(labelForPointer).join('; ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}.`);
  const key = planAlerts(resp).slice(0, 2).map((a) => a.text.replace(/\.$/, ''));
  if (key.length) L.push(`Key warnings: ${key.join('; ')}.`);
  L.push(`mtorcalc content ${resp.content_version}; decision support only, check the current prescribing information.`);
  return L.join('\n');
}
