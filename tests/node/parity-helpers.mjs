// Shared by hostile.test.mjs and parity.test.mjs: the two builds of the
// engine (native CLI, Node wasm) and a check that a response is well formed.
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.resolve(repo, process.env.MTORCALC_OUT || 'build');
export const cliPath = path.join(out, 'native', 'mtorcalc');
export const nodeModulePath = path.join(out, 'node', 'mtorcalc.js');

let enginePromise = null;
export function loadEngine() {
  if (!enginePromise) enginePromise = createRequire(import.meta.url)(nodeModulePath)();
  return enginePromise;
}

/** One request through the CLI (bytes in, response text out, no trailing newline). */
export function cliEvaluate(input) {
  const p = spawnSync(cliPath, ['evaluate'], { input, maxBuffer: 64 << 20, timeout: 30000 });
  assert.ok(p.status === 0 || p.status === 2, `CLI exit ${p.status} ${p.signal ?? ''}: ${String(p.stderr).slice(0, 300)}`);
  return p.stdout.toString('utf8').replace(/\n$/, '');
}

/** Many one-line requests through `mtorcalc evaluate --jsonl`. */
export function cliEvaluateLines(texts) {
  for (const t of texts) assert.ok(!/[\r\n]/.test(t) && t.length > 0, 'jsonl request must be one non-empty line');
  const stdout = execFileSync(cliPath, ['evaluate', '--jsonl'], {
    input: texts.map((t) => t + '\n').join(''), maxBuffer: 256 << 20, timeout: 120000,
  }).toString('utf8');
  const lines = stdout.split('\n');
  lines.pop();
  assert.equal(lines.length, texts.length, 'one response line per request');
  return lines;
}

/** The case files' requests, as check-cases sends them. */
export function caseRequests() {
  const dirs = [path.join(repo, 'tests/cases')];
  const outList = [];
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) {
        let c;
        try { c = JSON.parse(fs.readFileSync(p, 'utf8')); } catch { continue; }
        if (c && typeof c === 'object' && 'request' in c)
          outList.push({ file: path.relative(repo, p), text: typeof c.request === 'string' ? c.request : pyDumps(c.request) });
      }
    }
  };
  dirs.forEach(walk);
  return outList;
}

// Python's json.dumps (", " and ": " separators, ASCII only), so that the
// bytes sent match scripts/check-cases exactly.
export function pyDumps(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return '[' + v.map(pyDumps).join(', ') + ']';
  if (typeof v === 'object')
    return '{' + Object.entries(v).map(([k, x]) => pyStr(k) + ': ' + pyDumps(x)).join(', ') + '}';
  if (typeof v === 'string') return pyStr(v);
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return JSON.stringify(v);
}
const pyStr = (s) => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

const CODES = new Set(['malformed_json', 'wrong_type', 'out_of_range', 'unknown_value', 'unknown_field',
  'missing_required', 'inconsistent']);

/** Asserts the contract's shape; returns the parsed response. */
export function assertWellFormed(text, what = '') {
  let r;
  assert.doesNotThrow(() => { r = JSON.parse(text); }, `response is not JSON ${what}: ${String(text).slice(0, 200)}`);
  assert.equal(r.contract, 'mtor-calc/1', what);
  assert.ok(r.status === 'ok' || r.status === 'invalid_request', `status ${r.status} ${what}`);
  assert.ok(Array.isArray(r.errors), what);
  if (r.status === 'invalid_request') {
    assert.ok(r.errors.length > 0, `invalid_request without errors ${what}`);
    for (const e of r.errors) {
      assert.equal(typeof e.path, 'string', what);
      assert.ok(e.path === '' || e.path.startsWith('/'), `path ${e.path} ${what}`);
      assert.ok(CODES.has(e.code), `code ${e.code} ${what}`);
      assert.equal(typeof e.message, 'string', what);
    }
    assert.equal(r.regimen, null, what);
    assert.equal(r.eligibility, null, what);
    assert.deepEqual(r.references, [], what);
  } else {
    assert.deepEqual(r.errors, [], what);
  }
  const used = new Set();
  const walk = (j) => {
    if (Array.isArray(j)) j.forEach(walk);
    else if (j && typeof j === 'object')
      for (const [k, v] of Object.entries(j)) {
        if ((k === 'refs' || k.endsWith('_refs')) && Array.isArray(v)) v.forEach((x) => used.add(x));
        else walk(v);
      }
  };
  walk(r);
  const listed = r.references.map((x) => x.id);
  assert.equal(new Set(listed).size, listed.length, `a reference listed twice ${what}`);
  assert.deepEqual([...used].sort(), [...listed].sort(), `references differ from refs ${what}`);
  return r;
}
