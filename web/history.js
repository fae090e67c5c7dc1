// history.js — arithmetic on what the clinician typed into the history
// tables (trough levels, AML measurements). Pure functions, no DOM, so
// tests/node can check them. This is bookkeeping, not clinical judgement:
// the engine still decides what a growth rate or a trough means.

export const MS_PER_DAY = 86400000;
export const DAYS_PER_YEAR = 365.25;
export const DAYS_PER_MONTH = DAYS_PER_YEAR / 12;

// 'YYYY-MM-DD' → days since 1970-01-01 (UTC, so no time-zone shifts), or null.
export function dayNumber(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(date || ''));
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(t) ? Math.round(t / MS_PER_DAY) : null;
}

// Days since 1970-01-01 → 'YYYY-MM-DD' (UTC), the inverse of dayNumber.
export const isoDate = (day) => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);

// A local calendar date (a Date) → its day number.
export const dayOfDate = (date) => Math.floor(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / MS_PER_DAY);

// Rows with a valid date and the needed numbers, sorted by date.
export function validRows(rows, keys) {
  return rows
    .map((r) => ({ ...r, day: dayNumber(r.date) }))
    .filter((r) => r.day !== null && keys.every((k) => typeof r[k] === 'number' && Number.isFinite(r[k])))
    .sort((a, b) => a.day - b.day);
}

// AML growth: the latest interval (the two most recent measurements) and,
// with three or more, the least-squares slope over all of them, in cm/year.
export function amlGrowth(rows) {
  const pts = validRows(rows, ['diameter_cm']);
  const out = { points: pts.length, latest_cm_per_year: null, fitted_cm_per_year: null, latest: null, previous: null, months_between: null };
  if (pts.length < 2) return out;
  const a = pts[pts.length - 2];
  const b = pts[pts.length - 1];
  out.latest = b;
  out.previous = a;
  const days = b.day - a.day;
  if (days > 0) {
    out.latest_cm_per_year = ((b.diameter_cm - a.diameter_cm) / days) * DAYS_PER_YEAR;
    out.months_between = days / DAYS_PER_MONTH;
  }
  if (pts.length >= 3) {
    const n = pts.length;
    const mx = pts.reduce((s, p) => s + p.day, 0) / n;
    const my = pts.reduce((s, p) => s + p.diameter_cm, 0) / n;
    let sxx = 0;
    let sxy = 0;
    for (const p of pts) {
      sxx += (p.day - mx) ** 2;
      sxy += (p.day - mx) * (p.diameter_cm - my);
    }
    if (sxx > 0) out.fitted_cm_per_year = (sxy / sxx) * DAYS_PER_YEAR;
  }
  return out;
}

// The latest trough row and how many days the patient has been on that dose
// (from the first row of the final run of rows at that same dose).
export function latestTrough(rows) {
  const pts = validRows(rows, ['dose_mg', 'trough_ng_ml']);
  if (!pts.length) return null;
  const last = pts[pts.length - 1];
  let first = last;
  for (let i = pts.length - 2; i >= 0 && pts[i].dose_mg === last.dose_mg; i--) first = pts[i];
  return { ...last, days_on_dose: last.day - first.day, since: first.date };
}

// The engine's therapy.trough_history from the trough table: whole days
// since the therapy's start date, complete rows only (a date on or after the
// start, a dose and a trough), oldest first, at most `limit` rows (the
// engine's list limit: the most recent are kept). Troughs are canonical
// (ng/mL) already; the frequency is the therapy's. [] when the start date
// or the frequency is missing.
export function troughHistoryRequest(rows, startDate, frequency, limit = 64) {
  const start = dayNumber(startDate);
  if (start === null || !frequency) return [];
  const pts = validRows(rows, ['dose_mg', 'trough_ng_ml'])
    .filter((r) => r.day >= start && r.dose_mg > 0 && r.trough_ng_ml > 0);
  return pts.slice(-limit).map((r) => ({
    days_since_start: r.day - start, trough_ng_ml: r.trough_ng_ml, dose_mg: r.dose_mg, frequency,
  }));
}
