// Shared by the page's browser tests (tests/browser/page*.test.mjs): the
// built site served by scripts/serve.mjs with the real security headers,
// Debian's Chromium with a fresh profile (never a downloaded browser), a
// watch on console errors and CSP violations, and helpers that type a case
// into the form the way a user would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const buildDir = path.resolve(repo, process.env.MTORCALC_OUT || 'build');
export const siteDir = path.join(buildDir, 'site');
export const artifacts = path.join(repo, 'tests', 'artifacts');
export const casesDir = path.join(repo, 'tests/cases/shared');

const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync',
];

// The Node wasm build: the same engine as the page, for "the page shows what
// the engine answers" comparisons.
export async function nodeEngine() {
  const require = createRequire(import.meta.url);
  const load = require(path.join(buildDir, 'node', 'mtorcalc.js'));
  return load();
}

// Starts the server and a browser; returns helpers and a close().
export async function startBrowser() {
  if (!fs.existsSync(path.join(siteDir, 'index.html'))) throw new Error(`no built site at ${siteDir}: run scripts/build`);
  fs.mkdirSync(artifacts, { recursive: true });
  const server = await startServer({ root: siteDir, port: 0 });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mtorcalc-page-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 900 },
    // The offline layer is tested elsewhere; here every load comes from the
    // server, so a test always sees the site just built.
    serviceWorkers: 'block',
  });
  const problems = []; // console errors, page errors, CSP violations
  const watch = (page) => {
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  };
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  return {
    origin,
    context,
    problems,
    async newPage({ width = 1280, height = 900, query = '' } = {}) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height });
      // CSP violations are also reported as events inside the page.
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
        });
      });
      await page.goto(`${origin}/${query}`);
      await page.waitForFunction(() => document.documentElement.dataset.ready === 'true' && window.mtorCalc, null, { timeout: 30000 });
      return page;
    },
    async close() {
      await context.close().catch(() => {});
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

// ---- typing a request into the form -------------------------------------------

// Leaves of a request object as [pointer, value], arrays of scalars kept whole.
export function leaves(obj, prefix = '') {
  const out = [];
  for (const [k, v] of Object.entries(obj)) {
    const p = `${prefix}/${k}`;
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...leaves(v, p));
    else out.push([p, v]);
  }
  return out;
}

const fmt = (v) => String(v);

// Types one request into the form, field by field, as a user would:
// choose the indication (and drug), then type numbers key by key, choose
// yes/no and options in selects, and add adverse-event rows with the button.
//
// `keys: true` presses every key (slow: each key is one evaluation); the
// default fills each field in one input event, which is what a browser's
// autofill or a paste does and keeps the suite quick.
export async function typeRequest(page, req, { keys = false } = {}) {
  await page.selectOption('#indication', req.indication);
  if (req.drug) await page.selectOption('#drug', req.drug);
  for (const [pointer, value] of leaves(req)) {
    if (['/contract', '/indication', '/drug', '/adverse_events'].includes(pointer)) continue;
    const sel = `#case-form [data-path="${pointer}"]`;
    const info = await page.evaluate((s) => {
      const all = document.querySelectorAll(s);
      const e = all[0];
      return { count: all.length, tag: e?.tagName.toLowerCase(), closed: Boolean(e?.closest('details:not([open])')) };
    }, sel);
    if (info.count !== 1) throw new Error(`the form has no field for ${pointer}`);
    // Fields the question does not ask up front sit in disclosures ("More
    // (optional)", the Child-Pugh components): open them as a user would.
    await openDisclosures(page, sel);
    const el = page.locator(sel);
    if (info.tag === 'fieldset') {
      // One-tap yes/no (and two-way) choices: a radio group.
      const v = typeof value === 'boolean' ? (value ? 'yes' : 'no') : fmt(value);
      await el.locator(`input[value="${v}"]`).check();
    } else if (info.tag === 'select') {
      await el.selectOption(typeof value === 'boolean' ? (value ? 'yes' : 'no') : fmt(value));
    } else {
      const text = Array.isArray(value) ? (value.length ? value.join(', ') : 'none') : fmt(value);
      if (keys) {
        await el.fill('');
        await el.pressSequentially(text);
      } else {
        await el.fill(text);
      }
    }
  }
  for (const [i, ae] of (req.adverse_events || []).entries()) {
    await openDisclosures(page, '#ae-add');
    await page.click('#ae-add');
    await page.selectOption(`#ae-${i}-term`, ae.term);
    if (ae.grade !== undefined) await page.selectOption(`#ae-${i}-grade`, String(ae.grade));
    if (ae.recurrent) await page.check(`#ae-${i}-rec`);
  }
}

// Opens, outermost first, every closed disclosure around a form element.
export async function openDisclosures(page, sel) {
  for (;;) {
    const summary = await page.evaluate((s) => {
      let closed = null;
      for (let d = document.querySelector(s)?.closest('details'); d; d = d.parentElement.closest('details')) if (!d.open) closed = d;
      return closed ? `#${closed.id}` : null;
    }, sel);
    if (!summary) return;
    await page.locator(`${summary} > summary`).click();
  }
}

// The request the page sent and the response it shows (from the JSON
// disclosure the page offers integrators). The page writes that text only
// while the disclosure is open: open it, as an integrator would.
export async function pageExchange(page) {
  await page.locator('#answer-body details.raw').evaluate((d) => { d.open = true; });
  await page.waitForFunction(() => document.querySelector('#raw-response').textContent !== '');
  const req = JSON.parse(await page.locator('#raw-request').textContent());
  const resp = await page.locator('#raw-response').textContent();
  return { req, resp };
}

// Object equality ignoring key order.
export function canonicalJson(v) {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

export function loadCases() {
  if (!fs.existsSync(casesDir)) return [];
  return fs.readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(casesDir, f), 'utf8')))
    .filter((c) => c.request && typeof c.request === 'object');
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}
