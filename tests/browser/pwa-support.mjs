// Shared by the privacy, offline and hosting browser tests: where the built
// site is, a Debian Chromium with a fresh profile, a recorder for every
// request the browser makes, and an "egress trap".
//
// Requests are seen three ways:
// - Playwright's context.on('request'): pages, frames and the service worker
//   (Playwright attaches the CDP Network domain to service-worker targets
//   itself; request.serviceWorker() names them);
// - a raw CDP Network session on each page (Network.requestWillBeSent);
// - the trap: Chromium is started with --proxy-server pointing at a local
//   recorder that answers nothing. Loopback is never proxied, so the site
//   works, and a request to any other host from any part of the browser
//   (page, worker, service worker, prefetch) lands in the trap.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = process.env.MTORCALC_OUT || 'build';
export const buildDir = path.resolve(repo, out);
export const siteDir = path.join(buildDir, 'site');
export const wasmWebDir = path.join(buildDir, 'wasm', 'web');

export const chromiumFlags = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync',
  // quieten the browser's own traffic so that the trap sees less of it
  '--disable-features=AutofillServerCommunication,NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter',
  '--disable-extensions', '--no-pings', '--disable-domain-reliability',
];

// What Chromium itself still sends with the flags above (its updater and
// account service), with no page or worker behind it: the recorders, which
// see every request of the page and the service worker, show that none of
// these comes from the app. Everything else that reaches the trap fails.
const browserHousekeeping = /^(CONNECT |[A-Z]+ https?:\/\/)(update\.googleapis\.com|accounts\.google\.com|clients2\.google\.com)[:/]/;
export const appEgress = (hits) => hits.filter((h) => !browserHousekeeping.test(h));

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// A local stand-in for "the internet": records whatever reaches it.
export async function startTrap() {
  const hits = [];
  const server = net.createServer((sock) => {
    sock.once('data', (buf) => {
      hits.push(buf.toString('latin1').split('\r\n')[0]);
      sock.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    sock.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { hits, port: server.address().port, close: () => new Promise((r) => server.close(r)) };
}

// A fresh Chromium profile; returns { context, trap, requests, close }.
export async function launch() {
  const trap = await startTrap();
  const userDataDir = tempDir('mtorcalc-chromium-');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: [...chromiumFlags, `--proxy-server=http://127.0.0.1:${trap.port}`],
    viewport: { width: 1280, height: 900 },
    serviceWorkers: 'allow',
  });
  const requests = [];
  context.on('request', (r) => {
    let sw = false;
    try {
      sw = Boolean(r.serviceWorker());
    } catch {}
    requests.push({ via: sw ? 'service-worker' : 'page', url: r.url(), type: r.resourceType(), at: Date.now() });
  });
  const cdpRequests = [];
  const console_ = [];
  const watched = new WeakSet();
  const watchPage = async (page) => {
    if (watched.has(page)) return;
    watched.add(page);
    page.on('pageerror', (e) => console_.push(`pageerror: ${e.message}`));
    try {
      const cdp = await context.newCDPSession(page);
      cdp.on('Network.requestWillBeSent', (e) => cdpRequests.push({ url: e.request.url, type: e.type, at: Date.now() }));
      await cdp.send('Network.enable');
    } catch {}
  };
  context.on('page', watchPage);
  for (const p of context.pages()) await watchPage(p);
  context.on('console', (m) => console_.push(m.text()));
  return {
    context,
    trap,
    requests,
    cdpRequests,
    console: console_,
    page: async () => {
      const page = context.pages()[0] || (await context.newPage());
      await watchPage(page);
      return page;
    },
    close: async () => {
      await context.close().catch(() => {});
      await trap.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

// The request half of every shared example case (the project's copies).
export function sharedRequests() {
  const dirs = [path.join(repo, 'tests/cases/shared')];
  const list = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const c = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      if (c.request && typeof c.request === 'object') list.push({ id: c.id || f, request: c.request });
    }
  }
  return list;
}

// A full clinical case for the engine, with distinctive values that must
// never show up in a URL, storage or the console.
export const fullCase = {
  contract: 'mtor-calc/1',
  indication: 'rcc',
  patient: {
    age_years: 61.7, sex: 'male', weight_kg: 73.37, height_cm: 171.3,
    hepatic: { bilirubin_mg_dl: 1.37, albumin_g_dl: 3.37, inr: 1.17, ascites: 'none', encephalopathy: 'none' },
    labs: { anc_per_ul: 3737, platelets_per_ul: 173370, hemoglobin_g_dl: 12.37, calcium_mg_dl: 9.37, ldh_u_l: 173.7 },
    limits: { hemoglobin_lln_g_dl: 13.5, calcium_uln_mg_dl: 10.2, ldh_uln_u_l: 250 },
  },
  condition: { rcc: { histology: 'clear_cell', advanced: true, prior_therapies: ['sunitinib'], months_since_diagnosis: 17.3 } },
  therapy: { current_dose_mg: 10, frequency: 'once_daily', form: 'tablet', trough_ng_ml: 13.37, days_on_current_dose: 17 },
  comedications: ['fluconazole'],
  adverse_events: [{ term: 'stomatitis', grade: 2, recurrent: false }],
};
export const sentinels = ['73.37', '171.3', '61.7', '13.37', '173370', '12.37', '3737'];

// Waits until the page's engine answers (window.mtorCalc, the contract's hook).
export async function engineReady(target, timeout = 30000) {
  await target.waitForFunction(() => window.mtorCalc && typeof window.mtorCalc.evaluate === 'function', null, { timeout });
}

// Enters a case through the page's form as a user would: picks the
// indication, then types a distinctive value into every visible field the
// page draws for it (fields carry data-path, their JSON Pointer in the
// request). Returns the values typed. A page without such a form (or an
// indication select) yields an empty list.
export async function typeCase(page, indication = 'rcc') {
  const typed = [];
  const select = page.locator('select[data-path="/indication"]');
  if ((await select.count()) === 0) return typed;
  await select.selectOption(indication);
  // Fields a question does not ask up front sit under "More (optional)":
  // open every disclosure of the form so that they are typed too.
  await page.waitForFunction(() => document.querySelector('#more-fields'));
  await page.evaluate(() => document.querySelectorAll('#case-form details').forEach((d) => { d.open = true; }));
  const byPath = {
    '/patient/age_years': '61.7', '/patient/weight_kg': '73.37', '/patient/height_cm': '171.3',
    '/therapy/trough_ng_ml': '13.37', '/patient/labs/platelets_per_ul': '173370',
    '/patient/labs/hemoglobin_g_dl': '12.37', '/patient/labs/anc_per_ul': '3737',
  };
  const fields = page.locator('[data-path]:visible');
  const n = await fields.count();
  for (let i = 0; i < n; i++) {
    const el = fields.nth(i);
    const info = await el.evaluate((e) => ({
      tag: e.tagName.toLowerCase(), type: (e.getAttribute('type') || '').toLowerCase(), path: e.dataset.path,
      options: e.tagName === 'SELECT' ? [...e.options].map((o) => o.value).filter(Boolean) : [],
      disabled: e.disabled,
    }));
    if (info.disabled || info.path === '/indication' || info.path === '/drug') continue;
    try {
      if (info.tag === 'select') {
        if (info.options.length) await el.selectOption(info.options[0]);
      } else if (info.type === 'checkbox' || info.type === 'radio') {
        await el.check();
      } else if (info.tag === 'input' || info.tag === 'textarea') {
        const value = byPath[info.path] ?? (info.type === 'text' || info.type === '' ? '' : '1');
        if (!value) continue;
        await el.fill('');
        await el.pressSequentially(value, { delay: 5 });
        typed.push(value);
      }
    } catch {
      // a field that re-rendered away while typing: go on with the rest
    }
  }
  return typed;
}
