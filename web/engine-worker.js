// engine-worker.js — a module Worker started by engine.js. It compiles the
// engine's wasm as its bytes stream in (the page's fetch hands over the
// response body), warms its code, and posts the compiled WebAssembly.Module
// back: the page instantiates it on its own thread, where evaluate() stays
// synchronous.
//
// Warming: V8 compiles a wasm function on its first call, and the compiled
// code belongs to the Module, which the page's instance shares. Starting the
// engine and evaluating a few requests here compiles what the page's start
// and first answers need on this thread, not on the page's (measured at 4x
// CPU throttling: 40 ms of lazy compiling moved out of the page's start-up
// task). The worker then closes; it never sees a patient value (the page
// evaluates what is typed on its own thread).
// Nothing is imported before the wasm arrives: each import would be one
// more request before compiling can start. Warming imports what it needs.

// Bare requests for every indication: they run the request checks, the
// content lookups and each indication's eligibility and dosing paths.
const WARM_INDICATIONS = ['tsc_renal_aml', 'tsc_sega', 'tsc_seizures', 'tsc_facial_angiofibroma', 'lam', 'rcc', 'pecoma',
  'breast_hr_positive', 'net', 'hnscc'];

async function warm(module) {
  const [{ default: createMtorCalc }, { textEvaluator }] = await Promise.all([import('./mtorcalc-web.mjs'), import('./engine-call.js')]);
  const core = await createMtorCalc({
    instantiateWasm(imports, receiveInstance) {
      WebAssembly.instantiate(module, imports).then((instance) => receiveInstance(instance, module));
      return {};
    },
  });
  const evaluate = textEvaluator(core);
  for (const indication of WARM_INDICATIONS) {
    evaluate(JSON.stringify({
      contract: 'mtor-calc/1', indication,
      patient: { age_years: 40, sex: 'female', weight_kg: 60, height_cm: 165 },
      therapy: { current_dose_mg: 5, frequency: 'once_daily', trough_ng_ml: 4 },
    }));
  }
}

self.onmessage = async ({ data }) => {
  let module;
  try {
    module = await WebAssembly.compileStreaming(new Response(data.body, { headers: { 'Content-Type': 'application/wasm' } }));
  } catch (error) {
    self.postMessage({ error: String(error?.message || error) });
    self.close();
    return;
  }
  // Warming is an optimisation: whatever happens, the page gets its module.
  await warm(module).catch(() => {});
  self.postMessage({ module });
  self.close();
};
