// Assembles the static site from web/ and the web wasm build.
// Usage: node scripts/build-site.mjs --wasm build/wasm/web --out build/site
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const wasmDir = path.resolve(root, opt('--wasm', 'build/wasm/web'));
const site = path.resolve(root, opt('--out', 'build/site'));

fs.rmSync(site, { recursive: true, force: true });
fs.mkdirSync(site, { recursive: true });
fs.cpSync(path.join(root, 'web'), site, { recursive: true });
for (const f of ['mtorcalc-web.mjs', 'mtorcalc-web.wasm'])
  fs.copyFileSync(path.join(wasmDir, f), path.join(site, f));
console.log(`site assembled in ${path.relative(root, site)}`);
