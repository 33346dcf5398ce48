// The REAL language server (dist/server.js) driven over stdio through the LSP protocol, on a copy of the sample app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, TextEdit } from 'vscode-languageserver-protocol/node';
import { applyLineEdits } from '../../src/python/edits';
import { evidencePayload } from '../../src/shared/evidence';
import { Commands, DiagnosisChangedNotification, PREVIEW_ANNOTATION, SendCallsRequest, type ApplyFixArgs, type RevealEvidenceArgs } from '../../src/shared/protocol';
import { loadDiagnosis } from './diagnoses';
import { CodeActionRequest, CodeLensRequest, DidChangeTextDocumentNotification, ExecuteCommandRequest, ROOT, startServer, type Lsp } from './lspHarness';
import { checkPython, sendsOf } from './pyHelpers';

let app: string;
let views: string;
let settings: string;
let lsp: Lsp;

before(async () => {
  app = mkdtempSync(join(tmpdir(), 'il-lsp-'));
  cpSync(join(ROOT, 'samples', 'aquademie'), app, { recursive: true, filter: (s) => !s.includes('__pycache__') });
  views = join(app, 'gestion', 'views.py');
  settings = join(app, 'aquademie', 'settings.py');
  lsp = await startServer('en');
});

after(async () => {
  await lsp?.stop();
  rmSync(app, { recursive: true, force: true });
});

const lenses = async (uri: string) => (await lsp.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];

async function waitFor<T>(what: string, get: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await get();
    if (v !== undefined) return v;
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}; server stderr: ${lsp.stderr()}`);
}

test('didOpen views.py → a warning on email.send() line 50, source "Incident Lens"', async () => {
  const { uri, diagnostics } = await lsp.open(views);
  assert.equal(diagnostics.length, 1);
  const d = diagnostics[0];
  assert.equal(d.source, 'Incident Lens');
  assert.equal(d.severity, 2);
  assert.equal(d.code, 'unprotected-batch-send');
  assert.deepEqual(d.range, { start: { line: 49, character: 8 }, end: { line: 49, character: 20 } });
  assert.match(String(d.message), /batches of 10, pause 3s/);
  const calls = await lsp.conn.sendRequest(SendCallsRequest, { uri });
  assert.equal(calls.length, 1);
  assert.equal(calls[0].line, 50);
});

test('code lenses: "diagnose" before any diagnosis, the evidence after the diagnosisChanged notification', async () => {
  const uri = pathToFileURL(views).toString();
  const before = await lenses(uri);
  assert.deepEqual(before.map((l) => [l.range.start.line, l.command?.command, l.command?.title]), [
    [49, Commands.applyFix, 'Fix: survive a failed batch (try/except)'],
    [49, Commands.diagnose, 'Incident Lens: diagnose mail incident'],
  ]);
  const { diagnosis } = loadDiagnosis('smtp-rate-limit');
  const refreshes = lsp.lensRefreshes;
  await lsp.conn.sendNotification(DiagnosisChangedNotification, { evidence: evidencePayload(diagnosis) });
  await waitFor('a codeLens refresh request', () => (lsp.lensRefreshes > refreshes ? true : undefined));
  const afterLenses = await lenses(uri);
  const evidence = afterLenses.find((l) => l.command?.command === Commands.revealEvidence);
  assert.ok(evidence, JSON.stringify(afterLenses));
  assert.equal(evidence.command!.title, '1 SMTP error · HTTP 500 21:31:17 · last batch 17/42');
  assert.equal(afterLenses[0].command?.title, 'Fix: retry refused batches after a pause (SMTP rate limit)', 'the verdict (SMTP rate limit) picks the first fix');
  assert.equal((afterLenses[0].command!.arguments![0] as ApplyFixArgs).fix, 'rate-limit');
  const arg = evidence.command!.arguments![0] as RevealEvidenceArgs;
  const cited = diagnosis.causes.find((c) => c.id === 'smtp_rate_limit')!.evidence[0];
  assert.equal(arg.source, cited.source);
  assert.equal(arg.lineNo, cited.lineNo);
  assert.ok(arg.line?.includes('Traceback') || arg.line?.includes('SMTPDataError'), arg.line);
  // Cleared: back to "diagnose".
  await lsp.conn.sendNotification(DiagnosisChangedNotification, { evidence: null });
  await waitFor('lenses back to diagnose', async () => ((await lenses(uri)).some((l) => l.command?.command === Commands.diagnose) ? true : undefined));
});

test('incremental edits keep diagnostics on the moved send line', async () => {
  const uri = pathToFileURL(views).toString();
  await lsp.conn.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 38, character: 0 }, end: { line: 38, character: 0 } }, text: '    # deux lignes\n    # de plus\n' }],
  });
  const d2 = await lsp.diagnostics(uri, 2);
  assert.equal(d2[0].range.start.line, 51);
  await lsp.conn.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 3 },
    contentChanges: [{ range: { start: { line: 38, character: 0 }, end: { line: 40, character: 0 } }, text: '' }],
  });
  const d3 = await lsp.diagnostics(uri, 3);
  assert.equal(d3[0].range.start.line, 49);
});

test('code actions on the diagnostic: try/except, progress and LOGGING edits that parse and compile', async () => {
  const uri = pathToFileURL(views).toString();
  const text = readFileSync(views, 'utf8');
  const diags = await lsp.diagnostics(uri, 3);
  const actions = (await lsp.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diags[0].range, context: { diagnostics: diags } })) as CodeAction[];
  // No diagnosis: the safest fix first, every other one available (the background job as a refactoring).
  assert.deepEqual(actions.map((a) => a.kind), ['quickfix', 'refactor.move', 'quickfix', 'quickfix', 'quickfix', 'quickfix']);
  const [tryFix, background, , , progress, logging] = actions;
  assert.match(background.title, /Move the send out of the request/);
  assert.equal(background.edit?.changeAnnotations?.[PREVIEW_ANNOTATION]?.needsConfirmation, true, 'previewed before it applies');
  assert.match(tryFix.title, /try\/except/);
  assert.equal(tryFix.isPreferred, true);
  assert.deepEqual(tryFix.diagnostics?.map((d) => d.code), ['unprotected-batch-send']);

  const patched = applyLineEdits(text, tryFix.edit!.changes![uri] as TextEdit[]);
  assert.equal(await checkPython(patched), '');
  assert.match(patched, /except \(smtplib\.SMTPException, OSError\):\n\s+logger\.exception\("batch %d\/%d failed/);
  assert.equal((await sendsOf(patched))[0].protected, true);

  const withProgress = applyLineEdits(text, progress.edit!.changes![uri] as TextEdit[]);
  assert.equal(await checkPython(withProgress), '');
  assert.ok(withProgress.includes('logger.info("batch %d/%d sent to %d recipients", batch_no, batch_total, len(batch))'));

  const settingsUri = pathToFileURL(settings).toString();
  assert.deepEqual(Object.keys(logging.edit!.changes!), [settingsUri], 'LOGGING goes to the sibling settings.py');
  const settingsPatched = applyLineEdits(readFileSync(settings, 'utf8'), logging.edit!.changes![settingsUri] as TextEdit[]);
  assert.equal(await checkPython(settingsPatched), '');
  assert.match(settingsPatched, /"class": "logging\.handlers\.RotatingFileHandler",\n\s+"filename": str\(BASE_DIR \/ "logs" \/ "django\.log"\)/);
});

test('the fix lens runs incidentLens.applyFix on the server, which sends workspace/applyEdit', async () => {
  const uri = pathToFileURL(views).toString();
  const lens = (await lenses(uri)).find((l) => l.command?.command === Commands.applyFix)!;
  const args = lens.command!.arguments![0] as ApplyFixArgs;
  const n = lsp.appliedEdits.length;
  const r = (await lsp.conn.sendRequest(ExecuteCommandRequest.type, { command: Commands.applyFix, arguments: [args] })) as { applied: boolean };
  assert.equal(r.applied, true);
  assert.equal(lsp.appliedEdits.length, n + 1);
  const patched = applyLineEdits(readFileSync(views, 'utf8'), lsp.appliedEdits[n].changes![uri] as TextEdit[]);
  assert.equal(await checkPython(patched), '');
  assert.equal((await sendsOf(patched))[0].protected, true);
});

test('settings.py opened alone offers the LOGGING fix; French locale gives French titles', async () => {
  const fr = await startServer('fr-FR');
  try {
    const s = await fr.open(settings);
    assert.deepEqual(s.diagnostics, []);
    const acts = (await fr.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: s.uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } })) as CodeAction[];
    assert.equal(acts.length, 1);
    assert.match(acts[0].title, /^Ajouter une configuration LOGGING/);
    const v = await fr.open(views);
    assert.match(String(v.diagnostics[0].message), /^Envoi d'e-mails dans une boucle par lots \(lots de 10, pause 3 s\)/);
    const l = (await fr.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: v.uri } })) as CodeLens[];
    assert.equal(l[1].command?.title, "Incident Lens : diagnostiquer l'incident d'envoi");
    assert.equal(l[0].command?.title, 'Corriger : survivre à un lot en échec (try/except)');
  } finally {
    await fr.stop();
  }
});

test('the bundled server runs alone, as packaged (server.js + the two .wasm files, no node_modules)', async () => {
  const { copyFileSync, mkdirSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'il-packaged-'));
  try {
    mkdirSync(join(dir, 'dist'));
    for (const f of ['server.js', 'tree-sitter.wasm', 'tree-sitter-python.wasm']) copyFileSync(join(ROOT, 'dist', f), join(dir, 'dist', f));
    const alone = await startServer('en', join(dir, 'dist', 'server.js'));
    try {
      const { diagnostics } = await alone.open(views);
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0].range.start.line, 49);
    } finally {
      await alone.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
