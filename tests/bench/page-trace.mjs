// Where the page's first answer spends its time (docs/performance.md).
//   node tests/bench/page-trace.mjs [--site build/site] [--runs 9] [--trace]
//   node tests/bench/page-trace.mjs --ab siteA,siteB[,...] [--runs 25]
//   --throttle 4 slows the page's CPU fourfold (as the bench's throttled
//   row): main-thread work then stands out of the machine's noise in A/B runs.
// --ab alternates loads of several builds (A B A B ...) so that a busy
// machine slows all of them alike, and prints each one's medians.
// Loads the built site like scripts/bench does (headless Debian Chromium,
// fresh context, service worker blocked, the first evaluate run in the
// window.mtorCalc setter) and prints the median time to the first answer
// and to the page's own ready mark over --runs loads. With --trace, one more
// load is recorded with the Chromium trace (CDP Tracing) and its main-thread
// tasks, script and wasm events and network timings are printed in ms from
// navigation start.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const args = process.argv.slice(2);
const opt = (n, d) => (args.includes(n) ? args[args.indexOf(n) + 1] : d);
const site = path.resolve(repo, opt('--site', 'build/site'));
const runs = Number(opt('--runs', '9'));
const throttle = Number(opt('--throttle', '1'));

const { startServer } = await import(path.join(repo, 'scripts/serve.mjs'));
const { launchChromium, openProbedPage } = await import('./page-probe.mjs');
const serve = async (root) => {
  const server = await startServer({ root, port: 0 });
  const addr = server.address ? server.address() : server.server?.address();
  return { server, url: `http://127.0.0.1:${addr.port}/` };
};
const { server, url } = await serve(site);
const browser = await launchChromium(chromium);

async function load(trace, at = url) {
  const { context, page } = await openProbedPage(browser, throttle);
  if (trace) {
    await browser.startTracing(page, {
      categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.wasm', 'v8.execute',
        'blink.user_timing', 'loading', 'blink', 'disabled-by-default-v8.compile', 'toplevel'],
    });
  }
  // As scripts/bench: listen for the page's console messages. --old-harness
  // polls with page.waitForFunction instead, as bench.mjs did before, which
  // injects Playwright's script into the page while it loads.
  const said = (text) => page.waitForEvent('console', { predicate: (m) => m.text() === text, timeout: 30000 });
  const first = said('bench:first-answer');
  const readyEvent = said('bench:ready');
  await page.goto(at, { waitUntil: 'commit' });
  if (args.includes('--old-harness')) {
    await page.waitForFunction(() => window.__firstAnswerMs !== undefined, null, { timeout: 30000 });
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 30000 });
  }
  await first;
  await readyEvent;
  const r = await page.evaluate(() => ({
    first: window.__firstAnswerMs,
    set: performance.getEntriesByName('bench:set')[0]?.startTime,
    ready: performance.getEntriesByName('mtorcalc:ready')[0]?.startTime,
    marks: performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)]),
    res: performance.getEntriesByType('resource').map((e) => [e.name.replace(/^.*\//, ''), Math.round(e.startTime), Math.round(e.responseEnd)]),
    dcl: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventStart,
  }));
  let buf = null;
  if (trace) buf = await browser.stopTracing();
  await context.close();
  return { ...r, buf };
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
if (args.includes('--ab')) {
  const sites = await Promise.all(opt('--ab', '').split(',').map(async (s) => ({ s, ...(await serve(path.resolve(s))), r: [] })));
  for (const x of sites) await load(false, x.url);
  for (let i = 0; i < runs; i++) for (const x of (i % 2 ? [...sites].reverse() : sites)) x.r.push(await load(false, x.url));
  for (const x of sites) {
    const m = (k) => median(x.r.map((r) => r[k])).toFixed(0);
    console.log(`${x.s.padEnd(24)} first answer ${m('first')} ms  set ${m('set')} ms  ready ${m('ready')} ms  DCL ${m('dcl')} ms  (${runs} loads)`);
    x.server.close?.();
  }
  await browser.close();
  server.close?.();
  process.exit(0);
}
await load(false); // warm the OS file cache and the server
const all = [];
for (let i = 0; i < runs; i++) all.push(await load(false));
console.log(`${runs} loads of ${site}`);
console.log(`first answer: median ${median(all.map((r) => r.first)).toFixed(0)} ms  [${all.map((r) => r.first.toFixed(0)).join(' ')}]`);
console.log(`mtorCalc set: median ${median(all.map((r) => r.set)).toFixed(0)} ms`);
console.log(`page ready:   median ${median(all.map((r) => r.ready)).toFixed(0)} ms  [${all.map((r) => r.ready.toFixed(0)).join(' ')}]`);
console.log(`DOMContentLoaded: median ${median(all.map((r) => r.dcl)).toFixed(0)} ms`);
const last = all[all.length - 1];
console.log('resources (start, end):', last.res.map(([n, s, e]) => `${n} ${s}-${e}`).join(', '));
console.log('marks:', last.marks.map(([n, t]) => `${n}@${t}`).join(' '));

if (args.includes('--trace')) {
  const t = await load(true);
  if (opt('--save', '')) (await import('node:fs')).writeFileSync(opt('--save', ''), t.buf);
  const events = JSON.parse(t.buf.toString()).traceEvents;
  const threads = new Map();
  for (const e of events) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.startsWith(url));
  const first = events.find((e) => e.name === 'bench:first-answer');
  const t0 = nav ? nav.ts : first.ts - t.first * 1000;
  const main = first ? `${first.pid}:${first.tid}` : null;
  const ms = (ts) => ((ts - t0) / 1000).toFixed(1).padStart(7);
  console.log(`\ntrace: first answer ${t.first.toFixed(0)} ms, ready ${t.ready.toFixed(0)} ms`);
  const end = t0 + (t.ready + 20) * 1000;
  const interesting = /^(ParseHTML|EvaluateScript|v8\.evaluateModule|v8\.compileModule|UpdateLayoutTree|Layout|Paint|PrePaint|Commit|FunctionCall|TimerFire|FireAnimationFrame|EventDispatch|ParseAuthorStyleSheet|v8\.wasm\.|wasm\.|ResourceSendRequest|ResourceReceiveResponse|ResourceFinish|ResourceReceivedData|RunMicrotasks|v8\.run|V8\.GC|MajorGC|MinorGC|CompileScript|v8\.compile|HandlePostMessage|ScheduleStyleRecalculation|MarkDOMContent|MarkLoad|navigationStart|firstContentfulPaint|domContentLoaded|bench:|mtorcalc:)/;
  const rows = events
    .filter((e) => e.ts >= t0 - 5000 && e.ts <= end && interesting.test(e.name))
    .filter((e) => e.ph !== 'X' || e.dur >= (e.name.startsWith('v8.wasm') || e.name.startsWith('Resource') ? 0 : 1000))
    .sort((a, b) => a.ts - b.ts);
  for (const e of rows) {
    const th = `${e.pid}:${e.tid}` === main ? 'main' : (threads.get(`${e.pid}:${e.tid}`) || e.tid);
    const d = e.args?.data || e.args || {};
    const what = d.url || d.fileName || d.functionName || d.name || d.requestId || '';
    console.log(`${ms(e.ts)} ${e.dur !== undefined ? (e.dur / 1000).toFixed(1).padStart(6) : '     ·'}  ${String(th).slice(0, 18).padEnd(18)} ${e.name} ${String(what).replace(/^.*\//, '').slice(0, 60)}`);
  }
  // Main-thread busy time by top-level task before the first answer.
  const top = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.ts >= t0 && e.ts < first.ts);
  const busy = top.reduce((s, e) => s + e.dur, 0) / 1000;
  console.log(`\nmain thread busy before the first answer: ${busy.toFixed(0)} ms of ${((first.ts - t0) / 1000).toFixed(0)} ms (${top.length} tasks)`);
}
await browser.close();
server.close?.();
