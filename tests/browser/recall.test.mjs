// Recall and freshness of installed copies (docs/hosting.md, "Recall"):
// - the site removed (every URL 404): an installed copy, reopened or left
//   open in a visible tab, drops its service worker and cache and stops
//   computing from them; it no longer says "available offline";
// - the kill switch (docs/recall/sw.js copied over sw.js, a notice in place
//   of index.html): the same, while the address keeps answering;
// - a visible, online tab checks for a new version at most once an hour;
// - content more than 12 months old shows a banner; embed mode shows the
//   content version.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../../scripts/serve.mjs';
import { repo, siteDir, launch, engineReady, tempDir } from './pwa-support.mjs';

const stop = async (server) => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
};

// A copy of the site on a server of its own, with a count of sw.js requests.
async function servedCopy(t) {
  assert.ok(fs.existsSync(path.join(siteDir, 'index.html')), `no built site at ${siteDir}`);
  const work = tempDir('mtorcalc-recall-');
  const root = path.join(work, 'site');
  fs.cpSync(siteDir, root, { recursive: true });
  const swRequests = [];
  const server = await startServer({ root, onRequest: (req) => req.url.startsWith('/sw.js') && swRequests.push(Date.now()) });
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    await stop(server);
    fs.rmSync(work, { recursive: true, force: true });
  });
  return { root, origin: `http://127.0.0.1:${server.address().port}`, browser, swRequests };
}

async function install(page, url) {
  await page.goto(url);
  await engineReady(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.waitForFunction(() => /available offline/.test(document.body.innerText), null, { timeout: 20000 });
}

const emptyDir = (dir) => {
  for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
};

// What remains of the app in the browser: registrations and caches (read
// from a fresh page of the origin, which the removed worker no longer serves).
async function leftovers(page) {
  return page.evaluate(async () => ({
    registrations: (await navigator.serviceWorker.getRegistrations()).length,
    caches: await caches.keys(),
    controlled: Boolean(navigator.serviceWorker.controller),
    calculator: Boolean(window.mtorCalc),
  }));
}

test('site removed (every URL 404): a reopened installed copy recalls itself', { timeout: 120000 }, async (t) => {
  const { root, origin, browser } = await servedCopy(t);
  const page = await browser.page();
  await install(page, `${origin}/`);
  emptyDir(root);
  // Reopened: served from the cache at first, then withdrawn and reloaded.
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => document.body?.innerText.trim() === 'not found', null, { timeout: 20000 });
  assert.deepEqual(await leftovers(page), { registrations: 0, caches: [], controlled: false, calculator: false });
  // And it stays gone.
  await page.reload();
  assert.equal((await page.evaluate(() => document.body.innerText)).trim(), 'not found');
});

test('site removed: a tab left open learns of it within the hour; update checks at most hourly', { timeout: 120000 }, async (t) => {
  const { root, origin, browser, swRequests } = await servedCopy(t);
  const page = await browser.page();
  await page.clock.install();
  await install(page, `${origin}/`);
  assert.equal(await page.evaluate(() => document.visibilityState), 'visible');
  await page.waitForTimeout(1000);
  const settled = swRequests.length;
  // Within the hour: no check of its own.
  await page.clock.runFor('30:00');
  await page.waitForTimeout(1000);
  assert.equal(swRequests.length, settled, 'no update check within the hour');
  // The site goes away; the next hourly check finds out.
  emptyDir(root);
  await page.clock.runFor('31:00');
  await page.waitForFunction(() => document.body?.innerText.trim() === 'not found', null, { timeout: 20000 });
  assert.ok(swRequests.length > settled, 'checked after an hour');
  assert.deepEqual(await leftovers(page), { registrations: 0, caches: [], controlled: false, calculator: false });
});

test('while the network is off, an installed copy keeps working (no recall without an answer)', { timeout: 120000 }, async (t) => {
  const { origin, browser } = await servedCopy(t);
  const page = await browser.page();
  await install(page, `${origin}/`);
  await browser.context.setOffline(true);
  await page.reload();
  await engineReady(page);
  await page.waitForFunction(() => /available offline/.test(document.body.innerText), null, { timeout: 20000 });
  await page.waitForTimeout(1000);
  assert.match(await page.evaluate(() => document.body.innerText), /available offline/);
  assert.equal(JSON.parse(await page.evaluate(() => window.mtorCalc.evaluate('{"contract":"mtor-calc/1","indication":"rcc"}'))).status, 'ok');
});

test('kill switch: docs/recall/sw.js over sw.js withdraws installed copies', { timeout: 120000 }, async (t) => {
  const { root, origin, browser } = await servedCopy(t);
  const page = await browser.page();
  await install(page, `${origin}/`);
  emptyDir(root);
  fs.copyFileSync(path.join(repo, 'docs/recall/sw.js'), path.join(root, 'sw.js'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><html lang="en"><title>Withdrawn</title><p>This calculator has been withdrawn.</p></html>');
  // Reopened: the browser finds the new sw.js, which clears the copy and
  // reloads the page from the server.
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => /has been withdrawn/.test(document.body?.innerText || ''), null, { timeout: 30000 });
  await page.waitForFunction(() => navigator.serviceWorker.getRegistrations().then((r) => r.length === 0), null, { timeout: 15000 });
  assert.deepEqual(await leftovers(page), { registrations: 0, caches: [], controlled: false, calculator: false });
});

test('content older than 12 months shows a banner; embed mode shows the content version', { timeout: 120000 }, async (t) => {
  const { origin, browser } = await servedCopy(t);
  const page = await browser.page();
  await page.goto(`${origin}/?embed=1`);
  await engineReady(page);
  const version = await page.evaluate(() => window.mtorCalc.version());
  const [, y, m, d] = /content (\d{4})\.(\d{2})\.(\d{2})/.exec(version);
  // Embed mode: no footer, but a version line naming the content.
  await page.waitForFunction((v) => [...document.querySelectorAll('.pwa-status')].some((e) => e.offsetParent && e.innerText.includes(v)),
    version, { timeout: 15000 });
  assert.equal(await page.locator('.content-age').count(), 0, 'fresh content: no banner');

  for (const [when, stale] of [[Date.UTC(+y + 1, +m - 1, +d) - 60e3, false], [Date.UTC(+y + 1, +m - 1, +d) + 60e3, true]]) {
    const other = await browser.context.newPage();
    await other.clock.setFixedTime(when);
    await other.goto(`${origin}/`);
    await engineReady(other);
    await other.waitForFunction(() => /app build/.test(document.body.innerText));
    await other.waitForTimeout(500);
    const banner = other.getByRole('region', { name: 'Content age' });
    assert.equal(await banner.count(), stale ? 1 : 0, new Date(when).toISOString());
    if (stale) assert.match(await banner.innerText(), /more than 12 months old/);
    // The engine's answer does not depend on the clock.
    const answer = await other.evaluate(() => window.mtorCalc.evaluate('{"contract":"mtor-calc/1","indication":"rcc"}'));
    assert.equal(answer, await page.evaluate(() => window.mtorCalc.evaluate('{"contract":"mtor-calc/1","indication":"rcc"}')));
    await other.close();
  }
});
