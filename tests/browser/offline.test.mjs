// Offline: after one visit the page loads and computes with the network off
// (and the server gone), embedded too; a new version waits until the
// clinician presses Reload in the update banner.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { startServer } from '../../scripts/serve.mjs';
import { repo, siteDir, wasmWebDir, launch, engineReady, fullCase, tempDir, typeCase } from './pwa-support.mjs';

const stop = async (server) => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
};

// The page's own answer area: the page draws into #answer-body; a page
// without one is judged by its body text.
const answerText = (page) =>
  page.evaluate(() => (document.querySelector('#answer-body') || document.body).innerText.trim());

test('after one visit the page loads and computes offline', async (t) => {
  assert.ok(fs.existsSync(path.join(siteDir, 'index.html')), `no built site at ${siteDir}`);
  const server = await startServer({ root: siteDir });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launch();
  t.after(() => browser.close());

  const page = await browser.page();
  await page.goto(`${origin}/`);
  await engineReady(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.waitForFunction(() => /available offline/.test(document.body.innerText), null, { timeout: 15000 });

  // Network off, server gone.
  await browser.context.setOffline(true);
  await stop(server);

  for (const url of [null, `${origin}/?embed=1`]) {
    if (url) await page.goto(url);
    else await page.reload();
    await engineReady(page);
    const res = JSON.parse(await page.evaluate((req) => window.mtorCalc.evaluate(JSON.stringify(req)), fullCase));
    assert.equal(res.status, 'ok', `${page.url()}: ${JSON.stringify(res.errors)}`);
    assert.ok(res.content_version, 'the answer names its content version');
    assert.equal(res.eligibility.drug, 'everolimus');
    // And the page itself answers a case typed into it.
    const typed = await typeCase(page, 'rcc');
    if (typed.length) {
      await page.waitForFunction(
        () => (document.querySelector('#answer-body')?.innerText || '').trim().length > 0, null, { timeout: 10000 });
    }
    assert.ok((await answerText(page)).length > 0, `${page.url()}: the page shows an answer offline`);
  }
  // Every request after going offline was answered by the service worker.
  assert.equal(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true);
});

test('a new version waits for the Reload button, then replaces the old cache', async (t) => {
  assert.ok(fs.existsSync(path.join(wasmWebDir, 'mtorcalc-web.wasm')), `no web wasm build at ${wasmWebDir}`);
  const work = tempDir('mtorcalc-update-');
  const root = path.join(work, 'site');
  fs.cpSync(siteDir, root, { recursive: true });
  const server = await startServer({ root });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    await stop(server);
    fs.rmSync(work, { recursive: true, force: true });
  });

  const page = await browser.page();
  await page.goto(`${origin}/`);
  await engineReady(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const buildOf = () => page.evaluate(() => (document.body.innerText.match(/app build ([0-9a-f]{8})/) || [])[1]);
  await page.waitForFunction(() => /app build [0-9a-f]{8}/.test(document.body.innerText));
  const oldBuild = await buildOf();
  const oldCaches = await page.evaluate(() => caches.keys());
  assert.deepEqual(oldCaches, oldCaches.filter((n) => n.startsWith(`mtorcalc-${oldBuild}`)));

  // The same sources built again as a new version, swapped in on the server.
  const next = path.join(work, 'next');
  execFileSync(process.execPath, [path.join(repo, 'scripts/build-site.mjs'), '--wasm', wasmWebDir, '--out', next,
    // (MTORCALC_TEST_WEB: build the page from another folder than web/)
    ...(process.env.MTORCALC_TEST_WEB ? ['--web', process.env.MTORCALC_TEST_WEB] : [])], {
    env: { ...process.env, MTORCALC_BUILD_SALT: 'next' }, stdio: 'pipe',
  });
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(next, root, { recursive: true });

  // The browser finds it; it waits, and the page offers it.
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  const banner = page.getByRole('region', { name: 'App update' });
  await banner.waitFor({ timeout: 30000 });
  await assert.doesNotReject(banner.getByRole('status').filter({ hasText: 'A new version is available' }).waitFor());
  assert.equal(await buildOf(), oldBuild, 'nothing changes before the clinician chooses');
  // The banner passes axe-core (names, roles, contrast).
  const require = createRequire(import.meta.url);
  await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(() =>
    window.axe.run(document.querySelector('.pwa-update'), { resultTypes: ['violations'] }).then((r) =>
      r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)));
  assert.deepEqual(violations, [], 'axe-core on the update banner');

  await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Reload' }).click()]);
  await engineReady(page);
  await page.waitForFunction((b) => /app build [0-9a-f]{8}/.test(document.body.innerText) &&
    !document.body.innerText.includes(`app build ${b}`), oldBuild);
  const newBuild = await buildOf();
  assert.notEqual(newBuild, oldBuild);
  await page.waitForFunction((b) => caches.keys().then((k) => k.length > 0 && k.every((n) => n.startsWith(`mtorcalc-${b}`))),
    newBuild, { timeout: 15000 });
});
