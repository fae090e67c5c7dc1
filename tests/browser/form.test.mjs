// The question form in a real browser: it asks only what the indication
// needs (the rest under "More (optional)"), yes/no is one tap, the last
// complete answer stays (greyed, with a banner) while a value is invalid or
// an adverse event waits for its grade, errors are in words at their field,
// case files are checked whole before anything changes, the trough history
// reaches the engine, and nothing typed is written to the browser profile.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';
import { startBrowser, typeRequest, pageExchange, openDisclosures, siteDir, repo } from './page-harness.mjs';

const INDICATIONS = ['tsc_renal_aml', 'tsc_sega', 'tsc_seizures', 'tsc_facial_angiofibroma', 'lam', 'rcc', 'pecoma',
  'breast_hr_positive', 'net', 'hnscc'];

// A SEGA start, complete: the engine answers with a dose.
const sega = {
  contract: 'mtor-calc/1', indication: 'tsc_sega', drug: 'everolimus',
  patient: { age_years: 10, sex: 'female', weight_kg: 30, height_cm: 135, tsc_definite: true },
  condition: { sega: { needs_intervention: true, curatively_resectable: false, acute_symptoms: false, growing: true } },
  therapy: { current_dose_mg: 5, frequency: 'once_daily', form: 'tablet', trough_ng_ml: 3.5, days_on_current_dose: 28 },
};

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

function noProblems() {
  assert.deepEqual(browser.problems.splice(0), [], 'console errors or CSP violations');
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mtorcalc-form-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
function caseFile(name, text) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

// Controls a person can reach in the form, counted as the Tab key meets
// them: a radio group is one stop.
const countControls = (page) => page.evaluate(() => {
  const els = [...document.querySelectorAll('#case-form :is(input, select, textarea, button, summary)')]
    .filter((e) => e.checkVisibility() && !e.disabled);
  const groups = new Set();
  let stops = 0;
  for (const e of els) {
    if (e.type === 'radio') {
      if (groups.has(e.name)) continue;
      groups.add(e.name);
    }
    stops++;
  }
  return { controls: els.length, stops };
});

describe('a form that asks only what the indication needs', () => {
  it('at most 20 Tab stops per indication before "More (optional)" is opened; the condition first', async (t) => {
    const page = await browser.newPage();
    try {
      const figures = {};
      for (const ind of INDICATIONS) {
        await page.click('#clear');
        await page.selectOption('#indication', ind);
        await page.waitForFunction(() => document.querySelector('#more-fields'));
        const n = await countControls(page);
        figures[ind] = n;
        assert.ok(n.stops <= 20, `${ind}: ${n.stops} Tab stops`);
        assert.ok(n.controls <= 30, `${ind}: ${n.controls} controls`);
        // The condition's fields lead the form.
        const first = await page.evaluate(() => [...document.querySelectorAll('#groups > fieldset.group')].find((f) => !f.hidden)?.dataset.group);
        if (!['tsc_facial_angiofibroma', 'hnscc'].includes(ind)) assert.equal(first, 'condition', ind);
        // Everything else is still there, under the disclosure.
        assert.equal(await page.locator('#more-fields').isVisible(), true);
        assert.equal(await page.locator('#more-fields').evaluate((d) => d.open), false);
      }
      t.diagnostic(`controls / Tab stops per indication: ${JSON.stringify(figures)}`);
      // Opening it shows the rest (more than twice as many controls).
      await page.locator('#more-fields > summary').click();
      assert.ok((await countControls(page)).controls > 40);
      noProblems();
    } finally {
      await page.close();
    }
  });

  it('an AML start by keyboard alone: 22 keys from the indication to the answer', async (t) => {
    const page = await browser.newPage();
    try {
      let keys = 0;
      const press = async (...list) => { for (const k of list) { await page.keyboard.press(k); keys++; } };
      const type = async (text) => { for (const ch of text) await press(ch); };
      await page.focus('#indication');
      await press('ArrowDown'); // the first indication: TSC renal angiomyolipoma
      assert.equal(await page.locator('#indication').inputValue(), 'tsc_renal_aml');
      await press('Tab', 'Tab'); // past the drug, to the first condition field
      await type('4.5');
      await press('Tab');
      await type('0.6');
      await press('Tab', 'Tab', 'Tab'); // past the previous diameter and the interval
      await type('0');
      await press('Tab'); // high tumour burden: left unanswered
      await press('Tab', 'ArrowLeft'); // acute haemorrhage: from "Not known" back to "No"
      await press('Tab', 'ArrowLeft'); // needs immediate surgery: No
      await press('Tab');
      await type('30');
      t.diagnostic(`keys pressed: ${keys}`);
      const { req, resp } = await pageExchange(page);
      assert.deepEqual(req, {
        contract: 'mtor-calc/1', indication: 'tsc_renal_aml', patient: { age_years: 30 },
        condition: { aml: { largest_diameter_cm: 4.5, growth_cm_per_year: 0.6, aneurysm_mm: 0, acute_hemorrhage: false, needs_immediate_surgery: false } },
      });
      const answer = JSON.parse(resp);
      assert.equal(answer.eligibility.status, 'indicated');
      assert.equal(answer.plan.action, 'start');
      assert.ok(keys <= 22, `${keys} keys`);
      noProblems();
    } finally {
      await page.close();
    }
  });

  it('fields the engine asks for move up front (temsirolimus risk factors)', async () => {
    const page = await browser.newPage();
    try {
      await page.selectOption('#indication', 'rcc');
      await page.selectOption('#drug', 'temsirolimus');
      for (const p of ['/patient/karnofsky', '/patient/labs/ldh_u_l', '/condition/rcc/metastatic_organ_sites']) {
        const inMore = await page.locator(`[data-field="${p}"]`).evaluate((e) => Boolean(e.closest('#more-fields')));
        assert.equal(inMore, false, `${p} is asked up front`);
      }
      noProblems();
    } finally {
      await page.close();
    }
  });
});

describe('units per field', () => {
  it('creatinine in µmol/L at its field while the other labs stay conventional; the choice is kept in the case file', async () => {
    const page = await browser.newPage();
    try {
      await page.selectOption('#indication', 'rcc');
      await openDisclosures(page, '[data-path="/patient/labs/creatinine_mg_dl"]');
      await page.selectOption('#f-patient-labs-creatinine_mg_dl-unit', 'si');
      assert.match(await page.locator('label[for="f-patient-labs-creatinine_mg_dl"]').innerText(), /µmol\/L/);
      assert.match(await page.locator('label[for="f-patient-limits-creatinine_uln_mg_dl"]').innerText(), /µmol\/L/, 'its limit follows it');
      await page.locator('[data-path="/patient/labs/creatinine_mg_dl"]').fill('88.4');
      await page.locator('[data-path="/patient/limits/creatinine_uln_mg_dl"]').fill('106.08');
      await page.locator('[data-path="/patient/labs/calcium_mg_dl"]').fill('10');
      await openDisclosures(page, '[data-path="/patient/hepatic/bilirubin_mg_dl"]');
      await page.locator('[data-path="/patient/hepatic/bilirubin_mg_dl"]').fill('1.2');
      const { req } = await pageExchange(page);
      assert.equal(req.patient.labs.creatinine_mg_dl, 1);
      assert.equal(req.patient.limits.creatinine_uln_mg_dl, 1.2);
      assert.equal(req.patient.labs.calcium_mg_dl, 10, 'calcium stays in mg/dL');
      assert.equal(req.patient.hepatic.bilirubin_mg_dl, 1.2, 'bilirubin stays in mg/dL');
      assert.match(await page.locator('#f-patient-labs-creatinine_mg_dl-cmp').innerText(), /= 1 mg\/dL/);
      // Back to mg/dL at the field: the value is shown converted, not changed.
      await page.selectOption('#f-patient-labs-creatinine_mg_dl-unit', 'us');
      assert.equal(await page.locator('[data-path="/patient/labs/creatinine_mg_dl"]').inputValue(), '1');
      await page.selectOption('#f-patient-labs-creatinine_mg_dl-unit', 'si');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
      const saved = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
      assert.deepEqual(saved.units.fields, { '/patient/labs/creatinine_mg_dl': 'si' });
      await page.click('#clear');
      await page.setInputFiles('#import-file', await download.path());
      await page.waitForFunction(() => /^Case loaded/.test(document.querySelector('#case-message').textContent));
      assert.equal(await page.locator('#f-patient-labs-creatinine_mg_dl-unit').inputValue(), 'si');
      assert.equal(await page.locator('[data-path="/patient/labs/creatinine_mg_dl"]').inputValue(), '88');
      assert.equal((await pageExchange(page)).req.patient.labs.creatinine_mg_dl, 1);
      noProblems();
    } finally {
      await page.close();
    }
  });
});

describe('one-tap yes/no', () => {
  it('a labelled radio group (Yes / No / Not known), by mouse and by keyboard', async () => {
    const page = await browser.newPage();
    try {
      await page.selectOption('#indication', 'tsc_sega');
      const group = page.locator('#case-form [data-path="/condition/sega/needs_intervention"]');
      assert.equal(await group.evaluate((e) => e.tagName), 'FIELDSET');
      assert.equal(await group.locator('legend').innerText(), 'SEGA needs therapeutic intervention');
      assert.deepEqual(await group.locator('label').allInnerTexts(), ['Yes', 'No', 'Not known']);
      await group.locator('label', { hasText: 'Yes' }).click();
      assert.equal((await pageExchange(page)).req.condition.sega.needs_intervention, true);
      // Keyboard: arrows move within the group, one Tab stop for all three.
      await group.locator('input[value="yes"]').focus();
      await page.keyboard.press('ArrowRight');
      assert.equal((await pageExchange(page)).req.condition.sega.needs_intervention, false);
      await page.keyboard.press('ArrowRight');
      assert.equal((await pageExchange(page)).req.condition?.sega?.needs_intervention, undefined, 'Not known sends nothing');
      await page.keyboard.press('Tab');
      const next = await page.evaluate(() => document.activeElement.closest('[data-path]')?.dataset.path);
      assert.equal(next, '/condition/sega/curatively_resectable');
      noProblems();
    } finally {
      await page.close();
    }
  });
});

describe('the last complete answer stays while the form waits', () => {
  it('an adverse event without its grade: left out, the answer kept greyed, the banner names the grade', async () => {
    const page = await browser.newPage();
    try {
      await typeRequest(page, sega);
      const good = await pageExchange(page);
      assert.equal(JSON.parse(good.resp).status, 'ok');
      assert.equal(await page.locator('#answer-body').evaluate((e) => e.classList.contains('is-stale')), false);
      await page.click('#ae-add');
      await page.selectOption('#ae-0-term', 'stomatitis');
      const stale = page.locator('#answer-stale');
      await stale.waitFor();
      assert.equal(await stale.getAttribute('aria-live'), 'polite');
      assert.match(await stale.innerText(), /^Waiting for: grade of stomatitis\./);
      assert.equal(await page.locator('#answer-body').evaluate((e) => e.classList.contains('is-stale')), true);
      const waiting = await pageExchange(page);
      assert.equal(waiting.req.adverse_events, undefined, 'the incomplete row is not sent');
      assert.equal(JSON.parse(waiting.resp).status, 'ok', 'and is no error');
      assert.equal(await page.locator('#answer-body .errors').count(), 0);
      // Stomatitis is graded clinically: CTCAE's words for Mucositis oral, from the content.
      assert.equal(await page.locator('#ae-0-grade option[value="3"]').textContent(), 'Grade 3 — Severe pain; interfering with oral intake (CTCAE 5.0)');
      await page.selectOption('#ae-0-grade', '3');
      assert.equal(await stale.isVisible(), false);
      assert.equal(await page.locator('#answer-body').evaluate((e) => e.classList.contains('is-stale')), false);
      const graded = await pageExchange(page);
      assert.deepEqual(graded.req.adverse_events, [{ term: 'stomatitis', grade: 3, recurrent: false }]);
      assert.ok(await page.locator('#answer-body .toxicity').count() > 0, 'the new answer is shown');
      // A laboratory-defined event: its grades say what they mean, in the units read.
      await page.selectOption('#ae-0-term', 'thrombocytopenia');
      assert.equal(await page.locator('#ae-0-grade option[value="3"]').textContent(), 'Grade 3 — Platelets < 50000 /µL (CTCAE 5.0)');
      await openDisclosures(page, '#units-lab');
      await page.selectOption('#units-lab', 'si');
      assert.equal(await page.locator('#ae-0-grade option[value="3"]').textContent(), 'Grade 3 — Platelets < 50 ×10⁹/L (CTCAE 5.0)');
      // Anaemia: haemoglobin bands where CTCAE gives them, its words beyond.
      await page.selectOption('#ae-0-term', 'anemia');
      assert.equal(await page.locator('#ae-0-grade option[value="3"]').textContent(), 'Grade 3 — Haemoglobin < 80 g/L (CTCAE 5.0)');
      assert.equal(await page.locator('#ae-0-grade option[value="4"]').textContent(), 'Grade 4 — Life-threatening; urgent intervention (CTCAE 5.0)');
      await page.waitForFunction(() => document.querySelector('#raw-request').textContent.includes('"anemia"'));
      const anemia = await pageExchange(page);
      assert.deepEqual(anemia.req.adverse_events, [{ term: 'anemia', grade: 3, recurrent: false }]);
      assert.equal(JSON.parse(anemia.resp).status, 'ok', 'the engine knows the term');
      noProblems();
    } finally {
      await page.close();
    }
  });

  it('an invalid value: the error in words at its field with a unit-slip suggestion; the answer kept greyed', async () => {
    const page = await browser.newPage();
    try {
      await typeRequest(page, sega);
      const goodText = await page.locator('#answer-body .verdict-status').innerText();
      const weight = page.locator('[data-path="/patient/weight_kg"]');
      await weight.fill('700');
      const err = page.locator('#f-patient-weight_kg-err');
      assert.equal(await err.innerText(), '700 kg is outside 0.5–400 kg — check the value and its unit. 700 looks like lb: 317.5 kg?');
      assert.equal(await weight.getAttribute('aria-invalid'), 'true');
      assert.match(await page.locator('#answer-stale').innerText(), /^Waiting for: weight/);
      assert.equal(await page.locator('#answer-body').evaluate((e) => e.classList.contains('is-stale')), true);
      assert.equal(await page.locator('#answer-body .verdict-status').innerText(), goodText, 'the last answer is still there');
      await weight.fill('30');
      await page.locator('[data-path="/patient/height_cm"]').fill('1.8');
      assert.equal(await page.locator('#f-patient-height_cm-err').innerText(),
        '1.8 cm is outside 30–250 cm — check the value and its unit. Height 1.8 looks like metres (180 cm); enter it in cm.');
      await page.locator('[data-path="/patient/height_cm"]').fill('abc');
      const typeErr = await page.locator('#f-patient-height_cm-err').innerText();
      assert.equal(typeErr, 'Height is not a number — type digits only, e.g. 12.5.');
      assert.doesNotMatch(await page.locator('body').innerText(), /expected a number|got a string/);
      await page.locator('[data-path="/patient/height_cm"]').fill('135');
      assert.equal(await page.locator('#answer-stale').isVisible(), false);
      noProblems();
    } finally {
      await page.close();
    }
  });
});

describe('case files', () => {
  // A valid, complete case is on screen; a file that is not accepted must
  // leave it exactly as it was.
  async function withCase(page) {
    await page.click('#clear');
    await typeRequest(page, sega);
    return pageExchange(page);
  }
  async function importFile(page, file) {
    await page.locator('#case-message').evaluate((e) => { e.textContent = ''; });
    const t0 = Date.now();
    await page.setInputFiles('#import-file', file);
    await page.waitForFunction(() => document.querySelector('#case-message').textContent !== '');
    return { message: await page.locator('#case-message').innerText(), ms: Date.now() - t0 };
  }
  const wrap = (request, history) => JSON.stringify({ format: 'mtorcalc-case/1', request, history });

  it('broken, huge and hostile files are refused whole; the case on screen stays', async () => {
    const page = await browser.newPage();
    try {
      const before = await withCase(page);
      let deep = '{"x":1}';
      for (let i = 0; i < 200; i++) deep = `{"a":${deep}}`;
      const manyAes = Array.from({ length: 10000 }, () => ({ term: 'stomatitis', grade: 3 }));
      const rows = Array.from({ length: 100000 }, (_, i) => ({ date: '2026-01-01', dose_mg: 5, trough_ng_ml: 5 + (i % 3) }));
      const files = [
        ['truncated.json', wrap(sega).slice(0, 200), /not complete JSON/],
        ['null-in-list.json', wrap({ ...sega, comedications: ['fluconazole', null] }), /Other medicines, entry 2/],
        ['null-ae.json', wrap({ ...sega, adverse_events: [null] }), /Adverse event.*entry 1/i],
        ['deep.json', wrap({ ...sega, patient: JSON.parse(deep) }), /deeper than the 16 levels/],
        ['padded-300k.json', wrap({ ...sega, comedications: ['fluconazole'] }) + ' '.repeat(300 * 1024), /larger than 256 KiB/],
        ['aes-10000.json', wrap({ ...sega, adverse_events: manyAes }), /larger than 256 KiB/],
        ['aes-65.json', wrap({ ...sega, adverse_events: manyAes.slice(0, 65) }), /65 entries, more than the 64/],
        ['troughs-100000.json', wrap(sega, { troughs: rows }), /larger than 256 KiB/],
        ['wrong-type.json', wrap({ ...sega, patient: { ...sega.patient, weight_kg: '30' } }), /Weight .* must be a number/],
        ['bad-enum.json', wrap({ ...sega, indication: '<img src=x onerror=alert(1)>' }), /indication in the file is not one/],
      ];
      for (const [name, text, why] of files) {
        const { message, ms } = await importFile(page, caseFile(name, text));
        assert.match(message, /^Could not load that file: /, name);
        assert.match(message, why, `${name}: ${message}`);
        assert.match(message, /Nothing was changed\.$/, name);
        assert.ok(ms < 2000, `${name} refused in ${ms} ms`);
        const now = await pageExchange(page);
        assert.deepEqual(now.req, before.req, `${name}: the case on screen is untouched`);
        assert.equal(now.resp, before.resp);
      }
      noProblems();
    } finally {
      await page.close();
    }
  });

  it('hostile keys and strings are data: reported or shown as text, never run', async () => {
    const page = await browser.newPage();
    try {
      await withCase(page);
      let dialogs = 0;
      page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
      const text = `{"format":"mtorcalc-case/1","__proto__":{"polluted":true},"request":{"contract":"mtor-calc/1","indication":"rcc",
        "patient":{"__proto__":{"weight_kg":1},"age_years":60},"constructor":{"prototype":{"polluted":true}},
        "comedications":["<script>window.pwned=1</script>","<img src=x onerror=\\"window.pwned=1\\">"]}}`;
      const { message } = await importFile(page, caseFile('hostile.json', text));
      assert.match(message, /^Case loaded\. Not loaded \(unknown to this form\): /);
      assert.match(message, /__proto__/);
      assert.match(message, /constructor/);
      const { req } = await pageExchange(page);
      assert.equal(req.patient.weight_kg, undefined);
      assert.deepEqual(req.comedications, ['<script>window.pwned=1</script>', '<img src=x onerror="window.pwned=1">']);
      assert.equal(await page.evaluate(() => [window.pwned, ({}).polluted, Object.prototype.polluted]).then(JSON.stringify), '[null,null,null]');
      assert.equal(dialogs, 0);
      noProblems();
    } finally {
      await page.close();
    }
  });

  it('a new patient whose values are invalid: the previous answer is gone, not kept beside them', async () => {
    const page = await browser.newPage();
    try {
      await withCase(page);
      const next = { contract: 'mtor-calc/1', indication: 'lam', patient: { age_years: 40, weight_kg: 700 } };
      const { message } = await importFile(page, caseFile('next-patient.json', wrap(next)));
      assert.equal(message, 'Case loaded from the file.');
      const { req, resp } = await pageExchange(page);
      assert.equal(req.indication, 'lam');
      assert.equal(JSON.parse(resp).status, 'invalid_request');
      assert.equal(await page.locator('#answer-body').evaluate((e) => e.classList.contains('is-stale')), false);
      assert.equal(await page.locator('#answer-body .verdict-status').count(), 0, 'no answer from the previous patient');
      assert.ok(await page.locator('#answer-body .errors').isVisible());
      noProblems();
    } finally {
      await page.close();
    }
  });

  it('a case file whose request carries therapy.trough_history (days since the start) shows the forecast', async () => {
    const page = await browser.newPage();
    try {
      const file = path.join(repo, 'tests/cases/forecast/sega-child-two-troughs.json');
      const request = JSON.parse(fs.readFileSync(file, 'utf8')).request;
      const { message } = await importFile(page, file);
      assert.match(message, /its dates are placed so that the latest trough is today/);
      const { req, resp } = await pageExchange(page);
      assert.deepEqual(req.therapy.trough_history, request.therapy.trough_history, 'the history reaches the engine as the file gave it');
      const answer = JSON.parse(resp);
      assert.ok(answer.forecast && answer.forecast.in_population, 'a forecast');
      await page.locator('#answer-body .forecast').waitFor();
      assert.match(await page.locator('#answer-body .forecast h3').innerText(), /^Model estimate/);
      noProblems();
    } finally {
      await page.close();
    }
  });

  it('a SEGA case with two troughs and the start date gives the forecast (trough history sent)', async () => {
    const page = await browser.newPage();
    try {
      const history = {
        trough_start_date: '2026-01-01',
        troughs: [
          { date: '2026-01-29', dose_mg: 5, trough_ng_ml: 3.5 },
          { date: '2026-01-15', dose_mg: 5, trough_ng_ml: 3.1 },
          { date: '2025-12-20', dose_mg: 5, trough_ng_ml: 9 }, // before the start: not sent
          { date: '2026-02-01', dose_mg: null, trough_ng_ml: 4 }, // incomplete: not sent
        ],
      };
      const { message } = await importFile(page, caseFile('sega-history.json', wrap(sega, history)));
      assert.equal(message, 'Case loaded from the file.');
      assert.equal(await page.locator('#trough-start').inputValue(), '2026-01-01');
      const { req, resp } = await pageExchange(page);
      assert.deepEqual(req.therapy.trough_history, [
        { days_since_start: 14, trough_ng_ml: 3.1, dose_mg: 5, frequency: 'once_daily' },
        { days_since_start: 28, trough_ng_ml: 3.5, dose_mg: 5, frequency: 'once_daily' },
      ]);
      const answer = JSON.parse(resp);
      assert.equal(answer.status, 'ok');
      assert.ok(answer.forecast, 'the engine answered with a forecast');
      assert.equal(answer.forecast.method, 'map');
      // The page shows it beside the label's titration, as a model estimate,
      // while the plan stays the label's.
      const box = page.locator('#answer-body .forecast');
      await box.waitFor();
      assert.match(await box.locator('h3').innerText(), /^Model estimate/);
      assert.match(await page.locator('#plan').innerText(), new RegExp(answer.plan.summary.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      // A date it cannot read is said at the field, and no history is sent.
      await page.locator('#trough-start').fill('1/1/2026');
      assert.match(await page.locator('#trough-start-err').innerText(), /^Type the date as YYYY-MM-DD/);
      assert.equal((await pageExchange(page)).req.therapy.trough_history, undefined);
      // Without the start date no history is sent.
      await page.locator('#trough-start').fill('');
      assert.equal(await page.locator('#trough-start-err').isVisible(), false);
      assert.equal((await pageExchange(page)).req.therapy.trough_history, undefined);
      // The exported case keeps the start date.
      await page.locator('#trough-start').fill('2026-01-01');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
      const saved = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
      assert.equal(saved.history.trough_start_date, '2026-01-01');
      noProblems();
    } finally {
      await page.close();
    }
  });
});

describe('accessibility', () => {
  it('axe-core finds no violation: radio groups, "More (optional)" open, the waiting banner', async () => {
    const require = createRequire(import.meta.url);
    const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const page = await browser.newPage();
    try {
      await typeRequest(page, sega);
      await openDisclosures(page, '#units-lab');
      await page.click('#ae-add');
      await page.selectOption('#ae-0-term', 'stomatitis');
      await page.locator('[data-path="/patient/weight_kg"]').fill('700');
      await page.locator('#answer-stale').waitFor();
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);
      // Every control says autocomplete="off": nothing typed is kept for autofill.
      const without = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
        .filter((e) => e.getAttribute('autocomplete') !== 'off').map((e) => e.id || e.name || e.outerHTML.slice(0, 60)));
      assert.deepEqual(without, []);
      noProblems();
    } finally {
      await page.close();
    }
  });
});

describe('nothing typed reaches the browser profile', () => {
  it('a trough typed into the form and the history table is not in any file of the profile after the browser closes', async () => {
    const server = await startServer({ root: siteDir, port: 0 });
    const origin = `http://127.0.0.1:${server.address().port}`;
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mtorcalc-profile-'));
    try {
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
        serviceWorkers: 'block',
      });
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
      await page.selectOption('#indication', 'tsc_sega');
      await page.locator('[data-path="/therapy/trough_ng_ml"]').pressSequentially('7.31');
      await page.click('#trough-add');
      const row = page.locator('#trough-table tbody tr').first().locator('input');
      await row.nth(0).fill('2026-03-02');
      await row.nth(1).pressSequentially('5');
      await row.nth(2).pressSequentially('7.31');
      // Leave the page the way a person would (a navigation writes the
      // session's form state, if the browser keeps any), then close.
      await page.goto('about:blank');
      await context.close();
      const hits = [];
      const walk = (dir) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.isFile()) {
            const buf = fs.readFileSync(p);
            if (buf.includes('7.31') || buf.includes(Buffer.from('7.31', 'utf16le'))) hits.push(path.relative(profile, p));
          }
        }
      };
      walk(profile);
      assert.deepEqual(hits, [], 'profile files holding the typed trough');
    } finally {
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });
});
