// The form's bookkeeping without a browser: which fields an indication asks
// up front, the request's trough history from the table, errors in words,
// and the case-file reader that checks a whole file before the page uses it.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  FIELDS, FORM_PLAN, INDICATIONS, CONDITION_KEY, fieldByPath, isPrimary, buildRequest, plainError, isPendingAe, gradeDescriptions,
} from '../../web/fields.js';
import { troughHistoryRequest } from '../../web/history.js';
import { readCase, MAX_FILE_BYTES, MAX_DEPTH, MAX_LIST_ITEMS } from '../../web/case-file.js';

test('every indication has a plan of known fields; its own condition fields lead, no other condition is asked', () => {
  for (const [ind] of INDICATIONS) {
    assert.ok(Array.isArray(FORM_PLAN[ind]), ind);
    for (const p of FORM_PLAN[ind]) assert.ok(p === 'adverse_events' || fieldByPath.has(p), `${ind}: ${p}`);
    for (const f of FIELDS.filter((x) => x.cond)) assert.equal(isPrimary(f, ind), CONDITION_KEY[ind] === f.cond, `${ind} ${f.path}`);
  }
  // Weight and height up front only where the start is BSA-based.
  const bsa = INDICATIONS.map(([k]) => k).filter((k) => isPrimary(fieldByPath.get('/patient/weight_kg'), k));
  assert.deepEqual(bsa, ['tsc_sega', 'tsc_seizures', 'pecoma']);
  // A field the engine asked for joins them.
  assert.equal(isPrimary(fieldByPath.get('/patient/karnofsky'), 'rcc'), false);
  assert.equal(isPrimary(fieldByPath.get('/patient/karnofsky'), 'rcc', new Set(['/patient/karnofsky'])), true);
});

test('trough history: whole days since the start, complete rows on or after it, oldest first, canonical troughs', () => {
  const rows = [
    { date: '2026-01-29', dose_mg: 5, trough_ng_ml: 3.5 },
    { date: '2026-01-15', dose_mg: 5, trough_ng_ml: 3.1 },
    { date: '2025-12-31', dose_mg: 5, trough_ng_ml: 9 }, // the day before the start
    { date: '2026-01-01', dose_mg: 5, trough_ng_ml: 2 }, // the start day itself: day 0
    { date: '2026-02-01', dose_mg: null, trough_ng_ml: 4 },
    { date: '', dose_mg: 5, trough_ng_ml: 4 },
    { date: '2026-02-03', dose_mg: 7.5, trough_ng_ml: null },
  ];
  assert.deepEqual(troughHistoryRequest(rows, '2026-01-01', 'once_daily'), [
    { days_since_start: 0, trough_ng_ml: 2, dose_mg: 5, frequency: 'once_daily' },
    { days_since_start: 14, trough_ng_ml: 3.1, dose_mg: 5, frequency: 'once_daily' },
    { days_since_start: 28, trough_ng_ml: 3.5, dose_mg: 5, frequency: 'once_daily' },
  ]);
  // Across a leap day and a year: calendar days, not 30-day months.
  assert.equal(troughHistoryRequest([{ date: '2028-03-01', dose_mg: 5, trough_ng_ml: 5 }], '2028-02-28', 'once_daily')[0].days_since_start, 2);
  assert.equal(troughHistoryRequest([{ date: '2027-01-01', dose_mg: 5, trough_ng_ml: 5 }], '2026-01-01', 'once_daily')[0].days_since_start, 365);
  assert.deepEqual(troughHistoryRequest(rows, '', 'once_daily'), [], 'no start date: nothing');
  assert.deepEqual(troughHistoryRequest(rows, '2026-01-01', undefined), [], 'no frequency: nothing');
  // The engine's limit: the most recent 64 rows.
  const many = Array.from({ length: 70 }, (_, i) => ({ date: `2026-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, dose_mg: 5, trough_ng_ml: 5 + i }));
  const sent = troughHistoryRequest(many, '2026-01-01', 'once_daily');
  assert.equal(sent.length, 64);
  assert.equal(sent[63].trough_ng_ml, 5 + 69);
});

test('the request: an adverse event without its grade is left out; history only for TDM drugs', () => {
  const ctx = { indication: 'tsc_sega', drug: 'everolimus' };
  const th = [{ days_since_start: 14, trough_ng_ml: 3.1, dose_mg: 5, frequency: 'once_daily' }];
  const req = buildRequest({
    indication: 'tsc_sega', drug: '', values: {}, troughHistory: th,
    adverseEvents: [{ term: 'stomatitis', grade: '' }, { term: 'infection', grade: 2, recurrent: true }, { term: '', grade: 3 }],
  }, ctx);
  assert.deepEqual(req.adverse_events, [{ term: 'infection', grade: 2, recurrent: true }]);
  assert.deepEqual(req.therapy.trough_history, th);
  assert.equal(isPendingAe({ term: 'stomatitis', grade: '' }), true);
  assert.equal(isPendingAe({ term: '', grade: '' }), false);
  const tem = buildRequest({ indication: 'rcc', drug: 'temsirolimus', values: {}, troughHistory: th }, { indication: 'rcc', drug: 'temsirolimus' });
  assert.equal(tem.therapy, undefined);
});

test('errors in words: range with its unit, unit-slip suggestions, codes never raw', () => {
  const w = fieldByPath.get('/patient/weight_kg');
  const e = { path: '/patient/weight_kg', code: 'out_of_range', message: 'must be between 0.5 and 400, got 700' };
  assert.equal(plainError(e, w, 'kg'), '700 kg is outside 0.5–400 kg — check the value and its unit.');
  assert.equal(plainError(e, w, 'kg', () => '700 looks like lb: 317.5 kg?'),
    '700 kg is outside 0.5–400 kg — check the value and its unit. 700 looks like lb: 317.5 kg?');
  // The fields a newer engine adds win over the parsed message.
  assert.equal(plainError({ ...e, min: 1, max: 300, unit: 'kg', suggestion: 'Perhaps pounds?' }, w, 'kg'),
    '700 kg is outside 1–300 kg — check the value and its unit. Perhaps pounds?');
  const wrong = plainError({ path: '/patient/weight_kg', code: 'wrong_type', message: 'expected a number, got a string' }, w, 'kg');
  assert.equal(wrong, 'Weight is not a number — type digits only, e.g. 12.5.');
  assert.doesNotMatch(plainError({ code: 'odd', message: 'expected a number, got a string' }, w, 'kg'), /expected|got a/);
  assert.equal(plainError({ code: 'missing_required', message: 'required field "grade" is missing' }, null, ''), 'This value is needed.');
});

test('grade descriptions come from the content\'s laboratory bands only', () => {
  const ctcae = {
    lab_terms: {
      platelet_count_decreased: { field: 'platelets_per_ul', adverse_event: 'thrombocytopenia', version: '5.0', bands: [{ grade: 3, lt: 50000 }, { grade: 1, lt: { limit: 'platelets_lln_per_ul' } }] },
      cholesterol_high: { field: 'cholesterol_mg_dl', adverse_event: 'dyslipidemia', version: '5.0', bands: [{ grade: 2, gt: 300 }] },
      hypertriglyceridemia: { field: 'triglycerides_mg_dl', adverse_event: 'dyslipidemia', version: '5.0', bands: [{ grade: 2, gt: 300 }, { grade: 1, ge: 150 }] },
      alanine_aminotransferase_increased: { field: 'alt_u_l', version: '5.0', bands: [{ grade: 3, gt: { limit: 'alt_uln_u_l', times: 5 } }] },
    },
  };
  const fmt = (p, v) => `${v} [${p.split('/').pop()}]`;
  assert.deepEqual(gradeDescriptions(ctcae, 'thrombocytopenia', fmt), {
    1: 'Platelets < the lower limit of normal (CTCAE 5.0)', 3: 'Platelets < 50000 [platelets_per_ul] (CTCAE 5.0)',
  });
  assert.deepEqual(gradeDescriptions(ctcae, 'dyslipidemia', fmt), {
    1: 'Triglycerides ≥ 150 [triglycerides_mg_dl] (CTCAE 5.0)',
    2: 'Cholesterol (total) > 300 [cholesterol_mg_dl] or Triglycerides > 300 [triglycerides_mg_dl] (CTCAE 5.0)',
  });
  assert.deepEqual(gradeDescriptions(ctcae, 'stomatitis', fmt), {}, 'clinically graded, no content text: no description invented');
  assert.deepEqual(gradeDescriptions(undefined, 'thrombocytopenia', fmt), {});
});

const caseText = (request, extra = {}) => JSON.stringify({ format: 'mtorcalc-case/1', request, ...extra });
const base = { contract: 'mtor-calc/1', indication: 'tsc_sega', patient: { age_years: 10, weight_kg: 30 } };

test('case files: a valid file becomes a new state; unknown keys are reported, not loaded', () => {
  const r = readCase(caseText({ ...base, patient: { ...base.patient, favourite_colour: 'blue' }, adverse_events: [{ term: 'stomatitis', grade: 2 }] },
    { units: { lab: 'si' }, history: { troughs: [{ date: '2026-01-02', dose_mg: 5, trough_ng_ml: 4 }], trough_start_date: '2026-01-01' } }));
  assert.equal(r.ok, true, r.error);
  assert.equal(r.next.indication, 'tsc_sega');
  assert.deepEqual(r.next.values, { '/patient/age_years': 10, '/patient/weight_kg': 30 });
  assert.deepEqual(r.next.aes, [{ term: 'stomatitis', grade: 2, recurrent: false }]);
  assert.equal(r.next.units.lab, 'si');
  assert.equal(r.next.troughStart, '2026-01-01');
  assert.deepEqual(r.unknown, ['/patient/favourite_colour']);
  // A bare request is a case too.
  assert.equal(readCase(JSON.stringify(base)).ok, true);
});

test('case files: anything broken, too big or too deep is refused whole, with a reason', () => {
  const refused = (text, why, bytes) => {
    const r = readCase(text, bytes);
    assert.equal(r.ok, false, text.slice(0, 80));
    assert.match(r.error, why);
  };
  refused(caseText(base).slice(0, 50), /not complete JSON/);
  refused('null', /not an mtorcalc case/);
  refused('[1,2]', /not an mtorcalc case/);
  refused(JSON.stringify({ request: { contract: 'other/1' } }), /not an mtorcalc case file/);
  refused(caseText({ ...base, comedications: ['a', null] }), /Other medicines, entry 2/);
  refused(caseText({ ...base, comedications: 'fluconazole' }), /list of names/);
  refused(caseText({ ...base, adverse_events: [null] }), /entry 1: must be an object \(found null\)/);
  refused(caseText({ ...base, adverse_events: [{ term: 'stomatitis', grade: 7 }] }), /grade must be a whole number from 1 to 5/);
  refused(caseText({ ...base, patient: { weight_kg: null } }), /Weight .* is null/);
  refused(caseText({ ...base, patient: { weight_kg: '30' } }), /must be a number/);
  refused(caseText({ ...base, patient: { tsc_definite: 'yes' } }), /true or false/);
  refused(caseText({ ...base, therapy: { frequency: 'hourly' } }), /one of once_daily/);
  refused(caseText({ ...base, indication: 'flu' }), /indication in the file/);
  refused(caseText(base, { history: { troughs: [{ date: 'yesterday' }] } }), /date \(YYYY-MM-DD\)/);
  refused(caseText(base, { history: { troughs: 'x' } }), /must be a list/);
  refused(caseText(base, { units: { lab: 'imperial' } }), /one of us, si/);
  refused(caseText({ ...base, comedications: Array(MAX_LIST_ITEMS + 1).fill('x') }), /65 entries, more than the 64/);
  refused(caseText(base, { history: { troughs: Array(MAX_LIST_ITEMS + 1).fill({}) } }), /65 entries/);
  refused(caseText({ ...base, comedications: ['x'.repeat(101)] }), /longer than 100/);
  let deep = '1';
  for (let i = 0; i < 200; i++) deep = `{"a":${deep}}`;
  refused(`{"format":"mtorcalc-case/1","request":{"contract":"mtor-calc/1","patient":${deep}}}`, /deeper than the 16 levels/);
  // 100,000 levels: refused, not a stack overflow.
  refused(`${'['.repeat(100000)}${']'.repeat(100000)}`, /not an mtorcalc case/);
  refused(`{"request":${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}}`, /deeper than/);
  refused('x'.repeat(10), /larger than 256 KiB/, MAX_FILE_BYTES + 1);
  assert.equal(MAX_DEPTH, 16);
});

test('case files: "__proto__" and "constructor" are keys like any other', () => {
  const text = '{"format":"mtorcalc-case/1","request":{"contract":"mtor-calc/1","indication":"rcc","__proto__":{"indication":"lam"},"patient":{"__proto__":{"age_years":3}}}}';
  const r = readCase(text);
  assert.equal(r.ok, true, r.error);
  assert.equal(r.next.indication, 'rcc');
  assert.deepEqual(r.next.values, {});
  assert.ok(r.unknown.includes('/__proto__'));
  assert.equal(({}).indication, undefined);
  assert.equal(Object.prototype.age_years, undefined);
});

// The clinically graded events read CTCAE's words from the content itself
// (rules "ctcae.clinical_terms.stomatitis", "ctcae.clinical_terms.non_infectious_pneumonitis",
// "ctcae.clinical_terms.infection", "ctcae.clinical_terms.other_non_hematologic",
// "ctcae.clinical_terms.anemia", "ctcae.clinical_terms.hypokalemia", "ctcae.clinical_terms.hemorrhage").
test('clinically graded adverse events show CTCAE v5.0 words from content/ctcae.json', () => {
  const ctcae = JSON.parse(fs.readFileSync(new URL('../../content/ctcae.json', import.meta.url), 'utf8'));
  const fmt = (p, v) => String(v);
  const stomatitis = gradeDescriptions(ctcae, 'stomatitis', fmt);
  assert.equal(stomatitis[3], 'Severe pain; interfering with oral intake (CTCAE 5.0)');
  assert.deepEqual(Object.keys(stomatitis), ['1', '2', '3', '4', '5']);
  assert.match(gradeDescriptions(ctcae, 'non_infectious_pneumonitis', fmt)[3], /^Severe symptoms; limiting self-care ADL; oxygen indicated/);
  assert.equal(gradeDescriptions(ctcae, 'infection', fmt)[1], undefined, 'no grade 1 for a site infection');
  assert.match(gradeDescriptions(ctcae, 'other_non_hematologic', fmt)[4], /^Life-threatening consequences/);
  // A laboratory-defined event keeps its laboratory bands.
  assert.match(gradeDescriptions(ctcae, 'thrombocytopenia', fmt)[3], /^Platelets < 50000/);
  // Anaemia: haemoglobin bands for grades 1-3 (the lab term of its own name),
  // CTCAE's words for the grades no haemoglobin value defines.
  const anemia = gradeDescriptions(ctcae, 'anemia', fmt);
  assert.equal(anemia[3], 'Haemoglobin < 8 (CTCAE 5.0)');
  assert.equal(anemia[2], 'Haemoglobin < 10 (CTCAE 5.0)');
  assert.equal(anemia[1], 'Haemoglobin < the lower limit of normal (CTCAE 5.0)');
  assert.equal(anemia[4], 'Life-threatening; urgent intervention (CTCAE 5.0)');
  // No potassium or bleeding-site wording in the fact sheet: the general
  // grades, marked unconfirmed in the content.
  for (const t of ['hypokalemia', 'hemorrhage']) {
    assert.match(gradeDescriptions(ctcae, t, fmt)[3], /^Severe or medically significant/, t);
    assert.equal(ctcae.clinical_terms[t].verification, 'unconfirmed', t);
  }
  for (const t of ['stomatitis', 'non_infectious_pneumonitis', 'infection', 'other_non_hematologic', 'anemia', 'hypokalemia', 'hemorrhage']) {
    assert.deepEqual(ctcae.clinical_terms[t].refs, ['ctcae-5'], `${t} cites CTCAE v5.0`);
  }
});

// A request's own trough history (days since the start) is placed in the
// page's dated table and comes back out unchanged.
test('a request carrying therapy.trough_history round-trips through the trough table', () => {
  for (const name of ['sega-child-two-troughs', 'lam-adult-extrapolation', 'sirolimus-child-tsc-seizures']) {
    const text = fs.readFileSync(new URL(`../cases/forecast/${name}.json`, import.meta.url), 'utf8');
    const request = JSON.parse(text).request;
    const r = readCase(text);
    assert.equal(r.ok, true, `${name}: ${r.error}`);
    const freq = request.therapy.frequency ?? request.therapy.trough_history[0].frequency;
    assert.deepEqual(troughHistoryRequest(r.next.troughs, r.next.troughStart, freq), request.therapy.trough_history, name);
    assert.match(r.next.note, /dates are placed/);
  }
  // A history whose frequency differs from the therapy's is refused, not bent.
  const mixed = { contract: 'mtor-calc/1', indication: 'lam', drug: 'sirolimus', therapy: { frequency: 'once_daily', trough_history: [
    { days_since_start: 14, trough_ng_ml: 4, dose_mg: 2, frequency: 'twice_daily' }] } };
  const bad = readCase(JSON.stringify(mixed));
  assert.equal(bad.ok, false);
  assert.match(bad.error, /keeps one frequency/);
  const frac = { ...mixed, therapy: { frequency: 'once_daily', trough_history: [{ days_since_start: 14.5, trough_ng_ml: 4, dose_mg: 2 }] } };
  assert.match(readCase(JSON.stringify(frac)).error, /whole days/);
});
