// Diagnose Mail Incident against the project's real test host (OpenSSH in namespaces, seed incident), then the
// Log Sources tree, the excerpt documents and their links into the workspace, all through VS Code's own API.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Diagnosis } from '../../../src/core/model';
import type { IncidentLensApi } from '../../../src/ui/api';
import { api, children, diagnoseSeed, labelOf, SEED, tracebackSource, waitFor, workspaceFolder } from './helpers';
import { Commands } from '../../../src/shared/commands';
import { render } from '../../../src/core/l10n';

const CHECK_IDS = new Set(['host_tz', 'unit_file', 'nginx_site', 'host_systemctl', 'host_free', 'host_df', 'host_ps', 'host_smtp_conn', 'app_settings', 'log_spans']);

/** The tree's roots: Verdict, Impact, one node per source (label, description, tooltip), Host checks last. */
async function checkTreeRoots(a: IncidentLensApi, d: Diagnosis): Promise<void> {
  const roots = await children(a);
  assert.ok(roots.length > 3, `root nodes: ${roots.map((r) => r.info.label).join(' | ')}`);
  assert.equal(roots[0].info.kind, 'verdict');
  assert.match(roots[0].info.label, /^Verdict/);
  assert.equal(roots[1].info.kind, 'impact', 'Impact comes second');
  const sourceNodes = roots.filter((r) => r.info.kind === 'source');
  const expected = d.sources.filter((s) => !CHECK_IDS.has(s.id));
  assert.deepEqual(
    sourceNodes.map((r) => r.info.source).sort(),
    expected.map((s) => s.id).sort(),
    'one root node per log source of the diagnosis',
  );
  for (const s of expected) {
    const n = sourceNodes.find((r) => r.info.source === s.id)!;
    // the label leads with what the source found, then the catalogue's name without its path (in the description),
    // so the default sidebar width shows the count
    const name = render(s.label, 'en').replace(/\s+(?:(?:under|in)\s+)?\/[^\s)]*/g, '').trim();
    assert.ok(n.info.label.endsWith(` · ${name}`), `label of ${s.id}: ${n.info.label} (catalogue: ${render(s.label, 'en')})`);
    if (s.status === 'ok' && s.events.length) assert.ok(n.info.label.startsWith(`${s.events.length} line${s.events.length === 1 ? '' : 's'} · `), n.info.label);
    for (const path of render(s.label, 'en').match(/\/[^\s)]*/g) ?? []) assert.ok(String(n.item.description).includes(path), `${s.id}: ${path} in ${n.item.description}`);
    assert.match(n.item.contextValue ?? '', /\bexcerpt\b/, `${s.id} offers Open Excerpt`);
    const tip = n.item.tooltip;
    const tipText = typeof tip === 'string' ? tip : (tip?.value ?? '');
    assert.ok(tipText.includes(s.command), `${s.id}'s tooltip shows the exact command`);
  }
  const checks = roots.find((r) => r.info.kind === 'checks');
  assert.ok(checks, 'a Host checks node');
  const lastSource = Math.max(...sourceNodes.map((r) => roots.indexOf(r)));
  assert.ok(roots.indexOf(checks) > lastSource, 'Host checks comes after the log sources');
}

/** Open Excerpt, the command of a source node, shows its excerpt in an incident-log editor. */
async function checkOpenExcerpt(a: IncidentLensApi, d: Diagnosis): Promise<void> {
  const roots = await children(a);
  const s = tracebackSource(d);
  const node = roots.find((r) => r.info.source === s.id)!;
  const cmd = node.item.command;
  assert.equal(cmd?.command, Commands.openExcerpt);
  await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
  const ed = await waitFor('the excerpt editor', () => {
    const e = vscode.window.activeTextEditor;
    return e?.document.uri.toString() === a.excerptUri(s.id).toString() ? e : undefined;
  });
  assert.equal(ed.document.languageId, 'incident-log');
}

suite('Diagnose against the real test host', () => {
  let a: IncidentLensApi;
  let d: Diagnosis;

  suiteSetup(async () => {
    a = await api();
  });

  test('incidentLens.diagnose with target, date and time asks nothing and resolves to the diagnosis', async () => {
    const seen: (Diagnosis | undefined)[] = [];
    const sub = a.onDidChangeDiagnosis((x) => seen.push(x));
    try {
      d = await diagnoseSeed();
    } finally {
      sub.dispose();
    }
    assert.equal(d.verdict, SEED.verdict);
    assert.equal(d.window.tz, 'Europe/Paris', "the window is in the host's zone");
    assert.match(d.window.since, /^2025-01-15T22:15/);
    assert.equal(a.diagnosis, d, 'api.diagnosis is the resolved diagnosis');
    assert.ok(seen.includes(d), 'onDidChangeDiagnosis fired with it');
    const journal = d.sources.find((s) => s.id === 'journal');
    assert.equal(journal?.status, 'ok', 'journalctl ran over SSH with sudo (not a bundle)');
  });

  test('the tree: Verdict first, then Impact, one node per source, Host checks', () => checkTreeRoots(a, d));

  test('the Verdict names the http_timeout cause and expands to its evidence', async () => {
    const [verdict] = await children(a);
    const causes = await children(a, verdict.node);
    assert.ok(causes.length >= 1, 'at least one ranked cause');
    assert.equal(causes[0].info.kind, 'cause');
    assert.match(causes[0].info.label, /HTTP timeout/);
    const evidence = await children(a, causes[0].node);
    assert.ok(evidence.some((e) => e.info.kind === 'evidence' && e.info.source), 'the cause expands to evidence lines from sources');
  });

  test('a source node expands to its events', async () => {
    const roots = await children(a);
    const s = tracebackSource(d);
    const node = roots.find((r) => r.info.source === s.id)!;
    assert.equal(node.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const kids = await children(a, node.node);
    assert.ok(kids.length > 0 && kids.every((k) => k.info.kind === 'event' || k.info.kind === 'group'), kids.map((k) => k.info.kind).join(','));
  });

  test('excerpts are read-only incident-log documents of their own scheme', async () => {
    const s = tracebackSource(d);
    const uri = a.excerptUri(s.id);
    assert.equal(uri.scheme, 'incident-log');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'incident-log');
    assert.ok(doc.getText().includes(`gestion/views.py", line ${SEED.frameLine}`), 'the excerpt holds the traceback frame');
    assert.ok(doc.lineCount > 3);
  });

  test('Open Excerpt on a source node shows the excerpt in an incident-log editor', () => checkOpenExcerpt(a, d));

  test("the traceback frame links to the workspace's gestion/views.py at line 52", async () => {
    const s = tracebackSource(d);
    const uri = a.excerptUri(s.id);
    const doc = await vscode.workspace.openTextDocument(uri);
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri, 100);
    const views = path.join(workspaceFolder().uri.fsPath, ...SEED.frameFile.split('/'));
    const frame = links.find((l) => l.target?.scheme === 'file' && l.target.fsPath === views && doc.getText(l.range).includes(`/var/www/aquademie/${SEED.frameFile}`));
    assert.ok(frame, `a link to ${views}; links: ${links.map((l) => `${doc.getText(l.range)} -> ${l.target?.toString()}`).join(' | ')}`);
    assert.match(frame.target!.fragment, new RegExp(`^L?${SEED.frameLine}(\\D|$)`), `line ${SEED.frameLine} in the fragment: ${frame.target!.fragment}`);
    assert.match(doc.getText(frame.range), new RegExp(`line ${SEED.frameLine}$`), 'the link covers the path and the line number');
  });

  test('Clear empties the tree', async () => {
    await vscode.commands.executeCommand(Commands.clear);
    await waitFor('an empty tree', async () => (await children(a)).length === 0 || undefined);
    assert.equal(a.diagnosis, undefined);
    // the next suites get the seed diagnosis back
    d = await diagnoseSeed();
    assert.equal(d.verdict, SEED.verdict);
    const roots = await children(a);
    assert.ok(labelOf(roots[0].item).startsWith('Verdict'));
  });
});
