// boot.js — starts compiling the engine's WebAssembly as soon as the page
// begins to load. index.html loads this file as an async module script,
// which runs the moment it arrives, while the page's other modules are still
// downloading; app.js imports the same module (one instance per URL) and
// hands the compiled module to the Emscripten glue. Without it, compiling
// waited until every module had loaded and run (issue 7: first answer).
// The fetch matches the page's <link rel="preload" as="fetch" crossorigin>
// (same URL, cors mode, credentials "same-origin"), so the file downloads once.
const wasmUrl = new URL('mtorcalc-web.wasm', import.meta.url);

function compile() {
  const response = fetch(wasmUrl, { credentials: 'same-origin' });
  if (typeof WebAssembly.compileStreaming === 'function') return WebAssembly.compileStreaming(response);
  return response.then((r) => r.arrayBuffer()).then((bytes) => WebAssembly.compile(bytes));
}

/** The engine's compiled WebAssembly.Module, or null if it could not be compiled here. */
export const engineModule = typeof WebAssembly === 'object' ? compile().catch(() => null) : Promise.resolve(null);
