// embed-api.js — the postMessage API for a host page that embeds the
// calculator in an iframe from another origin:
//   {type: "mtorcalc/prefill", bundle}    fills the form from a FHIR R4 Bundle
//                                         (answer: {type: "mtorcalc/prefill-result", ok, message, unmapped})
//   {type: "mtorcalc/evaluate", request}  answers {type: "mtorcalc/answer", response}
//   {type: "mtorcalc/ping"}               answers {type: "mtorcalc/ready"} once the engine runs
// An optional `id` in a message is echoed in its answer. Answers go to the
// sending window only (event.source, targetOrigin = event.origin).
//
// Messages are accepted only from the origins listed in embed.json beside
// index.html: {"allowed_parent_origins": ["https://intranet.example"]}. The
// file is a deploy-time setting (not part of the built site, never
// precached), read once at start-up with cache: "no-store". Absent, empty or
// invalid: no message is accepted. Every other message is ignored without a
// word (an answer would tell a foreign page that the calculator is there).
// Only a framed page reads embed.json and listens. Nothing here stores or
// logs a patient value.

export const CONFIG_FILE = 'embed.json';
const MAX_QUEUED = 16; // messages that arrive before the configuration and the engine are ready

// The allowed origins in a parsed embed.json, or [] when it is not of the
// documented form (then nothing is accepted). Each must be an http(s)
// origin exactly as a browser writes it (no path, no trailing slash, no "*").
export function allowedOrigins(config) {
  if (!config || typeof config !== 'object' || Array.isArray(config)) return [];
  const list = config.allowed_parent_origins;
  if (!Array.isArray(list)) return [];
  const out = [];
  for (const o of list) {
    if (typeof o !== 'string') return [];
    let url;
    try {
      url = new URL(o);
    } catch {
      return [];
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== o) return [];
    out.push(o);
  }
  return out;
}

async function readConfig(fetchImpl, url) {
  try {
    const res = await fetchImpl(url, { cache: 'no-store', credentials: 'same-origin', redirect: 'error' });
    if (!res.ok) return [];
    return allowedOrigins(JSON.parse(await res.text()));
  } catch {
    return [];
  }
}

// Starts listening. prefill(bundle) → {ok, message, unmapped}; evaluate(request)
// → the engine's answer as JSON text; ready: a promise that settles once the
// page can do both. Returns { origins: Promise<string[]> } (for tests).
export function initEmbedApi({ prefill, evaluate, ready, win = window, fetchImpl = (...a) => win.fetch(...a), configUrl = CONFIG_FILE }) {
  // A page that is not in a frame has no host to talk to: it neither
  // listens nor asks for embed.json (whose absence would be a 404).
  if (win.parent === win) return { origins: Promise.resolve([]) };
  let allowed = null; // Set once embed.json has been read
  let started = false;
  const queue = [];

  const reply = (event, msg) => {
    if (typeof event.data?.id === 'string' || typeof event.data?.id === 'number') msg.id = event.data.id;
    event.source.postMessage(msg, event.origin);
  };

  const handle = (event) => {
    if (!allowed.has(event.origin) || !event.source) return;
    const data = event.data;
    if (!data || typeof data !== 'object' || typeof data.type !== 'string') return;
    if (data.type === 'mtorcalc/ping') {
      reply(event, { type: 'mtorcalc/ready' });
    } else if (data.type === 'mtorcalc/prefill') {
      let r;
      try {
        r = prefill(data.bundle);
      } catch {
        r = { ok: false, message: 'The Bundle could not be read.' };
      }
      reply(event, { type: 'mtorcalc/prefill-result', ok: Boolean(r?.ok), message: String(r?.message ?? ''), unmapped: Array.isArray(r?.unmapped) ? r.unmapped : [] });
    } else if (data.type === 'mtorcalc/evaluate') {
      let response;
      try {
        // The request as an object, or as the JSON text window.mtorCalc.evaluate takes.
        response = JSON.parse(evaluate(typeof data.request === 'string' ? data.request : JSON.stringify(data.request)));
      } catch {
        // Not representable as JSON (a cycle, a BigInt): the same shape the
        // engine gives for text it cannot read.
        response = { status: 'invalid_request', errors: [{ path: '', code: 'malformed_json', message: 'The request is not a JSON value.' }] };
      }
      reply(event, { type: 'mtorcalc/answer', response });
    }
  };

  win.addEventListener('message', (event) => {
    if (started) {
      handle(event);
      return;
    }
    if (allowed && !allowed.has(event.origin)) return;
    if (queue.length < MAX_QUEUED) queue.push(event);
  });

  const origins = readConfig(fetchImpl, configUrl).then((list) => {
    allowed = new Set(list);
    return list;
  });
  Promise.all([origins, ready]).then(() => {
    started = true;
    for (const event of queue.splice(0)) handle(event);
    // Tell an allowed parent that messages are now answered (where the
    // browser names the embedding origin; elsewhere the host sends a ping).
    const parentOrigin = win.location.ancestorOrigins?.[0];
    if (win.parent !== win && parentOrigin && allowed.has(parentOrigin)) win.parent.postMessage({ type: 'mtorcalc/ready' }, parentOrigin);
  });
  return { origins };
}
