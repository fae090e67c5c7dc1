// Offline support for the page, self-contained: the built index.html loads it
// (scripts/build-site.mjs adds the <script type="module">); the page needs no
// code of its own for it.
//
// - registers the service worker (sw.js, generated at build time by
//   workbox-build: it precaches every file of the site, so after one visit
//   the page loads and computes with the network off);
// - when a new version has been downloaded and is waiting, shows an
//   accessible banner "A new version is available — Reload"; nothing changes
//   under the clinician's hands until they choose to reload;
// - shows the engine and content version actually running, the build, and
//   whether the app is ready offline (in embed mode too, as a short line);
// - looks for a new version at most once an hour while the page is visible
//   and online;
// - recall: when the host has withdrawn the calculator (sw.js answers 404 or
//   410), removes this copy's service worker and cache and reloads, so that
//   no installed copy keeps computing from a stale cache (docs/hosting.md);
// - warns when the clinical content is more than 12 months old
//   (web/freshness.js).
//
// It never reads or stores a patient value and makes no request of its own
// beyond fetching sw.js for the update check.
import { embedded } from './embed.js';
import { scriptURL } from './trusted-types.js';
import { contentFreshness } from './freshness.js';

// Replaced at build time by a hash of the site's contents.
const BUILD = '__MTORCALC_BUILD__';

// Inline styles set through the CSSOM are allowed by the CSP (style-src
// 'self' forbids style attributes and <style>, not element.style).
function styled(el, css) {
  for (const [k, v] of Object.entries(css)) el.style.setProperty(k, v);
  return el;
}

// ---- version line ---------------------------------------------------------
let offline = 'preparing'; // 'preparing' | 'ready' | 'unavailable' | 'withdrawn'
let engineVersion = '';
let statusEl = null;

function renderStatus() {
  if (!statusEl) {
    // The page may offer a slot: <p data-pwa-status></p>. Otherwise a small
    // line at the end of the page: in its footer, or in embed mode, whose
    // footer is hidden, at the end of the main landmark.
    statusEl = document.querySelector('[data-pwa-status]');
    if (!statusEl) {
      statusEl = styled(document.createElement('p'), { 'font-size': '0.8125rem', color: 'inherit' });
      statusEl.className = 'pwa-status';
      if (embedded) styled(statusEl, { margin: '0.25rem', 'text-align': 'center' });
      const place = embedded ? document.querySelector('main') : document.querySelector('body > footer');
      (place || document.body).append(statusEl);
    }
    statusEl.id ||= 'mtorcalc-version';
  }
  const parts = [];
  // The page shows the content and engine versions itself where it has a
  // place for them (.js-content-version); otherwise, and always in embed
  // mode (a host page's frame may be too short to show the references),
  // this line does.
  if (embedded || !document.querySelector('.js-content-version')) parts.push(engineVersion || 'engine loading…');
  parts.push(`app build ${BUILD}`);
  parts.push({
    preparing: 'preparing offline use…', ready: 'available offline', unavailable: 'not available offline',
    withdrawn: 'withdrawn by its host: not available offline',
  }[offline]);
  statusEl.textContent = parts.join(' · ');
}

function watchEngine() {
  const started = Date.now();
  const tick = () => {
    const calc = window.mtorCalc;
    if (calc && typeof calc.version === 'function') {
      try {
        engineVersion = String(calc.version());
      } catch {
        engineVersion = 'engine version unavailable';
      }
      renderStatus();
      showFreshness(contentFreshness(engineVersion, Date.now()));
    } else if (Date.now() - started < 60000) {
      setTimeout(tick, 100);
    }
  };
  tick();
}

// ---- banners ----------------------------------------------------------------
let banner = null;
let reloading = false;

function bannerBox(label) {
  const box = styled(document.createElement('div'), {
    position: 'fixed', left: '0.75rem', right: '0.75rem', bottom: '0.75rem', 'z-index': '2147483647',
    display: 'flex', 'flex-wrap': 'wrap', 'align-items': 'center', gap: '0.5rem 1rem',
    padding: '0.75rem 1rem', 'border-radius': '0.5rem', background: '#12323a', color: '#ffffff',
    'box-shadow': '0 2px 12px rgba(0,0,0,.35)', 'font-size': '1rem', 'max-width': '40rem', margin: '0 auto',
  });
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', label);
  return box;
}

// Content past its age: a banner at the top of the page that stays (it can
// be read, not dismissed, while the copy is in use), asking for an update.
function showFreshness(freshness) {
  if (!freshness.stale || document.querySelector('.content-age')) return;
  const box = styled(bannerBox('Content age'), {
    position: 'static', margin: '0 0 0.5rem', 'max-width': 'none', 'border-radius': '0', 'box-shadow': 'none',
    background: '#7a1d00',
  });
  box.className = 'content-age';
  const text = styled(document.createElement('p'), { margin: '0' });
  text.setAttribute('role', 'alert');
  text.textContent = `The clinical content of this copy (${freshness.date}) is more than ${freshness.maxMonths} months old. ` +
    'Labels and guidelines may have changed: ask for an updated version, and check the current prescribing information before relying on an answer.';
  box.append(text);
  document.body.prepend(box);
}

function showUpdateBanner(registration) {
  if (banner) return;
  banner = bannerBox('App update');
  banner.className = 'pwa-update';

  const text = styled(document.createElement('p'), { margin: '0', flex: '1 1 16rem' });
  text.setAttribute('role', 'status');
  text.textContent = 'A new version is available. Reloading clears the current entries.';

  const button = () =>
    styled(document.createElement('button'), {
      font: 'inherit', padding: '0.4rem 0.9rem', 'min-height': '44px', 'border-radius': '0.375rem',
      border: '2px solid #ffffff', cursor: 'pointer',
    });
  const reload = button();
  reload.type = 'button';
  reload.textContent = 'Reload';
  styled(reload, { background: '#ffffff', color: '#12323a', 'font-weight': '600' });
  reload.addEventListener('click', () => {
    const waiting = registration.waiting;
    reloading = true;
    if (waiting) waiting.postMessage({ type: 'SKIP_WAITING' });
    else location.reload();
  });
  const later = button();
  later.type = 'button';
  later.textContent = 'Later';
  styled(later, { background: 'transparent', color: '#ffffff' });
  later.addEventListener('click', () => {
    banner.hidden = true;
  });

  banner.append(text, reload, later);
  document.body.append(banner);
}

function watchForUpdates(registration) {
  const offerIfWaiting = () => {
    // A waiting worker with a controller in charge is a new version; with no
    // controller it is the first install, which needs no prompt.
    if (registration.waiting && navigator.serviceWorker.controller) showUpdateBanner(registration);
  };
  offerIfWaiting();
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    if (!installing) return;
    installing.addEventListener('statechange', () => {
      if (installing.state === 'installed') offerIfWaiting();
      if (installing.state === 'activated') markOfflineReady();
    });
  });
  // Look for a new version, or a recall, at most once an hour while the page
  // is visible and online: a tab left open on a ward learns of both without
  // being reloaded (one request for sw.js; no patient data involved).
  let lastCheck = Date.now();
  const checkNow = () => {
    if (document.visibilityState !== 'visible' || !navigator.onLine || Date.now() - lastCheck < CHECK_EVERY_MS) return;
    lastCheck = Date.now();
    checkWithdrawn().then((gone) => (gone ? withdraw() : registration.update())).catch(() => {});
  };
  document.addEventListener('visibilitychange', checkNow);
  window.addEventListener('online', checkNow);
  setInterval(checkNow, 60e3);
  // An installed copy opened from its cache: the browser has just checked
  // sw.js itself, but keeps the old worker if the site is gone.
  if (navigator.serviceWorker.controller) checkWithdrawn().then((gone) => gone && withdraw());
}

// ---- recall --------------------------------------------------------------------
// A host withdraws the calculator by removing the site (every URL, sw.js
// included, answers 404 or 410; docs/hosting.md, "Recall"). The browser's
// own update check then merely fails and keeps the old worker, so the page
// asks for sw.js itself (not precached: the request reaches the server).
// Only an answer from the server counts: no network means nothing is known.
async function checkWithdrawn() {
  try {
    const response = await fetch(new URL('sw.js', document.baseURI), { cache: 'no-store', credentials: 'same-origin' });
    return response.status === 404 || response.status === 410;
  } catch {
    return false;
  }
}

// Removes this copy's service worker and its caches (only those of this
// scope: a same-origin intranet site keeps its own), then reloads, so the
// clinician sees what the server now answers instead of a stale calculator.
async function withdraw() {
  if (offline === 'withdrawn') return;
  setOffline('withdrawn');
  const scope = new URL('./', document.baseURI).href;
  try {
    const registration = await navigator.serviceWorker.getRegistration(scope);
    if (registration && registration.scope === scope) await registration.unregister();
    for (const name of await caches.keys()) if (name.startsWith('mtorcalc-') && name.endsWith(scope)) await caches.delete(name);
  } finally {
    location.reload();
  }
}

function setOffline(state) {
  offline = state;
  renderStatus();
}
const markOfflineReady = () => offline !== 'withdrawn' && setOffline('ready');
const CHECK_EVERY_MS = 3600e3;

async function register() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) {
    setOffline('unavailable'); // plain http, or a browser without service workers
    return;
  }
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // Only reload when the clinician asked for the new version; the first
    // install also changes the controller (clients.claim) and must not reload.
    if (reloading) location.reload();
  });
  try {
    const registration = await navigator.serviceWorker.register(scriptURL(new URL('sw.js', document.baseURI)), {
      scope: './',
      updateViaCache: 'none',
    });
    watchForUpdates(registration);
    await navigator.serviceWorker.ready;
    markOfflineReady();
  } catch {
    // A withdrawn site (sw.js gone) also lands here when an installed copy
    // loads from its cache: recall it. Otherwise there is no offline mode
    // (e.g. a browser policy forbids service workers) and the page itself
    // works as before.
    if (navigator.serviceWorker.controller && (await checkWithdrawn())) withdraw();
    else setOffline('unavailable');
  }
}

export const pwa = { build: BUILD, register };

function start() {
  renderStatus();
  watchEngine();
  // Register after the page has loaded, so that precaching the app does not
  // compete with the first load of the page and its engine.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
