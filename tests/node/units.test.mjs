// Equivalence tests for web/units.js, the page's single conversion module:
// known pairs from the laboratory literature, exact round trips, and the
// invariants the page relies on (canonical side is the identity; display
// never uses a locale separator).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as U from '../../web/units.js';

const close = (actual, expected, tol, msg) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${msg ?? ''} expected ${expected} ± ${tol}, got ${actual}`);

test('known pairs: canonical → SI', () => {
  const pairs = [
    // kind, canonical value, SI value, tolerance
    ['calcium', 10, 2.495, 0.0005], // 10 mg/dL ≈ 2.495 mmol/L
    ['calcium', 8.5, 2.121, 0.0005],
    ['bilirubin', 1, 17.1, 1e-9],
    ['bilirubin', 3, 51.3, 1e-9],
    ['albumin', 3.5, 35, 1e-9],
    ['glucose', 126, 7.0, 1e-9],
    ['glucose', 90, 5.0, 1e-9],
    ['cholesterol', 200, 5.172, 0.0005],
    ['triglycerides', 150, 1.694, 0.0005],
    ['creatinine', 1, 88.4, 1e-9],
    ['hemoglobin', 13.5, 135, 1e-9],
    ['cells', 1500, 1.5, 1e-12],
    ['weight', 70, 154.324, 0.001],
    ['height', 170, 66.929, 0.001],
    // 1 ng/mL everolimus = 1000/958.2 nmol/L = 1.0436 nmol/L
    ['trough_everolimus', 1, 1.0436, 0.00005],
    ['trough_everolimus', 15, 15.654, 0.0005],
    ['trough_sirolimus', 1, 1.0939, 0.00005],
    ['trough_sirolimus', 5, 5.469, 0.0005],
  ];
  for (const [kind, canonical, si, tol] of pairs) {
    const choice = U.SYSTEMS[U.systemOf(kind)][1];
    close(U.fromCanonical(kind, canonical, choice), si, tol, `${kind} ${canonical} →`);
    // The reverse direction: same relative tolerance.
    close(U.toCanonical(kind, si, choice), canonical, (tol * canonical) / si, `${kind} ${si} ←`);
  }
});

test('one pound and one inch are the international definitions', () => {
  assert.equal(U.toCanonical('weight', 1, 'imperial'), 0.45359237);
  assert.equal(U.toCanonical('height', 1, 'imperial'), 2.54);
});

test('round trips are exact (to 12 significant digits) for every kind', () => {
  const values = [0.1, 0.5, 1, 2.495, 7.3, 10, 13.5, 88.4, 150, 1234.5, 250000];
  for (const kind of U.kinds()) {
    for (const choice of U.SYSTEMS[U.systemOf(kind)]) {
      for (const v of values) {
        const there = U.fromCanonical(kind, v, choice);
        const back = U.toCanonical(kind, there, choice);
        assert.equal(back, v, `${kind}/${choice}: ${v} → ${there} → ${back}`);
        // Starting on the other side (the page never needs this to be exact,
        // since it keeps the canonical value, but it must agree to far
        // below display precision and display identically).
        const c = U.toCanonical(kind, v, choice);
        close(U.fromCanonical(kind, c, choice), v, v * 1e-10, `${kind}/${choice}: ${v} ← ${c}`);
        assert.equal(U.display(kind, c, choice), U.formatNumber(v, U.decimals(kind, choice)));
      }
    }
  }
});

test('the canonical side is the identity and is the engine unit', () => {
  const canonicalUnits = {
    bilirubin: 'mg/dL', albumin: 'g/dL', calcium: 'mg/dL', glucose: 'mg/dL', cholesterol: 'mg/dL',
    triglycerides: 'mg/dL', creatinine: 'mg/dL', hemoglobin: 'g/dL', cells: '/µL', enzyme: 'U/L',
    weight: 'kg', height: 'cm', trough_everolimus: 'ng/mL', trough_sirolimus: 'ng/mL',
  };
  for (const kind of U.kinds()) {
    const first = U.SYSTEMS[U.systemOf(kind)][0];
    assert.equal(U.toCanonical(kind, 3.21, first), 3.21);
    assert.equal(U.fromCanonical(kind, 3.21, first), 3.21);
    assert.equal(U.unitLabel(kind, first), canonicalUnits[kind], kind);
    assert.equal(U.canonicalUnit(kind), canonicalUnits[kind]);
  }
});

test('SI unit labels', () => {
  assert.equal(U.unitLabel('bilirubin', 'si'), 'µmol/L');
  assert.equal(U.unitLabel('albumin', 'si'), 'g/L');
  assert.equal(U.unitLabel('calcium', 'si'), 'mmol/L');
  assert.equal(U.unitLabel('creatinine', 'si'), 'µmol/L');
  assert.equal(U.unitLabel('hemoglobin', 'si'), 'g/L');
  assert.equal(U.unitLabel('weight', 'imperial'), 'lb');
  assert.equal(U.unitLabel('height', 'imperial'), 'in');
  assert.equal(U.unitLabel('trough_everolimus', 'molar'), 'nmol/L');
});

test('display rounds to the usual reporting precision with a point', () => {
  assert.equal(U.display('calcium', 10, 'si'), '2.495');
  assert.equal(U.display('calcium', 10, 'us'), '10');
  assert.equal(U.display('creatinine', 1.2, 'si'), '106');
  assert.equal(U.display('bilirubin', 1.2, 'si'), '20.5');
  assert.equal(U.display('glucose', 126, 'si'), '7');
  assert.equal(U.display('trough_everolimus', 10, 'molar'), '10.44');
  assert.equal(U.formatNumber(1234567.5, 1), '1234567.5');
  assert.equal(U.formatNumber(NaN, 1), '');
});

test('switching display units back and forth never changes the canonical value', () => {
  // The page keeps the canonical value and re-displays; this mimics a user
  // who types in SI, switches to US and back, many times.
  let canonical = U.toCanonical('calcium', 2.37, 'si');
  for (let i = 0; i < 50; i++) {
    const us = U.fromCanonical('calcium', canonical, 'us');
    canonical = U.toCanonical('calcium', U.fromCanonical('calcium', U.toCanonical('calcium', us, 'us'), 'si'), 'si');
  }
  close(canonical, 2.37 * 4.008, 1e-9);
});

test('parseTyped accepts a decimal comma or point and rejects junk', () => {
  assert.equal(U.parseTyped('2.5'), 2.5);
  assert.equal(U.parseTyped(' 2,5 '), 2.5);
  assert.equal(U.parseTyped('10'), 10);
  assert.equal(U.parseTyped('.5'), 0.5);
  assert.equal(U.parseTyped(''), null);
  assert.equal(U.parseTyped('   '), null);
  assert.ok(Number.isNaN(U.parseTyped('abc')));
  assert.ok(Number.isNaN(U.parseTyped('1.2.3')));
});

test('trough kind follows the drug; unknown kinds are refused', () => {
  assert.equal(U.troughKind('everolimus'), 'trough_everolimus');
  assert.equal(U.troughKind('sirolimus'), 'trough_sirolimus');
  assert.equal(U.troughKind('temsirolimus'), null);
  assert.throws(() => U.unitLabel('potassium', 'si'));
  // Non-numbers pass through untouched (the engine reports them).
  assert.equal(U.toCanonical('calcium', null, 'si'), null);
});
