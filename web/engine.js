// engine.js — loads the WebAssembly engine and publishes window.mtorCalc,
// independent of the page's form. index.html loads it as the first module
// script, async: it runs as soon as it (and the Emscripten glue it imports,
// preloaded) has arrived.
//
// When things happen (a host page may rely on these):
// - window.mtorCalc ({ evaluate(request) → answer text, version() }, frozen,
//   synchronous) is set as soon as the engine is instantiated, before the
//   page has drawn anything of its own; a host page can watch for it or wait
//   for the event below.
// - the `mtorcalc:ready` event (on document, and data-ready="true" on <html>)
//   fires once the page itself is usable: the engine is there and the form
//   answers (app.js dispatches it).
//
// The wasm (three quarters of the page's bytes) is fetched once the page has
// painted, so that on a slow network it does not hold up the first paint,
// and compiled off the main thread: this module fetches it, hands the
// response's body to a module Worker (engine-worker.js) that compiles it as
// it streams in, and gets the compiled WebAssembly.Module back. The main thread only instantiates it, so evaluate() stays a plain
// synchronous call here. Without Workers, stream transfer or a working
// worker, it compiles here as before.
import createMtorCalc from './mtorcalc-web.mjs';
import { textEvaluator } from './engine-call.js';
import { scriptURL } from './trusted-types.js';

const wasmUrl = new URL('mtorcalc-web.wasm', import.meta.url);
const fetchWasm = () => fetch(wasmUrl, { credentials: 'same-origin' });

// Resolves once the page's first content is on screen (the paint timing
// entry, reported after the frame was presented; two animation frames where
// that is not supported). A page opened in a background tab paints nothing,
// so there it does not wait; nor ever longer than a second (an embedded
// frame scrolled out of view may not paint at once).
const afterFirstPaint = () => new Promise((resolve) => {
  if (document.visibilityState === 'hidden') return resolve();
  setTimeout(resolve, 1000);
  if (typeof PerformanceObserver === 'function' && PerformanceObserver.supportedEntryTypes?.includes('paint')) {
    new PerformanceObserver((list, observer) => {
      if (list.getEntriesByName('first-contentful-paint').length) {
        observer.disconnect();
        resolve();
      }
    }).observe({ type: 'paint', buffered: true });
  } else {
    requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
  }
});

function compileHere(response = fetchWasm()) {
  if (typeof WebAssembly.compileStreaming === 'function') return WebAssembly.compileStreaming(response);
  return Promise.resolve(response).then((r) => r.arrayBuffer()).then((bytes) => WebAssembly.compile(bytes));
}

function compileInWorker() {
  const worker = new Worker(scriptURL(new URL('engine-worker.js', import.meta.url)), { type: 'module', name: 'mtorcalc-engine' });
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if (data?.module instanceof WebAssembly.Module) resolve(data.module);
      else reject(new Error(data?.error || 'the engine worker sent no module'));
    };
    worker.onerror = (event) => {
      event.preventDefault(); // handled: compiled here instead
      reject(new Error('the engine worker failed'));
    };
    fetchWasm().then((r) => {
      if (!r.ok || !r.body) throw new Error(`${wasmUrl.pathname}: HTTP ${r.status}`);
      worker.postMessage({ body: r.body }, [r.body]); // throws where streams cannot be transferred
    }).catch(reject);
  }).catch((error) => {
    worker.terminate();
    throw error;
  });
}

function compile() {
  if (typeof Worker !== 'function' || typeof ReadableStream !== 'function') return compileHere();
  try {
    // A failed worker costs a second fetch of the wasm (from the HTTP cache).
    return compileInWorker().catch(() => compileHere());
  } catch {
    return compileHere(); // new Worker refused (an old browser, a policy)
  }
}

async function load() {
  // Without a compiled module (an old browser, a failed early fetch) the
  // glue fetches and compiles the wasm itself.
  await afterFirstPaint();
  const compiled = typeof WebAssembly === 'object' ? await compile().catch(() => null) : null;
  const core = await new Promise((resolve, reject) => {
    createMtorCalc(compiled ? {
      instantiateWasm(imports, receiveInstance) {
        // Instantiating and the glue's start-up (embind's registrations)
        // are two tasks, so that neither blocks input for long on a phone.
        WebAssembly.instantiate(compiled, imports).then((instance) => {
          setTimeout(() => receiveInstance(instance, compiled), 0);
        }, reject);
        return {}; // asynchronous: the glue waits for receiveInstance
      },
    } : {}).then(resolve, reject);
  });
  const decoder = new TextDecoder();
  const engineApi = Object.freeze({
    evaluate: textEvaluator(core),
    version: () => core.version(),
    // The content JSON, decoded where it lies in the engine's memory (one
    // TextDecoder call) before any other call can move it.
    content: () => (typeof core.content_view === 'function' ? decoder.decode(core.content_view()) : core.content()),
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
