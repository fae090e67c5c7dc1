// web/freshness.js: the content's age is worked out in the page from the
// browser's clock (the engine reads none); 12 months to the day, UTC.
import test from 'node:test';
import assert from 'node:assert/strict';
import { contentFreshness, MAX_MONTHS } from '../../web/freshness.js';

const version = 'mtorcalc 0.1.0 (content 2026.11.26+3e376e3e)';

test('stale from the same day 12 months later, not a minute before', () => {
  assert.equal(MAX_MONTHS, 12);
  const at = (iso) => contentFreshness(version, Date.parse(iso));
  assert.deepEqual(at('2026-11-26T00:00:00Z'), { date: '2026-11-26', stale: false, maxMonths: 12 });
  assert.equal(at('2027-11-25T23:59:00Z').stale, false);
  assert.equal(at('2027-11-26T00:00:00Z').stale, true);
  assert.equal(at('2030-01-01T00:00:00Z').stale, true);
  // February: the same day a year later.
  assert.equal(contentFreshness('x (content 2026.02.28+0)', Date.parse('2027-02-27T23:59:00Z')).stale, false);
  assert.equal(contentFreshness('x (content 2026.02.28+0)', Date.parse('2027-02-28T00:00:00Z')).stale, true);
});

test('a version without a content date shows no banner (nothing to measure)', () => {
  assert.deepEqual(contentFreshness('engine loading…', Date.now()), { date: null, stale: false, maxMonths: 12 });
  assert.deepEqual(contentFreshness(undefined, Date.now()), { date: null, stale: false, maxMonths: 12 });
});
