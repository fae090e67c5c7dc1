// embed.js — the one place that reads ?embed=1, the compact mode for an
// intranet page's <iframe> (docs/hosting.md): the page hides its header and
// footer (the `embed` class, web/style.css) and pwa.js keeps a short version
// line. Every module that needs it imports `embedded` from here.
export const embedded = new URLSearchParams(location.search).get('embed') === '1';
if (embedded) document.documentElement.classList.add('embed');
