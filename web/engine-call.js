// engine-call.js — how JavaScript hands a request to the engine's wasm build
// and reads its answer: one function, shared by the page (web/engine.js) and
// the Node module (wasm/node-entry.js; scripts/build copies this file next
// to it as engine-call.mjs).
//
// `core` is the Embind module (wasm/bindings.cpp). A well-formed request of
// at most 65 536 UTF-16 units is encoded straight into the engine's memory
// (at most 3 bytes a unit) with one TextEncoder.encodeInto call; embind's
// own std::string argument encodes it character by character (issue 7).
// Any other text, and any JavaScript without isWellFormed, goes through
// embind, which keeps a lone surrogate's bytes for the engine to refuse as
// invalid UTF-8 (TextEncoder would replace it with U+FFFD). The answer's
// UTF-8 bytes are decoded where they lie in the wasm memory, before any
// other call into the engine can move or reuse them.
export function textEvaluator(core) {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  return (text) => {
    if (text.length <= 65536 && typeof text.isWellFormed === 'function' && text.isWellFormed()) {
      const { written } = encoder.encodeInto(text, core.request_view(text.length * 3));
      return decoder.decode(core.evaluate_written(written));
    }
    return decoder.decode(core.evaluate_view(text));
  };
}
