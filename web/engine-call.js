// engine-call.js — how JavaScript hands a request to the engine's wasm build
// and reads its answer: one function, through which every evaluation passes
// (the page, web/engine.js; any Worker; the Node module, wasm/node-entry.js,
// where scripts/build copies this file as engine-call.mjs).
//
// `core` is the Embind module (wasm/bindings.cpp): `core.evaluate(text)`
// takes and returns a std::string, so Embind encodes the request as UTF-8
// into the engine's memory and decodes the answer.
//
// The boundary check below runs before anything is copied into wasm memory.
// A request the engine must refuse anyway is answered here, in the engine's
// own invalid_request form, and never thrown:
// - not a string (undefined, an object, a BigInt, a cyclic value…): the
//   contract's evaluate takes JSON text only;
// - more UTF-16 units than the engine's byte limit: such text has at least
//   that many UTF-8 bytes, and copying 400 million characters into wasm
//   would exhaust its memory and break every later call;
// - not well-formed UTF-16 (a lone surrogate): Embind's UTF-8 encoder would
//   silently merge a lone high surrogate with the next character.
// Text within the unit limit can still exceed the byte limit (non-ASCII
// takes up to 3 bytes a unit); the engine refuses it after a bounded copy.

// core/src/limits.hpp max_request_bytes; tests/node/boundary.test.mjs
// checks that the engine and this file agree on either side of it.
export const maxRequestBytes = 256 * 1024;

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// The UTF-16 index of the first lone surrogate, or -1.
function firstLoneSurrogate(text) {
  if (typeof text.isWellFormed === 'function' && text.isWellFormed()) return -1;
  const m = loneSurrogate.exec(text);
  return m ? m.index : -1;
}

function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function textEvaluator(core) {
  // The engine's own invalid_request answer (its contract, versions and
  // empty sections), made once, with the error replaced: the engine's answers
  // are compact ASCII JSON, which JSON.stringify writes the same way.
  let invalidTemplate = null;
  const invalid = (code, message) => {
    invalidTemplate ||= JSON.parse(core.evaluate(''));
    return JSON.stringify({ ...invalidTemplate, errors: [{ path: '', code, message }] });
  };
  return (text) => {
    if (typeof text !== 'string') {
      return invalid('malformed_json', `the request must be JSON text (a string), got ${typeName(text)}`);
    }
    if (text.length > maxRequestBytes) {
      return invalid('out_of_range', `request larger than ${maxRequestBytes} bytes`);
    }
    const lone = firstLoneSurrogate(text);
    if (lone >= 0) {
      return invalid('malformed_json', `malformed JSON at UTF-16 unit ${lone + 1}: lone surrogate`);
    }
    return core.evaluate(text);
  };
}
