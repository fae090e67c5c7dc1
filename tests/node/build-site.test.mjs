// scripts/build-site.mjs on a tiny made-up page and engine: hashed names,
// rewritten references (HTML, JS imports, CSS url(), manifest icons, the
// engine's wasm), the CSP <meta>, the module preload links, the precache list,
// the precompressed copies, determinism.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cspMeta } from '../../scripts/security-headers.mjs';

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
<script type="module" src="app.js"></script></head><body><a href="#x">x</a><p>app.js is named in text</p></body></html>`);
  write(path.join(web, 'app.js'), `import { f } from './lib/util.js';\nimport create from './mtorcalc-web.mjs';\nf(create);\n`);
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
    for (const f of files.filter((f) => f !== 'sw.js' && !/\.(br|gz)$/.test(f))) assert.ok(sw.includes(`"${f}"`), `sw.js precaches ${f}`);
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
    write(path.join(web, 'lib/util.js'), `export const f = (x) => x; // UTIL_COMMENT\nimport './cyc-a.js';\n`);
    write(path.join(web, 'lib/cyc-a.js'), `import './cyc-b.js';\nexport const a = 'CYC_A_MARK';\nconsole.log(a);\n`);
    write(path.join(web, 'css/style.css'), `body {\n  background: url(../img/dot.png);\n  /* CSS_COMMENT */\n  color : red ;\n}\n`);
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
    for (const f of files.filter((f) => f !== 'sw.js' && !/\.(br|gz)$/.test(f))) assert.ok(sw.includes(`"${f}"`), `sw.js precaches ${f}`);
    const again = path.join(dir, 'again');
    build(web, wasm, again);
    for (const f of files) assert.ok(fs.readFileSync(path.join(again, f)).equals(fs.readFileSync(path.join(out, f))), `${f} is reproducible`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
