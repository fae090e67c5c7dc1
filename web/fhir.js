// fhir.js — an HL7 FHIR R4 Bundle (collection or searchset) read into the
// form's fields: age and sex from Patient, weight, height and labs from
// Observations by LOINC code (the most recent of each, converted from its
// UCUM unit to the field's canonical unit), whole-blood troughs into the
// trough history, active medicines into "Other medicines" as generic names.
// Mapping and unit conversion only: no clinical judgement, no network, no
// DOM. Everything is read and checked into a new result first; a Bundle
// that is malformed, too large, or holds values that cannot be used safely
// (a unit that does not convert, two different values for one test at one
// time, a date in the future, another patient's data) is refused whole with
// one located message, so that the page can leave its form untouched.
// Nothing found is ever silently dropped: what is not used is listed.

import { toCanonical, troughKind, clean } from './units.js';

// ---- limits on what is read (a Bundle may come from another window) ----------
export const LIMITS = Object.freeze({
  max_bytes: 256 * 1024, // the Bundle as JSON text
  max_entries: 1000,
  max_depth: 32, // nesting of objects and arrays; FHIR resources need about 10
  max_nodes: 200000, // values of any kind
});

// Values older than this many whole days are flagged on the form (still
// filled, never silently used): labs change within weeks on an mTOR
// inhibitor, weight within months, an adult's height barely.
export const STALE_DAYS = Object.freeze({ lab: 30, weight: 90, height: 365 });

// A dateTime may be a few minutes ahead of this device's clock; a date
// without a time may be "today" in a time zone up to a day ahead of UTC.
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const DAY_MS = 86400000;

const LOINC_SYSTEMS = new Set(['http://loinc.org', 'http://loinc.org/', 'urn:oid:2.16.840.1.113883.6.1']);
const UCUM_SYSTEM = 'http://unitsofmeasure.org';
const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

// ---- LOINC codes read, each with where it was confirmed ------------------------
// target: the request field (JSON Pointer); kind: the units.js quantity kind
// (its canonical unit is the field's); limit: the field the Observation's
// reference range fills (high, or low for a lower limit); stale: which
// STALE_DAYS applies. Codes that could not be confirmed are left out (see
// UNCONFIRMED below) and such Observations are listed as not used.
const lab = (key, kind, limit, limitSide = 'high') => ({
  target: `/patient/labs/${key}`, kind, stale: 'lab',
  limit: limit ? { path: `/patient/limits/${limit}`, side: limitSide } : null,
});
export const LOINC = Object.freeze({
  '29463-7': { name: 'Body weight', target: '/patient/weight_kg', kind: 'weight', stale: 'weight',
    source: 'HL7 FHIR R4 Body Weight profile (hl7.org/fhir/bodyweight)' },
  '8302-2': { name: 'Body height', target: '/patient/height_cm', kind: 'height', stale: 'height',
    source: 'HL7 FHIR R4 Body Height profile (hl7.org/fhir/bodyheight)' },
  '751-8': { name: 'Neutrophils [#/volume] in Blood by Automated count', ...lab('anc_per_ul', 'cells', 'anc_uln_per_ul'),
    source: 'HL7 FHIR CTC Adverse Events IG, example Observation r201-9' },
  '777-3': { name: 'Platelets [#/volume] in Blood by Automated count', ...lab('platelets_per_ul', 'cells', 'platelets_uln_per_ul'),
    source: 'HL7 US Core, example Observation cbc-platelets' },
  '718-7': { name: 'Hemoglobin [Mass/volume] in Blood', ...lab('hemoglobin_g_dl', 'hemoglobin', 'hemoglobin_lln_g_dl', 'low'),
    source: 'HL7 US Core, example Observation cbc-hemoglobin' },
  '17861-6': { name: 'Calcium [Mass/volume] in Serum or Plasma', ...lab('calcium_mg_dl', 'calcium', 'calcium_uln_mg_dl'),
    source: 'HL7 PDDI CDS IG, ValueSet valueset-calcium-LOINC' },
  '1751-7': { name: 'Albumin [Mass/volume] in Serum or Plasma', ...lab('albumin_g_dl', 'albumin', null),
    source: 'HL7 FHIR ValueSet hspc-QuantitativeLabCodes; PROTECT-CHILD IG ValueSet lab-test-name-vs' },
  '2532-0': { name: 'Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma', ...lab('ldh_u_l', 'enzyme', 'ldh_uln_u_l'),
    source: 'Labcorp Oklahoma test directory, test 2003860 Lactate Dehydrogenase (LDH)' },
  '14804-9': { name: 'Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma by Lactate to pyruvate reaction', ...lab('ldh_u_l', 'enzyme', 'ldh_uln_u_l'),
    source: 'ARUP Laboratories test 0020006 Lactate Dehydrogenase, Serum or Plasma' },
  '1975-2': { name: 'Bilirubin.total [Mass/volume] in Serum or Plasma', ...lab('bilirubin_mg_dl', 'bilirubin', 'bilirubin_uln_mg_dl'),
    source: 'dQM CMS Content IG, ValueSet total-bilirubin' },
  '1920-8': { name: 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma', ...lab('ast_u_l', 'enzyme', 'ast_uln_u_l'),
    source: 'dQM CMS Content IG, ValueSet ast-lab-tests' },
  '1742-6': { name: 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', ...lab('alt_u_l', 'enzyme', 'alt_uln_u_l'),
    source: 'dQM CMS Content IG, ValueSet alt-lab-tests' },
  '1558-6': { name: 'Fasting glucose [Mass/volume] in Serum or Plasma', ...lab('glucose_fasting_mg_dl', 'glucose', null),
    source: 'PH Core IG, example Observation observation-glucose-example' },
  '2571-8': { name: 'Triglyceride [Mass/volume] in Serum or Plasma', ...lab('triglycerides_mg_dl', 'triglycerides', null),
    source: 'Mayo Clinic Laboratories test TRIGC (result LOINC 2571-8)' },
  '35217-9': { name: 'Triglyceride in Serum or Plasma', ...lab('triglycerides_mg_dl', 'triglycerides', null),
    source: 'HL7 FHIR Triglyceride profile (hl7.org/fhir/triglyceride)' },
  '2093-3': { name: 'Cholesterol [Mass/volume] in Serum or Plasma', ...lab('cholesterol_mg_dl', 'cholesterol', null),
    source: 'HL7 FHIR example ValueSet example-expansion' },
  '14647-2': { name: 'Cholesterol [Moles/volume] in Serum or Plasma', ...lab('cholesterol_mg_dl', 'cholesterol', null),
    source: 'HL7 FHIR example ValueSet example-expansion' },
  '2160-0': { name: 'Creatinine [Mass/volume] in Serum or Plasma', ...lab('creatinine_mg_dl', 'creatinine', 'creatinine_uln_mg_dl'),
    source: 'HL7 FHIR Clinical Guidelines IG, ValueSet ckd-valueset-creatinine' },
  '14682-9': { name: 'Creatinine [Moles/volume] in Serum or Plasma', ...lab('creatinine_mg_dl', 'creatinine', 'creatinine_uln_mg_dl'),
    source: 'HL7 FHIR Clinical Guidelines IG, ValueSet ckd-valueset-creatinine' },
  '6301-6': { name: 'INR in Platelet poor plasma by Coagulation assay', target: '/patient/hepatic/inr', kind: 'ratio', stale: 'lab',
    source: 'PACIO Sample Data IG, example Observation betsysmith-johnson01-obs-inr-coag-panel' },
  '77349-9': { name: 'Everolimus [Mass/volume] in Blood by LC/MS/MS --trough', trough: 'everolimus',
    source: 'PROTECT-CHILD IG, ValueSet imm-pat-pk-measurement-vs' },
  '29247-4': { name: 'Sirolimus [Mass/volume] in Blood', trough: 'sirolimus',
    source: 'Mayo Clinic Laboratories test SIRO (result LOINC 29247-4); Newfoundland and Labrador lab formulary, sirolimus trough' },
  '115766-8': { name: 'Sirolimus --trough [Mass/volume] of Blood', trough: 'sirolimus',
    source: 'PROTECT-CHILD IG, ValueSet imm-pat-pk-measurement-vs' },
});

// Codes the form could use but that no source at hand confirmed: not read
// (an Observation with one of them is listed as not used, like any other).
export const UNCONFIRMED = Object.freeze([
  'Everolimus [Mass/volume] in Blood (not trough-specific)',
  'Calcium [Moles/volume] in Serum or Plasma',
  'Bilirubin.total [Moles/volume] in Serum or Plasma',
  'Fasting glucose and triglyceride [Moles/volume] codes',
  'Neutrophils and platelets [#/volume] in Blood without a method',
]);

// The mTOR inhibitors themselves are the question's drug, not "other medicines".
const MTOR_INHIBITORS = ['everolimus', 'sirolimus', 'temsirolimus'];

// ---- UCUM units → the field's canonical unit -------------------------------------
const PREFIX = { '': 1, d: 1e-1, c: 1e-2, m: 1e-3, u: 1e-6, n: 1e-9, p: 1e-12 };
// The SI unit units.js converts each lab from, in mol/L (its "si" side).
const SI_MOLAR_MOL_PER_L = { bilirubin: 1e-6, creatinine: 1e-6, calcium: 1e-3, glucose: 1e-3, cholesterol: 1e-3, triglycerides: 1e-3 };
// Canonical units of the mass-concentration kinds, in g/L.
const CANONICAL_G_PER_L = {
  bilirubin: 1e-3 / 1e-1, creatinine: 1e-3 / 1e-1, calcium: 1e-3 / 1e-1, glucose: 1e-3 / 1e-1, cholesterol: 1e-3 / 1e-1,
  triglycerides: 1e-3 / 1e-1, albumin: 1 / 1e-1, hemoglobin: 1 / 1e-1, trough_everolimus: 1e-9 / 1e-3, trough_sirolimus: 1e-9 / 1e-3,
};

// A UCUM code → { dim, factor } with factor relative to the dimension's base
// (g/L, mol/L, per L, U/L, kg, cm, ratio 1), or null when it is not one of
// the forms read here.
// Printed units (Quantity.unit) that are not UCUM codes but say the same.
const PRINTED = {
  kgs: 'kg', lb: '[lb_av]', lbs: '[lb_av]', in: '[in_i]', inch: '[in_i]', inches: '[in_i]',
  'iu/l': '[IU]/L', 'x10^9/l': '10*9/L', '10^9/l': '10*9/L', 'x10e9/l': '10*9/L', '10e9/l': '10*9/L',
  'x10^3/ul': '10*3/uL', '10^3/ul': '10*3/uL', 'k/ul': '10*3/uL', 'cells/ul': '/uL', 'inr': '{INR}', ratio: '{ratio}',
};

export function parseUcum(code) {
  if (typeof code !== 'string') return null;
  let u = code.trim().replace(/µ|μ/g, 'u').replace(/^mc(g\/)/, 'u$1');
  u = PRINTED[u.toLowerCase()] ?? u;
  let m = /^([dcmunp]?)g\/([dcmunp]?)[lL]$/.exec(u);
  if (m) return { dim: 'mass_conc', factor: PREFIX[m[1]] / PREFIX[m[2]] };
  m = /^([mun]?)mol\/([dcmunp]?)[lL]$/.exec(u);
  if (m) return { dim: 'substance_conc', factor: PREFIX[m[1]] / PREFIX[m[2]] };
  m = /^(?:10\*(3|6|9|12)|\{cells\})?\/(u[lL]|mm3|[lL])$/.exec(u);
  if (m) return { dim: 'count_conc', factor: (m[1] ? 10 ** Number(m[1]) : 1) / (/^[lL]$/.test(m[2]) ? 1 : 1e-6) };
  m = /^(U|\[IU\])\/(m?)[lL]$/.exec(u);
  if (m) return { dim: 'enzyme', factor: m[2] ? 1000 : 1 };
  // 1 U = 1 µmol/min and 1 kat = 1 mol/s, so 1 µkat = 60 U.
  m = /^([mun])kat\/[lL]$/.exec(u);
  if (m) return { dim: 'enzyme', factor: (PREFIX[m[1]] / 1e-6) * 60 };
  if (u === 'kg') return { dim: 'mass', factor: 1 };
  if (u === 'g') return { dim: 'mass', factor: 1e-3 };
  if (u === '[lb_av]') return { dim: 'mass', imperial: true };
  if (u === 'cm') return { dim: 'length', factor: 1 };
  if (u === 'm') return { dim: 'length', factor: 100 };
  if (u === 'mm') return { dim: 'length', factor: 0.1 };
  if (u === '[in_i]') return { dim: 'length', imperial: true };
  if (u === '1' || u === '{INR}' || u === '{ratio}' || u === '') return { dim: 'ratio', factor: 1 };
  return null;
}

// value in UCUM `code` → canonical value of `kind`, or null when the unit
// does not convert to that quantity.
export function toCanonicalFromUcum(kind, value, code) {
  const u = parseUcum(code);
  if (!u || typeof value !== 'number' || !Number.isFinite(value)) return null;
  switch (kind) {
    case 'weight':
      if (u.dim !== 'mass') return null;
      return u.imperial ? toCanonical('weight', value, 'imperial') : clean(value * u.factor);
    case 'height':
      if (u.dim !== 'length') return null;
      return u.imperial ? toCanonical('height', value, 'imperial') : clean(value * u.factor);
    case 'cells': // per µL, through units.js's 10⁹/L
      return u.dim === 'count_conc' ? toCanonical('cells', clean((value * u.factor) / 1e9), 'si') : null;
    case 'enzyme':
      return u.dim === 'enzyme' ? clean(value * u.factor) : null;
    case 'ratio':
      return u.dim === 'ratio' ? value : null;
    default:
      break;
  }
  if (u.dim === 'mass_conc' && kind in CANONICAL_G_PER_L) return clean((value * u.factor) / CANONICAL_G_PER_L[kind]);
  if (u.dim === 'substance_conc') {
    if (kind in SI_MOLAR_MOL_PER_L) return toCanonical(kind, clean((value * u.factor) / SI_MOLAR_MOL_PER_L[kind]), 'si');
    if (kind === 'trough_everolimus' || kind === 'trough_sirolimus') return toCanonical(kind, clean((value * u.factor) / 1e-9), 'molar');
  }
  return null;
}

// ---- dates ----------------------------------------------------------------------------
const DATE_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

// A FHIR date/dateTime/instant → { ms, day: 'YYYY-MM-DD', dateOnly, precise }
// or null when it is not one. precise: down to the day at least.
export function parseFhirDate(s) {
  if (typeof s !== 'string') return null;
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), m[2] ? Number(m[2]) : 1, m[3] ? Number(m[3]) : 1];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] || 0) > 59)) return null;
  const ms = m[4] !== undefined ? Date.parse(s) : t;
  if (!Number.isFinite(ms)) return null;
  return { ms, day: s.slice(0, 10), dateOnly: m[4] === undefined, precise: Boolean(m[3]) };
}

const isFuture = (d, nowMs) => d.ms > nowMs + (d.dateOnly ? DAY_MS : CLOCK_SKEW_MS);
const ageDays = (d, nowMs) => Math.floor((nowMs - d.ms) / DAY_MS);

// Completed years on `nowMs` for a birth date; under two years, completed
// months as a fraction of a year (the form takes fractions: 0.5 = six months).
export function ageYears(birth, nowMs) {
  const now = new Date(nowMs);
  const b = new Date(birth.ms);
  let months = (now.getUTCFullYear() - b.getUTCFullYear()) * 12 + (now.getUTCMonth() - b.getUTCMonth());
  if (now.getUTCDate() < b.getUTCDate()) months -= 1;
  if (months < 24) return Math.round((months / 12) * 100) / 100;
  return Math.floor(months / 12);
}

// ---- checking shapes ----------------------------------------------------------------------
// Text from the Bundle is echoed in messages; a hostile one must not flood the page.
const clip = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
class BundleError extends Error {}
const fail = (msg) => { throw new BundleError(clip(msg, 1000)); };
const say = (text) => clip(String(text), 60);
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const describe = (v) => (v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
function want(v, type, where) {
  const ok = type === 'object' ? isObj(v) : type === 'array' ? Array.isArray(v) : type === 'number' ? typeof v === 'number' && Number.isFinite(v) : typeof v === type;
  if (!ok) fail(`${where}: expected ${type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`}, found ${describe(v)}.`);
  return v;
}
const optional = (v, type, where) => (v === undefined ? undefined : want(v, type, where));

// Depth and size of a parsed value without recursion (a hostile object may be
// nested thousands deep, or even refer to itself when it comes by postMessage).
function checkShape(root) {
  const stack = [[root, 1]];
  let nodes = 0;
  while (stack.length) {
    const [v, depth] = stack.pop();
    if (++nodes > LIMITS.max_nodes) fail(`The Bundle has more than ${LIMITS.max_nodes} values.`);
    if (v === null || typeof v !== 'object') continue;
    if (depth > LIMITS.max_depth) fail(`The Bundle is nested more than ${LIMITS.max_depth} levels deep.`);
    for (const k of Object.keys(v)) stack.push([v[k], depth + 1]);
  }
}

function parseInput(input) {
  let text = null;
  let bundle = input;
  if (typeof input === 'string') {
    text = input;
    if (new TextEncoder().encode(text).length > LIMITS.max_bytes) fail(`The Bundle is larger than ${LIMITS.max_bytes / 1024} KiB.`);
    try {
      bundle = JSON.parse(text);
    } catch {
      fail('The Bundle is not valid JSON.');
    }
  }
  if (!isObj(bundle)) fail(`Expected a FHIR Bundle (a JSON object), found ${describe(bundle)}.`);
  checkShape(bundle);
  if (text === null) {
    try {
      text = JSON.stringify(bundle);
    } catch {
      fail('The Bundle cannot be read as JSON.');
    }
    if (new TextEncoder().encode(text).length > LIMITS.max_bytes) fail(`The Bundle is larger than ${LIMITS.max_bytes / 1024} KiB.`);
  }
  return bundle;
}

// ---- reading resources -----------------------------------------------------------------------
const refOf = (res) => (typeof res.id === 'string' ? `${res.resourceType}/${res.id}` : null);
const nameOf = (res, i) => clip(refOf(res) || `${res.resourceType} (entry ${i + 1})`, 80);

function codings(cc, where) {
  if (cc === undefined) return [];
  want(cc, 'object', where);
  const list = optional(cc.coding, 'array', `${where}.coding`) || [];
  list.forEach((c, j) => {
    want(c, 'object', `${where}.coding[${j}]`);
    for (const k of ['system', 'code', 'display']) optional(c[k], 'string', `${where}.coding[${j}].${k}`);
  });
  optional(cc.text, 'string', `${where}.text`);
  return list;
}

function subjectRef(res, where) {
  if (res.subject === undefined) return null;
  want(res.subject, 'object', `${where}.subject`);
  return optional(res.subject.reference, 'string', `${where}.subject.reference`) ?? null;
}

function quantity(q, where) {
  want(q, 'object', where);
  want(q.value, 'number', `${where}.value`);
  for (const k of ['unit', 'code', 'system', 'comparator']) optional(q[k], 'string', `${where}.${k}`);
  // The UCUM code when the system says UCUM, else the code or the printed unit.
  const unit = q.code !== undefined && (q.system === undefined || q.system === UCUM_SYSTEM) ? q.code : q.unit ?? q.code ?? '';
  return { value: q.value, unit, comparator: q.comparator };
}

function effective(res, where) {
  for (const k of ['effectiveDateTime', 'effectiveInstant']) {
    if (res[k] === undefined) continue;
    const d = parseFhirDate(want(res[k], 'string', `${where}.${k}`));
    if (!d) fail(`${where}.${k}: "${say(res[k])}" is not a FHIR date.`);
    return d;
  }
  if (res.effectivePeriod !== undefined) {
    want(res.effectivePeriod, 'object', `${where}.effectivePeriod`);
    const k = res.effectivePeriod.end !== undefined ? 'end' : 'start';
    const s = optional(res.effectivePeriod[k], 'string', `${where}.effectivePeriod.${k}`);
    if (s !== undefined) {
      const d = parseFhirDate(s);
      if (!d) fail(`${where}.effectivePeriod.${k}: "${say(s)}" is not a FHIR date.`);
      return d;
    }
  }
  if (res.issued !== undefined) {
    const d = parseFhirDate(want(res.issued, 'string', `${where}.issued`));
    if (!d) fail(`${where}.issued: "${say(res.issued)}" is not a FHIR date.`);
    return d;
  }
  return null;
}

// A medicine's generic name(s) from RxNorm-style text ("fluconazole 150 MG
// Oral Tablet [Diflucan]" → fluconazole; combinations split at " / ").
export function genericNames(text) {
  const t = String(text).replace(/\[[^\]]*\]/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
  if (!t) return [];
  return t.split(/\s+\/\s+/).map((part) => {
    const words = [];
    for (const w of part.split(' ')) {
      if (/^[\d.]/.test(w)) break;
      words.push(w);
    }
    return words.join(' ').trim();
  }).filter(Boolean);
}

const VALUE_KEYS = ['valueString', 'valueCodeableConcept', 'valueBoolean', 'valueInteger', 'valueRange', 'valueRatio', 'valueSampledData', 'valueTime', 'valueDateTime', 'valuePeriod'];
const USABLE_OBSERVATION_STATUS = new Set(['final', 'amended', 'corrected']);

// ---- the mapping ------------------------------------------------------------------------------
// input: the Bundle (object, or its JSON text). options.now: Date or ms (for
// ages and staleness); options.drug: the effective drug of the form, which
// decides whose troughs go into the history.
// Returns { ok: true, values, troughs, provenance, unmapped, notes } or
// { ok: false, error }.
export function bundleToCase(input, { now = Date.now(), drug = '' } = {}) {
  try {
    return readBundle(parseInput(input), typeof now === 'number' ? now : now.getTime(), drug);
  } catch (err) {
    if (err instanceof BundleError) return { ok: false, error: err.message };
    return { ok: false, error: `The Bundle could not be read (${err?.message || err}).` };
  }
}

function readBundle(bundle, nowMs, drug) {
  if (bundle.resourceType !== 'Bundle') fail(`Expected resourceType "Bundle", found ${say(JSON.stringify(bundle.resourceType) ?? 'none')}.`);
  if (bundle.type !== 'collection' && bundle.type !== 'searchset') {
    fail(`Bundle.type must be "collection" or "searchset", found ${say(JSON.stringify(bundle.type) ?? 'none')}.`);
  }
  const entries = optional(bundle.entry, 'array', 'Bundle.entry') || [];
  if (entries.length > LIMITS.max_entries) fail(`The Bundle has ${entries.length} entries; at most ${LIMITS.max_entries} are read.`);

  // Pass 1: every entry's shape, identity and the patient.
  const seen = new Map(); // "Type/id" or fullUrl → entry index
  const resources = [];
  const byRef = new Map();
  entries.forEach((e, i) => {
    const where = `Bundle.entry[${i}]`;
    want(e, 'object', where);
    const res = want(e.resource, 'object', `${where}.resource`);
    want(res.resourceType, 'string', `${where}.resource.resourceType`);
    optional(res.id, 'string', `${where}.resource.id`);
    const fullUrl = optional(e.fullUrl, 'string', `${where}.fullUrl`);
    for (const key of [refOf(res), fullUrl].filter(Boolean)) {
      if (seen.has(key)) fail(`${where}: ${say(key)} appears twice in the Bundle (also entry ${seen.get(key) + 1}); duplicated resources are not read.`);
      seen.set(key, i);
      byRef.set(key, res);
    }
    resources.push({ res, i, where: `${where}.resource`, fullUrl });
  });

  const patients = resources.filter((r) => r.res.resourceType === 'Patient');
  if (patients.length > 1) fail(`The Bundle holds ${patients.length} Patient resources; it must be about one patient.`);
  const patient = patients[0] || null;
  const patientKeys = new Set(patient ? [refOf(patient.res), patient.fullUrl].filter(Boolean) : []);
  // "Patient/p1", ".../fhir/Patient/p1" and ".../Patient/p1/_history/2" all name Patient/p1.
  const shortRef = (ref) => /(?:^|\/)(Patient\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref)?.[1] ?? ref;
  const samePatient = (ref) => patientKeys.has(ref) || patientKeys.has(shortRef(ref));
  const subjects = new Set();
  const checkSubject = (r) => {
    const s = subjectRef(r.res, r.where);
    if (s === null) return;
    if (patient && patientKeys.size) {
      if (!samePatient(s)) fail(`${r.where}.subject: ${say(s)} is not this Bundle's patient (${say([...patientKeys].join(' or '))}).`);
    } else {
      subjects.add(shortRef(s));
      if (subjects.size > 1) fail(`The Bundle's resources are about more than one patient (${say([...subjects].join(', '))}).`);
    }
  };

  const out = { values: {}, provenance: {}, troughs: [], unmapped: [], notes: [] };
  const unmapped = (text) => out.unmapped.push(clip(text, 240));

  // Patient: age and sex.
  if (patient) {
    const { res, where } = patient;
    const name = nameOf(res, patient.i);
    const gender = optional(res.gender, 'string', `${where}.gender`);
    if (gender === 'male' || gender === 'female') {
      out.values['/patient/sex'] = gender;
      out.provenance['/patient/sex'] = { resource: name, what: 'gender' };
    } else if (gender !== undefined) unmapped(`${name}: gender "${gender}" (the form takes female or male)`);
    const birth = optional(res.birthDate, 'string', `${where}.birthDate`);
    if (birth !== undefined) {
      const d = parseFhirDate(birth);
      if (!d || !d.dateOnly) fail(`${where}.birthDate: "${say(birth)}" is not a FHIR date.`);
      if (isFuture(d, nowMs)) fail(`${where}.birthDate: ${birth} is in the future.`);
      if (!d.precise) unmapped(`${name}: birth date ${birth} is not precise to the day, so no age is computed`);
      else {
        out.values['/patient/age_years'] = ageYears(d, nowMs);
        out.provenance['/patient/age_years'] = { resource: name, date: d.day, what: 'birth date' };
      }
    }
  }

  // Observations: candidates per field, then the most recent of each.
  const candidates = new Map(); // target path → [{value, d, name, limit}]
  const troughs = { everolimus: [], sirolimus: [] };
  for (const r of resources) {
    const { res, where, i } = r;
    const name = nameOf(res, i);
    if (res.resourceType !== 'Observation') continue;
    checkSubject(r);
    const status = optional(res.status, 'string', `${where}.status`);
    const list = codings(res.code, `${where}.code`);
    const loinc = list.filter((c) => LOINC_SYSTEMS.has(c.system) && typeof c.code === 'string');
    const known = loinc.find((c) => Object.hasOwn(LOINC, c.code));
    const label = known ? `${name} (${LOINC[known.code].name})` : name;
    if (!known) {
      const what = loinc.length ? loinc.map((c) => `LOINC ${c.code}${c.display ? ` ${c.display}` : ''}`).join(', ')
        : list.length ? list.map((c) => `${c.system || 'no system'} ${c.code || ''}`.trim()).join(', ') : res.code?.text || 'no code';
      unmapped(`${name}: ${what} (not a code this form reads)`);
      continue;
    }
    const spec = LOINC[known.code];
    if (status === undefined) out.notes.push(`${label}: no status given; used as a result.`);
    else if (!USABLE_OBSERVATION_STATUS.has(status)) {
      unmapped(`${label}: status "${status}" (only final, amended or corrected results are used)`);
      continue;
    }
    const d = effective(res, where);
    if (d && isFuture(d, nowMs)) fail(`${where}: ${label} is dated ${d.day}, in the future.`);
    if (res.valueQuantity === undefined) {
      const other = VALUE_KEYS.find((k) => res[k] !== undefined);
      unmapped(`${label}: ${other ? `${other}, not a quantity` : res.dataAbsentReason !== undefined ? 'no value (dataAbsentReason)' : 'no value'}`);
      continue;
    }
    const q = quantity(res.valueQuantity, `${where}.valueQuantity`);
    if (spec.trough && (!d || !d.precise)) {
      unmapped(`${label}: a trough ${d ? `dated only ${d.day}` : 'without a date'} cannot go into the history`);
      continue;
    }
    if (q.comparator) {
      unmapped(`${label}: the value is "${q.comparator}${q.value}", not an exact number`);
      continue;
    }
    const kind = spec.trough ? troughKind(spec.trough) : spec.kind;
    const value = toCanonicalFromUcum(kind, q.value, q.unit);
    if (value === null) fail(`${where}.valueQuantity: ${label} is in "${say(q.unit)}", which does not convert to the form's unit.`);
    if (spec.trough) {
      troughs[spec.trough].push({ value, d, name: label });
      continue;
    }
    let limit = null;
    if (spec.limit && res.referenceRange !== undefined) {
      const ranges = want(res.referenceRange, 'array', `${where}.referenceRange`);
      const rr = ranges.length ? want(ranges[0], 'object', `${where}.referenceRange[0]`) : null;
      const bound = rr ? rr[spec.limit.side] : undefined;
      if (bound !== undefined) {
        const bq = quantity(bound, `${where}.referenceRange[0].${spec.limit.side}`);
        const bv = toCanonicalFromUcum(kind, bq.value, bq.unit || q.unit);
        if (bv === null) fail(`${where}.referenceRange[0].${spec.limit.side}: "${say(bq.unit)}" does not convert to the form's unit.`);
        limit = bv;
      }
    }
    if (!candidates.has(spec.target)) candidates.set(spec.target, []);
    candidates.get(spec.target).push({ value, d, name: label, spec, limit });
  }

  // The most recent result dated to the day; a result without such a date
  // only when there is no other, and then marked (its age is unknown).
  const when = (c) => (c.d && c.d.precise ? c.d.ms : null);
  for (const [target, list] of candidates) {
    const dated = list.filter((c) => when(c) !== null).sort((a, b) => when(b) - when(a));
    const pool = dated.length ? dated : list;
    const [best] = pool;
    const clash = pool.find((c) => c !== best && when(c) === when(best) && c.value !== best.value);
    if (clash) {
      fail(`${best.name} and ${clash.name} give different values (${best.value} and ${clash.value}) for ${when(best) === null
        ? 'the same test without a date to tell which is the most recent' : `the same time ${best.d.day}`}.`);
    }
    const limitDays = STALE_DAYS[best.spec.stale];
    out.values[target] = best.value;
    if (when(best) === null) {
      out.provenance[target] = { resource: best.name, date: best.d?.day, undated: true, stale: true, limit_days: limitDays };
    } else {
      const age = ageDays(best.d, nowMs);
      out.provenance[target] = { resource: best.name, date: best.d.day, age_days: age, stale: age > limitDays, limit_days: limitDays };
    }
    const older = list.length - 1;
    if (older) out.notes.push(`${best.name}: the most recent of ${list.length} results is used.`);
    if (best.limit !== null && best.spec.limit) {
      out.values[best.spec.limit.path] = best.limit;
      out.provenance[best.spec.limit.path] = { resource: best.name, date: best.d?.day, what: 'reference range' };
    }
  }

  // Troughs go into the history table of the form's drug; with no drug
  // chosen, of the one drug the Bundle has troughs for.
  const withTroughs = Object.keys(troughs).filter((k) => troughs[k].length);
  const tdm = troughKind(drug) ? drug : '';
  const into = tdm || (!drug && withTroughs.length === 1 ? withTroughs[0] : '');
  for (const k of withTroughs) {
    if (k !== into) {
      const why = drug ? `the form is about ${drug}` : 'the Bundle has troughs of two drugs: choose the drug first';
      for (const t of troughs[k]) unmapped(`${t.name}, ${t.d.day}: ${k} trough not added to the history (${why})`);
      continue;
    }
    const rows = troughs[k].sort((a, b) => a.d.ms - b.d.ms);
    for (let j = 0; j < rows.length; j++) {
      const prev = rows[j - 1];
      if (prev && prev.d.ms === rows[j].d.ms) {
        if (prev.value !== rows[j].value) fail(`${prev.name} and ${rows[j].name} give different troughs for the same time ${rows[j].d.day}.`);
        continue;
      }
      out.troughs.push({ date: rows[j].d.day, dose_mg: null, trough_ng_ml: rows[j].value, source: rows[j].name });
    }
  }

  // Medicines: active MedicationStatement / MedicationRequest.
  const names = [];
  for (const r of resources) {
    const { res, where, i } = r;
    if (res.resourceType !== 'MedicationStatement' && res.resourceType !== 'MedicationRequest') continue;
    checkSubject(r);
    const name = nameOf(res, i);
    const status = optional(res.status, 'string', `${where}.status`);
    let concept = res.medicationCodeableConcept;
    let cWhere = `${where}.medicationCodeableConcept`;
    if (concept === undefined && res.medicationReference !== undefined) {
      want(res.medicationReference, 'object', `${where}.medicationReference`);
      const ref = want(res.medicationReference.reference, 'string', `${where}.medicationReference.reference`);
      const contained = optional(res.contained, 'array', `${where}.contained`) || [];
      const med = ref.startsWith('#') ? contained.find((c) => isObj(c) && c.id === ref.slice(1)) : byRef.get(ref);
      if (!med || med.resourceType !== 'Medication') {
        unmapped(`${name}: medicine ${ref} is not in the Bundle`);
        continue;
      }
      concept = med.code;
      cWhere = `${ref}.code`;
    }
    const list = codings(concept, cWhere);
    const rx = list.find((c) => c.system === RXNORM_SYSTEM && c.display);
    const text = rx?.display || concept?.text || list.find((c) => c.display)?.display;
    const label = text ? `${name} (${text})` : name;
    if (status === undefined) out.notes.push(`${label}: no status given; taken as active.`);
    else if (status !== 'active') {
      unmapped(`${label}: status "${status}" (only active medicines are added)`);
      continue;
    }
    if (!text) {
      const codes = list.map((c) => `${c.system === RXNORM_SYSTEM ? 'RxNorm' : c.system || 'no system'} ${c.code || ''}`.trim());
      unmapped(`${name}: ${codes.length ? codes.join(', ') : 'no medicine'} without a name (codes are not looked up)`);
      continue;
    }
    for (const g of genericNames(text)) {
      if (MTOR_INHIBITORS.includes(g)) out.notes.push(`${label}: ${g} is the mTOR inhibitor itself; set the drug and dose on the form.`);
      else if (!names.includes(g)) names.push(g);
    }
  }
  if (names.length) {
    out.values['/comedications'] = names;
    out.provenance['/comedications'] = { resource: 'MedicationStatement/MedicationRequest', what: `${names.length} active medicine(s)` };
  }

  // Everything else is listed by type, never dropped silently.
  const other = new Map();
  for (const { res } of resources) {
    if (['Patient', 'Observation', 'MedicationStatement', 'MedicationRequest', 'Medication'].includes(res.resourceType)) continue;
    other.set(res.resourceType, (other.get(res.resourceType) || 0) + 1);
  }
  for (const [type, n] of other) unmapped(`${n} ${type} resource${n > 1 ? 's' : ''} (not read by this form)`);

  if (!Object.keys(out.values).length && !out.troughs.length) {
    fail(`Nothing in this Bundle maps to the form.${out.unmapped.length ? ` Not used: ${out.unmapped.join('; ')}.` : ''}`);
  }
  return { ok: true, ...out };
}

// The line shown under a prefilled field.
export function provenanceText(p) {
  const what = p.what ? ` (${p.what})` : '';
  const when = p.date ? `, ${p.date}` : '';
  const stale = !p.stale ? '' : p.undated ? ' — no date to the day: check it is still current.'
    : ` — ${p.age_days} days old, older than ${p.limit_days}: check it is still current.`;
  return `From ${p.resource}${what}${when}${stale}`;
}

// One message for the page after a successful read.
export function bundleSummaryText(result) {
  const filled = Object.keys(result.values).length;
  const stale = Object.values(result.provenance).filter((p) => p.stale).length;
  const parts = [`Filled ${filled} field(s) from the FHIR Bundle; each shows its source and stays editable.`];
  if (result.troughs.length) parts.push(`${result.troughs.length} trough(s) added to the history: enter the dose for each row.`);
  if (stale) parts.push(`${stale} value(s) are older than the stated limit and are marked: check them.`);
  if (result.notes.length) parts.push(result.notes.join(' '));
  if (result.unmapped.length) parts.push(`Not used: ${result.unmapped.join('; ')}.`);
  return parts.join(' ');
}
