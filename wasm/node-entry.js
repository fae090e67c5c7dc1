'use strict';
// build/node/mtorcalc.js — `require('build/node/mtorcalc.js')()` resolves to
// { evaluate(string) -> string, version() -> string, content() -> string }.
// The .wasm is read from disk and handed over as wasmBinary: Debian's emcc
// 3.1.6 cannot fetch its own .wasm by URL under Node 18+.
const fs = require('fs');
const path = require('path');
const createCore = require('./mtorcalc-core.js');

let ready = null;

module.exports = function load() {
  if (!ready) {
    const wasmBinary = fs.readFileSync(path.join(__dirname, 'mtorcalc-core.wasm'));
    // The request and answer passing, and the check of what may enter the
    // engine, are shared with the page (web/engine-call.js, copied here by
    // scripts/build): a non-string argument is an invalid_request answer.
    ready = Promise.all([createCore({ wasmBinary }), import('./engine-call.mjs')]).then(
      ([core, { textEvaluator }]) => {
        const evaluate = textEvaluator(core);
        return Object.freeze({
          evaluate: (request) => evaluate(request),
          version: () => core.version(),
          content: () => core.content(),
        });
      });
  }
  return ready;
};
