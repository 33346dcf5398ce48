/**
 * The CLI fits Unix pipes: the whole report reaches a slow reader, `| head` ends quietly with exit 0
 * (EPIPE is the reader's choice, not an error), and every wrong input is named with exit 2.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../transport/helpers';
import { CLI, cli, ensureBuilt } from './helpers';
import { hostileBundle } from './hostile';

let dir: string;
let bundle: string;
before(() => {
  ensureBuilt();
  dir = tempDir('il-pipes-');
  bundle = hostileBundle(join(dir, 'bundle'), { mailLines: 4000 });
});

const at = ['--at', '2025-01-15 22:20'];
const sh = (script: string) => spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, CLI, BUNDLE: bundle, OUT: join(dir, 'out.json') } });

test('a reader that sleeps before reading gets the whole JSON (far more than a pipe buffer)', () => {
  const r = sh(`set -o pipefail; node "$CLI" diagnose --root "$BUNDLE" --at "2025-01-15 22:20" --format json | { sleep 2; cat > "$OUT"; }; echo "status=$?" >&2`);
  assert.match(r.stderr, /status=0/, r.stderr);
  const text = readFileSync(join(dir, 'out.json'), 'utf8');
  assert.ok(text.length > 256 * 1024, `only ${text.length} bytes`);
  const d = JSON.parse(text);
  assert.ok(d.sources.find((s: { id: string }) => s.id === 'mail_log').events.length > 1000);
});

test('| head -1 ends quietly: exit 0, nothing on stderr but progress', () => {
  for (const format of ['json', 'text', 'markdown']) {
    const r = sh(`node "$CLI" diagnose --root "$BUNDLE" --at "2025-01-15 22:20" --format ${format} | head -1; echo "status=\${PIPESTATUS[0]}" >&2`);
    assert.match(r.stderr, /status=0/, r.stderr);
    assert.doesNotMatch(r.stderr, /EPIPE|Error|at .*\.js/, r.stderr);
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 1);
  }
});

test('every wrong input is named on one line with exit 2', () => {
  const file = join(dir, 'not-a-folder');
  writeFileSync(file, 'x');
  mkdirSync(join(dir, 'empty'), { recursive: true });
  const host = ['--host', 'deploy@127.0.0.1:1'];
  const cases: [string[], RegExp][] = [
    [['diagnose', '--root', join(dir, 'nope'), ...at], /--root .*nope: no such folder — give the folder written by `incident-lens collect --out`/],
    [['diagnose', '--root', file, ...at], /not a folder/],
    [['diagnose', '--root', join(dir, 'empty'), ...at], /not a bundle/],
    [['diagnose', ...host, ...at, '--identity', join(dir, 'missing_key')], /--identity .*missing_key: no such file — give a private key file/],
    [['diagnose', ...host, ...at, '--identity', dir], /--identity .*: is a folder/],
    [['diagnose', ...host, ...at, '--identity', file], /--identity .*: not a private key/],
    [['diagnose', '--root', bundle, ...at, '--format', 'xml'], /--format must be json, markdown or text/],
    [['analyze', join(dir, 'views.py'), '--format', 'xml'], /unknown format "xml"/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], re);
    assert.equal(r.stdout, '');
  }
});
