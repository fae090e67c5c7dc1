// freshness.js — how old the clinical content is. The engine (core/) never
// reads a clock, so its answers stay a pure function of the request; the age
// is worked out here, in the page, from the browser's clock and the date in
// the content version ("… (content 2026.11.26+3e376e3e)"): the day the
// content was last checked against the labels its references name, each
// with its own label date. Past MAX_MONTHS the page shows a banner asking
// for an updated copy (web/pwa.js).
export const MAX_MONTHS = 12;

/** { date: 'YYYY-MM-DD' | null, stale: boolean, maxMonths } for an engine version string at time `nowMs`. */
export function contentFreshness(version, nowMs) {
  const m = /content (\d{4})\.(\d{2})\.(\d{2})/.exec(String(version));
  if (!m) return { date: null, stale: false, maxMonths: MAX_MONTHS };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Stale from the same calendar day MAX_MONTHS later (UTC), e.g. content of
  // 2026-11-26 is stale from 2027-11-26 00:00 UTC.
  const staleFrom = Date.UTC(year, month - 1 + MAX_MONTHS, day);
  return { date: `${m[1]}-${m[2]}-${m[3]}`, stale: nowMs >= staleFrom, maxMonths: MAX_MONTHS };
}
