// The JavaScript-to-wasm boundary in Chromium (window.mtorCalc.evaluate, the
// contract's hook for intranet pages) and the page's Trusted Types policy.
// Every argument gets the same answer as from the Node module
// (tests/node/boundary.test.mjs), never an exception, and no argument
// breaks a later call.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../../scripts/serve.mjs';
import { loadEngine } from '../node/parity-helpers.mjs';
import { siteDir, launch, engineReady } from './pwa-support.mjs';

const valid = JSON.stringify({ contract: 'mtor-calc/1', indication: 'rcc', comedications: ['ketoconazole'] });

test('window.mtorCalc.evaluate answers every argument, never throws, and keeps working', { timeout: 120000 }, async (t) => {
  assert.ok(fs.existsSync(path.join(siteDir, 'index.html')), `no built site at ${siteDir}`);
  const server = await startServer({ root: siteDir });
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const page = await browser.page();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await engineReady(page);

  // Each case is made inside the page and compared with the Node module's
  // answer to the same value.
  const node = await loadEngine();
  const cyclic = { contract: 'mtor-calc/1', indication: 'rcc' };
  cyclic.self = cyclic;
  const cases = [
    ['undefined', undefined],
    ['a BigInt', 10n],
    ['a cyclic object', cyclic],
    ['null', null],
    ['an object', { contract: 'mtor-calc/1', indication: 'rcc' }],
    ['a lone high surrogate before a letter', '{"contract": "mtor-calc/1", "indication": "rcc", "comedications": ["a\ud800b"]}'],
    ['a lone low surrogate', '{"\udc00": 1}'],
    ['one unit over the limit', 'x'.repeat(262145)],
  ];
  const first = await page.evaluate((text) => window.mtorCalc.evaluate(text), valid);
  assert.equal(first, node.evaluate(valid), 'the page and Node give the same bytes');
  for (const [name, nodeValue] of cases) {
    const got = await page.evaluate(({ name, valid }) => {
      // Made here: a BigInt or a cyclic object cannot be passed in, and a
      // lone surrogate might not survive the trip.
      const make = {
        'undefined': () => undefined,
        'a BigInt': () => 10n,
        'a cyclic object': () => {
          const o = { contract: 'mtor-calc/1', indication: 'rcc' };
          o.self = o;
          return o;
        },
        'null': () => null,
        'an object': () => ({ contract: 'mtor-calc/1', indication: 'rcc' }),
        'a lone high surrogate before a letter': () =>
          '{"contract": "mtor-calc/1", "indication": "rcc", "comedications": ["a\ud800b"]}',
        'a lone low surrogate': () => '{"\udc00": 1}',
        'one unit over the limit': () => 'x'.repeat(262145),
      };
      const value = make[name]();
      let answer;
      let thrown = null;
      try {
        answer = window.mtorCalc.evaluate(value);
      } catch (e) {
        thrown = String(e);
      }
      return { answer, thrown, after: window.mtorCalc.evaluate(valid) };
    }, { name, valid }).catch((e) => ({ thrown: `page.evaluate: ${e.message}` }));
    assert.equal(got.thrown, null, `${name}: threw`);
    assert.equal(got.answer, node.evaluate(nodeValue), `${name}: same answer as the Node module`);
    assert.equal(JSON.parse(got.answer).status, 'invalid_request', name);
    assert.equal(got.after, first, `${name}: a later call still works`);
  }

  // 400 million characters: refused before any copy into wasm memory, at
  // once, and the engine keeps answering.
  const huge = await page.evaluate((v) => {
    const text = 'x'.repeat(400e6);
    const t0 = performance.now();
    const answer = window.mtorCalc.evaluate(text);
    return { ms: performance.now() - t0, errors: JSON.parse(answer).errors, after: window.mtorCalc.evaluate(v) };
  }, valid);
  assert.deepEqual(huge.errors.map((e) => `${e.path}|${e.code}`), ['|out_of_range']);
  assert.equal(huge.after, first, 'a call after 400 million characters');
  assert.ok(huge.ms < 2000, `answered in ${huge.ms.toFixed(0)} ms (copying would take far longer or fail)`);
});

test('Trusted Types: string sinks are closed, only the mtorcalc policy may exist', { timeout: 60000 }, async (t) => {
  const server = await startServer({ root: siteDir });
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const page = await browser.page();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await engineReady(page);
  // The page itself (engine, service worker registration) runs under the
  // policy without a violation; the attempts below each log one.
  await page.waitForFunction(() => /available offline/.test(document.body.innerText), null, { timeout: 20000 });
  assert.deepEqual(browser.console.filter((m) => /trusted|TrustedScriptURL|TrustedHTML/i.test(m)), []);
  const result = await page.evaluate(() => {
    const attempt = (f) => {
      try {
        f();
        return 'allowed';
      } catch (e) {
        return e.name;
      }
    };
    return {
      innerHTML: attempt(() => { document.createElement('div').innerHTML = '<img src=x>'; }),
      scriptSrc: attempt(() => { document.createElement('script').src = 'data:text/javascript,1'; }),
      otherPolicy: attempt(() => trustedTypes.createPolicy('other', { createHTML: (s) => s })),
      secondMtorcalc: attempt(() => trustedTypes.createPolicy('mtorcalc', { createHTML: (s) => s })),
    };
  });
  // secondMtorcalc fails because the page has already made its policy.
  assert.deepEqual(result, { innerHTML: 'TypeError', scriptSrc: 'TypeError', otherPolicy: 'TypeError', secondMtorcalc: 'TypeError' });
});
