// The Apache and IIS snippets in docs/hosting.md are not run by the tests
// (nginx is: tests/browser/hosting.test.mjs), so their header lines are
// compared here with the project's policy (scripts/security-headers.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { securityHeaders } from '../../scripts/security-headers.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const doc = fs.readFileSync(path.join(repo, 'docs/hosting.md'), 'utf8');
const block = (lang) => {
  const m = doc.match(new RegExp('```' + lang + '\\n([\\s\\S]*?)```'));
  assert.ok(m, `docs/hosting.md has a ${lang} block`);
  return m[1];
};
const expected = securityHeaders("'self' https://intranet.example.org");

test('the Apache snippet sets every security header, Trusted Types and HSTS included', () => {
  const apache = block('apache');
  for (const [name, value] of Object.entries(expected))
    assert.ok(apache.includes(`Header always set ${name} "${value}"`), `Apache: ${name}: ${value}`);
});

test('the IIS snippet sets every security header, Trusted Types and HSTS included', () => {
  const iis = block('xml');
  for (const [name, value] of Object.entries(expected))
    assert.ok(iis.includes(`<add name="${name}" value="${value}" />`), `IIS: ${name}: ${value}`);
});

test('the header table shows the same CSP and HSTS', () => {
  assert.ok(doc.includes('`' + expected['Content-Security-Policy'] + '`'), 'CSP in the table');
  assert.ok(doc.includes('`Strict-Transport-Security` | `max-age=31536000`'), 'HSTS in the table');
});
