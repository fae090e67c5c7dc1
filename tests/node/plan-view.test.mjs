// The plan's words (web/plan-view.js, web/labels.js): tablets, mL and
// vials; the next check as calendar dates counted from a given day; and
// engine text cleaned of request paths and codes without changing meaning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unitsText, dateWindow, nextCheckText, giveNowText, planLine, actionTitle } from '../../web/plan-view.js';
import { prose, label } from '../../web/labels.js';

test('units: counts, plurals, solutions, several strengths', () => {
  assert.equal(unitsText([{ strength_mg: 10, count: 1, unit: 'tablet' }]), '1 × 10 mg tablet');
  assert.equal(unitsText([{ strength_mg: 2, count: 3, unit: 'tablet' }, { strength_mg: 0.5, count: 1, unit: 'tablet' }]), '3 × 2 mg tablets + 1 × 0.5 mg tablet');
  assert.equal(unitsText([{ strength_mg: 5, count: 1, unit: 'tablet for oral suspension' }, { strength_mg: 2, count: 2, unit: 'tablet for oral suspension' }]),
    '1 × 5 mg tablet for oral suspension + 2 × 2 mg tablets for oral suspension');
  assert.equal(unitsText([{ concentration_mg_ml: 1, volume_ml: 2.5, unit: 'mL' }]), '2.5 mL of the 1 mg/mL oral solution');
  assert.equal(unitsText([{ gel_mg_per_application: 400, unit: 'mg of gel' }]), 'at most 400 mg of gel per application, a thin layer on the lesions');
  assert.equal(unitsText([{ strength_mg: 25, count: 2, unit: 'vials' }]), '2 × 25 mg vials');
  assert.equal(unitsText([]), '');
});

test('next check: one day, a window in one month, a window across months and years', () => {
  const today = new Date(2026, 11, 7); // 7 Dec 2026, local time
  assert.equal(dateWindow([14, 14], today), 'on 21 Dec 2026');
  assert.equal(dateWindow([7, 14], today), 'between 14 and 21 Dec 2026');
  assert.equal(dateWindow([24, 24], today), 'on 31 Dec 2026');
  assert.equal(dateWindow([24, 25], today), 'between 31 Dec 2026 and 1 Jan 2027');
  assert.equal(dateWindow([0, 0], today), 'on 7 Dec 2026');
  assert.equal(nextCheckText({ what: 'trough', in_days: [7, 14] }, today), 'Trough level between 14 and 21 Dec 2026 (in 7–14 days)');
  assert.equal(nextCheckText(null, today), '');
});

test('nothing given now is never written as a dose', () => {
  const withhold = { action: 'withhold', drug: 'everolimus', dose_mg: null, units: [], summary: '' };
  assert.equal(giveNowText(withhold), 'nothing now (withheld)');
  assert.equal(planLine(withhold), 'Withhold everolimus.');
  const increase = { action: 'increase', drug: 'everolimus', dose_mg: 10, frequency: 'once_daily', units: [{ strength_mg: 10, count: 1, unit: 'tablet' }] };
  assert.equal(giveNowText(increase), '10 mg once daily = 1 × 10 mg tablet');
  assert.equal(actionTitle('increase', 'everolimus'), 'Increase the everolimus dose');
  assert.equal(actionTitle('need_more_data', 'everolimus'), 'More information needed');
  // A start held until labs recover reads as a start not yet made.
  assert.equal(actionTitle('withhold', 'everolimus', 'start'), 'Do not start everolimus yet');
  assert.equal(actionTitle('withhold', 'everolimus', 'toxicity'), 'Withhold everolimus');
});

test('engine text in words: request paths, term codes, iv infusion, 1 weeks', () => {
  // The field's label is the form's (fields.js), whatever its wording.
  assert.match(prose('choose one form (therapy.form) and do not combine them'), /^choose one form \(the “[A-Z][^”(.]+” field\) and do not combine them$/);
  assert.equal(prose('an unknown path (therapy.no_such_field) here'), 'an unknown path here');
  assert.equal(prose('non infectious pneumonitis grade 2'), 'non-infectious pneumonitis grade 2');
  assert.equal(prose('check the labs in 1 weeks; in 2 weeks'), 'check the labs in 1 week; in 2 weeks');
  assert.equal(prose('give as an iv infusion'), 'give as an intravenous infusion');
  assert.equal(label('form', 'iv_infusion'), 'intravenous infusion');
});
