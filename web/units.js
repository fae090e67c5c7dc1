// units.js — the page's one and only unit conversion module.
//
// The engine works in canonical units only (the contract puts them in the
// field names: mg/dL, g/dL, kg, cm, ng/mL, per µL). The page lets the
// clinician type conventional (US) or SI values and converts here, at its
// edge, in both directions. No DOM, no state: everything is a pure function so
// that tests/node/units.test.mjs can check it by equivalence.
//
// Every quantity is described by the factor f in   other = canonical × f,
// which keeps the two directions exact inverses of one another.

// Molar masses used for trough conversion (whole-blood trough, ng/mL ↔ nmol/L).
// 1 ng/mL = 1 µg/L; µg/L ÷ (g/mol) = µmol/L ÷ 1000 … so nmol/L = ng/mL × 1000 / M.
export const MOLAR_MASS_G_PER_MOL = Object.freeze({
  everolimus: 958.2,
  sirolimus: 914.2,
});

const LB_PER_KG = 1 / 0.45359237; // the international avoirdupois pound, exact
const IN_PER_CM = 1 / 2.54; // the international inch, exact

// kind → { canonical unit, alternative unit, factor, display decimals }.
// `system` names which switch changes the unit: 'lab' (US/SI), 'body'
// (metric/imperial) or 'trough' (mass/molar).
const KINDS = {
  bilirubin: { system: 'lab', canonical: 'mg/dL', other: 'µmol/L', factor: 17.1, dp: [2, 1] },
  albumin: { system: 'lab', canonical: 'g/dL', other: 'g/L', factor: 10, dp: [1, 0] },
  calcium: { system: 'lab', canonical: 'mg/dL', other: 'mmol/L', factor: 1 / 4.008, dp: [1, 3] },
  glucose: { system: 'lab', canonical: 'mg/dL', other: 'mmol/L', factor: 1 / 18, dp: [0, 1] },
  cholesterol: { system: 'lab', canonical: 'mg/dL', other: 'mmol/L', factor: 1 / 38.67, dp: [0, 2] },
  triglycerides: { system: 'lab', canonical: 'mg/dL', other: 'mmol/L', factor: 1 / 88.57, dp: [0, 2] },
  creatinine: { system: 'lab', canonical: 'mg/dL', other: 'µmol/L', factor: 88.4, dp: [2, 0] },
  hemoglobin: { system: 'lab', canonical: 'g/dL', other: 'g/L', factor: 10, dp: [1, 0] },
  // Cell counts: 1000 per µL = 1 × 10⁹/L.
  cells: { system: 'lab', canonical: '/µL', other: '×10⁹/L', factor: 1 / 1000, dp: [0, 2] },
  // Units that are the same in both systems (enzymes, INR) still pass through
  // here so that the page treats every lab alike.
  enzyme: { system: 'lab', canonical: 'U/L', other: 'U/L', factor: 1, dp: [0, 0] },
  weight: { system: 'body', canonical: 'kg', other: 'lb', factor: LB_PER_KG, dp: [1, 1] },
  height: { system: 'body', canonical: 'cm', other: 'in', factor: IN_PER_CM, dp: [1, 1] },
  trough_everolimus: {
    system: 'trough', canonical: 'ng/mL', other: 'nmol/L', factor: 1000 / MOLAR_MASS_G_PER_MOL.everolimus, dp: [1, 2],
  },
  trough_sirolimus: {
    system: 'trough', canonical: 'ng/mL', other: 'nmol/L', factor: 1000 / MOLAR_MASS_G_PER_MOL.sirolimus, dp: [1, 2],
  },
};

// The choices each switch offers; the first is the canonical one.
export const SYSTEMS = Object.freeze({
  lab: Object.freeze(['us', 'si']),
  body: Object.freeze(['metric', 'imperial']),
  trough: Object.freeze(['mass', 'molar']),
});

export const kinds = () => Object.keys(KINDS);

function spec(kind) {
  const s = KINDS[kind];
  if (!s) throw new Error(`unknown quantity kind: ${kind}`);
  return s;
}

// Which switch governs a kind: 'lab', 'body' or 'trough'.
export const systemOf = (kind) => spec(kind).system;

// True when `choice` is the canonical (engine) side of the kind's switch.
const isCanonical = (kind, choice) => SYSTEMS[spec(kind).system][0] === choice || choice === undefined;

// The unit label shown next to a field, e.g. unitLabel('calcium', 'si') → 'mmol/L'.
export function unitLabel(kind, choice) {
  const s = spec(kind);
  return isCanonical(kind, choice) ? s.canonical : s.other;
}

export const canonicalUnit = (kind) => spec(kind).canonical;

// Removes binary floating-point noise (9.999999999999998 → 10) without losing
// any clinically meaningful digit: 12 significant digits is far beyond what
// any laboratory reports, and far above the ~16 digits where the noise of one
// multiplication lives, so a round trip lands back on the typed number.
export function clean(x) {
  if (!Number.isFinite(x)) return x;
  return Number(x.toPrecision(12));
}

// Value typed in `choice` units → canonical value for the engine.
export function toCanonical(kind, value, choice) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  return isCanonical(kind, choice) ? value : clean(value / spec(kind).factor);
}

// Canonical value → the value in `choice` units, at full float precision
// (not cleaned: cleaning here would lose the digits that make
// toCanonical(fromCanonical(x)) land exactly on x; display() rounds anyway).
export function fromCanonical(kind, value, choice) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  return isCanonical(kind, choice) ? value : value * spec(kind).factor;
}

// Number of decimals shown for a unit (a displayed value; the page keeps the
// full-precision canonical value, so switching back and forth never drifts).
export function decimals(kind, choice) {
  const s = spec(kind);
  return isCanonical(kind, choice) ? s.dp[0] : s.dp[1];
}

// A plain decimal string (always '.', never a locale separator), rounded to
// `dp` decimals with trailing zeros dropped: format(2.4950, 3) → '2.495'.
// Rounds half away from zero on the decimal digits a person sees (toFixed
// works on the binary value and turns 1.005 into '1.00').
export function formatNumber(value, dp) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '';
  const places = Math.max(0, dp);
  const abs = Math.abs(clean(value));
  // Tiny or huge numbers print in exponent form; toFixed is right for them.
  const rounded = /e/i.test(String(abs)) ? Number(abs.toFixed(places))
    : Number(`${Math.round(Number(`${abs}e${places}`))}e-${places}`);
  const s = (value < 0 && rounded !== 0 ? -rounded : rounded).toFixed(places);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

// Canonical value → display string in `choice` units, rounded to the
// unit's usual reporting precision.
export function display(kind, canonicalValue, choice) {
  return formatNumber(fromCanonical(kind, canonicalValue, choice), decimals(kind, choice));
}

// Parses what a person typed: accepts a decimal comma ("2,5") as well as a
// point, trims spaces; returns a number or null for empty / not a number.
export function parseTyped(text) {
  if (text === null || text === undefined) return null;
  const t = String(text).trim().replace(/\s+/g, '').replace(',', '.');
  if (t === '') return null;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return NaN;
  return Number(t);
}

// The trough kind for a drug (only whole-blood TDM drugs have one).
export function troughKind(drug) {
  if (drug === 'everolimus') return 'trough_everolimus';
  if (drug === 'sirolimus') return 'trough_sirolimus';
  return null;
}
