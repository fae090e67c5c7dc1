// scripts/build-site.mjs on a tiny made-up page and engine: hashed names,
// rewritten references (HTML, JS imports, CSS url(), manifest icons, the
// engine's wasm), the CSP <meta>, the module preload links, the precache list,
// the precompressed copies, determinism, kept legal comments; and the papers
// of the real built site (licenses.txt, the SBOM, security.txt).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cspMeta } from '../../scripts/security-headers.mjs';
import { notPrecached } from '../../scripts/site-papers.mjs';
import { startServer } from '../../scripts/serve.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const write = (file, text) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

function fixture(dir) {
  const web = path.join(dir, 'web');
  const wasm = path.join(dir, 'wasm');
  write(path.join(web, 'index.html'), `<!doctype html><html lang="en"><head>
<meta charset="utf-8"><title>t</title><link rel="stylesheet" href="css/style.css">
<script type="module" src="app.js"></script></head><body><a href="#x">x</a><p>app.js is named in text</p><a href="licenses.txt">l</a></body></html>`);
  write(path.join(web, 'app.js'), `import { f } from './lib/util.js';\nimport create from './mtorcalc-web.mjs';\nf(create);\nexport const config = 'embed.json';\n`);
  // A deployment's embed.json left in web/ by mistake: never built in.
  write(path.join(web, 'embed.json'), '{"allowed_parent_origins": ["https://intranet.example"]}');
  write(path.join(web, 'lib/util.js'), `export const f = (x) => x;\nimport './cyc-a.js';\n`);
  // two modules importing each other: they keep their names
  write(path.join(web, 'lib/cyc-a.js'), `import './cyc-b.js';\n`);
  write(path.join(web, 'lib/cyc-b.js'), `import './cyc-a.js';\n`);
  write(path.join(web, 'css/style.css'), `body { background: url(../img/dot.png); }\n`);
  write(path.join(web, 'img/dot.png'), 'not really a png');
  write(path.join(web, 'notes.txt'), 'referenced by nobody');
  write(path.join(web, 'pwa.js'), `const BUILD = '__MTORCALC_BUILD__'; export default BUILD;\n`);
  fs.copyFileSync(path.join(repo, 'web/manifest.webmanifest'), path.join(web, 'manifest.webmanifest'));
  write(path.join(wasm, 'mtorcalc-web.mjs'),
    `var f="mtorcalc-web.wasm";var u=new URL("mtorcalc-web.wasm",import.meta.url);export default function(){}\n`);
  write(path.join(wasm, 'mtorcalc-web.wasm'), '\0asm fake');
  return { web, wasm };
}

const build = (web, wasm, out, ...more) =>
  execFileSync(process.execPath, [path.join(repo, 'scripts/build-site.mjs'), '--web', web, '--wasm', wasm, '--out', out, ...more], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });

// The built site: its files ('/'-separated paths), the one file matching a
// pattern (asserted unique), and a file's text.
function builtSite(out) {
  const files = [];
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) =>
    e.isDirectory() ? walk(path.join(d, e.name)) : files.push(path.relative(out, path.join(d, e.name)).split(path.sep).join('/')));
  walk(out);
  const find = (re) => {
    const hit = files.filter((f) => re.test(f));
    assert.equal(hit.length, 1, `one file matching ${re}: ${files.join(' ')}`);
    return hit[0];
  };
  const read = (f) => fs.readFileSync(path.join(out, f), 'utf8');
  return { files, find, read };
}

// The papers every built site carries (scripts/site-papers.mjs): licenses.txt
// (LICENSE, then THIRD_PARTY_NOTICES.md), a CycloneDX SBOM naming the wasm's
// components and every npm package bundled into the site, and a security.txt
// with a contact and an expiry. Returns the SBOM's components, nested ones
// included.
function checkPapers(files, read) {
  assert.ok(files.includes('licenses.txt'), 'the site has licenses.txt');
  const licences = read('licenses.txt');
  for (const f of ['LICENSE', 'THIRD_PARTY_NOTICES.md'])
    assert.ok(licences.includes(fs.readFileSync(path.join(repo, f), 'utf8').trim()), `licenses.txt holds ${f}`);

  const sbom = JSON.parse(read('sbom.cdx.json'));
  assert.equal(sbom.bomFormat, 'CycloneDX');
  assert.equal(sbom.specVersion, '1.5');
  assert.match(sbom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const all = [];
  const flatten = (cs) => cs.forEach((c) => { all.push(c); flatten(c.components || []); });
  flatten(sbom.components);
  const named = (name, group) => all.find((c) => c.name === name && c.group === group);
  const release = /^\d+\.\d+\.\d+$/;
  assert.match(named('json', 'nlohmann')?.version ?? 'absent', release, 'the SBOM lists nlohmann/json');
  const emcc = /\) (\d+\.\d+\.\d+)/.exec(execFileSync('emcc', ['--version'], { encoding: 'utf8' }))[1];
  assert.equal(named('emscripten')?.version, emcc, 'the SBOM lists emscripten at the version emcc reports');
  for (const lib of ['libc++', 'libc++abi', 'musl']) assert.match(named(lib)?.version ?? 'absent', release, `the SBOM lists ${lib}`);
  // Every npm package bundled into the site: Workbox's modules leave a
  // "workbox:<module>:<version>" marker in the code they are bundled into.
  const lock = JSON.parse(fs.readFileSync(path.join(repo, 'package-lock.json'), 'utf8')).packages;
  const bundled = new Set(files.filter((f) => f.endsWith('.js'))
    .flatMap((f) => [...read(f).matchAll(/workbox:([a-z-]+):\d/g)].map((m) => `workbox-${m[1]}`)));
  assert.ok(bundled.has('workbox-precaching'), `the service worker carries the Workbox runtime: ${[...bundled]}`);
  for (const name of bundled) {
    const c = named(name);
    assert.ok(c, `the SBOM lists ${name}, bundled into the site`);
    assert.equal(c.version, lock[`node_modules/${name}`].version, `${name}: the lockfile's version`);
    assert.equal(c.purl, `pkg:npm/${name}@${c.version}`);
  }
  assert.deepEqual(sbom.dependencies[0].dependsOn, sbom.components.map((c) => c['bom-ref']));

  const security = read('.well-known/security.txt');
  assert.match(security, /^Contact: (mailto:|https:\/\/)\S+$/m);
  const expires = Date.parse(/^Expires: (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$/m.exec(security)?.[1]);
  assert.ok(expires > Date.now() && expires < Date.now() + 366 * 86400e3, 'security.txt expires within the coming year');
  return all;
}

// Hashing, rewriting, preloads and the precache list on the files as they
// are (--no-bundle: no bundling, no minifying, so each module stays a file).
test('build-site hashes, rewrites and precaches every file', { timeout: 180000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mtorcalc-site-'));
  try {
    const { web, wasm } = fixture(dir);
    const out = path.join(dir, 'site');
    build(web, wasm, out, '--no-bundle');
    const { files, find, read } = builtSite(out);
    const app = find(/^app\.[0-9a-f]{8}\.js$/);
    const util = find(/^lib\/util\.[0-9a-f]{8}\.js$/);
    const css = find(/^css\/style\.[0-9a-f]{8}\.css$/);
    const png = find(/^img\/dot\.[0-9a-f]{8}\.png$/);
    const engine = find(/^mtorcalc-web\.[0-9a-f]{8}\.js$/); // .mjs becomes .js
    const wasmFile = find(/^mtorcalc-web\.[0-9a-f]{8}\.wasm$/);
    const manifest = find(/^manifest\.[0-9a-f]{8}\.webmanifest$/);
    const pwa = find(/^pwa\.[0-9a-f]{8}\.js$/);
    find(/^icons\/icon-192\.[0-9a-f]{8}\.png$/);
    find(/^icons\/maskable-512\.[0-9a-f]{8}\.png$/);
    assert.ok(files.includes('notes.txt'), 'a file nothing refers to keeps its name');
    assert.ok(files.includes('lib/cyc-a.js') && files.includes('lib/cyc-b.js'), 'a reference cycle keeps its names');
    assert.ok(files.includes('sw.js') && files.includes('index.html'));
    assert.ok(!files.some((f) => /^(app|pwa)\.js$|\.mjs$/.test(f)), 'no unhashed copy is left behind');
    assert.ok(read(util).includes(`'./cyc-a.js'`));
    assert.ok(!files.some((f) => /embed/.test(f)), 'embed.json is not part of the site');
    assert.ok(read(app).includes(`'embed.json'`), 'its name in the page is not rewritten');

    const html = read('index.html');
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${cspMeta()}">`));
    assert.ok(html.indexOf('<meta charset') < html.indexOf('Content-Security-Policy'), 'charset stays first');
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<link'), 'the CSP comes before what it governs');
    for (const ref of [`src="${app}"`, `href="${css}"`, `href="${manifest}"`, `src="${pwa}"`, 'href="#x"', '<p>app.js is named in text</p>'])
      assert.ok(html.includes(ref), `index.html has ${ref}`);
    // Preloads: every module the page's scripts import (not the scripts
    // themselves), by their final names, right after the CSP; not the wasm
    // (fetched after the first paint).
    const preloads = [...html.matchAll(/<link rel="(?:module)?preload"[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(preloads, [util, engine, 'lib/cyc-a.js', 'lib/cyc-b.js'].map((f) => `<link rel="modulepreload" href="${f}">`));
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('rel="modulepreload"'), 'the CSP comes before the preloads');
    assert.ok(read(app).includes(`'./${util}'`) && read(app).includes(`'./${engine}'`), read(app));
    assert.ok(read(css).includes(`url(../${png})`));
    assert.equal((read(engine).match(new RegExp(`"${wasmFile}"`, 'g')) || []).length, 2, 'both wasm names rewritten');
    assert.ok(JSON.parse(read(manifest)).icons.every((i) => files.includes(i.src)), 'manifest icons point at files');
    assert.match(read(pwa), /const BUILD = '[0-9a-f]{8}'/);

    const sw = read('sw.js');
    for (const f of files.filter((f) => f !== 'sw.js' && !notPrecached.includes(f) && !/\.(br|gz)$/.test(f))) assert.ok(sw.includes(`"${f}"`), `sw.js precaches ${f}`);
    for (const f of notPrecached) assert.ok(files.includes(f) && !sw.includes(`"${f}"`), `${f} is in the site, not precached`);
    assert.ok(html.includes('<a href="licenses.txt">'), 'licenses.txt keeps its name');
    assert.doesNotMatch(sw, /embed\.json/, 'embed.json is not precached');
    assert.doesNotMatch(sw, /\.(br|gz)"/, 'the compressed copies are not precached');
    // Every file that compresses has its .br and .gz copy beside it, the
    // same bytes once decompressed (a file of a few bytes does not compress).
    assert.ok(files.includes('index.html.br') && files.includes('sw.js.gz'));
    for (const f of files.filter((x) => !/\.(br|gz)$/.test(x))) {
      const raw = fs.readFileSync(path.join(out, f));
      if (zlib.gzipSync(raw, { level: 9 }).length >= raw.length * 0.95) {
        assert.ok(!files.includes(`${f}.br`) && !files.includes(`${f}.gz`), `${f} has no copy that saves nothing`);
        continue;
      }
      assert.ok(zlib.brotliDecompressSync(fs.readFileSync(path.join(out, `${f}.br`))).equals(raw), `${f}.br`);
      assert.ok(zlib.gunzipSync(fs.readFileSync(path.join(out, `${f}.gz`))).equals(raw), `${f}.gz`);
    }
    assert.doesNotMatch(sw, /importScripts|https?:\/\/(?!bit\.ly\/wb-precache)/, 'the workbox runtime is inlined, nothing is fetched from elsewhere');

    // The same inputs give the same site, byte for byte.
    const again = path.join(dir, 'again');
    build(web, wasm, again, '--no-bundle');
    for (const f of files) assert.ok(fs.readFileSync(path.join(again, f)).equals(fs.readFileSync(path.join(out, f))), `${f} is reproducible`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// The default build: each page script becomes one minified bundle of the
// modules only it imports; the engine glue and modules shared by several
// scripts stay files of their own; CSS is minified; everything is hashed,
// referenced by its final name and precached, reproducibly.
test('build-site bundles and minifies the page scripts', { timeout: 180000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mtorcalc-site-'));
  try {
    const { web, wasm } = fixture(dir);
    // a second page script sharing a module with app.js, and a worker
    write(path.join(web, 'index.html'), fs.readFileSync(path.join(web, 'index.html'), 'utf8')
      .replace('<script type="module" src="app.js"></script>', '<script type="module" async src="early.js"></script>\n<script type="module" src="app.js"></script>'));
    write(path.join(web, 'early.js'), `import { shared } from './lib/shared.js';\nimport create from './mtorcalc-web.mjs';\nconst w = new URL('./work.js', import.meta.url);\nexport const early = [shared, create, w];\n`);
    write(path.join(web, 'lib/shared.js'), `export const shared = 'SHARED_MARK';\n`);
    write(path.join(web, 'work.js'), `import { g } from './lib/worker-only.js';\npostMessage(g('WORKER_MARK'));\n`);
    write(path.join(web, 'lib/worker-only.js'), `export const g = (x) => [x, 'WORKER_ONLY_MARK'];\n`);
    write(path.join(web, 'app.js'), `import { f } from './lib/util.js';\nimport { shared } from './lib/shared.js';\nimport { early } from './early.js';\n` +
      `export function longFunctionName(someArgument) { return f(someArgument) + shared + early.length; }\nlongFunctionName(1);\n`);
    write(path.join(web, 'lib/util.js'), `/*! LEGAL_MARK */\nexport const f = (x) => x; // UTIL_COMMENT\nimport './cyc-a.js';\nimport 'workbox-expiration/_version.js';\n`);
    write(path.join(web, 'lib/cyc-a.js'), `import './cyc-b.js';\nexport const a = 'CYC_A_MARK';\nconsole.log(a);\n`);
    write(path.join(web, 'css/style.css'), `/*! CSS_LEGAL_MARK */\nbody {\n  background: url(../img/dot.png);\n  /* CSS_COMMENT */\n  color : red ;\n}\n`);
    // the repository's npm packages, for the page's bare import above
    fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const out = path.join(dir, 'site');
    build(web, wasm, out);
    const { files, find, read } = builtSite(out);
    const app = find(/^app\.[0-9a-f]{8}\.js$/);
    const early = find(/^early\.[0-9a-f]{8}\.js$/);
    const work = find(/^work\.[0-9a-f]{8}\.js$/);
    const shared = find(/^lib\/shared\.[0-9a-f]{8}\.js$/);
    const engine = find(/^mtorcalc-web\.[0-9a-f]{8}\.js$/);
    const wasmFile = find(/^mtorcalc-web\.[0-9a-f]{8}\.wasm$/);
    const css = find(/^css\/style\.[0-9a-f]{8}\.css$/);
    const png = find(/^img\/dot\.[0-9a-f]{8}\.png$/);
    const pwa = find(/^pwa\.[0-9a-f]{8}\.js$/);
    // modules imported by one entry only are inside it and gone from the site
    assert.ok(!files.some((f) => /^lib\/(util|cyc-a|cyc-b|worker-only)/.test(f)), files.join(' '));
    assert.ok(!files.some((f) => /^(app|pwa|early|work)\.js$|\.mjs$/.test(f)), 'no unhashed copy is left behind');
    assert.ok(read(app).includes('CYC_A_MARK') && read(work).includes('WORKER_MARK') && read(work).includes('WORKER_ONLY_MARK'));
    // minified: no comments, no long local names, no indentation
    for (const f of [app, early, work, shared, engine, pwa]) assert.doesNotMatch(read(f), /UTIL_COMMENT|someArgument|\n {2}/, f);
    assert.doesNotMatch(read(css), /CSS_COMMENT|color : red/);
    assert.ok(read(css).includes(`url(../${png})`));
    // kept files are imported by their final names, not copied
    assert.ok(read(app).includes(`./${early}`) && read(app).includes(`./${shared}`) && !read(app).includes('SHARED_MARK'));
    assert.ok(read(early).includes(`./${shared}`) && read(early).includes(`./${engine}`) && read(early).includes(`./${work}`));
    // (minifying drops the fixture glue's unused variable; the URL stays, rewritten)
    assert.ok(read(engine).includes(`new URL("${wasmFile}",import.meta.url)`) && !read(engine).includes('"mtorcalc-web.wasm"'), read(engine));
    const html = read('index.html');
    for (const ref of [`src="${app}"`, `src="${early}"`, `src="${pwa}"`, `href="${css}"`]) assert.ok(html.includes(ref), `index.html has ${ref}`);
    const preloads = [...html.matchAll(/<link rel="(?:module)?preload"[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(preloads, [shared, engine].map((f) => `<link rel="modulepreload" href="${f}">`));
    const sw = read('sw.js');
    for (const f of files.filter((f) => f !== 'sw.js' && !notPrecached.includes(f) && !/\.(br|gz)$/.test(f))) assert.ok(sw.includes(`"${f}"`), `sw.js precaches ${f}`);
    // Legal comments survive bundling and minifying; the engine glue and the
    // service worker name what they carry and where its licence is.
    assert.ok(read(app).includes('/*! LEGAL_MARK */') && read(css).includes('/*! CSS_LEGAL_MARK */'), read(app));
    assert.match(read(engine), /^\/\*! Emscripten \d+\.\d+\.\d+ runtime \(MIT OR NCSA\)\. Licences: licenses\.txt \*\//);
    assert.match(sw, /^\/\*! workbox-core, workbox-precaching, workbox-routing, workbox-strategies \d+\.\d+\.\d+ \(MIT\)\. Licences: licenses\.txt \*\//);
    assert.ok(!files.includes('sw.js.map') && !sw.includes('sourceMappingURL'), 'no source map is shipped');
    // An npm package bundled into a page script is in the SBOM too.
    assert.ok(checkPapers(files, read).some((c) => c.name === 'workbox-expiration'), 'the page bundle\'s npm package is in the SBOM');
    assert.ok(fs.existsSync(path.join(repo, 'node_modules/workbox-expiration/_version.js')), 'bundling leaves node_modules alone');
    const again = path.join(dir, 'again');
    build(web, wasm, again);
    for (const f of files) assert.ok(fs.readFileSync(path.join(again, f)).equals(fs.readFileSync(path.join(out, f))), `${f} is reproducible`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// The site scripts/build made: its papers, the About section's link to the
// licences, notices that name every component of the SBOM at its version, and
// scripts/serve.mjs serving the papers with their types.
test('the built site carries its licences, an SBOM and security.txt', async () => {
  const out = path.resolve(repo, process.env.MTORCALC_OUT || 'build', 'site');
  assert.ok(fs.existsSync(path.join(out, 'index.html')), `no site in ${out}: run scripts/build`);
  const { files, read } = builtSite(out);
  const components = checkPapers(files, read);
  const about = /<section id="about"[^]*?<\/section>/.exec(read('index.html'))?.[0] ?? '';
  assert.ok(about.includes('<a href="licenses.txt">'), 'the About section links licenses.txt');
  const notices = fs.readFileSync(path.join(repo, 'THIRD_PARTY_NOTICES.md'), 'utf8').toLowerCase();
  for (const c of components) {
    const name = c.group ? `${c.group}/${c.name}` : c.name;
    assert.ok(notices.includes(name.toLowerCase()) && notices.includes(c.version), `THIRD_PARTY_NOTICES.md names ${name} ${c.version}`);
  }
  const server = await startServer({ root: out });
  try {
    const base = `http://127.0.0.1:${server.address().port}`;
    for (const [url, type] of [['/.well-known/security.txt', 'text/plain; charset=utf-8'], ['/licenses.txt', 'text/plain; charset=utf-8'],
      ['/sbom.cdx.json', 'application/json; charset=utf-8']]) {
      const res = await fetch(base + url);
      assert.equal(res.status, 200, url);
      assert.equal(res.headers.get('content-type'), type, url);
      assert.equal(await res.text(), read(url.slice(1)), url);
    }
  } finally {
    server.close();
  }
});
