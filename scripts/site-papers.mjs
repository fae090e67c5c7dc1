// The papers a hospital's review asks of the built site, written by
// scripts/build-site.mjs:
//   licenses.txt              LICENSE, then THIRD_PARTY_NOTICES.md: the
//                             licences of everything the site ships (linked
//                             from the page's About section, and precached:
//                             an installed offline copy keeps its notices);
//   sbom.cdx.json             a CycloneDX SBOM of what the site is made of:
//                             the wasm's own components (nlohmann/json from
//                             its header, Emscripten from `emcc --version`
//                             with the libc++/libc++abi/compiler-rt/libunwind/
//                             musl/dlmalloc copies it links) and every npm
//                             package bundled into the site, versions from
//                             package-lock.json;
//   .well-known/security.txt  RFC 9116: where to report a vulnerability, with
//                             a contact the hospital fills in, and an expiry.
// The SBOM and security.txt are for reviewers and scanners asking the
// server; the offline app never opens them, so they are not precached.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';

export const notPrecached = ['sbom.cdx.json', '.well-known/security.txt'];

// Site files that keep their names (stable URLs to link and cite).
export const papers = ['licenses.txt', ...notPrecached];

export function writeLicenses(root, site) {
  const own = fs.readFileSync(path.join(root, 'LICENSE'), 'utf8');
  const notices = fs.readFileSync(path.join(root, 'THIRD_PARTY_NOTICES.md'), 'utf8');
  const rule = '='.repeat(78);
  const text = `mtorcalc: licences of the software in this site\n${rule}\n\n${own.trimEnd()}\n\n${rule}\n\n${notices.trimEnd()}\n`;
  fs.writeFileSync(path.join(site, 'licenses.txt'), text);
}

// security.txt expires 364 days after the build (RFC 9116 asks for less
// than a year ahead), so a copy nobody rebuilds stops being trusted by the
// scanners that read it. SOURCE_DATE_EPOCH, if set, is the build time (the
// reproducible-builds convention).
export function writeSecurityTxt(site, epoch = process.env.SOURCE_DATE_EPOCH) {
  const built = epoch ? new Date(Number(epoch) * 1000) : new Date();
  if (Number.isNaN(built.getTime())) throw new Error(`SOURCE_DATE_EPOCH=${epoch}: not a number of seconds`);
  const day = Date.UTC(built.getUTCFullYear(), built.getUTCMonth(), built.getUTCDate());
  const expires = new Date(day + 364 * 86400e3);
  const text = [
    '# mtorcalc: where to report a security problem with this copy of the site.',
    '# The hospital hosting it replaces the Contact line with its own security',
    '# team (mailto: or https: on its intranet) before deploying, and rebuilds',
    '# before the Expires date. Format: RFC 9116.',
    'Contact: mailto:security@hospital.invalid',
    `Expires: ${expires.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    'Preferred-Languages: en',
    '',
  ].join('\n');
  fs.mkdirSync(path.join(site, '.well-known'), { recursive: true });
  fs.writeFileSync(path.join(site, '.well-known', 'security.txt'), text);
}

// ---- the wasm's components -----------------------------------------------------
const onPath = (cmd) => {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    if (dir && fs.existsSync(p)) return p;
  }
  throw new Error(`${cmd} is not on PATH: the SBOM takes the Emscripten version from it`);
};

// Emscripten's version, and those of the library copies it links into the
// wasm (system/lib/*: each says which upstream release it is). The list is
// what wasm-ld links for this project's flags (`em++ -v` at the link shows
// -lembind-rtti -lc -ldlmalloc -lcompiler_rt -lc++-except -lc++abi-except
// -lunwind-except): another allocator or exception model changes it. Asked
// once per build (emcc starts slowly).
let emscripten;
export function emscriptenComponents() {
  emscripten ??= readEmscripten();
  return emscripten;
}
function readEmscripten() {
  const emcc = onPath('emcc');
  const banner = execFileSync(emcc, ['--version'], { encoding: 'utf8' }).split('\n')[0];
  const version = /\)\s+(\d+\.\d+\.\d+)/.exec(banner)?.[1];
  if (!version) throw new Error(`emcc --version: no version in "${banner}"`);
  const lib = path.join(path.dirname(fs.realpathSync(emcc)), 'system', 'lib');
  const read = (rel, pattern) => {
    const m = pattern.exec(fs.readFileSync(path.join(lib, rel), 'utf8'));
    if (!m) throw new Error(`${path.join(lib, rel)}: no version found`);
    return m[1];
  };
  const release = /release (\d+\.\d+\.\d+)/;
  const llvm = 'Apache-2.0 WITH LLVM-exception';
  const parts = [
    ['libc++', read('libcxx/readme.txt', release), llvm, 'pkg:github/llvm/llvm-project', 'LLVM C++ standard library'],
    ['libc++abi', read('libcxxabi/readme.txt', release), llvm, 'pkg:github/llvm/llvm-project', 'LLVM C++ ABI library'],
    ['compiler-rt', read('compiler-rt/readme.txt', release), llvm, 'pkg:github/llvm/llvm-project', 'LLVM compiler runtime builtins'],
    ['libunwind', read('libunwind/readme.txt', release), 'MIT OR NCSA', 'pkg:github/llvm/llvm-project', 'unwinder for wasm exception handling'],
    ['musl', read('libc/musl/VERSION', /^(\d+\.\d+\.\d+)/), 'MIT', 'pkg:generic/musl', 'C library'],
    ['dlmalloc', read('dlmalloc.c', /Version (\d+\.\d+\.\d+)/), 'CC0-1.0', 'pkg:generic/dlmalloc', 'memory allocator'],
  ];
  return {
    type: 'framework',
    'bom-ref': 'emscripten',
    name: 'emscripten',
    version,
    description: 'Emscripten runtime: the JavaScript glue, embind and the system libraries linked into the wasm',
    licenses: [{ expression: 'MIT OR NCSA' }],
    purl: `pkg:github/emscripten-core/emscripten@${version}`,
    components: parts.map(([name, v, licence, purl, what]) => ({
      type: 'library',
      'bom-ref': `emscripten/${name}`,
      name,
      version: v,
      description: `${what} (Emscripten's copy, compiled into the wasm)`,
      licenses: [licence.includes(' ') ? { expression: licence } : { license: { id: licence } }],
      purl: `${purl}@${v}`,
    })),
  };
}

// nlohmann/json's version from the header the wasm was compiled with: the
// wasm build's copy (CMake puts it in <build>/nlohmann-only beside the web
// output), else the system's.
export function nlohmannComponent(wasmDir) {
  const dirs = [path.resolve(wasmDir, '..', 'nlohmann-only'), '/usr/include', '/usr/local/include'];
  const dir = dirs.find((d) => fs.existsSync(path.join(d, 'nlohmann', 'json.hpp')));
  if (!dir) throw new Error(`nlohmann/json.hpp not found in ${dirs.join(', ')}`);
  const version = ['json.hpp', 'detail/abi_macros.hpp'].map((f) => path.join(dir, 'nlohmann', f)).filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f, 'utf8'))
    .map((t) => ['MAJOR', 'MINOR', 'PATCH'].map((k) => new RegExp(`#define NLOHMANN_JSON_VERSION_${k} (\\d+)`).exec(t)?.[1]))
    .find((v) => v.every(Boolean));
  if (!version) throw new Error(`${dir}/nlohmann: no NLOHMANN_JSON_VERSION_* defines`);
  const v = version.join('.');
  return {
    type: 'library',
    'bom-ref': 'nlohmann/json',
    group: 'nlohmann',
    name: 'json',
    version: v,
    description: 'JSON for Modern C++ (header-only), compiled into the wasm',
    licenses: [{ license: { id: 'MIT' } }],
    purl: `pkg:github/nlohmann/json@v${v}`,
  };
}

// ---- npm packages ------------------------------------------------------------
// The npm packages a bundle holds, from the paths of its source files
// (…/node_modules/<name or @scope/name>/…; the innermost node_modules wins).
export function packagesOf(files) {
  const names = new Set();
  for (const f of files) {
    const parts = f.split(/[\\/]/);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0 || at + 1 >= parts.length) continue;
    names.add(parts[at + 1].startsWith('@') ? parts.slice(at + 1, at + 3).join('/') : parts[at + 1]);
  }
  return [...names].sort();
}

// The service worker's bundled packages: workbox-build writes sw.js.map when
// asked for a source map; its sources name them. The map and the line naming
// it are then removed (the site ships no source maps).
export function takeSwPackages(site) {
  const map = path.join(site, 'sw.js.map');
  const { sources } = JSON.parse(fs.readFileSync(map, 'utf8'));
  fs.rmSync(map);
  const sw = path.join(site, 'sw.js');
  fs.writeFileSync(sw, fs.readFileSync(sw, 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+/g, '').trimEnd() + '\n');
  return packagesOf(sources);
}

// "/*! … */" naming the bundled packages, their licence and licenses.txt, to
// put before the bundle (the minifier drops the notices in their sources).
export function banner(root, names) {
  const lock = readLock(root);
  const byVersion = new Map();
  for (const n of names) {
    const e = lockEntry(lock, n);
    const key = `${e.version} (${e.license || 'see licenses.txt'})`;
    byVersion.set(key, [...(byVersion.get(key) || []), n]);
  }
  return `/*! ${[...byVersion].map(([v, ns]) => `${ns.join(', ')} ${v}`).join('; ')}. Licences: licenses.txt */\n`;
}

const readLock = (root) => JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
function lockEntry(lock, name) {
  const e = lock.packages?.[`node_modules/${name}`];
  if (!e || !e.version) throw new Error(`package-lock.json has no node_modules/${name}: the SBOM cannot name its version`);
  return e;
}

function npmComponent(lock, name, scope) {
  const e = lockEntry(lock, name);
  const c = {
    type: 'library',
    'bom-ref': `npm:${name}@${e.version}`,
    name,
    version: e.version,
    scope,
    purl: `pkg:npm/${name.replace(/^@/, '%40')}@${e.version}`,
  };
  if (e.license) c.licenses = [{ license: { id: e.license } }];
  const sri = /^sha512-(.+)$/.exec(e.integrity || '');
  if (sri) c.hashes = [{ alg: 'SHA-512', content: Buffer.from(sri[1], 'base64').toString('hex') }];
  return c;
}

// A name-based (version 5) UUID, so the same site gets the same serial number.
function uuid5(name) {
  const ns = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex'); // the URL namespace
  const h = crypto.createHash('sha1').update(ns).update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

// bundled: npm package names whose code is in the site; tools: npm packages
// that only transformed it at build time (listed as the SBOM's tools).
export function writeSbom({ root, site, wasmDir, buildId, bundled, tools }) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lock = readLock(root);
  const app = {
    type: 'application',
    'bom-ref': pkg.name,
    name: pkg.name,
    version: `${pkg.version}+${buildId}`,
    description: pkg.description,
    licenses: [{ license: { id: pkg.license } }],
  };
  const components = [nlohmannComponent(wasmDir), emscriptenComponents(), ...bundled.map((n) => npmComponent(lock, n, 'required'))];
  const body = {
    metadata: {
      tools: { components: tools.map((n) => ({ ...npmComponent(lock, n, undefined), type: 'application' })) },
      component: app,
    },
    components,
    dependencies: [{ ref: app['bom-ref'], dependsOn: components.map((c) => c['bom-ref']) }],
  };
  const sbom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${uuid5(JSON.stringify(body))}`,
    version: 1,
    ...body,
  };
  fs.writeFileSync(path.join(site, 'sbom.cdx.json'), JSON.stringify(sbom, null, 2) + '\n');
  return sbom;
}
