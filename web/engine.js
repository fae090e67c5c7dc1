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
import { textEvaluator } from './engine-call.js';

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
  const engineApi = Object.freeze({
    evaluate: textEvaluator(core),
    version: () => core.version(),
    content: () => core.content(),
  });
  // Any argument, even undefined, a BigInt or a cyclic object, gets an
  // answer (invalid_request for a non-string), never an exception.
  window.mtorCalc = Object.freeze({
    evaluate: (request) => engineApi.evaluate(request),
    version: () => engineApi.version(),
  });
  return engineApi;
}

/** Resolves to { core } (evaluate, version, content) or { error } if it could not start here. */
export const engine = load().then((core) => ({ core }), (error) => ({ error }));
