// The calculator page in a real browser (Debian Chromium + playwright-core),
// served with the real CSP by scripts/serve.mjs. Every indication is typed
// through the form as a user would; the page must send exactly the request
// the case describes and show exactly what the engine answers for it (the
// Node wasm build of the same engine answers the same request here).
// Any console error or CSP violation fails the test.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  startBrowser, nodeEngine, typeRequest, pageExchange, canonicalJson, loadCases, screenshot, artifacts, openDisclosures,
} from './page-harness.mjs';
import { prose } from '../../web/labels.js';

// A LAM patient on sirolimus tablets once daily, with the dose and trough given.
function lamCase(id, { current_dose_mg, trough_ng_ml }) {
  return {
    id,
    request: {
      contract: 'mtor-calc/1', indication: 'lam',
      patient: { age_years: 40, sex: 'female', weight_kg: 60, height_cm: 165 },
      condition: { lam: { fev1_percent_predicted: 60 } },
      therapy: { current_dose_mg, frequency: 'once_daily', form: 'tablet', trough_ng_ml, days_on_current_dose: 14 },
    },
  };
}

// Indications the shared cases do not cover get a case of their own here.
const extraCases = [
  {
    id: 'page-tsc-seizures',
    request: {
      contract: 'mtor-calc/1', indication: 'tsc_seizures',
      patient: { age_years: 8, sex: 'male', weight_kg: 28, height_cm: 130, tsc_definite: true },
      condition: { seizures: { partial_onset: true, refractory: true } },
    },
  },
  {
    id: 'page-tsc-facial-angiofibroma',
    request: {
      contract: 'mtor-calc/1', indication: 'tsc_facial_angiofibroma',
      patient: { age_years: 14, sex: 'female', tsc_definite: true },
    },
  },
  {
    id: 'page-net-pancreatic',
    request: {
      contract: 'mtor-calc/1', indication: 'net',
      patient: { age_years: 60, sex: 'male', weight_kg: 75, height_cm: 175 },
      condition: { net: { origin: 'pancreatic', progressive: true, well_differentiated: true, functional_carcinoid: false } },
    },
  },
  {
    id: 'page-hnscc',
    request: {
      contract: 'mtor-calc/1', indication: 'hnscc',
      patient: { age_years: 62, sex: 'male', weight_kg: 70, height_cm: 172, karnofsky: 90 },
    },
  },
  {
    // Child-Pugh components, labs with limits, a trough and two events.
    id: 'page-sega-components-trough',
    request: {
      contract: 'mtor-calc/1', indication: 'tsc_sega', drug: 'everolimus',
      patient: {
        age_years: 30, sex: 'female', weight_kg: 60, height_cm: 160, tsc_definite: true, pregnant: false,
        hepatic: { bilirubin_mg_dl: 2.5, albumin_g_dl: 3.2, inr: 1.5, ascites: 'slight', encephalopathy: 'none' },
        labs: { glucose_fasting_mg_dl: 180, platelets_per_ul: 90000, anc_per_ul: 1200 },
      },
      condition: { sega: { needs_intervention: true, curatively_resectable: false, acute_symptoms: false, growing: true } },
      therapy: { current_dose_mg: 5, frequency: 'once_daily', form: 'tablet', trough_ng_ml: 3.5, days_on_current_dose: 21 },
      comedications: ['fluconazole', 'ramipril', 'grapefruit juice'],
      adverse_events: [{ term: 'stomatitis', grade: 3, recurrent: true }, { term: 'hyperglycemia', grade: 2, recurrent: false }],
    },
  },
  {
    // A toxicity answer with the engine's reason beside it (resume capped at
    // the Child-Pugh C dose).
    id: 'page-rcc-resume-capped',
    request: {
      contract: 'mtor-calc/1', indication: 'rcc', drug: 'everolimus',
      patient: { age_years: 60, sex: 'male', weight_kg: 80, height_cm: 178, hepatic: { child_pugh_class: 'C' } },
      condition: { rcc: { histology: 'clear_cell', advanced: true, prior_therapies: ['sunitinib'] } },
      therapy: { current_dose_mg: 10, frequency: 'once_daily' },
      adverse_events: [{ term: 'stomatitis', grade: 3, recurrent: false }],
    },
  },
  // Sirolimus: the label's loading dose, rounded down to what tablets make
  // (14.25 mg a day -> 14 mg), with its note.
  lamCase('page-lam-loading-rounded', { current_dose_mg: 3, trough_ng_ml: 2.4 }),
  // Sirolimus below the lowest tablet with a trough above the range: no
  // tablet dose, and the floor note says why.
  lamCase('page-lam-below-lowest-not-raised', { current_dose_mg: 0.25, trough_ng_ml: 20 }),
];

const INDICATIONS = ['tsc_renal_aml', 'tsc_sega', 'tsc_seizures', 'tsc_facial_angiofibroma', 'lam', 'rcc', 'pecoma',
  'breast_hr_positive', 'net', 'hnscc'];

let browser;
let engine;

before(async () => {
  browser = await startBrowser();
  engine = await nodeEngine();
});
after(async () => {
  await browser?.close();
});

function noProblems() {
  const list = browser.problems.splice(0);
  assert.deepEqual(list, [], 'console errors or CSP violations');
}

// Role, name and description of an element as Chromium exposes them to
// assistive technology.
async function accessibleNode(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    return { role: nodes[0].role?.value, name: nodes[0].name?.value, description: nodes[0].description?.value };
  } finally {
    await cdp.detach();
  }
}

// What a clinician sees must be the engine's answer: check the visible
// answer against the response, section by section.
async function assertShows(page, resp) {
  const body = page.locator('#answer-body');
  if (resp.status !== 'ok') {
    for (const e of resp.errors) {
      await assert.ok(await body.locator(`.errors li[data-pointer="${e.path}"]`).isVisible(), `error ${e.path} shown`);
    }
    return;
  }
  const e = resp.eligibility;
  const verdict = body.locator('.verdict-status');
  assert.equal(await verdict.getAttribute('data-status'), e.status);
  assert.ok(await verdict.isVisible());
  const crit = await body.locator('.criterion').evaluateAll((els) => els.map((x) => [x.dataset.code, x.dataset.met]));
  assert.deepEqual(crit, (e.criteria || []).map((c) => [c.code, c.met === true ? 'met' : c.met === false ? 'unmet' : 'unknown']));
  const missing = await body.locator('#missing li').evaluateAll((els) => els.map((x) => x.dataset.pointer));
  assert.deepEqual(missing, e.missing || []);
  if (resp.regimen) {
    const dose = body.locator('.regimen .dose');
    assert.equal(await dose.getAttribute('data-value'), String(resp.regimen.dose_mg ?? ''));
    if (resp.regimen.dose_mg != null) assert.match((await dose.textContent()).trim(), new RegExp(`^${String(resp.regimen.dose_mg).replace('.', '\\.')} mg$`));
    assert.equal(await body.locator('.regimen .frequency').getAttribute('data-value'), resp.regimen.frequency || '');
  } else {
    assert.equal(await body.locator('.regimen').count(), 0);
  }
  if (resp.titration) {
    const t = resp.titration;
    const nd = body.locator('.titration .new-dose');
    assert.equal(await nd.getAttribute('data-value'), String(t.new_dose_mg ?? ''));
    assert.ok(await body.locator('.titration .formula').isVisible());
    // The tablet floor and the loading dose are shown with their reasons.
    if (t.floor_note) assert.ok((await body.locator('.titration .floor-note').innerText()).includes(t.floor_note), 'floor note shown');
    else assert.equal(await body.locator('.titration .floor-note').count(), 0);
    const l = t.loading_dose_option;
    if (l) {
      const text = await body.locator('.titration .loading-dose').innerText();
      assert.ok(text.includes(l.formula), 'loading-dose formula shown');
      if (l.rounded_down) assert.equal(await body.locator('.titration .loading-dose .achievable').getAttribute('data-value'), String(l.achievable_loading_mg_per_day));
      if (l.possible === false) assert.ok(text.includes(l.text), 'why no loading dose fits');
    } else {
      assert.equal(await body.locator('.titration .loading-dose').count(), 0);
    }
  }
  const tox = await body.locator('.toxicity li').evaluateAll((els) => els.map((x) => [x.dataset.term, x.dataset.action]));
  assert.deepEqual(tox, (resp.toxicity || []).map((t) => [t.term, t.action]));
  // The engine's reasons beside a toxicity line (no lower dose, a capped or
  // re-read dose level) are shown with it.
  const toxText = await body.locator('.toxicity li').allInnerTexts();
  (resp.toxicity || []).forEach((t, i) => {
    for (const n of [t.resume_note, t.level_note, t.resume_cap_note]) if (n) assert.ok(toxText[i].includes(prose(n)), `toxicity note shown: ${n}`);
  });
  const ix = await body.locator('.interactions li').evaluateAll((els) => els.map((x) => [x.dataset.drug, x.dataset.action]));
  assert.deepEqual(ix, (resp.interactions || []).map((t) => [t.drug, t.action]));
  // Warnings: all of them, serious first.
  const order = { serious: 0, caution: 1, info: 2 };
  const warn = await body.locator('.warnings li').evaluateAll((els) => els.map((x) => x.dataset.code));
  const expected = [...(resp.warnings || [])].sort((a, b) => (order[a.severity] ?? 3) - (order[b.severity] ?? 3)).map((w) => w.code);
  assert.deepEqual(warn, expected);
  assert.equal(await body.locator('.monitoring li').count(), (resp.monitoring || []).length);
  assert.equal(await body.locator('.expected-response li').count(), (resp.expected_response || []).length);
  // References: the panel lists exactly the response's, in order; those not
  // confirmed against the current label carry the mark.
  const refs = await page.locator('#reference-list li').evaluateAll((els) => els.map((x) => [x.dataset.ref, Boolean(x.querySelector('.unverified-badge'))]));
  assert.deepEqual(refs, (resp.references || []).map((r) => [r.id, Boolean(r.verification && r.verification !== 'confirmed')]));
  // Every reference link in the answer points at an entry of the panel.
  const targets = await body.locator('a.ref').evaluateAll((els) => els.map((a) => a.getAttribute('href')));
  for (const href of targets) assert.equal(await page.locator(href).count(), 1, `link target ${href}`);
  assert.equal(await body.locator('.unverified li').count(), (resp.unverified_rules || []).length);
  assert.match(await body.locator('.content-line').innerText(), new RegExp(resp.content_version.replace(/[.+]/g, '\\$&')));
}

async function noSideScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `horizontal scrolling: content ${scroll}px wide in a ${width}px viewport`);
}

describe('every indication, typed through the form', () => {
  const cases = [...loadCases(), ...extraCases];
  it('covers all ten indications', () => {
    const covered = new Set(cases.map((c) => c.request.indication));
    assert.deepEqual(INDICATIONS.filter((i) => !covered.has(i)), []);
  });
  // One page per viewport; "Clear" between cases (as a clinician moving to
  // the next patient would), which also keeps the suite quick.
  for (const viewport of [{ name: 'desktop', width: 1280, height: 900 }, { name: 'phone', width: 390, height: 844 }]) {
    describe(viewport.name, () => {
      let page;
      before(async () => { page = await browser.newPage(viewport); });
      after(async () => { await page?.close(); });
      for (const c of cases) {
        it(`${c.id} (${viewport.name})`, async () => {
          await page.click('#clear');
          await typeRequest(page, c.request);
          const { req, resp } = await pageExchange(page);
          assert.equal(canonicalJson(req), canonicalJson(c.request), 'the page sends the case’s request');
          const engineAnswer = engine.evaluate(JSON.stringify(c.request));
          assert.equal(resp, engineAnswer, 'the page holds the engine’s answer, byte for byte');
          await assertShows(page, JSON.parse(engineAnswer));
          await noSideScroll(page);
          await page.locator('#answer').screenshot({ path: path.join(artifacts, `${c.id}-${viewport.name}.png`) });
          noProblems();
        });
      }
    });
  }
});

describe('units', () => {
  it('US/SI, kg/lb, cm/in and ng/mL/nmol/L switches round-trip without changing the answer', async () => {
    const page = await browser.newPage();
    try {
      const req = {
        contract: 'mtor-calc/1', indication: 'tsc_sega', drug: 'everolimus',
        patient: {
          age_years: 12, sex: 'male', weight_kg: 40, height_cm: 150, tsc_definite: true,
          labs: { calcium_mg_dl: 10, albumin_g_dl: 3.5, creatinine_mg_dl: 0.8, bilirubin_mg_dl: 1.2, glucose_fasting_mg_dl: 126, hemoglobin_g_dl: 12.5, cholesterol_mg_dl: 200, triglycerides_mg_dl: 150, platelets_per_ul: 150000 },
        },
        condition: { sega: { needs_intervention: true, curatively_resectable: false, acute_symptoms: false, growing: true } },
        therapy: { current_dose_mg: 5, frequency: 'once_daily', form: 'tablet', trough_ng_ml: 20, target_trough_ng_ml: 10, days_on_current_dose: 14 },
      };
      await typeRequest(page, req);
      const before = await pageExchange(page);
      const val = (p) => page.locator(`#case-form [data-path="${p}"]`).inputValue();
      await openDisclosures(page, '#units-lab');
      await page.selectOption('#units-lab', 'si');
      await page.selectOption('#units-body', 'imperial');
      await page.selectOption('#units-trough', 'molar');
      assert.equal(await val('/patient/labs/calcium_mg_dl'), '2.495');
      assert.equal(await val('/patient/labs/albumin_g_dl'), '35');
      assert.equal(await val('/patient/labs/creatinine_mg_dl'), '71');
      assert.equal(await val('/patient/labs/bilirubin_mg_dl'), '20.5');
      assert.equal(await val('/patient/labs/glucose_fasting_mg_dl'), '7');
      assert.equal(await val('/patient/labs/hemoglobin_g_dl'), '125');
      assert.equal(await val('/patient/labs/cholesterol_mg_dl'), '5.17');
      assert.equal(await val('/patient/labs/triglycerides_mg_dl'), '1.69');
      assert.equal(await val('/patient/labs/platelets_per_ul'), '150');
      assert.equal(await val('/patient/weight_kg'), '88.2');
      assert.equal(await val('/patient/height_cm'), '59.1');
      assert.equal(await val('/therapy/trough_ng_ml'), '20.87');
      assert.match(await page.locator('label[for="f-patient-labs-calcium_mg_dl"]').innerText(), /mmol\/L/);
      // The engine saw the same canonical request throughout.
      const si = await pageExchange(page);
      assert.equal(canonicalJson(si.req), canonicalJson(before.req));
      assert.equal(si.resp, before.resp);
      // The page shows the value compared, in both units: under the field,
      // and in the titration when the engine gives one.
      assert.match(await page.locator('#f-therapy-trough_ng_ml-cmp').innerText(), /= 20 ng\/mL/);
      if (JSON.parse(si.resp).titration) assert.match(await page.locator('.titration').innerText(), /20 ng\/mL \(20\.87 nmol\/L\)/);
      await screenshot(page, 'units-si');
      await page.selectOption('#units-lab', 'us');
      await page.selectOption('#units-body', 'metric');
      await page.selectOption('#units-trough', 'mass');
      assert.equal(await val('/patient/labs/calcium_mg_dl'), '10');
      assert.equal(await val('/patient/weight_kg'), '40');
      assert.equal(await val('/therapy/trough_ng_ml'), '20');
      const back = await pageExchange(page);
      assert.equal(canonicalJson(back.req), canonicalJson(before.req));
      assert.equal(back.resp, before.resp);
      noProblems();
    } finally {
      await page.close();
    }
  });

  it('values typed in SI reach the engine in canonical units, and the page says what was compared', async () => {
    const page = await browser.newPage();
    try {
      await page.selectOption('#indication', 'rcc');
      // Units and labs are not asked up front for RCC: under "More (optional)".
      await openDisclosures(page, '#units-lab');
      await page.selectOption('#units-lab', 'si');
      await page.selectOption('#units-body', 'imperial');
      await page.locator('[data-path="/patient/labs/calcium_mg_dl"]').pressSequentially('2.5');
      await page.locator('[data-path="/patient/labs/creatinine_mg_dl"]').pressSequentially('88.4');
      await page.locator('[data-path="/patient/weight_kg"]').pressSequentially('176');
      const { req } = await pageExchange(page);
      assert.equal(req.patient.labs.calcium_mg_dl, 10.02);
      assert.equal(req.patient.labs.creatinine_mg_dl, 1);
      assert.ok(Math.abs(req.patient.weight_kg - 79.83) < 0.01, String(req.patient.weight_kg));
      assert.match(await page.locator('#f-patient-labs-calcium_mg_dl-cmp').innerText(), /= 10\.02 mg\/dL/);
      noProblems();
    } finally {
      await page.close();
    }
  });
});

describe('errors, missing inputs, history, the case as a file', () => {
  it('invalid values are shown next to their field; missing inputs are named by the answer', async () => {
    const page = await browser.newPage();
    try {
      await page.selectOption('#indication', 'tsc_renal_aml');
      const missing = await page.locator('#missing li').count();
      const resp0 = JSON.parse((await pageExchange(page)).resp);
      assert.equal(missing, (resp0.eligibility?.missing || []).length);
      await page.locator('[data-path="/patient/age_years"]').pressSequentially('150');
      const { resp } = await pageExchange(page);
      const r = JSON.parse(resp);
      assert.equal(r.status, 'invalid_request');
      const err = r.errors.find((e) => e.path === '/patient/age_years');
      assert.ok(err, 'the engine locates the error');
      const shown = page.locator('#f-patient-age_years-err');
      assert.ok(await shown.isVisible());
      // In words, with the range and its unit, not the engine's wording.
      assert.equal(await shown.innerText(), '150 years is outside 0–120 years — check the value and its unit.');
      assert.equal(await page.locator('#f-patient-age_years').getAttribute('aria-invalid'), 'true');
      await screenshot(page, 'error-next-to-field');
      // Correcting the value brings the answer back.
      await page.locator('[data-path="/patient/age_years"]').fill('15');
      assert.equal(JSON.parse((await pageExchange(page)).resp).status, 'ok');
      assert.equal(await shown.isVisible(), false);
      noProblems();
    } finally {
      await page.close();
    }
  });

  it('trough history is charted with the target band and fills the question', async () => {
    const page = await browser.newPage({ width: 390, height: 844 });
    try {
      await page.selectOption('#indication', 'tsc_sega');
      const rows = [['2026-01-05', '5', '4.1'], ['2026-01-19', '5', '4.6'], ['2026-02-02', '7.5', '7.9'], ['2026-02-20', '7.5', '8.4']];
      for (const [i, [d, dose, tr]] of rows.entries()) {
        await page.click('#trough-add');
        const inputs = page.locator(`#trough-table tbody tr:nth-child(${i + 1}) input`);
        await inputs.nth(0).fill(d);
        await inputs.nth(1).fill(dose);
        await inputs.nth(2).pressSequentially(tr);
      }
      // The chart (charts.js, SVG): a point per row, the dose as steps, the
      // target band, both axes named with their units, and its data as the
      // accessible description of the container (role="img").
      const chart = page.locator('#trough-chart > svg');
      assert.equal(await chart.locator('circle.point').count(), 4, 'a point per trough row');
      assert.equal(await chart.locator('path.step').count(), 1, 'the dose as a stepped line');
      assert.equal(await chart.locator('rect.band').count(), 1, 'the target band');
      const texts = await chart.locator('text').allTextContents();
      assert.ok(texts.includes('Trough (ng/mL)') && texts.includes('Dose (mg)'), texts.join('|'));
      assert.deepEqual(await page.locator('#trough-chart .chart-legend li').allTextContents(),
        ['Trough (ng/mL)', 'Dose (mg)', 'Target range (ng/mL)']);
      const ax = await accessibleNode(page, '#trough-chart');
      assert.equal(ax.role, 'image'); // Chromium's name for role="img"
      assert.match(ax.name, /^Trough levels over time\. Latest trough 8\.4 ng\/mL/);
      assert.match(ax.description, /2026-01-05: 4\.1 ng\/mL at 5 mg\. .*2026-02-20: 8\.4 ng\/mL at 7\.5 mg\./);
      assert.match(await page.locator('#trough-summary').innerText(), /Latest trough 8\.4 ng\/mL on 2026-02-20 at 7\.5 mg/);
      await page.click('#trough-use');
      const { req } = await pageExchange(page);
      assert.deepEqual(
        [req.therapy.current_dose_mg, req.therapy.trough_ng_ml, req.therapy.days_on_current_dose],
        [7.5, 8.4, 18],
      );
      await noSideScroll(page);
      await page.locator('#history').screenshot({ path: path.join(artifacts, 'history-troughs-phone.png') });
      noProblems();
    } finally {
      await page.close();
    }
  });

  it('AML measurements are charted with their growth rate and fill the question', async () => {
    const page = await browser.newPage();
    try {
      await page.selectOption('#indication', 'tsc_renal_aml');
      const rows = [['2025-01-10', '3.1'], ['2025-07-10', '3.4'], ['2026-01-10', '3.7']];
      for (const [i, [d, cm]] of rows.entries()) {
        await page.click('#aml-add');
        const inputs = page.locator(`#aml-table tbody tr:nth-child(${i + 1}) input`);
        await inputs.nth(0).fill(d);
        await inputs.nth(1).pressSequentially(cm);
      }
      assert.equal(await page.locator('#aml-chart > svg circle.point').count(), 3, 'a point per measurement');
      assert.match((await accessibleNode(page, '#aml-chart')).description, /2025-01-10: 3\.1 cm\. 2025-07-10: 3\.4 cm\. 2026-01-10: 3\.7 cm\./);
      const summary = await page.locator('#aml-summary').innerText();
      assert.match(summary, /Growth between the two latest measurements: 0\.6 cm\/year/);
      assert.match(summary, /least-squares over all 3: 0\.6 cm\/year/);
      await page.click('#aml-use');
      const { req, resp } = await pageExchange(page);
      assert.equal(req.condition.aml.largest_diameter_cm, 3.7);
      assert.equal(req.condition.aml.previous_largest_diameter_cm, 3.4);
      assert.equal(req.condition.aml.months_between_measurements, 6);
      const r = JSON.parse(resp);
      if (r.derived?.aml_growth_cm_per_year != null) assert.ok(Math.abs(r.derived.aml_growth_cm_per_year - 0.6) < 0.01);
      await page.locator('#history').screenshot({ path: path.join(artifacts, 'history-aml.png') });
      noProblems();
    } finally {
      await page.close();
    }
  });

  it('export then import restores the whole case; copy as text gives the note', async () => {
    const page = await browser.newPage();
    try {
      const c = loadCases().find((x) => x.id === 'eve-stomatitis-g2') || extraCases[4];
      await typeRequest(page, c.request);
      await openDisclosures(page, '#units-lab');
      await page.selectOption('#units-lab', 'si');
      const before = await pageExchange(page);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
      assert.match(download.suggestedFilename(), /^mtorcalc-case-\d{4}-\d{2}-\d{2}\.json$/);
      const file = path.join(artifacts, 'exported-case.json');
      await download.saveAs(file);
      const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
      assert.equal(saved.format, 'mtorcalc-case/1');
      assert.equal(canonicalJson(saved.request), canonicalJson(c.request));
      // No patient value went into the URL.
      assert.equal(new URL(page.url()).search, '');
      await page.click('#clear');
      assert.equal(await page.locator('#indication').inputValue(), '');
      await page.setInputFiles('#import-file', file);
      await page.waitForFunction(() => document.querySelector('#raw-request'));
      const afterImport = await pageExchange(page);
      assert.equal(canonicalJson(afterImport.req), canonicalJson(before.req));
      assert.equal(afterImport.resp, before.resp);
      assert.equal(await page.locator('#units-lab').inputValue(), 'si');
      await page.click('#copy-text');
      const note = await page.locator('#note-text').inputValue();
      const r = JSON.parse(before.resp);
      assert.match(note, /^mTOR inhibitor calculation \(mtorcalc\)/);
      if (r.status === 'ok') assert.ok(note.includes(`Content version ${r.content_version}`));
      // Nothing was stored in the browser.
      const stored = await page.evaluate(async () => ({
        local: localStorage.length, session: sessionStorage.length, cookie: document.cookie,
        idb: (await indexedDB.databases?.())?.length ?? 0,
      }));
      assert.deepEqual(stored, { local: 0, session: 0, cookie: '', idb: 0 });
      noProblems();
    } finally {
      await page.close();
    }
  });
});

describe('print, accessibility, keyboard, embed, contract hook', () => {
  it('the print layout carries the plan, inputs, answer, references, version and date, unscaled', async () => {
    const page = await browser.newPage();
    try {
      // The longest answer the suite has: troughs, events, interactions.
      await typeRequest(page, extraCases[4].request);
      await page.emulateMedia({ media: 'print' });
      // What the browser does before printing (Ctrl+P or the Print button).
      await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
      assert.equal(await page.locator('#question').isVisible(), false, 'the form is not printed');
      assert.ok(await page.locator('#print-summary').isVisible(), 'the inputs are printed');
      assert.ok(await page.locator('#answer-body').isVisible());
      assert.ok(await page.locator('#references').isVisible());
      const footer = await page.locator('#print-footer').innerText();
      const r = JSON.parse((await pageExchange(page)).resp);
      assert.match(footer, /Printed \d{4}-\d{2}-\d{2}/);
      assert.ok(footer.includes(r.content_version), footer);
      assert.match(await page.locator('#print-inputs').innerText(), /Age\s+30 years/);
      assert.match(await page.locator('#print-inputs').innerText(), /Other medicines\s+fluconazole, ramipril, grapefruit juice/);
      await page.screenshot({ path: path.join(artifacts, 'print-layout.png'), fullPage: true });
      const pdf = await page.pdf({ format: 'A4', printBackground: false });
      fs.writeFileSync(path.join(artifacts, 'print-layout.pdf'), pdf);
      // A chart note at a readable size over as many pages as it takes
      // (tests/browser/answer.test.mjs checks its order and font sizes).
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      assert.ok(pages >= 1 && pages <= 6, `the printout has ${pages} pages`);
      assert.ok(await page.locator('#plan').isVisible(), 'the plan is printed');
      assert.equal(await page.evaluate(() => document.documentElement.style.zoom), '', 'nothing is scaled');
      noProblems();
    } finally {
      await page.close();
    }
  });

  it('axe-core finds no violation (empty page, full answer, errors shown, history charts, phone, embed)', async () => {
    const require = createRequire(import.meta.url);
    const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const check = async (page, label) => {
      // Evaluated through the DevTools protocol: no CSP exception needed.
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(found, [], `axe violations (${label})`);
    };
    const full = extraCases[4];
    for (const [label, opts, setup] of [
      ['empty', {}, async () => {}],
      ['full answer', {}, async (p) => {
        await typeRequest(p, full.request);
        await p.click('#trough-add');
        await p.locator('#answer-body details.raw > summary').click();
      }],
      ['error shown', {}, async (p) => {
        await p.selectOption('#indication', 'rcc');
        await openDisclosures(p, '[data-path="/patient/weight_kg"]');
        await p.locator('[data-path="/patient/weight_kg"]').pressSequentially('9999');
      }],
      ['history charts', {}, async (p) => {
        await p.selectOption('#indication', 'tsc_renal_aml');
        for (const [table, values] of [['trough', ['2026-01-05', '5', '4.1']], ['aml', ['2025-01-10', '3.1']]]) {
          await p.click(`#${table}-add`);
          for (const [i, v] of values.entries()) await p.locator(`#${table}-table tbody input`).nth(i).fill(v);
        }
      }],
      ['phone', { width: 360, height: 780 }, async (p) => typeRequest(p, full.request)],
      ['embed', { query: '?embed=1' }, async (p) => typeRequest(p, full.request)],
    ]) {
      const page = await browser.newPage(opts);
      try {
        await setup(page);
        await check(page, label);
        if (label === 'phone') await noSideScroll(page);
      } finally {
        await page.close();
      }
    }
    noProblems();
  });

  it('can be used with the keyboard alone', async () => {
    const page = await browser.newPage();
    try {
      // Tab from the top: the skip links, then the section links, then the indication.
      let focused = '';
      for (let i = 0; i < 12 && focused !== 'indication'; i++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => document.activeElement?.id || '');
      }
      assert.equal(focused, 'indication', 'the indication is reached by Tab');
      // Choose "Advanced renal cell carcinoma" with the arrow keys.
      while ((await page.locator('#indication').inputValue()) !== 'rcc') await page.keyboard.press('ArrowDown');
      // Tab on to the age field and type.
      for (let i = 0; i < 20 && focused !== 'f-patient-age_years'; i++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => document.activeElement?.id || '');
      }
      assert.equal(focused, 'f-patient-age_years');
      await page.keyboard.type('58');
      const { req } = await pageExchange(page);
      assert.equal(req.patient.age_years, 58);
      // Buttons work with Enter: add an adverse event, focus moves into it.
      await page.focus('#ae-add');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'ae-0-term');
      // A link in "needed" moves focus to its field.
      const link = page.locator('#missing a').first();
      if (await link.count()) {
        await link.focus();
        await page.keyboard.press('Enter');
        assert.ok(await page.evaluate(() => Boolean(document.activeElement?.closest('#case-form'))), 'focus is on the missing field');
      }
      // Nothing interactive is taken out of the tab order.
      const unreachable = await page.evaluate(() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]):not([hidden]), select, textarea')]
        .filter((e) => e.tabIndex < 0).map((e) => e.id || e.outerHTML.slice(0, 60)));
      assert.deepEqual(unreachable, []);
      // The live region announces the answer for screen readers.
      await page.waitForFunction(() => document.querySelector('#announce').textContent.trim() !== '', null, { timeout: 5000 });
      noProblems();
    } finally {
      await page.close();
    }
  });

  it('?embed=1 shows the calculator without chrome, and window.mtorCalc answers as the engine does', async () => {
    const page = await browser.newPage({ width: 800, height: 900, query: '?embed=1' });
    try {
      assert.equal(await page.locator('header.site').isVisible(), false);
      assert.equal(await page.locator('#about').isVisible(), false);
      assert.equal(await page.locator('footer.site').isVisible(), false);
      assert.ok(await page.locator('#indication').isVisible());
      const bad = '{"contract": "mtor-calc/1", "indication": ';
      for (const text of [bad, JSON.stringify(extraCases[4].request)]) {
        const answer = await page.evaluate((t) => window.mtorCalc.evaluate(t), text);
        assert.equal(answer, engine.evaluate(text));
      }
      assert.equal(await page.evaluate(() => window.mtorCalc.version()), engine.version());
      assert.ok(await page.evaluate(() => Object.isFrozen(window.mtorCalc)));
      await typeRequest(page, extraCases[0].request);
      await screenshot(page, 'embed');
      noProblems();
    } finally {
      await page.close();
    }
  });

  it('the About section states use, method, sources, limitations and mechanism', async () => {
    const page = await browser.newPage();
    try {
      const about = await page.locator('#about').innerText();
      for (const s of [/health-care professionals/i, /How answers are reached/, /Content version \d/, /Bayesian \(maximum a posteriori\) model estimate/, /never changes the plan/, /not established in oncology/,
        /FKBP-12/, /mTORC1/, /S6K1/, /4E-BP1/, /angiogenesis/, /VEGF/]) assert.match(about, s);
      // The list is drawn when its disclosure is opened.
      // (The toggle event that draws it comes after the click, as a task.)
      await page.locator('#all-sources').locator('xpath=..').locator('summary').click();
      await page.locator('#all-sources li').first().waitFor({ timeout: 10000 }).catch(() => {});
      assert.ok((await page.locator('#all-sources li').count()) > 0, 'the sources the engine knows are listed');
      assert.match(await page.locator('#about-ref-count').innerText(), /^all \d+ references$/);
      noProblems();
    } finally {
      await page.close();
    }
  });
});

describe('loading', () => {
  it('preloads every module, and fetches the wasm once, after the first paint', async () => {
    const page = await browser.context.newPage();
    const requested = []; // [path, resource type]
    const warnings = [];
    page.on('request', (r) => requested.push([new URL(r.url()).pathname.slice(1), r.resourceType()]));
    page.on('console', (m) => { if (/preload/i.test(m.text())) warnings.push(m.text()); });
    try {
      await page.goto(`${browser.origin}/`);
      await page.waitForFunction(() => window.mtorCalc, null, { timeout: 30000 });
      const head = await page.evaluate(() => ({
        scripts: [...document.querySelectorAll('script[type="module"][src]')].map((s) => s.getAttribute('src')),
        modules: [...document.querySelectorAll('link[rel="modulepreload"]')].map((l) => l.getAttribute('href')),
        wasm: [...document.querySelectorAll('link[rel="preload"][as="fetch"]')].map((l) => l.getAttribute('href')),
      }));
      // No module is found only by reading the module that imports it. The
      // engine's compiling worker is started by a script (it cannot be
      // preloaded) and imports the glue the page already has, from the cache.
      const scripts = requested.filter(([, type]) => type === 'script').map(([p]) => p).filter((p) => !/^engine-worker\.[0-9a-f]{8}\.js$/.test(p));
      assert.deepEqual([...new Set(scripts)].sort(), [...head.scripts, ...head.modules].sort());
      // The wasm is not preloaded (it would compete with the first paint on
      // a slow network) and is requested once: the page fetches it and hands
      // the bytes to the worker that compiles them.
      assert.deepEqual(head.wasm, []);
      const wasm = requested.filter(([p]) => p.endsWith('.wasm')).map(([p]) => p);
      assert.equal(wasm.length, 1);
      assert.match(wasm[0], /^mtorcalc-web\.[0-9a-f]{8}\.wasm$/);
      const painted = await page.evaluate(() => performance.getEntriesByName('first-paint')[0]?.startTime);
      const fetched = await page.evaluate(() => performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'))?.startTime);
      assert.ok(painted !== undefined && fetched >= painted, `the wasm fetch (${fetched} ms) starts after the first paint (${painted} ms)`);
      // (The worker compiles the bytes the page fetched: it fetches no wasm.)
      assert.deepEqual(warnings, []);
      noProblems();
    } finally {
      await page.close();
    }
  });
});
