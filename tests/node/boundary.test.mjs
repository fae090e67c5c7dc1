// The JavaScript-to-wasm boundary (web/engine-call.js, shared by the page,
// any Worker and the Node module): every argument is answered with a
// contract response, text the engine must refuse never enters wasm memory,
// and no argument breaks a later call. tests/browser/boundary.test.mjs runs
// the same cases through window.mtorCalc in Chromium.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { loadEngine, cliEvaluate, assertWellFormed, nodeModulePath } from './parity-helpers.mjs';

const valid = JSON.stringify({ contract: 'mtor-calc/1', indication: 'rcc', comedications: ['ketoconazole'] });
const errorsOf = (text) => JSON.parse(text).errors.map((e) => `${e.path}|${e.code}`);
// A valid request padded with spaces to exactly `units` UTF-16 units.
const padTo = (units, text = valid) => text.slice(0, -1) + ' '.repeat(units - text.length) + '}';

async function loadCore() {
  const dir = path.dirname(nodeModulePath);
  const createCore = createRequire(import.meta.url)(path.join(dir, 'mtorcalc-core.js'));
  const core = await createCore({ wasmBinary: fs.readFileSync(path.join(dir, 'mtorcalc-core.wasm')) });
  const { textEvaluator, maxRequestBytes } = await import(path.join(dir, 'engine-call.mjs'));
  return { core, textEvaluator, maxRequestBytes };
}

test('the module exposes only evaluate, version and content; the core only the same three', async () => {
  const engine = await loadEngine();
  assert.deepEqual(Object.keys(engine).sort(), ['content', 'evaluate', 'version']);
  const { core } = await loadCore();
  for (const gone of ['evaluate_view', 'request_view', 'evaluate_written']) assert.equal(core[gone], undefined, gone);
});

test('non-string arguments are malformed_json at "", never thrown, and later calls still work', async () => {
  const engine = await loadEngine();
  const expected = engine.evaluate(valid);
  assert.equal(JSON.parse(expected).status, 'ok');
  const cyclic = { contract: 'mtor-calc/1', indication: 'rcc' };
  cyclic.self = cyclic;
  const args = [undefined, null, 42, 10n, true, Symbol('s'), () => 1, [valid], cyclic,
    { contract: 'mtor-calc/1', indication: 'rcc' }, new String(valid),
    { toString() { throw new Error('y'); }, toJSON() { throw new Error('x'); } }];
  for (const a of args) {
    let text;
    assert.doesNotThrow(() => { text = engine.evaluate(a); }, `evaluate(${typeof a}) threw`);
    const r = assertWellFormed(text, typeof a);
    assert.equal(r.status, 'invalid_request');
    assert.deepEqual(errorsOf(text), ['|malformed_json'], typeof a);
    assert.match(r.errors[0].message, /must be JSON text/);
    assert.equal(engine.evaluate(valid), expected, `a call after evaluate(${typeof a})`);
  }
  assert.doesNotThrow(() => engine.evaluate());
  assert.equal(engine.evaluate(valid, 'extra', 3), expected);
  // The invalid answer carries the engine's own contract and versions.
  const r = JSON.parse(engine.evaluate(undefined));
  const ok = JSON.parse(expected);
  for (const k of ['contract', 'engine_version', 'content_version']) assert.equal(r[k], ok[k], k);
});

test('lone surrogates are malformed_json, not merged with the next character', async () => {
  const engine = await loadEngine();
  const expected = engine.evaluate(valid);
  // Embind's UTF-8 encoder would have read "\ud800b" as one character
  // beyond U+FFFF, a valid drug name, and answered ok.
  for (const [name, text] of [
    ['high then a letter', '{"contract": "mtor-calc/1", "indication": "rcc", "comedications": ["a\ud800b"]}'],
    ['high at the end', valid + '\ud800'],
    ['low alone', '{"contract": "mtor-calc/1", "indication": "rcc", "comedications": ["\udc00"]}'],
    ['low before high', '{"\udc00\ud800": 1}'],
  ]) {
    const answer = engine.evaluate(text);
    assertWellFormed(answer, name);
    assert.deepEqual(errorsOf(answer), ['|malformed_json'], name);
    assert.match(JSON.parse(answer).errors[0].message, /lone surrogate/, name);
    assert.equal(engine.evaluate(valid), expected, `a call after ${name}`);
  }
  // A well-formed pair is text like any other.
  const pair = JSON.stringify({ contract: 'mtor-calc/1', indication: 'rcc', comedications: ['\ud83d\ude00'] });
  assert.equal(engine.evaluate(pair), cliEvaluate(Buffer.from(pair, 'utf8')));
});

test('text over the limit is refused before any copy into wasm; the engine agrees on either side', async () => {
  const { core, textEvaluator, maxRequestBytes } = await loadCore();
  assert.equal(maxRequestBytes, 262144);
  const seen = [];
  const spy = {
    evaluate: (t) => {
      seen.push(t.length);
      return core.evaluate(t);
    },
  };
  const evaluate = textEvaluator(spy);
  const expected = evaluate(valid);
  // 400 million characters: answered without reaching the engine (the one
  // engine call made for it is the empty text that gives the answer's form).
  const huge = 'x'.repeat(400e6);
  seen.length = 0;
  const answer = evaluate(huge);
  assert.ok(seen.every((n) => n <= maxRequestBytes), `copied ${Math.max(...seen)} units into wasm`);
  assert.deepEqual(errorsOf(answer), ['|out_of_range']);
  assert.equal(evaluate(valid), expected, 'a call after 400 million characters');
  // The same bytes as the engine's own refusal, at the limit and one past it.
  const engine = await loadEngine();
  for (const units of [maxRequestBytes, maxRequestBytes + 1]) {
    const text = padTo(units);
    assert.equal(engine.evaluate(text), cliEvaluate(Buffer.from(text)), `${units} units`);
  }
  assert.equal(JSON.parse(engine.evaluate(padTo(maxRequestBytes))).status, 'ok');
  assert.deepEqual(errorsOf(engine.evaluate(padTo(maxRequestBytes + 1))), ['|out_of_range']);
  // Within the unit limit but over the byte limit (3 bytes a unit): the
  // engine refuses it after a bounded copy, with the same answer.
  const wide = padTo(100000, JSON.stringify({ contract: 'mtor-calc/1', indication: 'rcc', drug: '€'.repeat(99000) }));
  assert.equal(engine.evaluate(wide), cliEvaluate(Buffer.from(wide)));
  assert.equal(engine.evaluate(valid), expected);
});
