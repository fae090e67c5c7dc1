// web/embed-api.js with a stand-in window: which embed.json files allow
// which origins, that the file is read once with cache: "no-store", that
// only listed origins are heard and answered (to the sender, at its
// origin), and that messages arriving before start-up are not lost.
import test from 'node:test';
import assert from 'node:assert/strict';
import { allowedOrigins, initEmbedApi } from '../../web/embed-api.js';

test('embed.json: only a list of exact http(s) origins allows anything', () => {
  assert.deepEqual(allowedOrigins({ allowed_parent_origins: ['https://intranet.example', 'http://127.0.0.1:8081'] }),
    ['https://intranet.example', 'http://127.0.0.1:8081']);
  for (const bad of [
    null, [], 'https://intranet.example', {}, { allowed_parent_origins: 'https://intranet.example' },
    { allowed_parent_origins: ['https://intranet.example/'] }, { allowed_parent_origins: ['*'] },
    { allowed_parent_origins: ['https://intranet.example/path'] }, { allowed_parent_origins: ['ftp://intranet.example'] },
    { allowed_parent_origins: ['null'] }, { allowed_parent_origins: [42] }, { allowed_parent_origins: ['HTTPS://Intranet.example'] },
    { allowed_parent_origins: ['https://ok.example', 'not a url'] },
  ]) assert.deepEqual(allowedOrigins(bad), [], JSON.stringify(bad));
  assert.deepEqual(allowedOrigins({ allowed_parent_origins: [] }), []);
});

function stand_in({ body, status = 200, framed = true, parentOrigin = 'https://intranet.example' } = {}) {
  const listeners = [];
  const fetches = [];
  const win = {
    addEventListener: (type, fn) => type === 'message' && listeners.push(fn),
    location: { ancestorOrigins: parentOrigin ? [parentOrigin] : [] },
    parent: { posted: [], postMessage(msg, origin) { this.posted.push([msg, origin]); } },
  };
  if (!framed) win.parent = win;
  const fetchImpl = async (url, opts) => {
    fetches.push([url, opts]);
    return { ok: status === 200, text: async () => body };
  };
  const sender = (origin) => {
    const source = { sent: [], postMessage(msg, target) { this.sent.push([msg, target]); } };
    return { source, post: (data) => listeners.forEach((fn) => fn({ origin, source, data })) };
  };
  return { win, fetchImpl, fetches, listeners, sender };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

test('listed origins are answered at their origin; others are ignored; early messages wait', async () => {
  const env = stand_in({ body: JSON.stringify({ allowed_parent_origins: ['https://intranet.example'] }) });
  const calls = [];
  let go;
  const ready = new Promise((r) => { go = r; });
  const api = initEmbedApi({
    win: env.win, fetchImpl: env.fetchImpl, ready,
    prefill: (b) => { calls.push(['prefill', b]); return { ok: true, message: 'Filled', unmapped: ['x'] }; },
    evaluate: (text) => { calls.push(['evaluate', text]); return '{"status":"ok"}'; },
  });
  const host = env.sender('https://intranet.example');
  const other = env.sender('https://elsewhere.example');
  host.post({ type: 'mtorcalc/prefill', bundle: { resourceType: 'Bundle' }, id: 1 }); // before start-up
  other.post({ type: 'mtorcalc/prefill', bundle: { resourceType: 'Bundle' }, id: 1 });
  assert.deepEqual(await api.origins, ['https://intranet.example']);
  assert.deepEqual(env.fetches, [['embed.json', { cache: 'no-store', credentials: 'same-origin', redirect: 'error' }]]);
  await tick();
  assert.deepEqual(calls, [], 'nothing is done before the page is ready');
  go();
  await tick();
  assert.deepEqual(calls, [['prefill', { resourceType: 'Bundle' }]]);
  assert.deepEqual(host.source.sent, [[{ type: 'mtorcalc/prefill-result', ok: true, message: 'Filled', unmapped: ['x'], id: 1 }, 'https://intranet.example']]);
  assert.deepEqual(env.win.parent.posted, [[{ type: 'mtorcalc/ready' }, 'https://intranet.example']]);

  host.post({ type: 'mtorcalc/evaluate', request: { contract: 'mtor-calc/1' }, id: 'e' });
  assert.deepEqual(calls[1], ['evaluate', '{"contract":"mtor-calc/1"}']);
  assert.deepEqual(host.source.sent[1], [{ type: 'mtorcalc/answer', response: { status: 'ok' }, id: 'e' }, 'https://intranet.example']);
  const cyclic = {};
  cyclic.self = cyclic;
  host.post({ type: 'mtorcalc/evaluate', request: cyclic });
  assert.equal(host.source.sent[2][0].response.status, 'invalid_request');
  host.post({ type: 'mtorcalc/ping' });
  assert.deepEqual(host.source.sent[3], [{ type: 'mtorcalc/ready' }, 'https://intranet.example']);
  for (const junk of [null, 'mtorcalc/prefill', { type: 7 }, { type: 'mtorcalc/other' }]) host.post(junk);
  other.post({ type: 'mtorcalc/evaluate', request: {} });
  other.post({ type: 'mtorcalc/ping' });
  assert.equal(host.source.sent.length, 4, 'junk is not answered');
  assert.deepEqual(other.source.sent, [], 'an origin not listed gets nothing');
  assert.equal(calls.length, 2, "a request that is not JSON never reaches the engine");
});

test('absent, empty or invalid embed.json: nothing is accepted', async () => {
  for (const env of [
    stand_in({ body: 'not found', status: 404 }),
    stand_in({ body: '' }),
    stand_in({ body: '{"allowed_parent_origins": ["https://intranet.example/"]}' }),
    stand_in({ body: '{"allowed_parent_origins": []}' }),
  ]) {
    let calls = 0;
    const api = initEmbedApi({ win: env.win, fetchImpl: env.fetchImpl, ready: Promise.resolve(), prefill: () => { calls++; }, evaluate: () => { calls++; return '{}'; } });
    assert.deepEqual(await api.origins, []);
    await tick();
    const host = env.sender('https://intranet.example');
    host.post({ type: 'mtorcalc/ping' });
    host.post({ type: 'mtorcalc/evaluate', request: {} });
    assert.equal(calls, 0);
    assert.deepEqual(host.source.sent, []);
    assert.deepEqual(env.win.parent.posted, []);
  }
});

test('a page that is not framed neither reads embed.json nor listens', async () => {
  const env = stand_in({ body: '{"allowed_parent_origins": ["https://intranet.example"]}', framed: false });
  const api = initEmbedApi({ win: env.win, fetchImpl: env.fetchImpl, ready: Promise.resolve(), prefill: () => {}, evaluate: () => '{}' });
  assert.deepEqual(await api.origins, []);
  assert.deepEqual(env.fetches, []);
  assert.equal(env.listeners.length, 0);
});
