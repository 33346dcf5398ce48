// Issue 11 in the real VS Code host: a REAL test host holding test/fixtures/hosts/real-rate-gmail-via-postfix (the app
// hands its mail to the local Postfix as tresorier@…, Gmail defers its three messages; root's cron mail beside them).
// Diagnose Mail Incident → the Impact node's per-recipient rows; Export Resend List writes the core's resend list,
// masked unless asked; the relay the rules assumed, and why — from settings.py, then from the incidentLens.profile.smtpHost
// override — in the Impact node and in the exported report.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Diagnosis } from '../../../src/core/model';
import type { DiagnoseArgs, IncidentLensApi } from '../../../src/ui/api';
import { api, children, REPO_ROOT } from './helpers';
import { closedPort } from './testHostInfo';
import { Commands } from '../../../src/shared/commands';
import { render } from '../../../src/core/l10n';

const SCRIPT = path.join(REPO_ROOT, 'test', 'host', 'testhost.sh');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'hosts', 'real-rate-gmail-via-postfix');
const DEFERRED = ['member1@example.com', 'member2@example.com', 'member3@example.com'];

interface Started {
  dir: string;
  port: number;
  env: NodeJS.ProcessEnv;
}

/** The diagnosis of the fixture host at 21:00 (deploy, no question asked). */
async function diagnoseAt(host: Started): Promise<Diagnosis> {
  const d = await vscode.commands.executeCommand<Diagnosis | undefined>(Commands.diagnose, {
    target: `deploy@127.0.0.1:${host.port}`,
    identityFile: path.join(host.dir, 'state', 'keys', 'deploy_ed25519'),
    knownHostsFile: path.join(host.dir, 'state', 'known_hosts'),
    date: '2025-03-02',
    time: '21:00',
    before: '5m',
    after: '10m',
    interactive: false,
  } satisfies DiagnoseArgs);
  assert.ok(d, 'the diagnosis');
  return d;
}

/** The Impact node and its rows (label → description). */
async function impactRows(a: IncidentLensApi): Promise<{ item: vscode.TreeItem; rows: Map<string, string> }> {
  const roots = await children(a);
  const impact = roots.find((r) => r.info.kind === 'impact');
  assert.ok(impact, `an Impact node: ${roots.map((r) => r.info.label).join(' | ')}`);
  const kids = await children(a, impact.node);
  return { item: impact.item, rows: new Map(kids.map((k) => [k.info.label, String(k.item.description ?? '')])) };
}

suite('Impact per recipient, resend list and the assumed relay (real test host, local Postfix)', () => {
  let a: IncidentLensApi;
  let host: Started | undefined;
  let out: string;

  suiteSetup(async function () {
    this.timeout(240_000);
    a = await api();
    const port = await closedPort();
    const dir = `/tmp/incident-lens-vscode-recipients-${port}`;
    const env = { ...process.env, TESTHOST_DIR: dir, TESTHOST_PORT: String(port), TESTHOST_TZ: 'Europe/Paris' };
    execFileSync('bash', [SCRIPT, 'start', FIXTURE], { env, stdio: 'ignore' });
    host = { dir, port, env };
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'il-resend-'));
  });
  suiteTeardown(async () => {
    if (host) execFileSync('bash', [SCRIPT, 'stop'], { env: host.env, stdio: 'ignore' });
    await vscode.workspace.getConfiguration('incidentLens').update('profile.smtpHost', undefined, vscode.ConfigurationTarget.Workspace);
    if (out) fs.rmSync(out, { recursive: true, force: true });
  });

  test('the Impact node shows the local Postfix per recipient: handed over, delivered, deferred, bounced, not reached', async () => {
    const d = await diagnoseAt(host!);
    assert.equal(d.verdict, 'smtp_rate_limit', d.sources.map((s) => `${s.id}=${s.status}`).join(' '));
    const r = d.impact.recipients;
    assert.ok(r, `impact.recipients from the local Postfix: ${render(d.impact.summary, 'en')}`);
    // the app's start line in the window ("envoi à 8 destinataires", the quiet host's) is the logged total: 8 − 3 never handed over
    assert.deepEqual([r.handedOver, r.sent, r.deferred, r.bounced, r.neverHandedOver, r.notReached, r.notReachedExact], [3, 0, 3, 0, 5, 8, true]);
    const { item, rows } = await impactRows(a);
    assert.equal(item.contextValue, 'impact resend', 'the Impact node offers Export Resend List');
    assert.equal(rows.get('Recipients handed to Postfix'), '3', [...rows].join(' | '));
    assert.equal(rows.get('Delivered by Postfix'), '0');
    assert.equal(rows.get('Deferred by Postfix'), '3');
    assert.equal(rows.get('Bounced'), '0');
    assert.equal(rows.get('Never handed to Postfix'), '5');
    assert.equal(rows.get('Not reached'), '8', 'deferred + bounced + never handed over, exact with the logged total');
    assert.match(rows.get('SMTP relay assumed') ?? '', /^localhost:25 — settings\.py EMAIL_HOST=localhost: the app hands its mail to the local Postfix/);
    for (const v of rows.values()) assert.doesNotMatch(v, /member\d@/, 'no address in the tree');
  });

  test('Export Resend List writes the core resend list: masked as the report is, full addresses when asked', async () => {
    const masked = path.join(out, 'masked.txt');
    const full = path.join(out, 'full.txt');
    const u1 = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.exportResendList, { to: masked, masked: true });
    const u2 = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.exportResendList, { to: full, masked: false });
    assert.equal(u1?.fsPath, masked);
    assert.equal(u2?.fsPath, full);
    const m = fs.readFileSync(masked, 'utf8');
    const f = fs.readFileSync(full, 'utf8');
    const lines = (s: string) => s.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(lines(f), DEFERRED, f);
    assert.deepEqual(lines(m), ['m***@example.com', 'm***@example.com', 'm***@example.com'], m);
    assert.match(f, /^# 3 recipient\(s\) Postfix did not deliver \(deferred 3, bounced 0\)\.$/m);
    assert.match(m, /^# Addresses masked/m);
    assert.match(f, /^# 5 recipient\(s\) were never handed to Postfix/m);
    assert.doesNotMatch(m, /member\d@/);
    // the command and the CLI's --resend-list write the same text (one core function)
    const cli = path.join(out, 'cli.txt');
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'diagnose', '--root', FIXTURE, '--at', '2025-03-02 21:00', '--before', '5m', '--after', '10m', '--tz', 'Europe/Paris', '--format', 'json', '--resend-list', cli], { stdio: 'ignore' });
    assert.equal(fs.readFileSync(cli, 'utf8'), f);
  });

  test('incidentLens.profile.smtpHost overrides the relay: the Impact node and the report say which and why', async () => {
    const conf = vscode.workspace.getConfiguration('incidentLens');
    await conf.update('profile.smtpHost', 'smtp.example-relay.fr', vscode.ConfigurationTarget.Workspace);
    const d = await diagnoseAt(host!);
    assert.equal(d.relay?.host, 'smtp.example-relay.fr');
    assert.match(d.relay ? render(d.relay.why, 'en') : '', /given by --smtp-host \/ incidentLens\.profile\.smtpHost/);
    assert.equal(d.relay?.localPostfix, false);
    const { rows } = await impactRows(a);
    assert.match(rows.get('SMTP relay assumed') ?? '', /^smtp\.example-relay\.fr:465 — given by --smtp-host \/ incidentLens\.profile\.smtpHost$/, [...rows].join(' | '));
    assert.ok(!rows.has('Deferred by Postfix'), 'the app talks to that relay itself: the local Postfix is not its picture');
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.exportReport, { to: 'untitled' });
    assert.ok(uri, 'the report');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /\*\*SMTP relay assumed\*\*: `smtp\.example-relay\.fr:465` — given by --smtp-host \/ incidentLens\.profile\.smtpHost/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
