// The one place the site's security headers are written down. Used by
// scripts/serve.mjs (header), scripts/build-site.mjs (the CSP again as a
// <meta http-equiv> in every built HTML page, so it holds even on a careless
// host) and the browser tests, which also compare docs/nginx/mtorcalc.conf
// against it. Change a directive here and in docs/nginx/mtorcalc.conf and
// docs/hosting.md together; tests/browser/hosting.test.mjs fails until they agree.
//
// Why each directive:
// - default-src 'none': nothing is allowed unless listed below.
// - script-src 'self' 'wasm-unsafe-eval': our own modules and compiling our
//   own WebAssembly; no 'unsafe-eval', no 'unsafe-inline' (the wasm build
//   links with -sDYNAMIC_EXECUTION=0, the page has no inline script).
// - connect-src 'self': fetch() may reach only the site itself (the wasm file,
//   the service worker's precache); a patient value has nowhere else to go.
// - form-action 'none', base-uri 'none': no form posts anywhere, no <base> games.
// - require-trusted-types-for 'script'; trusted-types mtorcalc: the DOM's
//   script sinks (innerHTML, script URLs, the worker and service worker
//   URLs) take only values made by the page's one named policy, `mtorcalc`
//   (web/trusted-types.js), which accepts nothing but the site's own script
//   files. The page writes text with textContent and never assigns a string
//   to innerHTML; this makes an injected string fail loudly rather than run.
// - frame-ancestors: which intranet pages may embed the calculator. A header
//   only: browsers ignore it in <meta>, so a host that sends only the <meta>
//   policy can be framed by any origin (docs/hosting.md).
// - report-to is not set: a hospital may add its own intranet endpoint
//   (docs/hosting.md, "CSP reports").
export const cspDirectives = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types mtorcalc',
];

// The CSP for a <meta http-equiv> tag: everything but frame-ancestors.
export const cspMeta = () => cspDirectives.join('; ');

// The CSP for the HTTP header, with the origins allowed to frame the page
// (a space-separated source list, e.g. "'self' https://intranet.example.org").
export const cspHeader = (frameAncestors = "'self'") =>
  [...cspDirectives, `frame-ancestors ${frameAncestors}`].join('; ');

export const permissionsPolicy =
  'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()';

export const securityHeaders = (frameAncestors = "'self'") => ({
  'Content-Security-Policy': cspHeader(frameAncestors),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': permissionsPolicy,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // Ignored by browsers over plain http (the local server); over HTTPS it
  // keeps the calculator off plain http for a year.
  'Strict-Transport-Security': 'max-age=31536000',
});

// Hashed asset names look like app.3f2a9c1d.js (see scripts/build-site.mjs):
// those never change and may be cached for a year; everything else
// (index.html, sw.js) must be revalidated on every load.
export const hashedName = /\.[0-9a-f]{8}\.[A-Za-z0-9]+$/;
export const cacheControl = (file) =>
  hashedName.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
