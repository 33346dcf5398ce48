// views.py intelligence in the real host: the language server's code lenses (tied to the diagnosis' evidence), its
// diagnostic, and the try/except quick fix applied through VS Code — on the temp COPY of samples/aquademie.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { IncidentLensApi } from '../../../src/ui/api';
import { api, restoreFile, seedDiagnosis, waitFor, workspaceFolder } from './helpers';
import { Commands } from '../../../src/shared/commands';

const TRY_FIX = 'Wrap the send in try/except';
const SOURCE = 'Incident Lens';

suite('views.py: code lenses, diagnostic and the try/except quick fix', () => {
  let a: IncidentLensApi;
  let uri: vscode.Uri;
  let doc: vscode.TextDocument;
  let original: Uint8Array;

  const lenses = () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 20);
  const warnings = () => vscode.languages.getDiagnostics(uri).filter((x) => x.source === SOURCE && x.severity === vscode.DiagnosticSeverity.Warning);

  suiteSetup(async () => {
    a = await api();
    await seedDiagnosis(a);
    uri = vscode.Uri.joinPath(workspaceFolder().uri, 'gestion', 'views.py');
    original = await vscode.workspace.fs.readFile(uri);
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
  });

  suiteTeardown(async () => {
    if (!original) return;
    await restoreFile(uri, original);
  });

  test('views.py is python and the language server starts for it', async () => {
    assert.equal(doc.languageId, 'python');
    await waitFor('any code lens from the language server', async () => (await lenses())?.length);
  });

  test('the send of the batch loop carries the evidence lens and a fix lens', async () => {
    const all = await waitFor('an evidence lens (the diagnosis reached the server)', async () => {
      const l = await lenses();
      return l?.some((x) => x.command?.command === Commands.revealEvidence) ? l : undefined;
    });
    const evidence = all.find((x) => x.command?.command === Commands.revealEvidence)!;
    assert.match(evidence.command!.title, /worker timeout 22:20:\d\d/, evidence.command!.title);
    const line = doc.lineAt(evidence.range.start.line).text;
    assert.match(line, /EmailMessage\(|\.send\(/, `the lens sits on the send call: ${line.trim()}`);
    const fix = all.find((x) => x.command?.command === Commands.applyFix);
    assert.ok(fix, 'a fix lens on the send');
    assert.equal(fix.range.start.line, evidence.range.start.line);
    // The seed incident's verdict is an HTTP timeout: the fix that removes the cause comes first on the line.
    const onLine = all.filter((x) => x.range.start.line === evidence.range.start.line);
    assert.equal(onLine[0].command?.command, Commands.applyFix);
    assert.match(onLine[0].command!.title, /Move the send out of the request/, onLine[0].command!.title);
  });

  test('clicking the evidence lens opens the excerpt that holds it', async () => {
    const evidence = (await lenses()).find((x) => x.command?.command === Commands.revealEvidence)!;
    await vscode.commands.executeCommand(evidence.command!.command, ...(evidence.command!.arguments ?? []));
    const ed = await waitFor('an incident-log editor', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.languageId === 'incident-log' ? e : undefined;
    });
    assert.equal(ed.document.uri.scheme, 'incident-log');
    await vscode.window.showTextDocument(doc);
  });

  test('the unprotected send has a warning', async () => {
    const w = await waitFor('the Incident Lens warning on views.py', () => warnings()[0]);
    assert.match(w.message, /no exception handling/);
  });

  test('the quick fix "Wrap the send in try/except…" applies, compiles, and clears the warning and the fix lens', async () => {
    const w = await waitFor('the warning', () => warnings()[0]);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, w.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((x) => x.title.startsWith(TRY_FIX));
    assert.ok(fix, `quick fix offered; got: ${actions.map((x) => x.title).join(' | ')}`);
    assert.ok(fix.edit, 'the fix is a WorkspaceEdit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit succeeds');

    const text = doc.getText();
    assert.match(text, /^( +)try:\n\1 {4}email\.send\(\)\n\1except \(smtplib\.SMTPException, OSError\):\n\1 {4}logger\.exception\(/m);
    assert.match(text, /^import logging$/m);
    assert.match(text, /^import smtplib$/m);
    assert.match(text, /^logger = logging\.getLogger\(__name__\)$/m);
    assert.ok(await doc.save(), 'saved');
    execFileSync('/usr/bin/python3', ['-c', 'import sys; compile(open(sys.argv[1]).read(), sys.argv[1], "exec")', uri.fsPath], { stdio: 'pipe' });

    await waitFor('the warning to go away', () => warnings().length === 0 || undefined);
    // The timeout remains: the lens still offers to move the send out of the request.
    await waitFor('the background-task lens after try/except', async () => {
      const l = await lenses();
      return l.some((x) => x.command?.command === Commands.applyFix && /Move the send out of the request/.test(x.command.title)) || undefined;
    });
  });
});
