// Privacy, enforced: while a full case is entered and computed, no request
// leaves the origin, none is made per computation, and no patient value
// reaches a URL, storage, a cookie or the console. The only storage is the
// service worker's cache of the app itself.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../../scripts/serve.mjs';
import { cspMeta } from '../../scripts/security-headers.mjs';
import { siteDir, launch, appEgress, engineReady, typeCase, fullCase, sentinels, sharedRequests } from './pwa-support.mjs';

test('a full case sends nothing anywhere and leaves nothing behind', async (t) => {
  assert.ok(fs.existsSync(path.join(siteDir, 'index.html')), `no built site at ${siteDir}`);
  const served = [];
  const server = await startServer({ root: siteDir, onRequest: (req) => served.push(req.url) });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const page = await browser.page();
  await page.goto(`${origin}/`);
  await engineReady(page);
  // The service worker has precached the app (its fetches are done).
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

  // The built HTML carries the CSP itself, as the server does.
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.equal(meta, cspMeta());

  // Warm-up: one case typed through the form, one through the hook.
  const typedFirst = await typeCase(page, 'rcc');
  const first = JSON.parse(await page.evaluate((req) => window.mtorCalc.evaluate(JSON.stringify(req)), fullCase));
  assert.equal(first.status, 'ok', JSON.stringify(first.errors));
  await page.waitForTimeout(300);

  // From here on, computing must not cause a single request.
  const before = { client: browser.requests.length, cdp: browser.cdpRequests.length, server: served.length };
  const typed = await typeCase(page, 'rcc');
  assert.ok(typed.length >= 3, `the case was typed into the page's form (typed: ${typed.join(', ')})`);
  await page.waitForFunction(() => (document.querySelector('#answer-body')?.innerText || '').trim().length > 0);
  const cases = sharedRequests();
  const answers = await page.evaluate(
    (reqs) => reqs.map((r) => JSON.parse(window.mtorCalc.evaluate(JSON.stringify(r))).status),
    [fullCase, ...cases.map((c) => c.request)],
  );
  assert.ok(answers.length > 1 && answers.every((s) => s === 'ok' || s === 'invalid_request'));
  await page.waitForTimeout(500);
  const during = {
    client: browser.requests.slice(before.client),
    cdp: browser.cdpRequests.slice(before.cdp),
    server: served.slice(before.server),
  };
  assert.deepEqual(during.client.map((r) => r.url), [], 'requests made while computing (Playwright)');
  assert.deepEqual(during.cdp.map((r) => r.url), [], 'requests made while computing (CDP Network)');
  assert.deepEqual(during.server, [], 'requests the server received while computing');

  // Over the whole visit: everything stayed on the origin, nothing reached the trap.
  assert.ok(browser.requests.length > 0, 'the recorder saw the page load');
  assert.ok(browser.cdpRequests.length > 0, 'the CDP recorder saw the page load');
  assert.ok(browser.requests.some((r) => r.via === 'service-worker'), 'the recorder saw the service worker precache');
  const offOrigin = [...browser.requests, ...browser.cdpRequests]
    .map((r) => r.url)
    .filter((u) => !u.startsWith(`${origin}/`));
  assert.deepEqual(offOrigin, [], 'requests that left the origin');
  assert.deepEqual(appEgress(browser.trap.hits), [], 'requests that reached the egress trap');

  // The policy blocked nothing the page needed (a violation would mean a
  // part of the page silently not working under the CSP).
  assert.deepEqual(browser.console.filter((m) => /Content Security Policy|Refused to/i.test(m)), []);

  // No patient value in a URL, the console, storage or cookies.
  const values = [...new Set([...sentinels, ...typedFirst, ...typed].filter((v) => v.length >= 4))];
  // (content hashes in file names and workbox revisions are hex, and may
  // happen to hold a typed digit string: they are taken out first)
  const scrub = (u) => u.replace(/\.[0-9a-f]{8}\./g, '.').replace(/__WB_REVISION__=[0-9a-f]+/g, '');
  const urls = [...browser.requests.map((r) => r.url), ...served, page.url()].map(scrub);
  for (const v of values) {
    assert.ok(!urls.some((u) => u.includes(v)), `value ${v} appeared in a URL`);
    assert.ok(!browser.console.some((m) => m.includes(v)), `value ${v} appeared in the console`);
  }
  const storage = await page.evaluate(async () => {
    const cacheNames = await caches.keys();
    const cached = [];
    for (const name of cacheNames) for (const req of await (await caches.open(name)).keys()) cached.push(req.url);
    return {
      local: localStorage.length,
      session: sessionStorage.length,
      cookie: document.cookie,
      idb: (await indexedDB.databases()).map((d) => d.name),
      cacheNames,
      cached,
    };
  });
  assert.equal(storage.local, 0, 'localStorage is empty');
  assert.equal(storage.session, 0, 'sessionStorage is empty');
  assert.equal(storage.cookie, '', 'no cookie');
  assert.deepEqual(await browser.context.cookies(), [], 'no cookie in the browser');
  assert.deepEqual(storage.idb, [], 'no IndexedDB database');
  assert.ok(storage.cacheNames.length >= 1 && storage.cacheNames.every((n) => n.startsWith('mtorcalc-')), storage.cacheNames.join());
  for (const u of storage.cached) {
    const url = new URL(u);
    assert.equal(url.origin, origin);
    const file = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    assert.ok(fs.existsSync(path.join(siteDir, file)), `cache holds ${u}, which is not a file of the app`);
    assert.ok(!values.some((v) => scrub(u).includes(v)), `cache key ${u} carries a typed value`);
  }
});
