// The CLI reads at most one byte past the engine's request limit from stdin:
// a huge or endless input is answered with out_of_range at once, in bounded
// memory, instead of being read whole first.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cliPath, cliEvaluate } from './parity-helpers.mjs';

const valid = JSON.stringify({ contract: 'mtor-calc/1', indication: 'rcc' });
const errorsOf = (text) => JSON.parse(text).errors.map((e) => `${e.path}|${e.code}`);

// Runs a shell pipeline feeding the CLI under a 256 MB address-space limit
// (reading 1 GB whole would need it several times over).
function pipeline(source, args = ['evaluate']) {
  const t0 = performance.now();
  const p = spawnSync('bash', ['-c', `ulimit -v 262144; ${source} | "$0" ${args.join(' ')}`, cliPath], {
    maxBuffer: 64 << 20, timeout: 60000,
  });
  return { ...p, ms: performance.now() - t0, stdout: p.stdout.toString('utf8') };
}

test('300 KiB on stdin: out_of_range at "", exit 2', () => {
  const text = valid.slice(0, -1) + ' '.repeat(300 * 1024) + '}';
  const answer = cliEvaluate(Buffer.from(text));
  assert.deepEqual(errorsOf(answer), ['|out_of_range']);
  const p = spawnSync(cliPath, ['evaluate'], { input: text });
  assert.equal(p.status, 2);
});

test('1 GB from /dev/zero through a pipe stops at the limit, quickly and in bounded memory', () => {
  const p = pipeline('head -c 1073741824 /dev/zero');
  assert.equal(p.status, 2, `exit ${p.status} ${p.signal ?? ''} ${p.stderr}`);
  assert.deepEqual(errorsOf(p.stdout), ['|out_of_range']);
  assert.match(JSON.parse(p.stdout).errors[0].message, /request larger than 262144 bytes/);
  // Generous for a loaded machine; reading the whole gigabyte is what fails.
  assert.ok(p.ms < 20000, `took ${p.ms.toFixed(0)} ms`);
});

test('an endless stream is answered too', () => {
  const p = pipeline('cat /dev/zero');
  assert.equal(p.status, 2, `exit ${p.status} ${p.signal ?? ''}`);
  assert.deepEqual(errorsOf(p.stdout), ['|out_of_range']);
});

test('--jsonl: an overlong line is refused and the next line is still answered', () => {
  const p = pipeline(`{ head -c 100000000 /dev/zero | tr '\\0' ' '; printf '\\n%s\\n' '${valid}'; }`, ['evaluate', '--jsonl']);
  assert.equal(p.status, 0, `exit ${p.status} ${p.signal ?? ''} ${p.stderr}`);
  const lines = p.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.deepEqual(errorsOf(lines[0]), ['|out_of_range']);
  assert.equal(lines[1], cliEvaluate(Buffer.from(valid)));
});
