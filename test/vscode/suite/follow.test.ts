// Follow Live in the real VS Code host against the real test host: a worker timeout appended to the journal during
// the follow appears in the live incident-log document, marked, and the status bar counts it; Stop and closing the
// document end every remote process; the Impact node's "Follow the Resend" preselects the sources that held
// evidence, and the followed lines become a diagnosis of their own.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { appendJournal, followProcesses, line } from '../../follow/append';
import { api, REPO_ROOT, seedDiagnosis, testHostSettings, waitFor } from './helpers';
import { testHostInfo } from './testHostInfo';
import { Commands } from '../../../src/shared/commands';

/** The test host's own ssh helper (as root through its NOPASSWD user): appends and ps inside the host. */
function host(): { ssh(command: string): string } {
  const info = testHostInfo();
  const env = { ...process.env, TESTHOST_DIR: info.dir, TESTHOST_PORT: String(info.port) };
  return { ssh: (command) => execFileSync('bash', [path.join(REPO_ROOT, 'test', 'host', 'testhost.sh'), 'ssh', 'deploy', command], { env, encoding: 'utf8' }) };
}

/** ps inside the host, without blocking the extension host while polling. */
async function followers(): Promise<string[]> {
  const info = testHostInfo();
  const env = { ...process.env, TESTHOST_DIR: info.dir, TESTHOST_PORT: String(info.port) };
  const { stdout } = await promisify(execFile)('bash', [path.join(REPO_ROOT, 'test', 'host', 'testhost.sh'), 'ssh', 'deploy', 'ps -eo pid=,user=,args='], { env, encoding: 'utf8' });
  return followProcesses({ ssh: () => stdout });
}
const running = (n: number) => async () => (await followers()).filter((l) => /^\s*\d+\s+root\s+(tail|journalctl)\b/.test(l)).length >= n;
const noneLeft = async () => (await followers()).length === 0;

function liveText(uri: vscode.Uri | undefined): string {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri?.toString())?.getText() ?? '';
}

suite('Follow Live', () => {
  teardown(async () => {
    await vscode.commands.executeCommand(Commands.stopFollow);
  });

  test('a worker timeout appended during the follow appears in the live document and the status bar counts it', async () => {
    const a = await api();
    const s = testHostSettings();
    const started = await vscode.commands.executeCommand<boolean>(Commands.followLive, { ...s, sources: ['journal', 'nginx_error'], interactive: false });
    assert.equal(started, true);
    await waitFor('the follow commands on the host', running(2), 30_000);
    const uri = a.follow.documentUri;
    assert.ok(uri, 'a live document');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    assert.equal(doc?.languageId, 'incident-log', 'highlighted by the incident-log language');
    assert.match(a.follow.statusText ?? '', /Following aquademie-prod · 0 errors/);

    const now = new Date();
    appendJournal(host(), [{ time: now, message: line.gunicorn(now, 'Europe/Paris', 'CRITICAL', 'WORKER TIMEOUT (pid:3303)'), priority: 2 }]);
    const text = await waitFor('the worker timeout in the live document', () => (/WORKER TIMEOUT \(pid:3303\)/.test(liveText(uri)) ? liveText(uri) : undefined), 15_000);
    assert.match(text.split('\n').find((l) => l.includes('pid:3303'))!, /^journal\s+‼ .*──── HTTP timeout$/);
    await waitFor('the status bar count', () => /Following aquademie-prod · 1 error\b/.test(a.follow.statusText ?? ''), 10_000);
    assert.equal(a.follow.errors, 1);

    await vscode.commands.executeCommand(Commands.stopFollow);
    await waitFor('no follow process left on the host', noneLeft, 5_000);
    assert.equal(a.follow.following, false);
    assert.match(a.follow.statusText ?? '', /Stopped following aquademie-prod · 1 error/);
  });

  test('closing the live document ends the remote processes', async () => {
    const a = await api();
    const started = await vscode.commands.executeCommand<boolean>(Commands.followLive, { ...testHostSettings(), sources: ['nginx_error'], interactive: false });
    assert.equal(started, true);
    await waitFor('the follow command on the host', running(1), 30_000);
    const uri = a.follow.documentUri!;
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
    assert.ok(tabs.length, 'the live document is open in a tab');
    await vscode.window.tabGroups.close(tabs);
    await waitFor('no follow process left on the host', noneLeft, 5_000);
    assert.equal(a.follow.following, false);
  });

  test('Follow the Resend preselects the sources that held evidence; the followed lines become a diagnosis', async () => {
    const a = await api();
    const d = await seedDiagnosis(a);
    const evidence = new Set(d.causes.filter((c) => c.confidence >= 0.3).flatMap((c) => c.evidence.map((e) => e.source)));
    const started = await vscode.commands.executeCommand<boolean>(Commands.followResend, { interactive: false });
    assert.equal(started, true);
    const header = await waitFor('the new follow in the live document', () => {
      const h = liveText(a.follow.documentUri).split('\n').slice(0, 12).join('\n');
      return /: following$/m.test(h.split('\n')[0]) && !h.includes('stopped') ? h : undefined;
    });
    for (const id of ['journal', 'nginx_access', 'nginx_error']) if (evidence.has(id)) assert.match(header, new RegExp(`# ${id}: `), `${id} held evidence: followed`);
    assert.doesNotMatch(header, /# mail_log: /, 'mail.log held no evidence of the seed incident: not preselected');
    const n = header.split('\n').filter((l) => /^# [a-z_]+: /.test(l)).length;
    await waitFor('the follow commands on the host', running(n), 30_000);
    await vscode.commands.executeCommand(Commands.stopFollow);
    await waitFor('no follow process left on the host', noneLeft, 5_000);
    await vscode.commands.executeCommand(Commands.followDiagnose);
    assert.match(a.diagnosis?.target ?? '', /\(followed live\)$/);
  });
});
