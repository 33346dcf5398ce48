// What a finished diagnosis produces in the real host: the exported Markdown report (into the workspace, never over an
// existing one, redacted by default), the Incident Timeline webview, Re-run Source and Copy Command on tree nodes.
import * as assert from 'node:assert/strict';
import { shq } from '../../../src/core/shell';
import { terminalCommand } from '../../../src/ui/terminalCommand';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Diagnosis } from '../../../src/core/model';
import type { IncidentLensApi } from '../../../src/ui/api';
import { api, children, SEED, SEED_FIXTURE, seedDiagnosis, testHostSettings, waitFor, workspaceFolder } from './helpers';
import { Commands } from '../../../src/shared/commands';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Every e-mail address in the seed fixture's plain-text files, and the client IPs of its nginx access log. */
function fixturePersonalData(): { emails: string[]; clientIps: string[] } {
  const emails = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.gz')) for (const m of fs.readFileSync(p, 'utf8').matchAll(EMAIL)) emails.add(m[0]);
    }
  };
  walk(SEED_FIXTURE);
  const nginx = path.join(SEED_FIXTURE, 'var', 'log', 'nginx');
  const clientIps = new Set<string>();
  for (const f of fs.readdirSync(nginx).filter((n) => n.startsWith('access.log') && !n.endsWith('.gz'))) {
    for (const line of fs.readFileSync(path.join(nginx, f), 'utf8').split('\n')) {
      const ip = /^(\d{1,3}(?:\.\d{1,3}){3}) /.exec(line)?.[1];
      if (ip && !ip.startsWith('127.')) clientIps.add(ip);
    }
  }
  return { emails: [...emails], clientIps: [...clientIps] };
}

async function sourceNode(a: IncidentLensApi, id: string) {
  const node = (await children(a)).find((r) => r.info.kind === 'source' && r.info.source === id);
  assert.ok(node, `a root node for ${id}`);
  return node;
}

suite('Outputs of a diagnosis: report, timeline, re-run, copy', () => {
  let a: IncidentLensApi;
  let d: Diagnosis;

  suiteSetup(async () => {
    a = await api();
    d = await seedDiagnosis(a);
  });

  test('Export Report {to: workspace} twice: incident-reports/<date>-<host>.md then -2.md, redacted, with the verdict', async () => {
    const folder = vscode.Uri.joinPath(workspaceFolder().uri, 'incident-reports');
    await vscode.workspace.fs.delete(folder, { recursive: true }).then(undefined, () => undefined);
    const first = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.exportReport, { to: 'workspace' });
    const second = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.exportReport, { to: 'workspace' });
    assert.ok(first && second, 'the command resolves to the written files');

    const host = /@([^:]+)/.exec(testHostSettings().target)![1];
    assert.equal(path.dirname(first.fsPath), folder.fsPath);
    assert.equal(path.basename(first.fsPath), `${SEED.date}-${host}.md`);
    assert.equal(path.basename(second.fsPath), `${SEED.date}-${host}-2.md`, 'the first report is not overwritten');
    const listed = (await vscode.workspace.fs.readDirectory(folder)).map(([n]) => n).sort();
    assert.deepEqual(listed, [path.basename(first.fsPath), path.basename(second.fsPath)].sort());
    await waitFor('the second report in the active editor', () => vscode.window.activeTextEditor?.document.uri.fsPath === second.fsPath || undefined);

    const texts = [first, second].map((u) => fs.readFileSync(u.fsPath, 'utf8'));
    assert.equal(texts[0], texts[1], 'both hold the same diagnosis');
    const md = texts[0];
    assert.match(md, new RegExp(`\\*\\*Verdict\\*\\*: \`${SEED.verdict}\``), 'the verdict line');
    assert.match(md, new RegExp(`## Verdict: \`${SEED.verdict}\``));

    // redaction is on by default: the client IPs the evidence carries, and no e-mail of the fixture, are in the file
    const { emails, clientIps } = fixturePersonalData();
    const raw = JSON.stringify(d.causes);
    const carried = clientIps.filter((ip) => raw.includes(ip));
    assert.ok(carried.length > 0, `the diagnosis' evidence holds a client IP (${clientIps.join(', ')}): the check is not empty`);
    for (const ip of clientIps) assert.ok(!md.includes(ip), `client IP ${ip} is masked`);
    for (const e of emails) assert.ok(!md.includes(e), `e-mail ${e} is not in the report`);
    assert.match(md, /x\.x\.x\.x/, 'masked IPs are shown as x.x.x.x');
    assert.equal(vscode.workspace.getConfiguration('incidentLens', workspaceFolder().uri).get('report.redact'), true, 'default setting');
  });

  test('Show Timeline opens one "Incident Timeline" webview tab', async () => {
    const timelineTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'Incident Timeline' && t.input instanceof vscode.TabInputWebview);
    await vscode.commands.executeCommand(Commands.showTimeline);
    const tab = await waitFor('the Incident Timeline tab', () => timelineTabs()[0]);
    assert.match((tab.input as vscode.TabInputWebview).viewType, /incidentLens\.timeline$/);
    await waitFor('the timeline tab to be active', () => timelineTabs()[0]?.isActive || undefined);
    await vscode.commands.executeCommand(Commands.showTimeline);
    assert.equal(timelineTabs().length, 1, 'a second call reveals the same panel');
    await vscode.window.tabGroups.close(timelineTabs());
    await waitFor('the tab to close', () => timelineTabs().length === 0 || undefined);
  });

  test('Re-run Source on a source node: a new diagnosis object (onDidChangeDiagnosis), the source keeps its events', async () => {
    const before = a.diagnosis!;
    const old = before.sources.find((s) => s.id === 'journal')!;
    assert.ok(old.events.length > 0);
    const node = await sourceNode(a, 'journal');
    const seen: (Diagnosis | undefined)[] = [];
    const sub = a.onDidChangeDiagnosis((x) => seen.push(x));
    try {
      await vscode.commands.executeCommand(Commands.rerunSource, node.node);
      await waitFor('onDidChangeDiagnosis', () => seen.length > 0 || undefined);
    } finally {
      sub.dispose();
    }
    const next = seen[seen.length - 1];
    assert.ok(next && next !== before, 'a new Diagnosis object');
    assert.equal(a.diagnosis, next);
    const again = next.sources.find((s) => s.id === 'journal')!;
    assert.notEqual(again, old, 'the source was run again');
    assert.equal(again.status, 'ok');
    assert.equal(again.events.length, old.events.length, 'same events from the same host');
    assert.deepEqual(again.events.map((e) => e.line), old.events.map((e) => e.line));
    assert.equal(next.verdict, before.verdict, 'the verdict is re-assessed, still the same');
    assert.equal((await sourceNode(a, 'journal')).item.description, node.item.description, 'the tree shows it again');
  });

  test("Copy Command on a source node puts the source's exact command on the clipboard, with sudo when it needed root", async () => {
    const s = a.diagnosis!.sources.find((x) => x.id === 'nginx_error')!;
    await vscode.env.clipboard.writeText('(before Copy Command)');
    await vscode.commands.executeCommand(Commands.copyCommand, (await sourceNode(a, s.id)).node);
    assert.ok(s.sudo, 'nginx_error is root-only');
    assert.equal(await vscode.env.clipboard.readText(), terminalCommand(s));
    assert.ok(terminalCommand(s).endsWith(shq(s.command)));
  });
});
