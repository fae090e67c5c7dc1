// A small static server for build/site on loopback, sending the same headers
// the hospital configuration in docs/hosting.md asks for (CSP, nosniff,
// no-referrer, application/wasm, immutable hashed assets, no-cache for
// index.html and sw.js), and the precompressed copies scripts/build-site.mjs
// writes beside each file (name.br, name.gz) with Content-Encoding to
// browsers that accept them. Usage: node scripts/serve.mjs --root DIR --port N
// The browser tests import startServer() from here.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { securityHeaders, cacheControl } from './security-headers.mjs';

export { securityHeaders };

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm', '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

// The precompressed copy to send for this Accept-Encoding, best first:
// [suffix, Content-Encoding] or null. q=0 refuses an encoding.
const encodings = [['.br', 'br'], ['.gz', 'gzip']];
function accepted(header = '') {
  const ok = new Set();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)).find(Boolean);
    if (name && !(q && Number(q[1]) === 0)) ok.add(name);
  }
  return encodings.filter(([, enc]) => ok.has(enc) || ok.has('*'));
}

// Returns a listening http.Server. onRequest(req), if given, sees every
// request the server receives (the tests count them).
export function startServer({ root, port = 0, host = '127.0.0.1', frameAncestors = "'self'", onRequest } = {}) {
  root = path.resolve(root);
  const server = http.createServer((req, res) => {
    if (onRequest) onRequest(req);
    const headers = securityHeaders(frameAncestors);
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      urlPath = null;
    }
    // An undecodable path, or one with a NUL byte (which the file system
    // calls would throw on), is the client's error: 400, never a crash.
    if (urlPath === null || urlPath.includes('\0')) {
      res.writeHead(400, headers).end();
      return;
    }
    let file = path.join(root, urlPath);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403, headers).end();
      return;
    }
    if (urlPath.endsWith('/')) file = path.join(file, 'index.html');
    // The first precompressed copy that exists, else the file itself; the
    // answer varies with Accept-Encoding either way (caches must know).
    const tries = [...accepted(req.headers['accept-encoding']).map(([suffix, enc]) => [file + suffix, enc]), [file, null]];
    const send = (i) => fs.readFile(tries[i][0], (err, body) => {
      if (err && i + 1 < tries.length) return send(i + 1);
      if (err) {
        res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache', ...headers }).end('not found');
        return;
      }
      const encoding = tries[i][1];
      res.writeHead(200, {
        'Content-Type': types[path.extname(file)] || 'application/octet-stream',
        'Cache-Control': cacheControl(path.basename(file)),
        Vary: 'Accept-Encoding',
        ...(encoding ? { 'Content-Encoding': encoding } : {}),
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    send(0);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
  };
  const host = opt('--host', '127.0.0.1');
  const server = await startServer({
    root: opt('--root', 'build/site'), port: Number(opt('--port', '8080')), host,
    frameAncestors: opt('--frame-ancestors', "'self'"),
  });
  console.log(`Serving mtorcalc on http://${host}:${server.address().port}/ (Ctrl-C to stop)`);
}
