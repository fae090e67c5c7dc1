// case-file.js — reads a case file (an exported mtorcalc-case/1, or a bare
// mtor-calc/1 request) into a NEW form state, checking all of it first: the
// page assigns the result only when it is complete and valid, so a broken
// file never leaves half a patient in the form or an old answer beside new
// values. No DOM; tests/node/case-file.test.mjs runs it directly.
//
// The bounds are the engine's (core/src/limits.hpp): a request of at most
// 256 KiB, nesting at most 16 levels, lists of at most 64 entries, names of
// at most 100 characters. The page refuses what the engine would refuse,
// before any of it is parsed into the form.
import {
  CONTRACT, FIELDS, INDICATIONS, DRUGS, AE_TERMS, ALL_FORMS, ALL_FREQUENCIES, fieldByPath, kindOf,
} from './fields.js';
import { SYSTEMS, systemOf } from './units.js';
import { isoDate, dayOfDate } from './history.js';

export const MAX_FILE_BYTES = 256 * 1024;
export const MAX_DEPTH = 16;
export const MAX_LIST_ITEMS = 64;
export const MAX_NAME_CHARS = 100;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

class CaseError extends Error {}
const fail = (text) => { throw new CaseError(text); };

// Nesting depth without recursion (a 100,000-deep file must not overflow
// the stack before it is refused).
function depthOf(root) {
  let max = 0;
  const stack = [[root, 0]];
  while (stack.length) {
    const [v, d] = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > max) max = d + 1;
    if (max > MAX_DEPTH + 1) return max;
    for (const k of Object.keys(v)) stack.push([v[k], d + 1]);
  }
  return max;
}

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const words = (p) => p.replace(/^\//, '').replace(/\//g, ' › ');

function checkValue(field, v, where) {
  const bad = (what) => fail(`${field.label} (${words(where)}) must be ${what}.`);
  switch (field.type) {
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) bad('a number');
      return v;
    case 'int':
      if (!Number.isInteger(v)) bad('a whole number');
      return v;
    case 'tri':
      if (typeof v !== 'boolean') bad('true or false');
      return v;
    case 'enum': {
      const opts = field.options === 'forms' ? ALL_FORMS : field.options === 'frequencies' ? ALL_FREQUENCIES : field.options;
      if (typeof v !== 'string' || !opts.some(([k]) => k === v)) bad(`one of ${opts.map(([k]) => k).join(', ')}`);
      return v;
    }
    case 'list':
      if (!Array.isArray(v)) bad('a list of names');
      if (v.length > MAX_LIST_ITEMS) fail(`${field.label}: ${v.length} entries, more than the ${MAX_LIST_ITEMS} the calculator takes.`);
      v.forEach((x, i) => {
        if (typeof x !== 'string') fail(`${field.label}, entry ${i + 1}: must be a name (found ${x === null ? 'null' : typeof x}).`);
        if (x.length > MAX_NAME_CHARS) fail(`${field.label}, entry ${i + 1}: longer than ${MAX_NAME_CHARS} characters.`);
      });
      return [...v];
    default:
      return bad('a value the form knows');
  }
}

function list(v, name) {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(`${name} must be a list.`);
  if (v.length > MAX_LIST_ITEMS) fail(`${name}: ${v.length} entries, more than the ${MAX_LIST_ITEMS} the calculator takes.`);
  v.forEach((x, i) => { if (!isPlainObject(x)) fail(`${name}, entry ${i + 1}: must be an object (found ${x === null ? 'null' : Array.isArray(x) ? 'a list' : typeof x}).`); });
  return v;
}

const optNumber = (v, what) => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${what} must be a number.`);
  return v;
};
const optDate = (v, what) => {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string' || !DATE.test(v)) fail(`${what} must be a date (YYYY-MM-DD).`);
  return v;
};

function reportUnknown(o, p, known, out) {
  for (const k of Object.keys(o)) {
    const path = `${p}/${k}`;
    const v = o[k];
    if (known(path)) continue;
    if (isPlainObject(v) && [...fieldByPath.keys()].some((f) => f.startsWith(`${path}/`))) reportUnknown(v, path, known, out);
    else out.push(path);
  }
}

// text → { ok: true, next, unknown: [pointer…] } or { ok: false, error }.
// `next`: { units, indication, drug, values: {path → value}, aes, troughs,
// aml, troughStart } — plain data the page turns into its state.
export function readCase(text, byteLength = text.length) {
  try {
    if (byteLength > MAX_FILE_BYTES) fail(`The file is larger than ${MAX_FILE_BYTES / 1024} KiB (${Math.ceil(byteLength / 1024)} KiB), the most a case file can be.`);
    let obj;
    try {
      obj = JSON.parse(text);
    } catch {
      fail('The file is not complete JSON (it may be cut short or not a case file).');
    }
    return { ok: true, ...readCaseObject(obj) };
  } catch (err) {
    if (err instanceof CaseError) return { ok: false, error: err.message };
    return { ok: false, error: 'The file could not be read as a case.' };
  }
}

// A request's own trough history (days since the start, as the engine reads
// it) for the page's table, which keeps dates: the start is placed so that
// the latest trough falls on `today`. Only the intervals reach the engine, so
// the answer is the file's; the page says the dates are placed.
function troughRowsFromRequest(history, frequency, today) {
  const rows = list(history, 'Trough history (therapy.trough_history)');
  if (!rows.length) return null;
  const num = (v, what, i, min) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) fail(`Trough history, entry ${i + 1}: ${what} must be a number of at least ${min}.`);
    return v;
  };
  const checked = rows.map((r, i) => {
    if (r.frequency !== undefined && frequency !== undefined && r.frequency !== frequency) {
      fail(`Trough history, entry ${i + 1}: taken ${r.frequency}, but the therapy is ${frequency}; the page's table keeps one frequency.`);
    }
    const days = num(r.days_since_start, 'days_since_start', i, 0);
    if (!Number.isInteger(days)) fail(`Trough history, entry ${i + 1}: days_since_start must be whole days.`);
    return { days, dose_mg: num(r.dose_mg, 'dose_mg', i, 0), trough_ng_ml: num(r.trough_ng_ml, 'trough_ng_ml', i, 0) };
  });
  const start = dayOfDate(today) - Math.max(...checked.map((r) => r.days));
  return {
    troughStart: isoDate(start),
    troughs: checked.map((r) => ({ date: isoDate(start + r.days), dose_mg: r.dose_mg, trough_ng_ml: r.trough_ng_ml })),
  };
}

export function readCaseObject(obj, today = new Date()) {
  if (!isPlainObject(obj)) fail('This is not an mtorcalc case file.');
  if (depthOf(obj) > MAX_DEPTH + 1) fail(`The file nests deeper than the ${MAX_DEPTH} levels a case can have.`);
  const wrapped = 'request' in obj;
  const req = wrapped ? obj.request : obj;
  if (!isPlainObject(req) || req.contract !== CONTRACT) fail(`This is not an mtorcalc case file (${CONTRACT}).`);
  if (depthOf(req) > MAX_DEPTH) fail(`The request nests deeper than the ${MAX_DEPTH} levels the calculator accepts.`);

  const next = {
    units: { lab: 'us', body: 'metric', trough: 'mass' },
    indication: '', drug: '', values: {}, aes: [], troughs: [], aml: [], troughStart: '', fieldUnits: {},
  };
  const unknown = [];
  if (req.indication !== undefined) {
    if (!INDICATIONS.some(([k]) => k === req.indication)) fail('The indication in the file is not one the calculator knows.');
    next.indication = req.indication;
  }
  if (req.drug !== undefined && req.drug !== null) {
    if (!DRUGS.some(([k]) => k === req.drug)) fail('The drug in the file is not one the calculator knows.');
    next.drug = req.drug;
  }
  for (const field of FIELDS) {
    const v = valueAt(req, field.path);
    if (v === undefined) continue;
    if (v === null) fail(`${field.label} (${words(field.path)}) is null: leave it out instead.`);
    next.values[field.path] = checkValue(field, v, field.path);
  }
  next.aes = list(req.adverse_events, 'Adverse events').map((a, i) => {
    const n = `Adverse event ${i + 1}`;
    if (!AE_TERMS.some(([k]) => k === a.term)) fail(`${n}: the event is not one the calculator knows.`);
    if (a.grade !== undefined && !(Number.isInteger(a.grade) && a.grade >= 1 && a.grade <= 5)) fail(`${n}: the grade must be a whole number from 1 to 5.`);
    if (a.recurrent !== undefined && typeof a.recurrent !== 'boolean') fail(`${n}: "recurrent" must be true or false.`);
    return { term: a.term, grade: a.grade ?? '', recurrent: Boolean(a.recurrent) };
  });
  const known = (p) => ['/contract', '/indication', '/drug'].includes(p) || fieldByPath.has(p)
    || /^\/adverse_events(\/|$)/.test(p) || /^\/therapy\/trough_history(\/|$)/.test(p);
  reportUnknown(req, '', known, unknown);

  if (wrapped) {
    if (obj.units !== undefined) {
      if (!isPlainObject(obj.units)) fail('"units" must be an object.');
      for (const [k, v] of Object.entries(obj.units)) {
        if (k === 'fields') {
          next.fieldUnits = fieldUnits(v);
          continue;
        }
        if (!Object.hasOwn(SYSTEMS, k)) { unknown.push(`units/${k}`); continue; }
        if (!SYSTEMS[k].includes(v)) fail(`Units: "${k}" must be one of ${SYSTEMS[k].join(', ')}.`);
        next.units[k] = v;
      }
    }
    const hist = obj.history;
    if (hist !== undefined && hist !== null) {
      if (!isPlainObject(hist)) fail('"history" must be an object.');
      next.troughs = list(hist.troughs, 'Trough history').map((r, i) => ({
        date: optDate(r.date, `Trough row ${i + 1}, date`),
        dose_mg: optNumber(r.dose_mg, `Trough row ${i + 1}, dose`),
        trough_ng_ml: optNumber(r.trough_ng_ml, `Trough row ${i + 1}, trough`),
      }));
      next.aml = list(hist.aml, 'AML measurements').map((r, i) => ({
        date: optDate(r.date, `Measurement ${i + 1}, date`),
        diameter_cm: optNumber(r.diameter_cm, `Measurement ${i + 1}, diameter`),
      }));
      next.troughStart = optDate(hist.trough_start_date, 'The therapy start date');
      for (const k of Object.keys(hist)) if (!['troughs', 'aml', 'trough_start_date'].includes(k)) unknown.push(`history/${k}`);
    }
    for (const k of Object.keys(obj)) {
      if (!['format', 'exported', 'content_version', 'units', 'request', 'history'].includes(k)) unknown.push(k);
    }
  }
  const fromRequest = req.therapy?.trough_history;
  if (fromRequest !== undefined && !next.troughs.length) {
    const rowFrequency = Array.isArray(fromRequest) && isPlainObject(fromRequest[0]) ? fromRequest[0].frequency : undefined;
    const frequency = req.therapy?.frequency ?? rowFrequency;
    const placed = troughRowsFromRequest(fromRequest, frequency, today);
    if (placed) {
      if (req.therapy?.frequency === undefined && typeof frequency === 'string') {
        next.values['/therapy/frequency'] = checkValue(fieldByPath.get('/therapy/frequency'), frequency, '/therapy/trough_history/0/frequency');
      }
      next.troughs = placed.troughs;
      next.troughStart = placed.troughStart;
      next.note = 'The trough history came as days since the start: its dates are placed so that the latest trough is today (only the intervals reach the engine).';
    }
  }
  return { next, unknown };
}

// Units chosen at single fields: {path: choice}, for fields with a unit.
function fieldUnits(v) {
  if (!isPlainObject(v)) fail('"units.fields" must be an object.');
  const out = {};
  for (const [path, choice] of Object.entries(v)) {
    const field = fieldByPath.get(path);
    const kind = field ? kindOf(field, 'everolimus') : null;
    if (!kind) fail(`Units: ${path} is not a field with a unit.`);
    if (!SYSTEMS[systemOf(kind)].includes(choice)) fail(`Units: ${path} must be one of ${SYSTEMS[systemOf(kind)].join(', ')}.`);
    out[path] = choice;
  }
  return out;
}

// Own properties only: "__proto__" or "constructor" in a file are keys like
// any other, never the prototype chain.
function valueAt(obj, pointer) {
  let o = obj;
  for (const p of pointer.split('/').slice(1)) {
    if (!isPlainObject(o) || !Object.prototype.hasOwnProperty.call(o, p)) return undefined;
    o = o[p];
  }
  return o;
}
