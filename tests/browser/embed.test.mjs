// The embedding API (web/embed-api.js) and the FHIR import (web/fhir.js) in
// Debian's Chromium: a copy of the built site with an embed.json naming one
// allowed host origin, served on 127.0.0.1; a host page on that origin
// (localhost, another port) frames it, posts a Bundle and an evaluate
// request and gets the answer; the same messages from a host page on an
// origin not in embed.json change nothing and get no answer. Every request
// stays on loopback and nothing is stored. Then a Bundle file imported by
// hand through the page's file input fills the same fields.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startServer } from '../../scripts/serve.mjs';
import { siteDir, launch, engineReady, fullCase, tempDir, appEgress } from './pwa-support.mjs';

const DAY = 86400000;
const day = (daysAgo) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);
const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const stop = (server) => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); });

// A Bundle as a hospital record might send it (values chosen to be easy to spot).
function recordBundle() {
  const subject = { reference: 'Patient/pt-7' };
  const obs = (id, code, value, unit, daysAgo, more = {}) => ({
    resource: {
      resourceType: 'Observation', id, status: 'final', subject, effectiveDateTime: day(daysAgo),
      code: { coding: [{ system: 'http://loinc.org', code }] },
      valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit }, ...more,
    },
  });
  return {
    resourceType: 'Bundle', type: 'collection',
    entry: [
      { resource: { resourceType: 'Patient', id: 'pt-7', gender: 'female', birthDate: '1970-03-15' } },
      obs('w1', '29463-7', 70.5, 'kg', 3),
      obs('w0', '29463-7', 68.1, 'kg', 200),
      obs('h1', '8302-2', 1.655, 'm', 20),
      obs('anc', '751-8', 3.1, '10*9/L', 2),
      obs('cr', '14682-9', 70.72, 'umol/L', 40, { referenceRange: [{ high: { value: 97.24, unit: 'umol/L', system: 'http://unitsofmeasure.org', code: 'umol/L' } }] }),
      obs('t1', '77349-9', 6.2, 'ng/mL', 30),
      obs('t2', '77349-9', 8.35, 'nmol/L', 2),
      { resource: { resourceType: 'MedicationStatement', id: 'ms1', status: 'active', subject, medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '0', display: 'Fluconazole 150 MG Oral Tablet' }] } } },
      { resource: { resourceType: 'Condition', id: 'c1', subject } },
    ],
  };
}
const hostileBundle = () => {
  const b = recordBundle();
  b.entry[1].resource.effectiveDateTime = day(-5); // a weight from the future
  return b;
};

const hostPage = (title, app) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1>
<iframe id="calc" title="mTOR inhibitor calculator" src="${app}/?embed=1" width="1000" height="800"></iframe>
<script>
  window.received = [];
  window.addEventListener('message', (e) => { if (e.origin === ${JSON.stringify(app)}) window.received.push(e.data); });
  window.send = (msg) => document.getElementById('calc').contentWindow.postMessage(msg, ${JSON.stringify(app)});
</script>
</body></html>
`;

// What the clinician sees and what the page last sent and got.
const snapshot = (frame) => frame.evaluate(() => ({
  fields: [...document.querySelectorAll('#case-form [data-path]')].map((e) => [e.dataset.path, e.value]),
  troughs: [...document.querySelectorAll('#trough-table tbody input')].map((e) => e.value),
  provenance: [...document.querySelectorAll('#case-form .provenance')].map((e) => e.textContent),
  request: document.querySelector('#raw-request')?.textContent ?? '',
  answer: document.querySelector('#raw-response')?.textContent ?? '',
}));
const fieldValue = (frame, path) => frame.evaluate((p) => document.querySelector(`#case-form [data-path="${p}"]`).value, path);

async function calculatorFrame(page, app) {
  let frame;
  for (let i = 0; i < 200 && !frame; i++) {
    frame = page.frames().find((f) => f.url().startsWith(`${app}/`));
    if (!frame) await page.waitForTimeout(50);
  }
  assert.ok(frame, 'the calculator frame exists');
  await engineReady(frame);
  await frame.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  // Let the app's service worker finish precaching, so that the requests
  // counted later are the page's own.
  await frame.evaluate(() => Promise.race([navigator.serviceWorker?.ready, new Promise((r) => setTimeout(r, 10000))]).then(() => true));
  return frame;
}

// The fields a Bundle fills, and their provenance, whichever way it came in.
async function assertPrefilled(target) {
  assert.equal(await fieldValue(target, '/patient/weight_kg'), '70.5', 'the most recent weight');
  assert.equal(await fieldValue(target, '/patient/height_cm'), '165.5', 'height from metres');
  assert.equal(await fieldValue(target, '/patient/sex'), 'female');
  assert.equal(await fieldValue(target, '/patient/labs/anc_per_ul'), '3100', 'ANC from 10^9/L');
  assert.equal(await fieldValue(target, '/patient/labs/creatinine_mg_dl'), '0.8', 'creatinine from µmol/L');
  assert.equal(await fieldValue(target, '/patient/limits/creatinine_uln_mg_dl'), '1.1', 'its reference range');
  assert.equal(await fieldValue(target, '/comedications'), 'fluconazole');
  const age = Number(await fieldValue(target, '/patient/age_years'));
  assert.ok(age >= 55 && age <= 60, `age ${age}`);
  const s = await snapshot(target);
  assert.deepEqual(s.troughs.filter((v, k) => k % 3 === 0), [day(30), day(2)], 'trough dates, oldest first');
  assert.deepEqual(s.troughs.filter((v, k) => k % 3 === 2), ['6.2', '8'], 'troughs in ng/mL (8.35 nmol/L everolimus = 8.0 ng/mL)');
  const source = await target.evaluate(() => ({
    weight: document.getElementById('f-patient-weight_kg-src')?.textContent,
    creatinine: document.getElementById('f-patient-labs-creatinine_mg_dl-src'),
    described: document.getElementById('f-patient-weight_kg').getAttribute('aria-describedby'),
  }));
  assert.match(source.weight, new RegExp(`^From Observation/w1 \\(Body weight\\), ${day(3)}$`));
  assert.match(source.described, /f-patient-weight_kg-src/, 'the source is read with the field');
  assert.equal(await target.evaluate(() => document.getElementById('f-patient-labs-creatinine_mg_dl-src').className), 'provenance stale');
  const msg = await target.locator('#case-message').textContent();
  assert.match(msg, /Filled \d+ field\(s\) from the FHIR Bundle/);
  assert.match(msg, /Not used: 1 Condition resource/);
  assert.match(msg, /older than the stated limit/);
  // Prefilled fields stay editable; an edit is marked as such.
  await target.locator('#f-patient-weight_kg').fill('71');
  assert.match(await target.locator('#f-patient-weight_kg-src').textContent(), /^Edited by hand \(was: From Observation\/w1/);
  // The raw JSON view is built only when opened.
  await target.locator('#answer-body details.raw').evaluate((d) => { d.open = true; });
  await target.waitForFunction(() => /"weight_kg": 71\b/.test(document.querySelector('#raw-request').textContent));
  assert.match(await target.locator('#raw-request').textContent(), /"weight_kg": 71\b/);
}

test('a host page on an allowed origin prefills and asks; another origin is ignored', { timeout: 240000 }, async (t) => {
  assert.ok(fs.existsSync(path.join(siteDir, 'index.html')), `no built site at ${siteDir}`);
  assert.ok(!fs.existsSync(path.join(siteDir, 'embed.json')), 'the built site has no embed.json of its own');
  const root = tempDir('mtorcalc-embed-');
  fs.cpSync(siteDir, root, { recursive: true });
  const hosts = { allowed: http.createServer(), denied: http.createServer() };
  const ports = { allowed: await listen(hosts.allowed), denied: await listen(hosts.denied) };
  const allowed = `http://localhost:${ports.allowed}`; // another host name: another origin
  const denied = `http://127.0.0.1:${ports.denied}`; // same host, another port: another origin too
  const served = [];
  const server = await startServer({ root, frameAncestors: `'self' ${allowed} ${denied}`, onRequest: (req) => served.push(req.url) });
  const app = `http://127.0.0.1:${server.address().port}`;
  fs.writeFileSync(path.join(root, 'embed.json'), JSON.stringify({ allowed_parent_origins: [allowed] }));
  hosts.allowed.on('request', (req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(hostPage('Ward intranet', app)));
  hosts.denied.on('request', (req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(hostPage('Another site', app)));
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    await Promise.all([stop(server), stop(hosts.allowed), stop(hosts.denied)]);
    fs.rmSync(root, { recursive: true, force: true });
  });
  const page = await browser.page();
  const wait = (type, id) => page.waitForFunction(([ty, i]) => window.received.find((m) => m.type === ty && m.id === i), [type, id], { timeout: 15000 })
    .then(() => page.evaluate(([ty, i]) => window.received.find((m) => m.type === ty && m.id === i), [type, id]));

  await t.test('allowed origin: ready, prefill, evaluate; a hostile Bundle changes nothing', async () => {
    await page.goto(`${allowed}/`);
    const frame = await calculatorFrame(page, app);
    await page.waitForFunction(() => window.received.some((m) => m.type === 'mtorcalc/ready'), null, { timeout: 15000 });
    assert.equal(served.filter((u) => u === '/embed.json').length, 1, 'embed.json read once');
    await frame.selectOption('#indication', 'rcc');

    const before = browser.requests.length;
    await page.evaluate((b) => window.send({ type: 'mtorcalc/prefill', bundle: b, id: 'p1' }), recordBundle());
    const result = await wait('mtorcalc/prefill-result', 'p1');
    assert.equal(result.ok, true, result.message);
    assert.ok(result.unmapped.some((u) => /Condition/.test(u)), 'the host hears what was not used');
    await assertPrefilled(frame);

    await page.evaluate((r) => window.send({ type: 'mtorcalc/evaluate', request: r, id: 2 }), fullCase);
    const { response } = await wait('mtorcalc/answer', 2);
    const direct = JSON.parse(await frame.evaluate((r) => window.mtorCalc.evaluate(JSON.stringify(r)), fullCase));
    assert.equal(response.status, 'ok', JSON.stringify(response.errors));
    assert.deepEqual(response, direct, 'the answer is the engine\'s own');
    await page.evaluate(() => window.send({ type: 'mtorcalc/evaluate', request: { contract: 'mtor-calc/1' }, id: 3 }));
    assert.equal((await wait('mtorcalc/answer', 3)).response.status, 'invalid_request');

    // A hostile Bundle: refused with a message, the form and the answer as they were.
    const kept = await snapshot(frame);
    await page.evaluate((b) => window.send({ type: 'mtorcalc/prefill', bundle: b, id: 'p2' }), hostileBundle());
    const bad = await wait('mtorcalc/prefill-result', 'p2');
    assert.equal(bad.ok, false);
    assert.match(bad.message, /in the future/);
    assert.match(await frame.locator('#case-message').textContent(), /Could not use that FHIR Bundle: .*in the future.* Nothing was changed\./);
    assert.deepEqual(await snapshot(frame), kept);
    // Not a message of the API at all: ignored.
    await page.evaluate(() => window.send('mtorcalc/prefill'));
    await page.evaluate(() => window.send({ type: 'something/else', id: 9 }));
    await page.waitForTimeout(300);
    assert.ok(!(await page.evaluate(() => window.received.some((m) => m.id === 9))));
    assert.deepEqual(browser.requests.slice(before).map((r) => r.url), [], 'no request while prefilling and answering');
  });

  await t.test('an origin not in embed.json: no answer, nothing changes', async () => {
    await page.goto(`${denied}/`);
    const frame = await calculatorFrame(page, app);
    await frame.selectOption('#indication', 'rcc');
    // RCC does not ask the weight up front: it is under "More (optional)".
    await frame.locator('#more-fields').evaluate((d) => { d.open = true; });
    await frame.locator('#f-patient-weight_kg').fill('80');
    const kept = await snapshot(frame);
    await page.evaluate((b) => window.send({ type: 'mtorcalc/prefill', bundle: b, id: 'p1' }), recordBundle());
    await page.evaluate((r) => window.send({ type: 'mtorcalc/evaluate', request: r, id: 2 }), fullCase);
    await page.evaluate(() => window.send({ type: 'mtorcalc/ping', id: 3 }));
    await page.waitForTimeout(1500);
    assert.deepEqual(await page.evaluate(() => window.received), [], 'nothing is sent to a page not listed');
    assert.deepEqual(await snapshot(frame), kept, 'the form and the answer are as they were');
    assert.equal(await frame.locator('#case-message').textContent(), '');
  });

  await t.test('zero egress, no storage', async () => {
    const origins = [app, allowed, denied];
    const off = [...browser.requests, ...browser.cdpRequests].map((r) => r.url).filter((u) => !origins.some((o) => u.startsWith(`${o}/`)));
    assert.deepEqual(off, [], 'requests that left the three local origins');
    assert.deepEqual(appEgress(browser.trap.hits), [], 'requests that reached the egress trap');
    for (const v of ['70.5', '1970-03-15', 'pt-7', 'luconazole']) {
      assert.ok(!browser.requests.some((r) => r.url.includes(v)), `${v} in a URL`);
      assert.ok(!browser.console.some((m) => m.includes(v)), `${v} in the console`);
    }
    const frame = page.frames().find((f) => f.url().startsWith(`${app}/`));
    const storage = await frame.evaluate(async () => {
      const cached = [];
      for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) cached.push(req.url);
      return {
        local: localStorage.length, session: sessionStorage.length, cookie: document.cookie,
        idb: (await indexedDB.databases()).map((d) => d.name), cacheNames: await caches.keys(), cached,
      };
    });
    assert.equal(storage.local, 0);
    assert.equal(storage.session, 0);
    assert.equal(storage.cookie, '');
    assert.deepEqual(storage.idb, []);
    assert.ok(storage.cacheNames.every((n) => n.startsWith('mtorcalc-')), storage.cacheNames.join());
    assert.ok(!storage.cached.some((u) => /embed\.json/.test(u)), 'embed.json is never cached');
    assert.deepEqual(await browser.context.cookies(), []);
  });

  await t.test('a Bundle file imported by hand fills the same fields; a hostile one changes nothing', async () => {
    await page.goto(`${app}/`);
    await engineReady(page);
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
    await page.selectOption('#indication', 'rcc');
    const file = (name, obj) => ({ name, mimeType: 'application/fhir+json', buffer: Buffer.from(JSON.stringify(obj, null, 2)) });
    await page.setInputFiles('#import-file', file('record.json', recordBundle()));
    await page.waitForFunction(() => /FHIR Bundle/.test(document.getElementById('case-message').textContent));
    await assertPrefilled(page);
    const kept = await snapshot(page);
    const huge = recordBundle();
    huge.entry[0].resource.text = { status: 'generated', div: `<div>${'x'.repeat(300 * 1024)}</div>` };
    for (const [name, bundle, why] of [['future.json', hostileBundle(), /in the future/], ['huge.json', huge, /larger than 256 KiB/]]) {
      await page.setInputFiles('#import-file', file(name, bundle));
      await page.waitForFunction((w) => new RegExp(w).test(document.getElementById('case-message').textContent), why.source);
      assert.deepEqual(await snapshot(page), kept, `${name} changed nothing`);
    }
  });
});
