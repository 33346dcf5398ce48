// incident-lens analyze / fix: the bundled CLI (dist/cli.js) on copies of the sample app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalysisResult } from '../../src/python/model';
import { ensureBuilt, ROOT } from './lspHarness';
import { checkPython } from './pyHelpers';

const CLI = join(ROOT, 'dist', 'cli.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT });

function copyApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'il-cli-'));
  cpSync(join(ROOT, 'samples', 'aquademie'), dir, { recursive: true, filter: (s) => !s.includes('__pycache__') });
  return dir;
}

test('analyze --format json: file, line, loop kind, batch size, pause, protected', () => {
  ensureBuilt();
  const r = cli('analyze', 'samples/aquademie/gestion/views.py', 'samples/aquademie/gestion/models.py', '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as AnalysisResult[];
  assert.equal(out.length, 2);
  assert.deepEqual(out[1].sends, []);
  const s = out[0].sends[0];
  assert.equal(s.file, 'samples/aquademie/gestion/views.py');
  assert.equal(s.line, 50);
  assert.equal(s.loop.kind, 'for-range');
  assert.equal(s.loop.batchSize, 10);
  assert.equal(s.loop.pause, 3);
  assert.equal(s.protected, false);
  const text = cli('analyze', 'samples/aquademie/gestion/views.py');
  assert.match(text.stdout, /views\.py:50:9: email\.send\(\) in adherents_communiquer — for-range loop line 41, batch 10, pause 3s — UNPROTECTED/);
});

test('fix prints the patched file; --write writes it; logging from views.py patches the project settings', async () => {
  ensureBuilt();
  const dir = copyApp();
  try {
    const views = join(dir, 'gestion', 'views.py');
    const original = readFileSync(views, 'utf8');
    const printed = cli('fix', views, '--fix', 'try-except');
    assert.equal(printed.status, 0, printed.stderr);
    assert.equal(readFileSync(views, 'utf8'), original, 'without --write the file is untouched');
    assert.equal(await checkPython(printed.stdout), '');
    assert.match(printed.stdout, /except \(smtplib\.SMTPException, OSError\):/);

    assert.equal(cli('fix', views, '--fix', 'progress', '--write').status, 0);
    assert.match(readFileSync(views, 'utf8'), /logger\.info\("batch %d\/%d sent to %d recipients"/);
    assert.equal(cli('fix', views, '--fix', 'try-except', '--write').status, 0);
    const both = readFileSync(views, 'utf8');
    assert.equal(await checkPython(both), '');
    assert.equal(cli('fix', views, '--fix', 'try-except').status, 1, 'nothing left to fix');

    assert.equal(cli('fix', views, '--fix', 'logging', '--write').status, 0);
    const settings = readFileSync(join(dir, 'aquademie', 'settings.py'), 'utf8');
    assert.match(settings, /^LOGGING = \{/m);
    assert.equal(await checkPython(settings), '');
    // every wrong input: exit 2 and one line that names it
    for (const [args, said] of [
      [[views, '--fix', 'nope'], /^incident-lens fix: --fix must be one of background-task, .* \(incident-lens fix --help lists the fixes\)\n$/],
      [[join(dir, 'missing.py'), '--fix', 'try-except'], /^incident-lens fix: cannot read .*missing\.py: no such file \(check the path\)\n$/],
    ] as const) {
      const r = cli('fix', ...args);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, said);
    }
    const a = cli('analyze', join(dir, 'missing.py'));
    assert.equal(a.status, 2);
    assert.match(a.stderr, /^incident-lens analyze: cannot read .*missing\.py: no such file \(check the path\)\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
