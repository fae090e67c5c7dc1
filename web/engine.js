// engine.js — loads the WebAssembly engine and publishes window.mtorCalc,
// independent of the page's form. index.html loads it as the first module
// script, async: it runs as soon as it (and the Emscripten glue it imports,
// preloaded) has arrived, and starts compiling the preloaded wasm at once.
// window.mtorCalc (the contract's integration point for intranet host
// pages) needs only the engine, so it is set as soon as the engine exists,
// before the page has drawn its own first answer (issue 7: first answer).
// app.js imports the same module (one instance per URL) and waits for
// `engine`.
//
// The fetch matches the page's <link rel="preload" as="fetch" crossorigin>
// (same URL, cors mode, credentials "same-origin"), so the file downloads once.
import createMtorCalc from './mtorcalc-web.mjs';

const wasmUrl = new URL('mtorcalc-web.wasm', import.meta.url);

function compile() {
  const response = fetch(wasmUrl, { credentials: 'same-origin' });
  if (typeof WebAssembly.compileStreaming === 'function') return WebAssembly.compileStreaming(response);
  return response.then((r) => r.arrayBuffer()).then((bytes) => WebAssembly.compile(bytes));
}

async function load() {
  // Without a compiled module (an old browser, a failed early fetch) the
  // glue fetches and compiles the wasm itself.
  const compiled = typeof WebAssembly === 'object' ? await compile().catch(() => null) : null;
  const core = await new Promise((resolve, reject) => {
    createMtorCalc(compiled ? {
      instantiateWasm(imports, receiveInstance) {
        WebAssembly.instantiate(compiled, imports).then((instance) => receiveInstance(instance, compiled), reject);
        return {}; // asynchronous: the glue waits for receiveInstance
      },
    } : {}).then(resolve, reject);
  });
  // The answer's UTF-8 bytes are decoded where they lie in the wasm memory
  // (one TextDecoder call; embind's own std::string return copies it byte
  // by byte in JavaScript). The view is read before any other engine call.
  const decoder = new TextDecoder();
  // A well-formed request of at most 65 536 UTF-16 units is encoded straight
  // into the engine's memory (at most 3 bytes a unit) with one encodeInto
  // call. Any other text, and any browser without isWellFormed, goes through
  // embind, which keeps a lone surrogate's bytes for the engine to refuse as
  // invalid UTF-8 (TextEncoder would replace it with U+FFFD).
  const encoder = new TextEncoder();
  const evaluateText = (text) => {
    if (text.length <= 65536 && typeof text.isWellFormed === 'function' && text.isWellFormed()) {
      const { written } = encoder.encodeInto(text, core.request_view(text.length * 3));
      return decoder.decode(core.evaluate_written(written));
    }
    return decoder.decode(core.evaluate_view(text));
  };
  const engineApi = Object.freeze({
    evaluate: evaluateText,
    version: () => core.version(),
    content: () => core.content(),
  });
  window.mtorCalc = Object.freeze({
    evaluate: (request) => engineApi.evaluate(typeof request === 'string' ? request : JSON.stringify(request)),
    version: () => engineApi.version(),
  });
  return engineApi;
}

/** Resolves to { core } (evaluate, version, content) or { error } if it could not start here. */
export const engine = load().then((core) => ({ core }), (error) => ({ error }));
