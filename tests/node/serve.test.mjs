// scripts/serve.mjs, the local server the README's ./scripts/serve and the
// browser tests use: undecodable paths and NUL bytes are the client's error
// (400), never a crash, and the server keeps answering afterwards.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../scripts/serve.mjs';
import { securityHeaders } from '../../scripts/security-headers.mjs';

// A raw request line, so that the path reaches the server exactly as written.
const raw = (port, target) =>
  new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    s.on('data', (d) => (data += d));
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
const status = (response) => Number(response.split(' ')[1]);

test('serve.mjs answers 400 to undecodable paths and keeps serving', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mtorcalc-serve-'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
  const server = await startServer({ root });
  t.after(() => {
    server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const { port } = server.address();
  for (const target of ['/%00', '/index.html%00', '/%00/x', '/%', '/%zz', '/%c3%28', '/%ED%A0%80']) {
    const response = await raw(port, target);
    assert.equal(status(response), 400, `${target}: ${response.split('\r\n')[0]}`);
    assert.match(response, /content-security-policy: default-src 'none'/i, `${target} carries the headers`);
  }
  const ok = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(ok.status, 200);
  for (const [name, value] of Object.entries(securityHeaders())) assert.equal(ok.headers.get(name), value, name);
  assert.equal((await fetch(`http://127.0.0.1:${port}/nothing`)).status, 404);
});
