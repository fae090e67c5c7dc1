// Hospital hosting: docs/nginx/mtorcalc.conf, run in a real nginx (Debian's
// nginx-light) on loopback, sends the headers docs/hosting.md promises; an
// intranet page on an allowed origin can embed the calculator and use it; a
// page on any other origin cannot.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { cspHeader, permissionsPolicy, securityHeaders } from '../../scripts/security-headers.mjs';
import { repo, siteDir, launch, engineReady, fullCase, tempDir, appEgress } from './pwa-support.mjs';

const nginxBin = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// Fills in the four EDIT lines of the shipped configuration; each must be
// there exactly once, so the test fails if the file drifts from the docs.
function instantiate(conf, { port, root, ancestors }) {
  const edits = [
    [/^(\s*)listen\s+[^;]+;.*$/m, `$1listen 127.0.0.1:${port};`],
    [/^(\s*)server_name\s+[^;]+;.*$/m, '$1server_name 127.0.0.1;'],
    [/^(\s*)root\s+[^;]+;.*$/m, `$1root ${root};`],
    [/^(\s*)set \$mtorcalc_frame_ancestors\s+"[^"]*";.*$/m, `$1set $mtorcalc_frame_ancestors "${ancestors}";`],
  ];
  for (const [re, to] of edits) {
    const global = new RegExp(re.source, 'gm');
    assert.equal((conf.match(global) || []).length, 1, `docs/nginx/mtorcalc.conf: one line matching ${re}`);
    conf = conf.replace(re, to);
  }
  return conf;
}

const hostPage = (title, src) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1>
<iframe id="calc" title="mTOR inhibitor calculator" src="${src}" width="1000" height="800"></iframe>
</body></html>
`;

test('nginx with docs/nginx/mtorcalc.conf: headers, allowed and refused embedding', { timeout: 240000 }, async (t) => {
  assert.ok(nginxBin, 'nginx is not installed (scripts/install installs nginx-light)');
  assert.ok(fs.existsSync(path.join(siteDir, 'index.html')), `no built site at ${siteDir}`);

  // Everything nginx needs lives in one temporary prefix. As root, nginx's
  // workers drop to nobody, so the tree must be world-readable.
  const prefix = tempDir('mtorcalc-nginx-');
  fs.chmodSync(prefix, 0o755);
  const root = path.join(prefix, 'site');
  fs.cpSync(siteDir, root, { recursive: true });
  const [appPort, allowedPort, deniedPort] = [await freePort(), await freePort(), await freePort()];
  const app = `http://127.0.0.1:${appPort}`;
  const allowed = `http://127.0.0.1:${allowedPort}`;
  const denied = `http://127.0.0.1:${deniedPort}`;
  const ancestors = `'self' ${allowed}`;
  for (const [dir, title] of [['allowed', 'Ward intranet (allowed)'], ['denied', 'Some other site (not allowed)']]) {
    fs.mkdirSync(path.join(prefix, dir));
    fs.writeFileSync(path.join(prefix, dir, 'index.html'), hostPage(title, `${app}/?embed=1`));
  }
  const shipped = fs.readFileSync(path.join(repo, 'docs/nginx/mtorcalc.conf'), 'utf8');
  fs.writeFileSync(path.join(prefix, 'mtorcalc.conf'), instantiate(shipped, { port: appPort, root, ancestors }));
  const temp = (n) => `${n}_temp_path ${path.join(prefix, n)};`;
  fs.writeFileSync(path.join(prefix, 'nginx.conf'), `
${process.getuid() === 0 ? 'user nobody nogroup;' : ''}
worker_processes 1;
pid ${path.join(prefix, 'nginx.pid')};
error_log ${path.join(prefix, 'error.log')} warn;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log ${path.join(prefix, 'access.log')};
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  include ${path.join(prefix, 'mtorcalc.conf')};
  server { listen 127.0.0.1:${allowedPort}; root ${path.join(prefix, 'allowed')}; }
  server { listen 127.0.0.1:${deniedPort}; root ${path.join(prefix, 'denied')}; }
}
`);
  const nginxArgs = ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', path.join(prefix, 'error.log')];
  const check = spawnSync(nginxBin, [...nginxArgs, '-t'], { encoding: 'utf8' });
  assert.equal(check.status, 0, `nginx -t:\n${check.stderr}`);
  const nginx = spawn(nginxBin, [...nginxArgs, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let nginxErr = '';
  nginx.stderr.on('data', (d) => (nginxErr += d));
  const exited = new Promise((r) => nginx.once('exit', r));
  t.after(async () => {
    if (nginx.exitCode === null) nginx.kill('SIGQUIT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (nginx.exitCode === null) nginx.kill('SIGKILL');
    fs.rmSync(prefix, { recursive: true, force: true });
  });
  for (let i = 0; ; i++) {
    try {
      await fetch(`${app}/`);
      break;
    } catch (e) {
      assert.ok(i < 100 && nginx.exitCode === null, `nginx did not start: ${nginxErr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  await t.test('headers', async () => {
    const files = fs.readdirSync(root);
    const wasm = files.find((f) => /^mtorcalc-web\.[0-9a-f]{8}\.wasm$/.test(f));
    const js = files.find((f) => /^app\.[0-9a-f]{8}\.js$/.test(f)) || files.find((f) => /\.[0-9a-f]{8}\.js$/.test(f));
    const manifest = files.find((f) => /\.webmanifest$/.test(f));
    assert.ok(wasm && js && manifest, `hashed files in the site: ${files.join(' ')}`);
    const expectations = [
      ['/', /^text\/html/, 'no-cache'],
      ['/index.html', /^text\/html/, 'no-cache'],
      ['/sw.js', /javascript/, 'no-cache'],
      [`/${js}`, /javascript/, 'public, max-age=31536000, immutable'],
      [`/${wasm}`, /^application\/wasm$/, 'public, max-age=31536000, immutable'],
      [`/${manifest}`, /^application\/manifest\+json/, 'public, max-age=31536000, immutable'],
      ['/no-such-file', null, 'no-cache'],
    ];
    for (const [url, type, cache] of expectations) {
      const res = await fetch(app + url);
      assert.equal(res.status, type ? 200 : 404, url);
      if (type) assert.match(res.headers.get('content-type'), type, `${url} content-type`);
      assert.equal(res.headers.get('cache-control'), cache, `${url} cache-control`);
      // The header policy is the project's policy (scripts/security-headers.mjs) with
      // this site's frame-ancestors, on every answer, errors included.
      assert.equal(res.headers.get('content-security-policy'), cspHeader(ancestors), `${url} CSP`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', url);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', url);
      assert.equal(res.headers.get('permissions-policy'), permissionsPolicy, url);
      for (const [name, value] of Object.entries(securityHeaders(ancestors)))
        assert.equal(res.headers.get(name), value, `${url} ${name}`);
      assert.equal(res.headers.get('server'), 'nginx', `${url}: no version in the Server header`);
      await res.arrayBuffer();
    }
    const csp = cspHeader(ancestors);
    assert.match(csp, /(^|; )default-src 'none'(;|$)/);
    assert.match(csp, /(^|; )script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.match(csp, /(^|; )require-trusted-types-for 'script'; trusted-types mtorcalc(;|$)/);
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|https?:\/\/(?!127\.0\.0\.1)/);
    assert.equal((await fetch(`${app}/`, { method: 'POST' })).status, 405);
  });

  await t.test('an allowed intranet page embeds and uses it; another origin cannot', async () => {
    const browser = await launch();
    try {
      const page = await browser.page();
      const refusals = [];
      page.on('console', (m) => /frame-ancestors/.test(m.text()) && refusals.push(m.text()));

      // Allowed: the iframe loads in embed mode and computes.
      await page.goto(`${allowed}/`);
      const frame = page.frames().find((f) => f.url().startsWith(`${app}/`));
      assert.ok(frame, 'the calculator frame exists');
      await engineReady(frame);
      const res = JSON.parse(await frame.evaluate((req) => window.mtorCalc.evaluate(JSON.stringify(req)), fullCase));
      assert.equal(res.status, 'ok');
      assert.equal(res.regimen.drug, 'everolimus');
      assert.equal(await frame.evaluate(() => new URLSearchParams(location.search).get('embed')), '1');
      // Let its service worker settle, so the refused case below is also
      // tried with the app's own worker in place.
      await frame.evaluate(() => navigator.serviceWorker?.ready.then(() => true));
      assert.deepEqual(refusals, []);

      // Not allowed: the browser refuses to show it.
      await page.goto(`${denied}/`);
      for (let i = 0; i < 100 && !refusals.some((m) => m.includes(app)); i++) await page.waitForTimeout(100);
      const blocked = page.frames().find((f) => f !== page.mainFrame());
      assert.ok(blocked, 'the iframe element is there');
      const usable = await blocked.evaluate(() => Boolean(window.mtorCalc)).catch(() => false);
      assert.equal(usable, false, 'a page on another origin must not get a working calculator');
      assert.ok(!blocked.url().startsWith(`${app}/`) || refusals.length > 0, `frame at ${blocked.url()}`);
      assert.ok(refusals.some((m) => m.includes(app)), `the browser names frame-ancestors: ${refusals.join(' | ')}`);

      // And every request stayed on loopback.
      const off = browser.requests.map((r) => r.url).filter((u) => !/^http:\/\/127\.0\.0\.1:\d+\//.test(u));
      assert.deepEqual(off, []);
      assert.deepEqual(appEgress(browser.trap.hits), []);
    } finally {
      await browser.close();
    }
  });
});
