'use strict';
// build/node/mtorcalc.js — `require('build/node/mtorcalc.js')()` resolves to
// { evaluate(string) -> string, version() -> string, content() -> string }.
// The .wasm is read from disk and handed over as wasmBinary: Debian's emcc
// 3.1.6 cannot fetch its own .wasm by URL under Node 18+.
const fs = require('fs');
const path = require('path');
const createCore = require('./mtorcalc-core.js');

let ready = null;

function toText(request) {
  if (typeof request === 'string') return request;
  // Objects are serialised for convenience; anything else becomes text that
  // the engine answers with malformed_json, never an exception.
  try {
    if (request !== null && typeof request === 'object') return JSON.stringify(request);
  } catch (e) { /* cyclic: fall through */ }
  try {
    return String(request);
  } catch (e) {
    return '';  // an object whose toString throws: answered as malformed_json
  }
}

// The answer's UTF-8 bytes are decoded where they lie in the wasm memory; the
// view is read before any other call into the engine can move or reuse them.
const decoder = new TextDecoder();
const encoder = new TextEncoder();

// A well-formed request of at most 65 536 UTF-16 units is encoded straight
// into the engine's memory (at most 3 bytes a unit); any other text goes
// through embind, which keeps a lone surrogate's bytes for the engine to
// refuse as invalid UTF-8 (TextEncoder would replace it with U+FFFD).
function evaluateText(core, text) {
  if (text.length <= 65536 && typeof text.isWellFormed === 'function' && text.isWellFormed()) {
    const { written } = encoder.encodeInto(text, core.request_view(text.length * 3));
    return decoder.decode(core.evaluate_written(written));
  }
  return decoder.decode(core.evaluate_view(text));
}

module.exports = function load() {
  if (!ready) {
    const wasmBinary = fs.readFileSync(path.join(__dirname, 'mtorcalc-core.wasm'));
    ready = createCore({ wasmBinary }).then((core) => Object.freeze({
      evaluate: (request) => evaluateText(core, toText(request)),
      version: () => core.version(),
      content: () => core.content(),
    }));
  }
  return ready;
};
