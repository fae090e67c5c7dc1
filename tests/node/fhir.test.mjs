// web/fhir.js on hand-written FHIR R4 Bundles: every LOINC code it reads,
// every UCUM conversion (by equivalence with web/units.js), the most recent
// result of each test, stale flags on both sides of each limit, what is
// listed as not used, and every kind of hostile Bundle (refused whole, with
// a located message).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as F from '../../web/fhir.js';
import * as U from '../../web/units.js';

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0); // 2026-12-06T12:00Z
const DAY = 86400000;
const day = (daysAgo) => new Date(NOW - daysAgo * DAY).toISOString().slice(0, 10);

const bundle = (resources, type = 'collection') => ({
  resourceType: 'Bundle', type, entry: resources.map((resource) => ({ resource })),
});
const patient = (more = {}) => ({ resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1980-05-20', ...more });
let seq = 0;
const obs = (code, value, unit, more = {}) => ({
  resourceType: 'Observation', id: `o${++seq}`, status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: day(2),
  valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  ...more,
});
const med = (text, more = {}) => ({
  resourceType: 'MedicationStatement', id: `m${++seq}`, status: 'active', subject: { reference: 'Patient/p1' },
  medicationCodeableConcept: { text }, ...more,
});
const read = (b, opts = {}) => F.bundleToCase(b, { now: NOW, ...opts });
const ok = (b, opts) => {
  const r = read(b, opts);
  assert.ok(r.ok, r.error);
  return r;
};
const refused = (b, pattern, opts) => {
  const r = read(b, opts);
  assert.equal(r.ok, false, `expected the Bundle to be refused (${pattern})`);
  assert.match(r.error, pattern);
  return r;
};
const close = (a, b, msg) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${msg}: ${a} ≠ ${b}`);

// ---- each LOINC code ----------------------------------------------------------------------
const CASES = [
  // code, value, UCUM unit, field, expected canonical value
  ['29463-7', 70, 'kg', '/patient/weight_kg', 70],
  ['8302-2', 170, 'cm', '/patient/height_cm', 170],
  ['751-8', 1.5, '10*9/L', '/patient/labs/anc_per_ul', 1500],
  ['777-3', 200, '10*3/uL', '/patient/labs/platelets_per_ul', 200000],
  ['718-7', 13.5, 'g/dL', '/patient/labs/hemoglobin_g_dl', 13.5],
  ['17861-6', 2.5, 'mmol/L', '/patient/labs/calcium_mg_dl', 10.02],
  ['1751-7', 35, 'g/L', '/patient/labs/albumin_g_dl', 3.5],
  ['2532-0', 220, 'U/L', '/patient/labs/ldh_u_l', 220],
  ['14804-9', 230, '[IU]/L', '/patient/labs/ldh_u_l', 230],
  ['1975-2', 17.1, 'umol/L', '/patient/labs/bilirubin_mg_dl', 1],
  ['1920-8', 1, 'ukat/L', '/patient/labs/ast_u_l', 60],
  ['1742-6', 40, 'U/L', '/patient/labs/alt_u_l', 40],
  ['1558-6', 7, 'mmol/L', '/patient/labs/glucose_fasting_mg_dl', 126],
  ['2571-8', 150, 'mg/dL', '/patient/labs/triglycerides_mg_dl', 150],
  ['35217-9', 1.7, 'mmol/L', '/patient/labs/triglycerides_mg_dl', U.toCanonical('triglycerides', 1.7, 'si')],
  ['2093-3', 200, 'mg/dL', '/patient/labs/cholesterol_mg_dl', 200],
  ['14647-2', 5.172, 'mmol/L', '/patient/labs/cholesterol_mg_dl', U.toCanonical('cholesterol', 5.172, 'si')],
  ['2160-0', 1.1, 'mg/dL', '/patient/labs/creatinine_mg_dl', 1.1],
  ['14682-9', 88.4, 'umol/L', '/patient/labs/creatinine_mg_dl', 1],
  ['6301-6', 1.1, '{INR}', '/patient/hepatic/inr', 1.1],
];

test('every LOINC code in the table is read into its field', () => {
  const tested = new Set([...CASES.map((c) => c[0]), '77349-9', '29247-4', '115766-8']);
  assert.deepEqual([...tested].sort(), Object.keys(F.LOINC).sort(), 'each code of the table has a case here');
  for (const [code, value, unit, path, expected] of CASES) {
    const r = ok(bundle([patient(), obs(code, value, unit)]));
    close(r.values[path], expected, `${code} ${value} ${unit}`);
    assert.match(r.provenance[path].resource, new RegExp(`^Observation/o\\d+ \\(${F.LOINC[code].name.replace(/[[\]().*+?^$|\\]/g, '\\$&')}\\)$`));
    assert.equal(r.provenance[path].date, day(2));
    assert.deepEqual(r.unmapped, []);
  }
  for (const [code, drug] of [['77349-9', 'everolimus'], ['29247-4', 'sirolimus'], ['115766-8', 'sirolimus']]) {
    const r = ok(bundle([patient(), obs(code, 7.5, 'ng/mL')]), { drug });
    assert.deepEqual(r.troughs.map(({ date, dose_mg, trough_ng_ml }) => ({ date, dose_mg, trough_ng_ml })),
      [{ date: day(2), dose_mg: null, trough_ng_ml: 7.5 }], code);
  }
  for (const spec of Object.values(F.LOINC)) assert.ok(spec.source && spec.name, 'every code names its source');
});

// ---- unit conversions ---------------------------------------------------------------------
test('UCUM units convert by equivalence with units.js (both directions)', () => {
  // mass and molar forms of one canonical value land on the same number
  const molar = { bilirubin: 'umol/L', creatinine: 'umol/L', calcium: 'mmol/L', glucose: 'mmol/L', cholesterol: 'mmol/L', triglycerides: 'mmol/L' };
  for (const [kind, unit] of Object.entries(molar)) {
    for (const x of [0.3, 1, 4.2, 126, 250]) {
      close(F.toCanonicalFromUcum(kind, U.fromCanonical(kind, x, 'si'), unit), x, `${kind} ${unit}`);
      // the same amount in another prefix: mmol ↔ µmol
      const other = unit === 'umol/L' ? 'mmol/L' : 'umol/L';
      const scale = unit === 'umol/L' ? 1e-3 : 1e3;
      close(F.toCanonicalFromUcum(kind, U.fromCanonical(kind, x, 'si') * scale, other), x, `${kind} ${other}`);
      close(F.toCanonicalFromUcum(kind, x * 10, 'mg/L'), x, `${kind} mg/L`);
      close(F.toCanonicalFromUcum(kind, x, 'mg/dL'), x, `${kind} mg/dL`);
    }
  }
  for (const kind of ['albumin', 'hemoglobin']) {
    close(F.toCanonicalFromUcum(kind, 35, 'g/L'), 3.5, kind);
    close(F.toCanonicalFromUcum(kind, 3500, 'mg/dL'), 3.5, kind);
    close(F.toCanonicalFromUcum(kind, 3.5, 'g/dL'), 3.5, kind);
  }
  for (const [value, unit] of [[1.5, '10*9/L'], [1.5, '10*3/uL'], [1.5, '10*3/mm3'], [1500, '/uL'], [1500, '{cells}/uL'], [1500, '/mm3'], [1.5e9, '/L']])
    close(F.toCanonicalFromUcum('cells', value, unit), 1500, `cells ${unit}`);
  close(F.toCanonicalFromUcum('cells', U.fromCanonical('cells', 2750, 'si'), '10*9/L'), 2750, 'cells via units.js');
  for (const [value, unit] of [[70, 'kg'], [70000, 'g'], [U.fromCanonical('weight', 70, 'imperial'), '[lb_av]']])
    close(F.toCanonicalFromUcum('weight', value, unit), 70, `weight ${unit}`);
  close(F.toCanonicalFromUcum('weight', 154.32358352941436, '[lb_av]'), 70, 'pounds');
  for (const [value, unit] of [[170, 'cm'], [1.7, 'm'], [1700, 'mm'], [U.fromCanonical('height', 170, 'imperial'), '[in_i]']])
    close(F.toCanonicalFromUcum('height', value, unit), 170, `height ${unit}`);
  close(F.toCanonicalFromUcum('height', 66.92913385826772, '[in_i]'), 170, 'inches');
  for (const [value, unit] of [[45, 'U/L'], [45, '[IU]/L'], [0.045, 'U/mL'], [0.75, 'ukat/L'], [750, 'nkat/L']])
    close(F.toCanonicalFromUcum('enzyme', value, unit), 45, `enzyme ${unit}`);
  for (const drug of ['everolimus', 'sirolimus']) {
    const kind = U.troughKind(drug);
    for (const x of [3, 7.5, 15]) {
      close(F.toCanonicalFromUcum(kind, x, 'ng/mL'), x, `${drug} ng/mL`);
      close(F.toCanonicalFromUcum(kind, x, 'ug/L'), x, `${drug} ug/L`);
      close(F.toCanonicalFromUcum(kind, U.fromCanonical(kind, x, 'molar'), 'nmol/L'), x, `${drug} nmol/L`);
    }
  }
  close(F.toCanonicalFromUcum('trough_everolimus', 10.436, 'nmol/L'), 10.436 * 0.9582, 'everolimus 10.436 nmol/L');
  for (const unit of ['1', '{INR}', '{ratio}', '']) assert.equal(F.toCanonicalFromUcum('ratio', 1.2, unit), 1.2);
});

test('units that do not convert to the field are refused, not guessed', () => {
  const bad = [
    ['weight', '[stone_av]'], ['weight', 'cm'], ['height', 'kg'], ['hemoglobin', 'mmol/L'], ['albumin', 'umol/L'],
    ['calcium', 'meq/L'], ['cells', '%'], ['enzyme', 'mg/dL'], ['ratio', 's'], ['creatinine', 'U/L'], ['trough_everolimus', 'mmol'],
  ];
  for (const [kind, unit] of bad) assert.equal(F.toCanonicalFromUcum(kind, 5, unit), null, `${kind} in ${unit}`);
  refused(bundle([patient(), obs('29463-7', 11, '[stone_av]')]), /entry\[1\]\.resource\.valueQuantity: .*Body weight.*"\[stone_av\]", which does not convert/);
  refused(bundle([patient(), obs('718-7', 8.4, 'mmol/L')]), /Hemoglobin.*"mmol\/L"/);
});

test('the printed unit is used when the quantity has no UCUM code', () => {
  const o = obs('29463-7', 70, 'kg');
  o.valueQuantity = { value: 154.32358352941436, unit: '[lb_av]' };
  close(ok(bundle([patient(), o])).values['/patient/weight_kg'], 70, 'unit only');
  o.valueQuantity = { value: 70, unit: 'kilograms', system: 'http://unitsofmeasure.org', code: 'kg' };
  close(ok(bundle([patient(), o])).values['/patient/weight_kg'], 70, 'UCUM code preferred');
});

// ---- patient ------------------------------------------------------------------------------
test('age and sex come from Patient', () => {
  let r = ok(bundle([patient({ birthDate: '1980-12-07', gender: 'male' })]));
  assert.equal(r.values['/patient/age_years'], 45, 'the birthday is tomorrow');
  assert.equal(r.values['/patient/sex'], 'male');
  r = ok(bundle([patient({ birthDate: '1980-12-06' })]));
  assert.equal(r.values['/patient/age_years'], 46, 'the birthday is today');
  r = ok(bundle([patient({ birthDate: '2026-06-06' })]));
  assert.equal(r.values['/patient/age_years'], 0.5, 'six months');
  r = ok(bundle([patient({ birthDate: '2024-12-07' })]));
  assert.equal(r.values['/patient/age_years'], 1.92, '23 completed months');
  r = ok(bundle([patient({ birthDate: '2024-12-06' })]));
  assert.equal(r.values['/patient/age_years'], 2);
  assert.deepEqual(r.provenance['/patient/age_years'], { resource: 'Patient/p1', date: '2024-12-06', what: 'birth date' });
});

// ---- most recent, stale ------------------------------------------------------------------
test('the most recent result of each test is used, whatever the order and the code', () => {
  const older = obs('2160-0', 1.4, 'mg/dL', { effectiveDateTime: day(10) });
  const newer = obs('14682-9', 97.24, 'umol/L', { effectiveDateTime: day(3) });
  for (const list of [[older, newer], [newer, older]]) {
    const r = ok(bundle([patient(), ...list]));
    close(r.values['/patient/labs/creatinine_mg_dl'], 1.1, 'the newer one');
    assert.equal(r.provenance['/patient/labs/creatinine_mg_dl'].date, day(3));
    assert.match(r.notes.join(' '), /most recent of 2 results/);
  }
  // dateTimes with offsets are compared as instants
  const a = obs('29463-7', 70, 'kg', { effectiveDateTime: '2026-12-01T08:00:00+02:00' }); // 06:00Z
  const b = obs('29463-7', 71, 'kg', { effectiveDateTime: '2026-12-01T07:00:00Z' });
  assert.equal(ok(bundle([patient(), b, a])).values['/patient/weight_kg'], 71);
  // effectivePeriod (its end) and issued are dates too
  const p = obs('29463-7', 72, 'kg', { effectiveDateTime: undefined, effectivePeriod: { start: day(9), end: day(1) } });
  assert.equal(ok(bundle([patient(), p, obs('29463-7', 70, 'kg')])).values['/patient/weight_kg'], 72);
  const i = obs('29463-7', 73, 'kg', { effectiveDateTime: undefined, issued: `${day(0)}T10:00:00Z` });
  assert.equal(ok(bundle([patient(), i, obs('29463-7', 70, 'kg')])).values['/patient/weight_kg'], 73);
});

test('stale values are flagged on both sides of each limit', () => {
  for (const [code, unit, path, limit] of [
    ['2160-0', 'mg/dL', '/patient/labs/creatinine_mg_dl', F.STALE_DAYS.lab],
    ['29463-7', 'kg', '/patient/weight_kg', F.STALE_DAYS.weight],
    ['8302-2', 'cm', '/patient/height_cm', F.STALE_DAYS.height],
  ]) {
    const at = (days) => ok(bundle([patient(), obs(code, 1, unit, { effectiveDateTime: day(days) })])).provenance[path];
    assert.equal(at(limit).stale, false, `${path}: ${limit} days is not stale`);
    const p = at(limit + 1);
    assert.equal(p.stale, true, `${path}: ${limit + 1} days is stale`);
    assert.equal(p.age_days, limit + 1);
    assert.match(F.provenanceText(p), new RegExp(`${limit + 1} days old, older than ${limit}`));
  }
  assert.deepEqual(F.STALE_DAYS, { lab: 30, weight: 90, height: 365 });
  const r = ok(bundle([patient(), obs('1742-6', 40, 'U/L', { effectiveDateTime: day(45) })]));
  assert.match(F.bundleSummaryText(r), /1 value\(s\) are older than the stated limit/);
});

test('reference ranges fill the local limits', () => {
  const o = obs('1742-6', 40, 'U/L', { referenceRange: [{ low: { value: 7, unit: 'U/L' }, high: { value: 0.93, unit: 'ukat/L', code: 'ukat/L', system: 'http://unitsofmeasure.org' } }] });
  const hb = obs('718-7', 120, 'g/L', { referenceRange: [{ low: { value: 120 }, high: { value: 160 } }] });
  const r = ok(bundle([patient(), o, hb]));
  close(r.values['/patient/limits/alt_uln_u_l'], 55.8, 'ALT ULN from µkat/L');
  close(r.values['/patient/limits/hemoglobin_lln_g_dl'], 12, 'Hb LLN in the value unit');
  assert.equal(r.provenance['/patient/limits/alt_uln_u_l'].what, 'reference range');
  refused(bundle([patient(), obs('1742-6', 40, 'U/L', { referenceRange: [{ high: { value: 1, unit: 'mg' } }] })]), /referenceRange\[0\]\.high: "mg" does not convert/);
});

// ---- troughs and medicines ------------------------------------------------------------------
test('troughs go into the history of the form drug, oldest first, with their dates', () => {
  const t = (value, unit, days, code = '77349-9') => obs(code, value, unit, { effectiveDateTime: day(days) });
  const list = [t(9.1, 'ng/mL', 3), t(U.fromCanonical('trough_everolimus', 4.2, 'molar'), 'nmol/L', 40), t(6, 'ug/L', 20)];
  for (const drug of ['everolimus', '']) {
    const r = ok(bundle([patient(), ...list]), { drug });
    assert.deepEqual(r.troughs.map((x) => x.date), [day(40), day(20), day(3)]);
    r.troughs.forEach((x, k) => close(x.trough_ng_ml, [4.2, 6, 9.1][k], 'trough'));
    assert.ok(r.troughs.every((x) => x.dose_mg === null), 'the dose is left for the clinician');
  }
  // the form is about sirolimus: everolimus troughs are listed, not used
  let r = ok(bundle([patient(), obs('2160-0', 1, 'mg/dL'), ...list]), { drug: 'sirolimus' });
  assert.deepEqual(r.troughs, []);
  assert.equal(r.unmapped.filter((u) => /everolimus trough not added/.test(u)).length, 3);
  // troughs of two drugs and no drug chosen: neither is guessed
  r = ok(bundle([patient(), obs('2160-0', 1, 'mg/dL'), t(5, 'ng/mL', 2), t(6, 'ng/mL', 2, '29247-4')]));
  assert.deepEqual(r.troughs, []);
  assert.equal(r.unmapped.filter((u) => /choose the drug first/.test(u)).length, 2);
  assert.match(F.bundleSummaryText(ok(bundle([patient(), ...list]))), /3 trough\(s\) added to the history/);
});

test('active medicines become generic names; others are listed', () => {
  const rx = (display, code) => ({ coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code, display }] });
  const r = ok(bundle([
    patient(),
    med('Fluconazole 150 MG Oral Tablet [Diflucan]'),
    med(undefined, { medicationCodeableConcept: rx('amlodipine 5 MG / benazepril hydrochloride 10 MG Oral Capsule', '1') }),
    { resourceType: 'MedicationRequest', id: 'r1', status: 'active', subject: { reference: 'Patient/p1' }, medicationReference: { reference: 'Medication/x' } },
    { resourceType: 'Medication', id: 'x', code: { text: 'Rifampin' } },
    med('Everolimus 10 MG Oral Tablet'),
    med('fluconazole'),
    med('Ketoconazole', { status: 'completed' }),
    med(undefined, { medicationCodeableConcept: rx(undefined, '12345') }),
    med(undefined, { medicationCodeableConcept: undefined, medicationReference: { reference: '#c1' }, contained: [{ resourceType: 'Medication', id: 'c1', code: { text: 'Clarithromycin 500 MG' } }] }),
  ]));
  assert.deepEqual(r.values['/comedications'], ['fluconazole', 'amlodipine', 'benazepril hydrochloride', 'rifampin', 'clarithromycin']);
  assert.match(r.notes.join(' '), /everolimus is the mTOR inhibitor itself/);
  assert.ok(r.unmapped.some((u) => /Ketoconazole.*status "completed"/.test(u)), r.unmapped.join('\n'));
  assert.ok(r.unmapped.some((u) => /RxNorm 12345 without a name/.test(u)), r.unmapped.join('\n'));
  assert.deepEqual(F.genericNames('  Sirolimus 1 MG/ML Oral Solution '), ['sirolimus']);
});

// ---- not used: listed, never dropped -----------------------------------------------------
test('everything that is not used is listed', () => {
  const r = ok(bundle([
    patient({ gender: 'unknown', birthDate: '1980' }),
    obs('29463-7', 70, 'kg'),
    obs('8480-6', 120, 'mm[Hg]'),
    { ...obs('x', 1, 'kg'), code: { coding: [{ system: 'http://snomed.info/sct', code: '27113001' }] } },
    obs('718-7', 13, 'g/dL', { status: 'preliminary' }),
    obs('1742-6', 5, 'U/L', { valueQuantity: { value: 5, comparator: '<', unit: 'U/L' } }),
    obs('1751-7', 3, 'g/dL', { effectiveDateTime: undefined }),
    obs('2093-3', 1, 'mg/dL', { valueQuantity: undefined, valueString: 'see note' }),
    obs('2571-8', 1, 'mg/dL', { valueQuantity: undefined, dataAbsentReason: { text: 'not done' } }),
    obs('1558-6', 90, 'mg/dL', { effectiveDateTime: '2026-11' }),
    { resourceType: 'Condition', id: 'c1' },
    { resourceType: 'Condition', id: 'c2' },
    { resourceType: 'AllergyIntolerance', id: 'a1' },
  ]));
  // without a date to the day: filled, and marked as of unknown age
  assert.deepEqual(Object.keys(r.values).sort(), ['/patient/labs/albumin_g_dl', '/patient/labs/glucose_fasting_mg_dl', '/patient/weight_kg']);
  for (const p of ['/patient/labs/albumin_g_dl', '/patient/labs/glucose_fasting_mg_dl']) {
    assert.equal(r.provenance[p].stale, true, p);
    assert.match(F.provenanceText(r.provenance[p]), /no date to the day: check it is still current/);
  }
  assert.equal(r.provenance['/patient/labs/glucose_fasting_mg_dl'].date, '2026-11');
  const expect = [
    /Patient\/p1: gender "unknown"/, /birth date 1980 is not precise/, /LOINC 8480-6 \(not a code this form reads\)/,
    /http:\/\/snomed\.info\/sct 27113001/, /Hemoglobin.*status "preliminary"/, /"<5", not an exact number/,
    /Cholesterol.*valueString, not a quantity/, /Triglyceride.*no value \(dataAbsentReason\)/,
    /^2 Condition resources/, /^1 AllergyIntolerance resource \(/,
  ];
  assert.equal(r.unmapped.length, expect.length, r.unmapped.join('\n'));
  for (const re of expect) assert.ok(r.unmapped.some((u) => re.test(u)), `${re} in\n${r.unmapped.join('\n')}`);
  assert.match(F.bundleSummaryText(r), /Not used: .*Condition/);
});

// ---- hostile Bundles -------------------------------------------------------------------------
test('hostile Bundles are refused whole with a clear message', () => {
  const fine = () => bundle([patient(), obs('29463-7', 70, 'kg')]);
  assert.ok(read(fine()).ok);
  // size: as text and as an object (postMessage)
  const big = fine();
  big.entry[0].resource.text = { div: 'x'.repeat(F.LIMITS.max_bytes) };
  refused(JSON.stringify(big), /larger than 256 KiB/);
  refused(big, /larger than 256 KiB/);
  // too many entries
  refused(bundle(Array.from({ length: F.LIMITS.max_entries + 1 }, (_, k) => ({ resourceType: 'Basic', id: `b${k}` }))), /1001 entries; at most 1000/);
  // deeply nested, as text and as an object; an object that contains itself
  let deep = {};
  const deepRoot = deep;
  for (let k = 0; k < 200; k++) deep = deep.x = {};
  refused(bundle([patient({ extension: deepRoot })]), /nested more than 32 levels/);
  refused(`{"resourceType":"Bundle","type":"collection","entry":[${'['.repeat(5000)}${']'.repeat(5000)}]}`, /nested more than 32 levels|not valid JSON/);
  const cyclic = fine();
  cyclic.entry[0].resource.self = cyclic;
  refused(cyclic, /nested more than 32 levels/);
  // not JSON, not a Bundle, wrong Bundle type
  refused('{"resourceType": "Bundle",', /not valid JSON/);
  refused([fine()], /a JSON object\), found an array/);
  refused({ resourceType: 'Patient' }, /Expected resourceType "Bundle"/);
  refused({ ...fine(), type: 'transaction' }, /"collection" or "searchset", found "transaction"/);
  // wrong types, each located
  const wrong = [
    [(b) => { b.entry = {}; }, /Bundle\.entry: expected an array, found an object/],
    [(b) => { b.entry[1] = 'x'; }, /Bundle\.entry\[1\]: expected an object, found a string/],
    [(b) => { delete b.entry[1].resource; }, /Bundle\.entry\[1\]\.resource: expected an object, found nothing/],
    [(b) => { b.entry[1].resource.valueQuantity.value = '70'; }, /entry\[1\]\.resource\.valueQuantity\.value: expected a number, found a string/],
    [(b) => { b.entry[1].resource.code.coding = {}; }, /entry\[1\]\.resource\.code\.coding: expected an array/],
    [(b) => { b.entry[1].resource.status = 1; }, /entry\[1\]\.resource\.status: expected a string, found a number/],
    [(b) => { b.entry[1].resource.effectiveDateTime = '06/12/2026'; }, /effectiveDateTime: "06\/12\/2026" is not a FHIR date/],
    [(b) => { b.entry[1].resource.effectiveDateTime = '2026-02-30'; }, /"2026-02-30" is not a FHIR date/],
    [(b) => { b.entry[0].resource.birthDate = 19800520; }, /entry\[0\]\.resource\.birthDate: expected a string/],
    [(b) => { b.entry[0].resource.gender = ['female']; }, /gender: expected a string, found an array/],
    [(b) => { b.entry[1].resource.subject = 'Patient/p1'; }, /subject: expected an object/],
    [(b) => { b.entry[1].resource.valueQuantity.value = Infinity; }, /value: expected a number/],
  ];
  for (const [spoil, re] of wrong) {
    const b = fine();
    spoil(b);
    refused(b, re);
  }
  // unknown codes only: nothing maps, nothing changes
  refused(bundle([obs('8480-6', 120, 'mm[Hg]')]), /Nothing in this Bundle maps to the form\. Not used: .*LOINC 8480-6/);
  refused(bundle([]), /Nothing in this Bundle maps/);
  refused({ resourceType: 'Bundle', type: 'searchset' }, /Nothing in this Bundle maps/);
  // duplicates: the same resource twice, or two values for one test at one time
  const o = obs('29463-7', 70, 'kg');
  refused(bundle([patient(), o, { ...o }]), /Observation\/o\d+ appears twice in the Bundle/);
  refused(bundle([patient(), obs('29463-7', 70, 'kg'), obs('29463-7', 72, 'kg')]), /give different values \(70 and 72\) for the same time/);
  refused(bundle([patient(), obs('77349-9', 5, 'ng/mL'), obs('77349-9', 6, 'ng/mL')]), /different troughs for the same time/);
  const same = ok(bundle([patient(), obs('2160-0', 1, 'mg/dL'), obs('14682-9', 88.4, 'umol/L')]));
  assert.equal(same.values['/patient/labs/creatinine_mg_dl'], 1, 'the same value reported twice is fine');
  // future dates (beyond clock skew), a birth date in the future
  refused(bundle([patient(), obs('29463-7', 70, 'kg', { effectiveDateTime: day(-2) })]), /dated .* in the future/);
  refused(bundle([patient(), obs('29463-7', 70, 'kg', { effectiveDateTime: new Date(NOW + 3600e3).toISOString() })]), /in the future/);
  assert.ok(read(bundle([patient(), obs('29463-7', 70, 'kg', { effectiveDateTime: new Date(NOW + 60e3).toISOString() })])).ok, 'a minute ahead is clock skew');
  assert.ok(read(bundle([patient(), obs('29463-7', 70, 'kg', { effectiveDateTime: day(-1) })])).ok, 'tomorrow (UTC) may be today somewhere');
  refused(bundle([patient({ birthDate: day(-3) })]), /birthDate: .* is in the future/);
  // another patient's data
  refused(bundle([patient(), patient({ id: 'p2' })]), /2 Patient resources/);
  refused(bundle([patient(), obs('29463-7', 70, 'kg', { subject: { reference: 'Patient/p2' } })]), /Patient\/p2 is not this Bundle's patient/);
  refused(bundle([obs('29463-7', 70, 'kg'), obs('8302-2', 170, 'cm', { subject: { reference: 'Patient/p9' } })]), /more than one patient/);
  refused(bundle([patient(), med('fluconazole', { subject: { reference: 'Patient/zz' } })]), /Patient\/zz is not this Bundle's patient/);
});

test('searchset Bundles and fullUrl references are read', () => {
  const b = bundle([patient(), obs('29463-7', 70, 'kg', { subject: { reference: 'urn:uuid:1' } })], 'searchset');
  b.entry[0].fullUrl = 'urn:uuid:1';
  b.entry[0].search = { mode: 'match' };
  assert.equal(ok(b).values['/patient/weight_kg'], 70);
});

test('dates are parsed as FHIR writes them', () => {
  assert.deepEqual(F.parseFhirDate('2026-12-06'), { ms: Date.UTC(2026, 11, 6), day: '2026-12-06', dateOnly: true, precise: true });
  assert.equal(F.parseFhirDate('2026-12-06T10:00:00+01:00').ms, Date.UTC(2026, 11, 6, 9));
  assert.equal(F.parseFhirDate('2026-12').precise, false);
  for (const bad of ['2026-13-01', '2026-12-06T10:00', '2026-12-06T25:00:00Z', 'yesterday', '', 20261206]) assert.equal(F.parseFhirDate(bad), null, String(bad));
});

test('what hand-written Bundles often do is read the same way', () => {
  // no status, printed (non-UCUM) units, the LOINC OID, absolute subject references
  const o = (code, value, unit, more = {}) => {
    const x = obs(code, value, unit, more);
    delete x.status;
    x.valueQuantity = { value, unit };
    return x;
  };
  const r = ok(bundle([
    patient(),
    o('29463-7', 154.32358352941436, 'lbs', { subject: { reference: 'https://ehr.example/fhir/Patient/p1/_history/3' } }),
    o('8302-2', 66.92913385826772, 'in'),
    o('1975-2', 17.1, 'µmol/L'),
    o('2160-0', 1.1, 'mg/dl'),
    o('751-8', 1.5, 'x10^9/L'),
    o('777-3', 150, 'K/uL'),
    o('1742-6', 40, 'IU/L'),
    o('6301-6', 1.2, 'INR', { code: { coding: [{ system: 'urn:oid:2.16.840.1.113883.6.1', code: '6301-6' }] } }),
    o('77349-9', 5, 'mcg/L'),
    { resourceType: 'MedicationStatement', id: 'ms', medicationCodeableConcept: { text: 'Fluconazole' } },
  ]), { drug: 'everolimus' });
  const expect = {
    '/patient/weight_kg': 70, '/patient/height_cm': 170, '/patient/labs/bilirubin_mg_dl': 1, '/patient/labs/creatinine_mg_dl': 1.1,
    '/patient/labs/anc_per_ul': 1500, '/patient/labs/platelets_per_ul': 150000, '/patient/labs/alt_u_l': 40, '/patient/hepatic/inr': 1.2,
  };
  for (const [p, v] of Object.entries(expect)) close(r.values[p], v, p);
  assert.deepEqual(r.values['/comedications'], ['fluconazole']);
  assert.equal(r.troughs[0].trough_ng_ml, 5);
  assert.match(r.notes.join(' '), /no status given; used as a result/);
  assert.match(r.notes.join(' '), /no status given; taken as active/);
  refused(bundle([patient(), obs('29463-7', 70, 'kg', { subject: { reference: 'https://ehr.example/fhir/Patient/p2' } })]), /not this Bundle's patient/);
});

test('results without a date are used only when no dated one exists, and never guessed between', () => {
  const undated = (value) => obs('29463-7', value, 'kg', { effectiveDateTime: undefined });
  let r = ok(bundle([patient(), undated(80), obs('29463-7', 70, 'kg', { effectiveDateTime: day(200) })]));
  assert.equal(r.values['/patient/weight_kg'], 70, 'the dated one, however old');
  assert.equal(r.provenance['/patient/weight_kg'].stale, true);
  r = ok(bundle([patient(), undated(80), undated(80)]));
  assert.equal(r.values['/patient/weight_kg'], 80);
  refused(bundle([patient(), undated(80), undated(81)]), /without a date to tell which is the most recent/);
  r = ok(bundle([patient(), obs('77349-9', 5, 'ng/mL', { effectiveDateTime: undefined })]), { drug: 'everolimus' });
  assert.deepEqual(r.troughs, []);
  assert.match(r.unmapped.join(' '), /a trough without a date cannot go into the history/);
});

test('text from the Bundle is clipped in messages', () => {
  const long = 'x'.repeat(5000);
  const r = refused(bundle([patient(), obs('29463-7', 70, long)]), /does not convert/);
  assert.ok(r.error.length <= 600, `${r.error.length} characters`);
  const u = ok(bundle([patient(), obs('29463-7', 70, 'kg'), obs(long, 1, 'kg')]));
  assert.ok(u.unmapped[0].length <= 240 && u.unmapped[0].endsWith('…'));
});
