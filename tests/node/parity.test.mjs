// CLI (native) and Node (wasm) give byte-identical responses: over every case
// file's request (tests/cases) and over generated requests —
// valid ones for every indication and drug, and mutated ones (wrong types,
// out-of-range numbers, unknown fields and values) — from a fixed seed.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine, cliEvaluate, cliEvaluateLines, caseRequests, assertWellFormed } from './parity-helpers.mjs';

// mulberry32: a small deterministic PRNG.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INDICATIONS = ['tsc_renal_aml', 'tsc_sega', 'tsc_seizures', 'tsc_facial_angiofibroma', 'lam', 'rcc', 'pecoma',
  'breast_hr_positive', 'net', 'hnscc'];
const DRUGS = [undefined, 'everolimus', 'sirolimus', 'sirolimus_topical', 'temsirolimus', 'nab_sirolimus'];
const COMEDS = ['fluconazole', 'ketoconazole', 'rifampin', 'verapamil', 'paracetamol', 'cyclosporine', 'lisinopril',
  'mmr vaccine', 'grapefruit juice', 'St John\u2019s wort'];
const TERMS = ['stomatitis', 'non_infectious_pneumonitis', 'hyperglycemia', 'dyslipidemia', 'thrombocytopenia',
  'neutropenia', 'febrile_neutropenia', 'infection', 'other_non_hematologic', 'anemia', 'hypokalemia', 'hemorrhage'];
const FORMS = ['tablet', 'tablet_for_oral_suspension', 'oral_solution', 'iv_infusion', 'topical_gel'];
const FREQS = ['once_daily', 'every_other_day', 'twice_daily', 'weekly', 'days_1_and_8_every_21_days'];

function generate(r) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const num = (lo, hi, dp = 1) => Math.round((lo + (hi - lo) * r()) * 10 ** dp) / 10 ** dp;
  const maybe = (p, f) => (r() < p ? f() : undefined);
  const req = { contract: 'mtor-calc/1', indication: pick(INDICATIONS) };
  const drug = pick(DRUGS);
  if (drug) req.drug = drug;
  req.patient = {
    age_years: num(0.5, 90), sex: pick(['female', 'male']), weight_kg: num(5, 140), height_cm: num(60, 200),
    karnofsky: maybe(0.3, () => 10 * Math.floor(r() * 11)), tsc_definite: maybe(0.5, () => r() < 0.8),
    hepatic: maybe(0.3, () => (r() < 0.5 ? { child_pugh_class: pick(['A', 'B', 'C']) }
      : { bilirubin_mg_dl: num(0.3, 5), albumin_g_dl: num(2, 5), inr: num(0.9, 3), ascites: pick(['none', 'slight', 'moderate']),
        encephalopathy: pick(['none', 'grade_1_2', 'grade_3_4']) })),
    labs: maybe(0.3, () => ({ anc_per_ul: num(200, 8000, 0), platelets_per_ul: num(20000, 400000, 0), hemoglobin_g_dl: num(7, 16),
      calcium_mg_dl: num(8, 12), albumin_g_dl: num(2, 5), ldh_u_l: num(100, 800, 0), glucose_fasting_mg_dl: num(70, 400, 0) })),
    limits: maybe(0.2, () => ({ hemoglobin_lln_g_dl: 12, calcium_uln_mg_dl: 10.2, ldh_uln_u_l: 250 })),
  };
  req.condition = {
    aml: maybe(0.3, () => ({ largest_diameter_cm: num(0.5, 12), growth_cm_per_year: num(-1, 2), aneurysm_mm: num(0, 8) })),
    sega: maybe(0.3, () => ({ needs_intervention: r() < 0.8, curatively_resectable: r() < 0.2, growing: r() < 0.7 })),
    seizures: maybe(0.3, () => ({ partial_onset: r() < 0.9, refractory: r() < 0.8 })),
    lam: maybe(0.3, () => ({ fev1_percent_predicted: num(20, 100), fev1_decline_ml_per_year: num(-50, 200) })),
    rcc: maybe(0.4, () => ({ histology: pick(['clear_cell', 'papillary', 'chromophobe']), advanced: r() < 0.9,
      prior_therapies: r() < 0.6 ? [pick(['sunitinib', 'sorafenib', 'cabozantinib'])] : [],
      months_since_diagnosis: num(0, 60), metastatic_organ_sites: Math.floor(r() * 4) })),
    pecoma: maybe(0.3, () => ({ malignant: r() < 0.9, advanced: r() < 0.9 })),
    breast: maybe(0.3, () => ({ postmenopausal: r() < 0.9, hr_positive: true, her2_negative: true, prior_nonsteroidal_ai: r() < 0.8 })),
    net: maybe(0.3, () => ({ origin: pick(['pancreatic', 'gastrointestinal', 'lung']), progressive: r() < 0.9, well_differentiated: true })),
  };
  req.therapy = maybe(0.4, () => ({ current_dose_mg: pick([2, 2.5, 5, 7.5, 10, 15, 25, 100]), form: pick(FORMS),
    frequency: pick(FREQS), trough_ng_ml: maybe(0.7, () => num(1, 30)), days_on_current_dose: Math.floor(r() * 30),
    months_on_therapy: maybe(0.3, () => num(0, 24)), response: maybe(0.3, () => pick(['responding', 'stable', 'progressing', 'unknown'])) }));
  req.comedications = maybe(0.4, () => Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(COMEDS)));
  req.adverse_events = maybe(0.3, () => [{ term: pick(TERMS), grade: 1 + Math.floor(r() * 4), recurrent: r() < 0.3 }]);
  return JSON.parse(JSON.stringify(req)); // drops the undefined members
}

// A mutation: a wrong type, an out-of-range or extreme number, an unknown
// field or value, a deleted required field, a null.
function mutate(req, r) {
  const paths = [];
  const walk = (o, p) => {
    for (const [k, v] of Object.entries(o)) {
      paths.push([...p, k]);
      if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, [...p, k]);
    }
  };
  walk(req, []);
  const path = paths[Math.floor(r() * paths.length)];
  const parent = path.slice(0, -1).reduce((o, k) => o[k], req);
  const key = path[path.length - 1];
  const choices = ['x', -1, 1e308, 0, true, null, [], {}, 'NaN', 1.5, 'unknown_value_', 3.14159265358979, -0.0001, 999999];
  const m = Math.floor(r() * 4);
  if (m === 0) parent[key] = choices[Math.floor(r() * choices.length)];
  else if (m === 1) delete parent[key];
  else if (m === 2) parent[key + '_typo'] = 1;
  else parent[key] = typeof parent[key] === 'number' ? parent[key] * -1000 : String(parent[key]) + 'x';
  return req;
}

test('case files: CLI and Node wasm give the same bytes', async () => {
  const engine = await loadEngine();
  const cases = caseRequests();
  assert.ok(cases.length > 0, 'no case files found');
  const oneLine = cases.filter((c) => c.text.length > 0 && !/[\r\n]/.test(c.text));
  const native = cliEvaluateLines(oneLine.map((c) => c.text));
  oneLine.forEach((c, i) => {
    assertWellFormed(native[i], c.file);
    assert.equal(engine.evaluate(c.text), native[i], `${c.file}: CLI and Node wasm differ`);
  });
  for (const c of cases.filter((x) => !oneLine.includes(x)))
    assert.equal(engine.evaluate(c.text), cliEvaluate(c.text), `${c.file}: CLI and Node wasm differ`);
});

test('generated requests: CLI and Node wasm give the same bytes', async () => {
  const engine = await loadEngine();
  const r = rng(Number(process.env.MTORCALC_PARITY_SEED || 7));
  const n = Number(process.env.MTORCALC_PARITY_N || 1500);
  const texts = [];
  for (let i = 0; i < n; i++) {
    const req = generate(r);
    texts.push(JSON.stringify(i % 3 === 2 ? mutate(req, r) : req));
  }
  const native = cliEvaluateLines(texts);
  let ok = 0;
  texts.forEach((t, i) => {
    const wasm = engine.evaluate(t);
    assert.equal(wasm, native[i], `CLI and Node wasm differ for ${t}`);
    ok += assertWellFormed(wasm, t).status === 'ok';
  });
  assert.ok(ok > n / 3, `only ${ok} of ${n} generated requests were valid`);
});
