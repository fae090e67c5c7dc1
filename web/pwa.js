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
//   whether the app is ready offline.
//
// It never reads or stores a patient value and makes no request of its own
// beyond the browser's update check of sw.js.

// Replaced at build time by a hash of the site's contents.
const BUILD = '__MTORCALC_BUILD__';

const embedded = new URLSearchParams(location.search).has('embed');

// Inline styles set through the CSSOM are allowed by the CSP (style-src
// 'self' forbids style attributes and <style>, not element.style).
function styled(el, css) {
  for (const [k, v] of Object.entries(css)) el.style.setProperty(k, v);
  return el;
}

// ---- version line ---------------------------------------------------------
let offline = 'preparing'; // 'preparing' | 'ready' | 'unavailable'
let engineVersion = '';
let statusEl = null;

function renderStatus() {
  if (!statusEl) {
    // The page may offer a slot: <p data-pwa-status></p>. Otherwise a small
    // line at the end of the page (not in embed mode, which has no chrome).
    statusEl = document.querySelector('[data-pwa-status]');
    if (!statusEl) {
      if (embedded) return;
      statusEl = styled(document.createElement('p'), { 'font-size': '0.8125rem', color: 'inherit' });
      statusEl.className = 'pwa-status';
      (document.querySelector('body > footer') || document.body).append(statusEl);
    }
    statusEl.id ||= 'mtorcalc-version';
  }
  const parts = [];
  // The page shows the content and engine versions itself where it has a
  // place for them (.js-content-version); otherwise this line does.
  if (!document.querySelector('.js-content-version')) parts.push(engineVersion || 'engine loading…');
  parts.push(`app build ${BUILD}`);
  parts.push({ preparing: 'preparing offline use…', ready: 'available offline', unavailable: 'not available offline' }[offline]);
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
    } else if (Date.now() - started < 60000) {
      setTimeout(tick, 100);
    }
  };
  tick();
}

// ---- update banner ----------------------------------------------------------
let banner = null;
let reloading = false;

function showUpdateBanner(registration) {
  if (banner) return;
  banner = styled(document.createElement('div'), {
    position: 'fixed', left: '0.75rem', right: '0.75rem', bottom: '0.75rem', 'z-index': '2147483647',
    display: 'flex', 'flex-wrap': 'wrap', 'align-items': 'center', gap: '0.5rem 1rem',
    padding: '0.75rem 1rem', 'border-radius': '0.5rem', background: '#12323a', color: '#ffffff',
    'box-shadow': '0 2px 12px rgba(0,0,0,.35)', 'font-size': '1rem', 'max-width': '40rem', margin: '0 auto',
  });
  banner.className = 'pwa-update';
  banner.setAttribute('role', 'region');
  banner.setAttribute('aria-label', 'App update');

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
  // Look for a new version when the clinician comes back to the tab, at most
  // once an hour (one request for sw.js; no patient data involved).
  let lastCheck = Date.now();
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && Date.now() - lastCheck > 3600e3) {
      lastCheck = Date.now();
      registration.update().catch(() => {});
    }
  });
}

function setOffline(state) {
  offline = state;
  renderStatus();
}
const markOfflineReady = () => setOffline('ready');

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
    const registration = await navigator.serviceWorker.register(new URL('sw.js', document.baseURI), {
      scope: './',
      updateViaCache: 'none',
    });
    watchForUpdates(registration);
    await navigator.serviceWorker.ready;
    markOfflineReady();
  } catch {
    // No offline mode (e.g. a browser policy forbids service workers); the
    // page itself works as before.
    setOffline('unavailable');
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
