// Hostile input, natively (CLI) and in wasm (Node): every text is answered
// with a well-formed response (invalid_request, or ok where the text is a
// valid request), byte-identical on both builds, in bounded time and memory.
// The limits are documented in docs/limits.md (core/src/limits.hpp).
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine, cliEvaluate, assertWellFormed } from './parity-helpers.mjs';

const BOUND_MS = 5000; // per evaluation: generous, the test command runs on a loaded 2-core machine
const base = { contract: 'mtor-calc/1', indication: 'rcc' };
const req = (extra) => JSON.stringify({ ...base, ...extra });
const codes = (r) => r.errors.map((e) => `${e.path} ${e.code}`);

// [name, request text, expectation: 'invalid' | 'ok' | 'any', optional check(response)]
const hostile = [
  ['empty text', '', 'invalid'],
  ['whitespace only', ' \n\t ', 'invalid'],
  ['deep array nesting', '['.repeat(100000) + ']'.repeat(100000), 'invalid'],
  ['deep object nesting', '{"a":'.repeat(50000) + '1' + '}'.repeat(50000), 'invalid'],
  ['unclosed deep nesting', '['.repeat(200000), 'invalid'],
  ['nesting inside a valid request', req({ patient: { labs: JSON.parse('['.repeat(40) + ']'.repeat(40)) } }), 'invalid'],
  ['just over the depth limit', '{"patient":'.repeat(17) + '{}' + '}'.repeat(17), 'invalid',
    (r) => assert.ok(r.errors.some((e) => e.code === 'out_of_range'))],
  ['a comedication list over the list limit', req({ comedications: Array(1000).fill('paracetamol') }), 'invalid',
    (r) => assert.ok(codes(r).includes('/comedications out_of_range'))],
  ['a huge comedication array (over the size limit)', req({ comedications: Array(100000).fill('paracetamol') }), 'invalid',
    (r) => assert.deepEqual(codes(r), [' out_of_range'])],
  ['huge adverse event array', req({ adverse_events: Array(20000).fill({ term: 'stomatitis', grade: 2 }) }), 'invalid'],
  ['a huge array of numbers', '[' + Array(60000).fill('1').join(',') + ']', 'invalid'],
  ['a huge string value', req({ drug: 'x'.repeat(200000) }), 'invalid'],
  ['a huge key', '{"' + 'k'.repeat(200000) + '": 1}', 'invalid'],
  ['request over the size limit', req({ comedications: ['a'], pad: ' '.repeat(300000) }), 'invalid',
    (r) => assert.deepEqual(codes(r), [' out_of_range'])],
  ['10 MB of garbage', '\u0001'.repeat(10 << 20), 'invalid'],
  ['a long drug name', req({ comedications: ['n'.repeat(5000)] }), 'invalid'],
  ['many unknown fields', JSON.stringify(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => ['f' + i, i]))), 'invalid',
    (r) => assert.ok(r.errors.length <= 100, 'errors are capped')],
  ['duplicate keys', '{"contract": "mtor-calc/1", "indication": "rcc", "indication": "lam"}', 'invalid',
    (r) => assert.ok(r.errors.some((e) => e.code === 'inconsistent' && e.path === '/indication'))],
  ['duplicate nested keys', '{"contract": "mtor-calc/1", "indication": "rcc", "patient": {"age_years": 50, "age_years": 60}}', 'invalid'],
  ['lone high surrogate escape', '{"contract": "mtor-calc/1", "indication": "rcc", "drug": "\\ud800"}', 'invalid'],
  ['lone low surrogate escape', '{"contract": "mtor-calc/1", "indication": "rcc", "comedications": ["\\udc00x"]}', 'invalid'],
  ['lone surrogate in the JS string', '{"contract": "mtor-calc/1", "indication": "rcc", "comedications": ["\ud800"]}', 'invalid'],
  ['a key with a lone surrogate', '{"\udfff": 1}', 'invalid'],
  ['valid escaped pair in a name', '{"contract": "mtor-calc/1", "indication": "rcc", "comedications": ["\\ud83d\\ude00"]}', 'ok'],
  ['non-ASCII unknown field', '{"contract": "mtor-calc/1", "indication": "rcc", "ünknown": "ñ"}', 'invalid'],
  ['control character in a string', '{"contract": "mtor-calc/1", "indication": "rc\u0001c"}', 'invalid'],
  ['NUL byte after the object', req({}) + '\u0000', 'invalid'],
  ['1e999', req({ patient: { weight_kg: 1e999 } }).replace('null', '1e999'), 'invalid'],
  ['1e400 and -1e400', '{"contract": "mtor-calc/1", "indication": "rcc", "patient": {"weight_kg": 1e400, "age_years": -1e400}}', 'invalid',
    (r) => assert.ok(r.errors.every((e) => e.code === 'out_of_range'))],
  ['a tiny number', '{"contract": "mtor-calc/1", "indication": "rcc", "patient": {"age_years": 1e-400}}', 'ok'],
  ['-0 age', '{"contract": "mtor-calc/1", "indication": "rcc", "patient": {"age_years": -0}}', 'ok'],
  ['-0.0 weight', '{"contract": "mtor-calc/1", "indication": "rcc", "patient": {"weight_kg": -0.0}}', 'invalid'],
  ['huge integer', '{"contract": "mtor-calc/1", "indication": "rcc", "patient": {"karnofsky": 123456789012345678901234567890}}', 'invalid'],
  ['uint64 max', '{"contract": "mtor-calc/1", "indication": "rcc", "patient": {"karnofsky": 18446744073709551615}}', 'invalid'],
  ['int64 min', '{"contract": "mtor-calc/1", "indication": "rcc", "patient": {"karnofsky": -9223372036854775808}}', 'invalid'],
  ['grade as a huge float', '{"contract": "mtor-calc/1", "indication": "rcc", "adverse_events": [{"term": "stomatitis", "grade": 2.0000000000000001e300}]}', 'invalid'],
  ['a 5000-digit number', '{"contract": "mtor-calc/1", "indication": "rcc", "patient": {"age_years": 1' + '0'.repeat(5000) + '}}', 'invalid'],
  ['NaN literal', '{"contract": "mtor-calc/1", "indication": "rcc", "patient": {"age_years": NaN}}', 'invalid'],
  ['Infinity literal', '{"contract": "mtor-calc/1", "indication": "rcc", "patient": {"age_years": Infinity}}', 'invalid'],
  ['NaN and Infinity strings', req({ patient: { age_years: 'NaN', weight_kg: 'Infinity', height_cm: '-Infinity', karnofsky: 'nan' } }), 'invalid',
    (r) => assert.equal(r.errors.filter((e) => e.code === 'wrong_type').length, 4)],
  ['hex and octal numbers', '{"contract": "mtor-calc/1", "indication": "rcc", "patient": {"age_years": 0x10}}', 'invalid'],
  ['leading zeros', '{"contract": "mtor-calc/1", "indication": "rcc", "patient": {"age_years": 012}}', 'invalid'],
  ['UTF-8 BOM before a valid request', '\ufeff' + req({}), 'any'],
  ['BOM inside', '{\ufeff"contract": "mtor-calc/1"}', 'invalid'],
  ['nulls everywhere', JSON.stringify({ contract: 'mtor-calc/1', indication: 'rcc', drug: null, patient: { age_years: null, sex: null, hepatic: null, labs: null }, condition: { rcc: null }, therapy: null, comedications: null, adverse_events: null }), 'ok'],
  ['null required fields', JSON.stringify({ contract: null, indication: null }), 'invalid',
    (r) => assert.deepEqual(codes(r).sort(), ['/contract missing_required', '/indication missing_required'])],
  ['nulls inside lists', req({ comedications: [null], adverse_events: [null, { term: null, grade: null }] }), 'invalid'],
  ['top-level null', 'null', 'invalid'],
  ['top-level number', '42', 'invalid'],
  ['top-level string', '"mtor-calc/1"', 'invalid'],
  ['top-level true', 'true', 'invalid'],
  ['top-level array', '[{"contract": "mtor-calc/1", "indication": "rcc"}]', 'invalid'],
  ['two objects', req({}) + req({}), 'invalid'],
  ['wrong types at every level', JSON.stringify({ contract: 1, indication: [], drug: {}, patient: [], condition: 'rcc', therapy: 3, comedications: 'fluconazole', adverse_events: {} }), 'invalid',
    (r) => assert.equal(r.errors.length, 8)],
  ['object where a number goes', req({ patient: { age_years: { value: 50 } } }), 'invalid'],
  ['key with ~ and /', '{"contract": "mtor-calc/1", "indication": "rcc", "a/b~c": 1}', 'invalid',
    (r) => assert.ok(r.errors.some((e) => e.path === '/a~1b~0c'))],
];

test('hostile input: CLI and Node wasm give the same well-formed answer, quickly', async () => {
  const engine = await loadEngine();
  for (const [name, text, expect, check] of hostile) {
    const t0 = performance.now();
    const wasm = engine.evaluate(text);
    const wasmMs = performance.now() - t0;
    // A JS string with a lone surrogate has no UTF-8 form: the CLI would get
    // U+FFFD from Buffer.from, the wasm build the surrogate's invalid bytes.
    // Only the wasm answer is checked for those.
    const wasmOnly = !text.isWellFormed();
    const t1 = performance.now();
    const native = wasmOnly ? wasm : cliEvaluate(Buffer.from(text, 'utf8'));
    const cliMs = performance.now() - t1;
    const r = assertWellFormed(wasm, `(${name})`);
    if (expect === 'invalid') assert.equal(r.status, 'invalid_request', name);
    if (expect === 'ok') assert.equal(r.status, 'ok', `${name}: ${JSON.stringify(r.errors)}`);
    if (check) check(r);
    assert.equal(native, wasm, `${name}: CLI and Node wasm differ`);
    assert.ok(wasmMs < BOUND_MS, `${name}: wasm took ${wasmMs.toFixed(0)} ms`);
    assert.ok(cliMs < BOUND_MS + 1000, `${name}: CLI took ${cliMs.toFixed(0)} ms`);
  }
  assert.ok(process.memoryUsage().rss < 1024 * 1024 * 1024, 'Node stays under 1 GB');
});

test('invalid UTF-8 bytes (CLI) are answered as malformed_json', () => {
  for (const bytes of [
    Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
    Buffer.concat([Buffer.from('{"contract": "mtor-calc/1", "indication": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
    Buffer.concat([Buffer.from('{"contract": "mtor-calc/1", "indication": "rcc", "comedications": ["'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"]}')]),
    Buffer.concat([Buffer.from('{"contract": "mtor-calc/1", "indication": "rcc", "comedications": ["'), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from('"]}')]),
    Buffer.from([0xc0, 0xaf]),
  ]) {
    const r = assertWellFormed(cliEvaluate(bytes), bytes.toString('hex').slice(0, 40));
    assert.equal(r.status, 'invalid_request');
    assert.ok(r.errors.some((e) => e.code === 'malformed_json'));
  }
  // Non-string arguments to the Node and page evaluate: boundary.test.mjs.
});
