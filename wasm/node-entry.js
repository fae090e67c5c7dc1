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

module.exports = function load() {
  if (!ready) {
    const wasmBinary = fs.readFileSync(path.join(__dirname, 'mtorcalc-core.wasm'));
    // The request and answer passing is shared with the page
    // (web/engine-call.js, copied here by scripts/build).
    ready = Promise.all([createCore({ wasmBinary }), import('./engine-call.mjs')]).then(
      ([core, { textEvaluator }]) => {
        const evaluate = textEvaluator(core);
        return Object.freeze({
          evaluate: (request) => evaluate(toText(request)),
          version: () => core.version(),
          content: () => core.content(),
        });
      });
  }
  return ready;
};
