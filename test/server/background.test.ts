// The verdict's fix first: on the seed incident (HTTP timeout) the real language server puts "Move the send out of
// the request" first on the send's lens; running it sends a WorkspaceEdit that VS Code previews (needsConfirmation)
// and that creates the job's files; the result compiles. The CLI gives the same through --diagnosis and --fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { CodeLens } from 'vscode-languageserver-protocol/node';
import { evidencePayload } from '../../src/shared/evidence';
import { Commands, DiagnosisChangedNotification, PREVIEW_ANNOTATION, type ApplyFixArgs } from '../../src/shared/protocol';
import type { AnalysisResult } from '../../src/python/model';
import { loadDiagnosis } from './diagnoses';
import { CodeLensRequest, ensureBuilt, ExecuteCommandRequest, ROOT, startServer } from './lspHarness';
import { applyWorkspaceEditToDisk, checkPython } from './pyHelpers';

function copyApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'il-bg-'));
  cpSync(join(ROOT, 'samples', 'aquademie'), join(dir, 'aquademie'), { recursive: true, filter: (s) => !s.includes('__pycache__') });
  return join(dir, 'aquademie');
}

test('seed incident (HTTP timeout): "Move the send out of the request" first on the lens; applied, every file compiles', async () => {
  const app = copyApp();
  const lsp = await startServer('en');
  try {
    const views = join(app, 'gestion', 'views.py');
    const { uri } = await lsp.open(views);
    await lsp.conn.sendNotification(DiagnosisChangedNotification, { evidence: evidencePayload(loadDiagnosis('seed-incident').diagnosis) });
    let lenses: CodeLens[] = [];
    for (let i = 0; i < 200 && !lenses.some((l) => l.command?.command === Commands.revealEvidence); i++) {
      lenses = (await lsp.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
      if (!lenses.some((l) => l.command?.command === Commands.revealEvidence)) await new Promise((r) => setTimeout(r, 20));
    }
    assert.match(lenses[0].command!.title, /^Fix: Move the send out of the request/);
    assert.match(lenses[1].command!.title, /worker timeout/);
    const args = lenses[0].command!.arguments![0] as ApplyFixArgs;
    assert.equal(args.fix, 'background-task');
    const n = lsp.appliedEdits.length;
    const r = (await lsp.conn.sendRequest(ExecuteCommandRequest.type, { command: Commands.applyFix, arguments: [args] })) as { applied: boolean };
    assert.equal(r.applied, true);
    const edit = lsp.appliedEdits[n];
    assert.equal(edit.changeAnnotations?.[PREVIEW_ANNOTATION]?.needsConfirmation, true, 'shown as a refactor preview first');
    const touched = applyWorkspaceEditToDisk(edit);
    // No Celery app in the sample: a management command, its packages, and the systemd units for review.
    const cmd = join(app, 'gestion', 'management', 'commands', 'send_adherents_communiquer.py');
    assert.deepEqual(touched.map((p) => p.slice(app.length + 1)).sort(), [
      'deploy/systemd/aquademie-send-adherents-communiquer.path',
      'deploy/systemd/aquademie-send-adherents-communiquer.service',
      'gestion/management/__init__.py',
      'gestion/management/commands/__init__.py',
      'gestion/management/commands/send_adherents_communiquer.py',
      'gestion/views.py',
    ]);
    for (const f of [views, cmd]) assert.equal(await checkPython(readFileSync(f, 'utf8')), '', f);
    const v = readFileSync(views, 'utf8');
    assert.match(v, /^from \.management\.commands\.send_adherents_communiquer import enqueue as enqueue_send_adherents_communiquer$/m);
    assert.match(v, /\n {4}enqueue_send_adherents_communiquer\(sujet, corps\)\n/);
    assert.doesNotMatch(v, /email\.send\(\)|time\.sleep/, 'the send left the request');
    assert.match(v, /messages\.info\(request, "Envoi programmé en arrière-plan/, 'French app, French message that does not claim a delivery');
    assert.doesNotMatch(v, /Message envoyé à/);
    assert.match(readFileSync(cmd, 'utf8'), /logger\.info\("batch %d\/%d sent to %d recipients", batch_no, batch_total, len\(batch\)\)/);
    assert.match(readFileSync(join(app, 'deploy/systemd/aquademie-send-adherents-communiquer.path'), 'utf8'), /^DirectoryNotEmpty=\/var\/www\/aquademie\/mail_jobs$/m);
  } finally {
    await lsp.stop();
    rmSync(join(app, '..'), { recursive: true, force: true });
  }
});

test('CLI: analyze --diagnosis lists the fixes in the verdict order; fix --fix background-task previews a diff, --write applies', async () => {
  ensureBuilt();
  const app = copyApp();
  try {
    const cli = (...a: string[]) => spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...a], { encoding: 'utf8', cwd: app });
    const order = (name: 'seed-incident' | 'smtp-rate-limit') => {
      const file = join(app, `${name}.json`);
      writeFileSync(file, JSON.stringify(loadDiagnosis(name).diagnosis));
      const r = cli('analyze', 'gestion/views.py', '--diagnosis', file, '--format', 'json');
      assert.equal(r.status, 0, r.stderr);
      return (JSON.parse(r.stdout) as AnalysisResult[])[0].sends[0].fixes;
    };
    assert.deepEqual(order('seed-incident'), ['background-task', 'try-except', 'progress', 'rate-limit', 'reconnect']);
    assert.deepEqual(order('smtp-rate-limit'), ['rate-limit', 'try-except', 'progress', 'background-task', 'reconnect']);
    assert.equal(cli('analyze', 'gestion/views.py', '--diagnosis', join(app, 'manage.py')).status, 2, 'not a diagnosis: refused');

    const preview = cli('fix', 'gestion/views.py', '--fix', 'background-task');
    assert.equal(preview.status, 0, preview.stderr);
    assert.match(preview.stdout, /^--- a\/gestion\/views\.py\n\+\+\+ b\/gestion\/views\.py\n@@ /m);
    assert.match(preview.stdout, /^--- \/dev\/null\n\+\+\+ b\/gestion\/management\/commands\/send_adherents_communiquer\.py$/m);
    assert.match(preview.stdout, /^- {8}email\.send\(\)$/m);
    assert.ok(!existsSync(join(app, 'gestion', 'management')), 'the preview writes nothing');
    const written = cli('fix', 'gestion/views.py', '--fix', 'background-task', '--write');
    assert.equal(written.status, 0, written.stderr);
    assert.equal(await checkPython(readFileSync(join(app, 'gestion', 'views.py'), 'utf8')), '');
    assert.equal(cli('fix', 'gestion/views.py', '--fix', 'background-task').status, 1, 'nothing left to move');
  } finally {
    rmSync(join(app, '..'), { recursive: true, force: true });
  }
});
