// trusted-types.js — the page's one Trusted Types policy, `mtorcalc`. The CSP
// requires Trusted Types for scripts, so a URL that starts a script (the
// engine's Worker) must be made by a named policy; this one makes only URLs
// of the page's own origin. Without Trusted Types (older browsers) the
// plain string is returned after the same check.
let policy = null;

function sameOrigin(url) {
  const u = new URL(url, document.baseURI);
  if (u.origin !== window.location.origin) throw new TypeError(`not a same-origin script URL: ${u.href}`);
  return u.href;
}

/** A script URL for new Worker(): a TrustedScriptURL where Trusted Types exist. */
export function scriptURL(url) {
  if (typeof window.trustedTypes === 'undefined') return sameOrigin(String(url));
  policy ??= window.trustedTypes.createPolicy('mtorcalc', { createScriptURL: (s) => sameOrigin(s) });
  return policy.createScriptURL(String(url));
}
