// trusted-types.js — the page's one Trusted Types policy, named `mtorcalc`:
// the CSP allows no other (`require-trusted-types-for 'script';
// trusted-types mtorcalc`, scripts/security-headers.mjs). It vouches only for
// the site's own script files (same origin, .js or .mjs) as script URLs, for
// the service worker and any module Worker; it makes no HTML, so a string
// can never become markup or script through it.
const base = () => globalThis.document?.baseURI ?? globalThis.location.href;

const policy = globalThis.trustedTypes?.createPolicy('mtorcalc', {
  createScriptURL(url) {
    const u = new URL(url, base());
    if (u.origin !== globalThis.location.origin || !/\.m?js$/.test(u.pathname)) {
      throw new TypeError(`not one of the calculator's own scripts: ${u.href}`);
    }
    return u.href;
  },
});

/** A script URL the CSP accepts (a plain string where Trusted Types are not supported). */
export const scriptURL = (url) => (policy ? policy.createScriptURL(String(url)) : new URL(url, base()).href);
