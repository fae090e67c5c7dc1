// fields.js — what the form asks, for which question, and how typed values
// become a mtor-calc/1 request. No DOM here: app.js draws the form from these
// definitions, and the same definitions build the request, name missing
// inputs and place engine errors next to their field.
//
// Field names and enumerations are the contract's (CONTRACT.md); the page
// never invents a clinical field. Which fields a question shows is a matter
// of presentation only: the engine still decides what it needs and says so
// in eligibility.missing.

import { toCanonical, parseTyped, troughKind, systemOf } from './units.js';

export const CONTRACT = 'mtor-calc/1';

export const INDICATIONS = [
  ['tsc_renal_aml', 'TSC renal angiomyolipoma'],
  ['tsc_sega', 'TSC subependymal giant cell astrocytoma (SEGA)'],
  ['tsc_seizures', 'TSC partial-onset seizures (adjunctive)'],
  ['tsc_facial_angiofibroma', 'TSC facial angiofibroma'],
  ['lam', 'Lymphangioleiomyomatosis (LAM)'],
  ['rcc', 'Advanced renal cell carcinoma'],
  ['pecoma', 'Malignant PEComa'],
  ['breast_hr_positive', 'HR+/HER2− advanced breast cancer'],
  ['net', 'Neuroendocrine tumours (pancreas, GI, lung)'],
  ['hnscc', 'Head and neck squamous cell carcinoma'],
];

export const DRUGS = [
  ['everolimus', 'Everolimus (Afinitor, Afinitor Disperz)'],
  ['sirolimus', 'Sirolimus, oral (Rapamune)'],
  ['sirolimus_topical', 'Sirolimus, topical gel (Hyftor)'],
  ['temsirolimus', 'Temsirolimus (Torisel)'],
  ['nab_sirolimus', 'nab-Sirolimus (Fyarro)'],
];

// The labelled drug per indication, used only to decide which inputs to show
// (e.g. a trough field for everolimus) before the engine has answered; the
// engine's content (core.content()) replaces this table when it is loaded.
export const DEFAULT_DRUG = {
  tsc_renal_aml: 'everolimus', tsc_sega: 'everolimus', tsc_seizures: 'everolimus',
  tsc_facial_angiofibroma: 'sirolimus_topical', lam: 'sirolimus', rcc: 'everolimus',
  pecoma: 'nab_sirolimus', breast_hr_positive: 'everolimus', net: 'everolimus', hnscc: null,
};

export const CONDITION_KEY = {
  tsc_renal_aml: 'aml', tsc_sega: 'sega', tsc_seizures: 'seizures', lam: 'lam', rcc: 'rcc',
  pecoma: 'pecoma', breast_hr_positive: 'breast', net: 'net',
};

// In the order the form asks: the condition first.
export const GROUPS = [
  ['condition', 'The condition'],
  ['patient', 'Patient'],
  ['liver', 'Liver function'],
  ['therapy', 'Current mTOR inhibitor therapy'],
  ['labs', 'Laboratory values and your laboratory’s limits'],
  ['comedications', 'Other medicines'],
  ['adverse_events', 'Adverse events'],
];

const TSC = ['tsc_renal_aml', 'tsc_sega', 'tsc_seizures', 'tsc_facial_angiofibroma', 'lam'];
const ONCOLOGY = ['rcc', 'pecoma', 'breast_hr_positive', 'net', 'hnscc'];
const SYSTEMIC = INDICATIONS.map(([k]) => k).filter((k) => k !== 'tsc_facial_angiofibroma');
const TDM_DRUGS = ['everolimus', 'sirolimus'];

const YESNO = 'tri'; // a boolean that may also be "not stated" (absent ≠ false)

// Field definition:
//   path     JSON Pointer in the request (also the input's data-path)
//   label    visible label; unit is added by the page from `kind`
//   type     number | int | tri | enum | list
//   kind     unit kind from units.js (number fields with a unit)
//   unit     fixed unit label for unit-less kinds (years, %, …)
//   options  [[value, text]] for enum
//   show     (ctx) => bool; ctx = { indication, drug } (drug = effective drug)
//   pair     path of the local limit shown beside a lab (labs only)
//   hint     short help under the field
const f = (path, label, type, more = {}) => ({ path, label, type, ...more });
const onlyFor = (list) => (ctx) => list.includes(ctx.indication);

export const FIELDS = [
  // Patient
  f('/patient/age_years', 'Age', 'number', { group: 'patient', unit: 'years', hint: 'Fractions allowed: 0.5 = six months' }),
  f('/patient/sex', 'Sex', 'enum', { group: 'patient', options: [['female', 'Female'], ['male', 'Male']] }),
  f('/patient/weight_kg', 'Weight', 'number', { group: 'patient', kind: 'weight' }),
  // 1.8 typed as a height is metres: 100 cm in a metre by the SI definition.
  f('/patient/height_cm', 'Height', 'number', { group: 'patient', kind: 'height', slips: [['metres', 100]] }),
  f('/patient/bsa_m2', 'Body surface area (optional override)', 'number', {
    group: 'patient', unit: 'm²', hint: 'Leave empty: computed from height and weight', show: onlyFor(SYSTEMIC),
  }),
  f('/patient/karnofsky', 'Karnofsky performance status', 'int', { group: 'patient', unit: '%', show: onlyFor(ONCOLOGY) }),
  f('/patient/tsc_definite', 'Definite TSC diagnosis', YESNO, { group: 'patient', show: onlyFor([...TSC, 'rcc']) }),
  f('/patient/rapamycin_hypersensitivity', 'Hypersensitivity to sirolimus or its derivatives', YESNO, { group: 'patient' }),
  f('/patient/pregnant', 'Pregnant', YESNO, { group: 'patient', show: (c) => c.sex !== 'male' }),
  f('/patient/breastfeeding', 'Breastfeeding', YESNO, { group: 'patient', show: (c) => c.sex !== 'male' }),
  f('/patient/reproductive_potential', 'Reproductive potential', YESNO, { group: 'patient' }),

  // Liver: the class, or the components that give it.
  f('/patient/hepatic/child_pugh_class', 'Child-Pugh class', 'enum', {
    group: 'liver', options: [['A', 'A'], ['B', 'B'], ['C', 'C']], show: onlyFor(SYSTEMIC),
    hint: 'Or give the components below and the engine scores them',
  }),
  f('/patient/hepatic/bilirubin_mg_dl', 'Bilirubin (for Child-Pugh)', 'number', { group: 'liver', kind: 'bilirubin', show: onlyFor(SYSTEMIC), sub: 'components' }),
  f('/patient/hepatic/albumin_g_dl', 'Albumin (for Child-Pugh)', 'number', { group: 'liver', kind: 'albumin', show: onlyFor(SYSTEMIC), sub: 'components' }),
  f('/patient/hepatic/inr', 'INR', 'number', { group: 'liver', unit: '', show: onlyFor(SYSTEMIC), sub: 'components' }),
  f('/patient/hepatic/ascites', 'Ascites', 'enum', {
    group: 'liver', options: [['none', 'None'], ['slight', 'Slight'], ['moderate', 'Moderate or more']], show: onlyFor(SYSTEMIC), sub: 'components',
  }),
  f('/patient/hepatic/encephalopathy', 'Hepatic encephalopathy', 'enum', {
    group: 'liver', options: [['none', 'None'], ['grade_1_2', 'Grade 1–2'], ['grade_3_4', 'Grade 3–4']], show: onlyFor(SYSTEMIC), sub: 'components',
  }),

  // Labs, each with the local limit beside it where the contract has one.
  ...[
    ['anc_per_ul', 'Neutrophils (ANC)', 'cells', 'anc_uln_per_ul', 'upper limit'],
    ['platelets_per_ul', 'Platelets', 'cells', 'platelets_uln_per_ul', 'upper limit'],
    ['hemoglobin_g_dl', 'Haemoglobin', 'hemoglobin', 'hemoglobin_lln_g_dl', 'lower limit'],
    ['calcium_mg_dl', 'Calcium (total)', 'calcium', 'calcium_uln_mg_dl', 'upper limit'],
    ['albumin_g_dl', 'Albumin', 'albumin', null],
    ['ldh_u_l', 'LDH', 'enzyme', 'ldh_uln_u_l', 'upper limit'],
    ['bilirubin_mg_dl', 'Bilirubin (total)', 'bilirubin', 'bilirubin_uln_mg_dl', 'upper limit'],
    ['ast_u_l', 'AST', 'enzyme', 'ast_uln_u_l', 'upper limit'],
    ['alt_u_l', 'ALT', 'enzyme', 'alt_uln_u_l', 'upper limit'],
    ['glucose_fasting_mg_dl', 'Glucose (fasting)', 'glucose', null],
    ['triglycerides_mg_dl', 'Triglycerides', 'triglycerides', null],
    ['cholesterol_mg_dl', 'Cholesterol (total)', 'cholesterol', null],
    ['creatinine_mg_dl', 'Creatinine', 'creatinine', 'creatinine_uln_mg_dl', 'upper limit'],
  ].flatMap(([key, label, kind, limit, limitText]) => {
    const lab = f(`/patient/labs/${key}`, label, 'number', { group: 'labs', kind, show: onlyFor(SYSTEMIC) });
    if (!limit) return [lab];
    lab.pair = `/patient/limits/${limit}`;
    // Beside its lab the limit reads "Local upper limit"; screen readers and
    // the printed summary get the full name.
    const lim = f(`/patient/limits/${limit}`, `${label}, local ${limitText}`, 'number', {
      group: 'labs', kind, show: onlyFor(SYSTEMIC), isLimit: true, short: `Local ${limitText}`, prefix: `${label}, `,
    });
    return [lab, lim];
  }),

  // Condition, one object per indication.
  f('/condition/aml/largest_diameter_cm', 'Largest AML diameter', 'number', { group: 'condition', unit: 'cm', cond: 'aml' }),
  f('/condition/aml/growth_cm_per_year', 'Growth', 'number', { group: 'condition', unit: 'cm/year', cond: 'aml', hint: 'Or the previous diameter and the interval below' }),
  f('/condition/aml/previous_largest_diameter_cm', 'Previous largest diameter', 'number', { group: 'condition', unit: 'cm', cond: 'aml' }),
  f('/condition/aml/months_between_measurements', 'Months between the two measurements', 'number', { group: 'condition', unit: 'months', cond: 'aml' }),
  f('/condition/aml/aneurysm_mm', 'Largest intralesional aneurysm', 'number', { group: 'condition', unit: 'mm', cond: 'aml' }),
  f('/condition/aml/high_tumor_burden', 'High overall tumour burden', YESNO, { group: 'condition', cond: 'aml' }),
  f('/condition/aml/acute_hemorrhage', 'Acute haemorrhage', YESNO, { group: 'condition', cond: 'aml' }),
  f('/condition/aml/needs_immediate_surgery', 'Needs immediate surgery or embolisation', YESNO, { group: 'condition', cond: 'aml' }),

  f('/condition/sega/needs_intervention', 'SEGA needs therapeutic intervention', YESNO, { group: 'condition', cond: 'sega' }),
  f('/condition/sega/curatively_resectable', 'Curatively resectable', YESNO, { group: 'condition', cond: 'sega' }),
  f('/condition/sega/acute_symptoms', 'Acute symptoms (e.g. hydrocephalus)', YESNO, { group: 'condition', cond: 'sega' }),
  f('/condition/sega/growing', 'Growing', YESNO, { group: 'condition', cond: 'sega' }),

  f('/condition/seizures/partial_onset', 'Partial-onset (focal) seizures', YESNO, { group: 'condition', cond: 'seizures' }),
  f('/condition/seizures/refractory', 'Refractory to antiseizure medicines', YESNO, { group: 'condition', cond: 'seizures' }),

  f('/condition/lam/fev1_percent_predicted', 'FEV1', 'number', { group: 'condition', unit: '% predicted', cond: 'lam' }),
  f('/condition/lam/fev1_decline_ml_per_year', 'FEV1 decline', 'number', { group: 'condition', unit: 'mL/year', cond: 'lam' }),
  f('/condition/lam/chylous_effusion', 'Chylous effusion', YESNO, { group: 'condition', cond: 'lam' }),

  f('/condition/rcc/histology', 'Histology', 'enum', {
    group: 'condition', cond: 'rcc',
    options: [['clear_cell', 'Clear cell'], ['papillary', 'Papillary'], ['chromophobe', 'Chromophobe'],
      ['unclassified', 'Unclassified'], ['other_non_clear_cell', 'Other non-clear-cell']],
  }),
  f('/condition/rcc/advanced', 'Advanced (unresectable or metastatic)', YESNO, { group: 'condition', cond: 'rcc' }),
  f('/condition/rcc/prior_therapies', 'Prior systemic therapies', 'list', {
    group: 'condition', cond: 'rcc', hint: 'Generic names separated by commas, e.g. sunitinib, pazopanib; type “none” if none',
  }),
  f('/condition/rcc/months_since_diagnosis', 'Months from diagnosis to now', 'number', { group: 'condition', unit: 'months', cond: 'rcc' }),
  f('/condition/rcc/metastatic_organ_sites', 'Metastatic organ sites', 'int', { group: 'condition', unit: 'sites', cond: 'rcc' }),
  f('/condition/rcc/tsc_associated', 'TSC-associated RCC', YESNO, { group: 'condition', cond: 'rcc' }),

  f('/condition/pecoma/malignant', 'Malignant', YESNO, { group: 'condition', cond: 'pecoma' }),
  f('/condition/pecoma/advanced', 'Locally advanced unresectable or metastatic', YESNO, { group: 'condition', cond: 'pecoma' }),

  f('/condition/breast/postmenopausal', 'Postmenopausal', YESNO, { group: 'condition', cond: 'breast' }),
  f('/condition/breast/hr_positive', 'Hormone-receptor positive', YESNO, { group: 'condition', cond: 'breast' }),
  f('/condition/breast/her2_negative', 'HER2 negative', YESNO, { group: 'condition', cond: 'breast' }),
  f('/condition/breast/prior_nonsteroidal_ai', 'Progressed after letrozole or anastrozole', YESNO, { group: 'condition', cond: 'breast' }),

  f('/condition/net/origin', 'Origin', 'enum', {
    group: 'condition', cond: 'net', options: [['pancreatic', 'Pancreatic'], ['gastrointestinal', 'Gastrointestinal'], ['lung', 'Lung']],
  }),
  f('/condition/net/progressive', 'Progressive', YESNO, { group: 'condition', cond: 'net' }),
  f('/condition/net/well_differentiated', 'Well differentiated', YESNO, { group: 'condition', cond: 'net' }),
  f('/condition/net/functional_carcinoid', 'Functional carcinoid tumour', YESNO, { group: 'condition', cond: 'net' }),

  // Current therapy.
  f('/therapy/current_dose_mg', 'Current dose per administration', 'number', { group: 'therapy', unit: 'mg' }),
  f('/therapy/frequency', 'Frequency', 'enum', { group: 'therapy', options: 'frequencies' }),
  f('/therapy/form', 'Dosage form', 'enum', { group: 'therapy', options: 'forms' }),
  f('/therapy/trough_ng_ml', 'Latest whole-blood trough', 'number', { group: 'therapy', kind: 'trough', show: (c) => TDM_DRUGS.includes(c.drug) }),
  f('/therapy/target_trough_ng_ml', 'Your target trough (optional)', 'number', {
    group: 'therapy', kind: 'trough', show: (c) => TDM_DRUGS.includes(c.drug), hint: 'Empty: the middle of the labelled range',
  }),
  f('/therapy/days_on_current_dose', 'Days on the current dose', 'number', { group: 'therapy', unit: 'days' }),
  f('/therapy/months_on_therapy', 'Months on therapy', 'number', { group: 'therapy', unit: 'months' }),
  f('/therapy/response', 'Response so far', 'enum', {
    group: 'therapy', options: [['responding', 'Responding'], ['stable', 'Stable'], ['progressing', 'Progressing'], ['unknown', 'Unknown']],
  }),

  f('/comedications', 'Other medicines', 'list', {
    group: 'comedications', hint: 'Generic names separated by commas, e.g. fluconazole, ramipril',
  }),
];

export const ALL_FREQUENCIES = [
  ['once_daily', 'Once daily'], ['every_other_day', 'Every other day'], ['twice_daily', 'Twice daily'],
  ['weekly', 'Weekly'], ['days_1_and_8_every_21_days', 'Days 1 and 8 of each 21-day cycle'],
];
export const ALL_FORMS = [
  ['tablet', 'Tablet'], ['tablet_for_oral_suspension', 'Tablet for oral suspension'],
  ['oral_solution', 'Oral solution'], ['iv_infusion', 'IV infusion'], ['topical_gel', 'Topical gel'],
];

export const AE_TERMS = [
  ['stomatitis', 'Stomatitis'], ['non_infectious_pneumonitis', 'Non-infectious pneumonitis'],
  ['hyperglycemia', 'Hyperglycemia'], ['dyslipidemia', 'Dyslipidaemia'], ['thrombocytopenia', 'Thrombocytopenia'],
  ['neutropenia', 'Neutropenia'], ['febrile_neutropenia', 'Febrile neutropenia'], ['infection', 'Infection'],
  ['other_non_hematologic', 'Other non-haematological'], ['anemia', 'Anaemia'], ['hypokalemia', 'Hypokalaemia'],
  ['hemorrhage', 'Haemorrhage'],
];

export const fieldByPath = new Map(FIELDS.map((x) => [x.path, x]));

// What each indication's questions need, asked first (after the indication's
// own condition fields, which always lead): basics for BSA only where the
// start is BSA-based, the current therapy, the liver where the label adjusts
// for it. Everything else the question accepts sits under "More (optional)";
// fields the engine names as missing join these while the question stays.
const THERAPY = ['/therapy/current_dose_mg', '/therapy/frequency'];
const TDM = ['/therapy/trough_ng_ml', '/therapy/days_on_current_dose'];
const BSA = ['/patient/weight_kg', '/patient/height_cm'];
const CP = '/patient/hepatic/child_pugh_class';
export const FORM_PLAN = {
  tsc_renal_aml: ['/patient/age_years', CP, ...THERAPY, ...TDM, '/comedications', 'adverse_events'],
  tsc_sega: ['/patient/age_years', ...BSA, CP, ...THERAPY, '/therapy/form', ...TDM, '/comedications', 'adverse_events'],
  tsc_seizures: ['/patient/age_years', ...BSA, CP, ...THERAPY, '/therapy/form', ...TDM, '/comedications', 'adverse_events'],
  tsc_facial_angiofibroma: ['/patient/age_years', '/patient/tsc_definite', '/patient/rapamycin_hypersensitivity'],
  lam: ['/patient/age_years', '/patient/rapamycin_hypersensitivity', CP, ...THERAPY, ...TDM, '/comedications', 'adverse_events'],
  rcc: ['/patient/age_years', CP, ...THERAPY, '/comedications', 'adverse_events'],
  pecoma: ['/patient/age_years', ...BSA, '/patient/labs/bilirubin_mg_dl', '/patient/limits/bilirubin_uln_mg_dl', ...THERAPY, '/comedications', 'adverse_events'],
  breast_hr_positive: ['/patient/age_years', '/patient/sex', CP, ...THERAPY, '/comedications', 'adverse_events'],
  net: ['/patient/age_years', CP, ...THERAPY, '/comedications', 'adverse_events'],
  hnscc: ['/patient/age_years'],
};

// Is the field asked up front for this indication (else under "More")?
// `promoted`: paths the engine asked for, or that hold an imported value.
export function isPrimary(field, indication, promoted = new Set()) {
  if (field.cond) return CONDITION_KEY[indication] === field.cond;
  return (FORM_PLAN[indication] || []).includes(field.path) || promoted.has(field.path);
}
export const aesUpFront = (indication) => (FORM_PLAN[indication] || []).includes('adverse_events');

// Is the field part of this question? ctx = { indication, drug, sex }.
export function isShown(field, ctx) {
  if (!ctx.indication) return false;
  if (field.cond && CONDITION_KEY[ctx.indication] !== field.cond) return false;
  return field.show ? field.show(ctx) : true;
}

// The unit kind of a field for a drug (trough fields depend on the drug).
export function kindOf(field, drug) {
  if (field.kind === 'trough') return troughKind(drug) || 'trough_everolimus';
  return field.kind || null;
}

// Turns one typed text into the request value, in canonical units.
// Numbers that do not parse are passed on as the text typed, so that the
// engine (the one validator) reports wrong_type next to the field.
export function valueFromText(field, text, units, drug) {
  if (field.type === 'number' || field.type === 'int') {
    const n = parseTyped(text);
    if (n === null) return undefined;
    if (Number.isNaN(n)) return String(text).trim();
    const kind = kindOf(field, drug);
    return kind ? toCanonical(kind, n, units[systemOf(kind)]) : n;
  }
  if (field.type === 'tri') return text === 'yes' ? true : text === 'no' ? false : undefined;
  if (field.type === 'enum') return text === '' || text == null ? undefined : text;
  if (field.type === 'list') {
    const t = String(text ?? '').trim();
    if (t === '') return undefined;
    if (/^(none|nil|no|-|—)$/i.test(t)) return [];
    return t.split(/[,;\n]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
  }
  return text;
}

// Sets obj at a JSON Pointer, creating objects on the way.
export function setAt(obj, pointer, value) {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let o = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    if (typeof o[parts[i]] !== 'object' || o[parts[i]] === null) o[parts[i]] = {};
    o = o[parts[i]];
  }
  o[parts[parts.length - 1]] = value;
}

export function getAt(obj, pointer) {
  if (pointer === '') return obj;
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let o = obj;
  for (const p of parts) {
    if (o === null || typeof o !== 'object' || !(p in o)) return undefined;
    o = o[p];
  }
  return o;
}

// The request for the current form state. `values` maps path → request value
// (already canonical); only fields shown for this question are sent, so a
// value typed for another indication is kept in the form but never sent.
export function buildRequest({ indication, drug, values, adverseEvents, troughHistory }, ctx, shown = (field) => isShown(field, ctx)) {
  const req = { contract: CONTRACT, indication };
  if (drug) req.drug = drug;
  for (const field of FIELDS) {
    if (!shown(field)) continue;
    const v = values[field.path];
    if (v === undefined) continue;
    setAt(req, field.path, v);
  }
  // A row with an event but no grade yet is being filled in: it is left out
  // (the page says it waits for the grade) rather than sent as an error.
  const aes = (adverseEvents || []).filter((a) => a.term && !isPendingAe(a));
  if (aes.length) {
    req.adverse_events = aes.map((a) => ({ term: a.term, grade: Number(a.grade), recurrent: Boolean(a.recurrent) }));
  }
  if (troughHistory?.length && TDM_DRUGS.includes(ctx.drug)) setAt(req, '/therapy/trough_history', troughHistory);
  return req;
}

export const isPendingAe = (a) => Boolean(a.term) && (a.grade === undefined || a.grade === '' || a.grade === null);

// ---- errors in words ----------------------------------------------------------
const ERROR_WORDS = {
  wrong_type: 'is not a number — type digits only, e.g. 12.5',
  missing_required: 'is needed',
  not_allowed: 'is not one of the choices',
  unknown_field: 'is not a field this calculator knows',
  too_long: 'is too long',
  malformed_json: 'could not be read',
};

// The error as a clinician reads it, at its field. `e` is the engine's error
// ({path, code, message} and, from newer engines, min/max/unit/suggestion);
// `unit` the field's canonical unit; `slip(value)` → a suggestion or ''.
export function plainError(e, field, unit, slip = () => '') {
  if (e.code === 'out_of_range') {
    let { min, max } = e;
    let got = e.value;
    const m = /between (-?[\d.e+]+) and (-?[\d.e+]+), got (-?[\d.e+]+)/i.exec(e.message || '');
    if (m) {
      min ??= Number(m[1]);
      max ??= Number(m[2]);
      got ??= Number(m[3]);
    }
    const u = e.unit ?? unit ?? '';
    const withUnit = (x) => (u ? `${x} ${u}` : String(x));
    if (Number.isFinite(min) && Number.isFinite(max) && got !== undefined && Number.isFinite(Number(got))) {
      const hint = e.suggestion || slip(Number(got), min, max);
      return `${withUnit(got)} is outside ${min}–${withUnit(max)} — check the value and its unit.${hint ? ` ${hint}` : ''}`;
    }
    if (/at most (\d+)/.test(e.message || '')) return `Too many entries: ${e.message}.`;
    return `This value is outside the range the calculator accepts (${e.message}).${e.suggestion ? ` ${e.suggestion}` : ''}`;
  }
  const name = field ? field.label : 'This value';
  const words = ERROR_WORDS[e.code];
  if (words) return `${name} ${words}.`;
  // An unknown code: the engine's message is plain already for these, and
  // "expected a number, got a string" style type talk is never shown.
  if (/expected .* got/i.test(e.message || '')) return `${name} has the wrong kind of value.`;
  return `${name}: ${e.message}`;
}

// A human name for a JSON Pointer the engine mentions (missing inputs,
// errors): the field's label, or the pointer itself when the page has no
// field for it.
export function labelForPointer(pointer) {
  const field = fieldByPath.get(pointer);
  if (field) return field.label;
  const ae = /^\/adverse_events\/(\d+)(?:\/(\w+))?$/.exec(pointer);
  if (ae) return `Adverse event ${Number(ae[1]) + 1}${ae[2] ? `, ${ae[2]}` : ''}`;
  const list = /^(\/comedications|\/condition\/rcc\/prior_therapies)\/\d+$/.exec(pointer);
  if (list) return fieldByPath.get(list[1]).label;
  if (pointer === '/drug') return 'Drug';
  if (pointer === '/indication') return 'Indication';
  return pointer;
}

// The field an engine error or missing pointer belongs to (for placing the
// message next to it): the exact field, or the nearest ancestor that is one.
export function fieldForPointer(pointer) {
  let p = pointer;
  while (p) {
    if (fieldByPath.has(p)) return fieldByPath.get(p);
    p = p.slice(0, p.lastIndexOf('/'));
  }
  return null;
}

// ---- grade descriptions ---------------------------------------------------------
// What each CTCAE grade of an adverse event means, where the engine's content
// defines it by a laboratory value (content.ctcae.lab_terms: platelets for
// thrombocytopenia, ANC for neutropenia, haemoglobin for anaemia, fasting
// glucose, cholesterol and triglycerides). A lab term acts for the event it
// names (adverse_event), else for the event of its own name (anemia).
// `fmt(path, value)` writes a canonical value in the units the clinician reads.
// → { grade: 'platelets < 50000 /µL' , … } ({} when the content has none).
export function gradeDescriptions(ctcae, term, fmt) {
  const out = {};
  for (const [key, t] of Object.entries(ctcae?.lab_terms || {})) {
    if ((t.adverse_event ?? key) !== term || !Array.isArray(t.bands)) continue;
    const path = `/patient/labs/${t.field}`;
    const name = fieldByPath.get(path)?.label || t.field;
    for (const b of t.bands) {
      const op = ['lt', 'gt', 'ge'].find((k) => k in b);
      if (!op || !Number.isInteger(b.grade)) continue;
      const v = b[op];
      const sign = { lt: '<', gt: '>', ge: '≥' }[op];
      let text;
      if (typeof v === 'number') text = `${name} ${sign} ${fmt(path, v)}`;
      else if (v && typeof v.limit === 'string') {
        const which = /_lln_/.test(v.limit) ? 'lower limit of normal' : 'upper limit of normal';
        text = `${name} ${sign} ${v.times && v.times !== 1 ? `${v.times} × ` : ''}the ${which}`;
      } else continue;
      const version = t.version ? ` (CTCAE ${t.version})` : '';
      // Two laboratory terms for one event (dyslipidaemia): either meets the grade.
      out[b.grade] = out[b.grade] ? `${out[b.grade].replace(/ \(CTCAE [^)]*\)$/, '')} or ${text}${version}` : `${text}${version}`;
    }
  }
  // A clinically graded event: CTCAE's words for its term (content
  // "ctcae.clinical_terms"), where no laboratory value defines the grade.
  const clinical = ctcae?.clinical_terms?.[term];
  if (clinical && clinical.grades && typeof clinical.grades === 'object') {
    for (const [g, text] of Object.entries(clinical.grades)) {
      if (out[g] || typeof text !== 'string') continue;
      out[g] = clinical.version ? `${text} (CTCAE ${clinical.version})` : text;
    }
  }
  return out;
}
