import fs from 'node:fs';

// The bedside scenarios the answer is checked against in the browser: a
// clinician's case file (the page's "Import case…" format, mtorcalc-case/1)
// for each, with the plan action a reader must see first.
const base = (indication, rest) => ({ contract: 'mtor-calc/1', indication, ...rest });
const rccAdult = { age_years: 58, sex: 'male', weight_kg: 80, height_cm: 178 };
const rccCondition = { rcc: { histology: 'clear_cell', advanced: true, prior_therapies: ['sunitinib'] } };
// Advanced RCC on everolimus once daily, with one adverse event.
const rccOnEverolimus = (current_dose_mg, event) => base('rcc', {
  drug: 'everolimus', patient: rccAdult, condition: rccCondition,
  therapy: { current_dose_mg, frequency: 'once_daily' }, adverse_events: [event],
});

export const SCENARIOS = [
  {
    id: 'aml-start',
    action: 'start',
    request: base('tsc_renal_aml', {
      patient: { age_years: 30, sex: 'female', weight_kg: 65, height_cm: 165, tsc_definite: true },
      condition: { aml: { largest_diameter_cm: 4.5, growth_cm_per_year: 0.6, aneurysm_mm: 0, acute_hemorrhage: false, needs_immediate_surgery: false } },
    }),
  },
  {
    id: 'sega-carbamazepine-low-trough',
    action: 'increase',
    request: base('tsc_sega', {
      drug: 'everolimus',
      patient: { age_years: 12, sex: 'male', weight_kg: 40, height_cm: 150, tsc_definite: true },
      condition: { sega: { needs_intervention: true, curatively_resectable: false, acute_symptoms: false, growing: true } },
      therapy: { current_dose_mg: 5, frequency: 'once_daily', form: 'tablet', trough_ng_ml: 3, days_on_current_dose: 14 },
      comedications: ['carbamazepine'],
    }),
  },
  {
    id: 'lam-low-trough',
    action: 'increase',
    request: base('lam', {
      patient: { age_years: 40, sex: 'female', weight_kg: 60, height_cm: 165 },
      condition: { lam: { fev1_percent_predicted: 60 } },
      therapy: { current_dose_mg: 2, frequency: 'once_daily', form: 'tablet', trough_ng_ml: 3, days_on_current_dose: 14 },
    }),
  },
  {
    id: 'rcc-child-pugh-b-clarithromycin',
    action: null, // whatever the engine composes; checked against the engine's plan
    request: base('rcc', {
      drug: 'everolimus',
      patient: { ...rccAdult, hepatic: { child_pugh_class: 'B' } },
      condition: rccCondition,
      comedications: ['clarithromycin'],
    }),
  },
  { id: 'rcc-stomatitis-g3', action: 'withhold', request: rccOnEverolimus(10, { term: 'stomatitis', grade: 3, recurrent: false }) },
  // Then, back on the reduced 5 mg, grade 2 pneumonitis.
  { id: 'rcc-pneumonitis-g2', action: 'withhold', request: rccOnEverolimus(5, { term: 'non_infectious_pneumonitis', grade: 2, recurrent: false }) },
  {
    id: 'temsirolimus-poor-risk',
    action: 'start',
    request: base('rcc', {
      drug: 'temsirolimus',
      patient: {
        age_years: 60, sex: 'male', weight_kg: 80, height_cm: 178, karnofsky: 60,
        labs: { ldh_u_l: 400, hemoglobin_g_dl: 12, calcium_mg_dl: 10.5, albumin_g_dl: 4.0 },
        limits: { ldh_uln_u_l: 250, hemoglobin_lln_g_dl: 13.5, calcium_uln_mg_dl: 10.2 },
      },
      condition: { rcc: { histology: 'clear_cell', advanced: true, prior_therapies: [], months_since_diagnosis: 6, metastatic_organ_sites: 3 } },
    }),
  },
];

export const caseFile = (s) => ({ format: 'mtorcalc-case/1', units: { lab: 'us', body: 'metric', trough: 'mass' }, request: s.request, history: { troughs: [], aml: [] } });

// The other actions a plan can lead with, from the engine's plan cases.
// (The form sends an adverse event's "recurrent" always: the case says it too.)
const planCase = (name) => {
  const req = JSON.parse(fs.readFileSync(new URL(`../cases/plan/${name}.json`, import.meta.url), 'utf8')).request;
  if (req.adverse_events) req.adverse_events = req.adverse_events.map((a) => ({ recurrent: false, ...a }));
  return req;
};
export const MORE_ACTIONS = [
  { id: 'aml-not-indicated', action: 'do_not_start', request: planCase('eve-aml-2-9-not-indicated') },
  { id: 'rcc-stomatitis-g4', action: 'discontinue', request: planCase('eve-rcc-stomatitis-g4') },
  { id: 'rcc-review', action: 'continue', request: planCase('eve-rcc-review') },
  { id: 'lam-start-oral-solution', action: 'start', request: planCase('lam-start-oral-solution-cp-b') },
];
