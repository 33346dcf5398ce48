// Several hosts in the real VS Code host: four REAL test hosts (test/fixtures/fleet: nginx front + three app hosts,
// app2's worker OOM-killed while serving the send), reached through ~/.ssh/config-style aliases (one key and one
// known_hosts per host), diagnosed with incidentLens.diagnose { targets }: the tree has one level per host and the
// verdict names app2.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DiagnoseArgs, IncidentLensApi } from '../../../src/ui/api';
import { fleetTimelineDiagnosis } from '../../../src/ui/fleetIds';
import { buildTimeline } from '../../../src/ui/timeline/model';
import { api, children, REPO_ROOT, workspaceFolder } from './helpers';
import { closedPort } from './testHostInfo';
import { Commands } from '../../../src/shared/commands';
import { render } from '../../../src/core/l10n';

const NAMES = ['front', 'app1', 'app2', 'app3'];
const SCRIPT = path.join(REPO_ROOT, 'test', 'host', 'testhost.sh');

suite('Several hosts (incidentLens.hosts) against four real test hosts', function () {
  this.timeout(600_000);
  let a: IncidentLensApi;
  const started: { env: NodeJS.ProcessEnv }[] = [];
  let tmp = '';
  const saved: Record<string, unknown> = {};
  const cfg = () => vscode.workspace.getConfiguration('incidentLens', workspaceFolder().uri);

  suiteSetup(async () => {
    a = await api();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'il-vscode-fleet-'));
    const conf: string[] = [];
    for (const n of NAMES) {
      const port = await closedPort();
      const env = { ...process.env, TESTHOST_DIR: path.join(tmp, n), TESTHOST_PORT: String(port) };
      started.push({ env });
      execFileSync('bash', [SCRIPT, 'start', path.join(REPO_ROOT, 'test', 'fixtures', 'fleet', n)], { env, stdio: 'ignore' });
      const info = JSON.parse(fs.readFileSync(path.join(tmp, n, 'run', 'connection.json'), 'utf8'));
      conf.push(`Host fleet-${n}`, '  HostName 127.0.0.1', `  Port ${port}`, '  User deploy', `  IdentityFile ${info.sudoUser.privateKey}`, '  IdentitiesOnly yes', `  UserKnownHostsFile ${info.knownHosts}`, '');
    }
    fs.writeFileSync(path.join(tmp, 'ssh_config'), conf.join('\n'));
    // per-host keys and known_hosts come from the ssh config, as on a maintainer's machine
    for (const k of ['sshConfigFile', 'identityFile', 'knownHostsFile']) saved[k] = cfg().inspect(k)?.workspaceValue;
    await cfg().update('identityFile', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg().update('knownHostsFile', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg().update('sshConfigFile', path.join(tmp, 'ssh_config'), vscode.ConfigurationTarget.Workspace);
  });

  suiteTeardown(async () => {
    for (const [k, v] of Object.entries(saved)) await cfg().update(k, v, vscode.ConfigurationTarget.Workspace);
    for (const s of started) execFileSync('bash', [SCRIPT, 'stop'], { env: s.env, stdio: 'ignore' });
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the tree shows the verdict on app2, the POST traced front → app2, and one level per host', async () => {
    const targets = NAMES.map((n) => `fleet-${n}`);
    const d = await vscode.commands.executeCommand(Commands.diagnose, { targets, date: '2025-06-12', time: '21:40', interactive: false } satisfies DiagnoseArgs);
    assert.ok(d, 'incidentLens.diagnose resolves');
    const f = a.fleet;
    assert.ok(f, 'api.fleet is the fleet diagnosis');
    assert.equal(f.verdict, 'oom_kill', JSON.stringify(f.hosts.map((h) => [h.name, h.status, h.errorText && render(h.errorText, 'en'), h.diagnosis?.verdict])));
    assert.equal(f.failedHosts[0]?.host, 'fleet-app2');
    assert.equal(a.diagnosis?.target, f.hosts[2].target, 'the single-host views show the host where the send failed');

    const roots = await children(a);
    assert.equal(roots[0].info.kind, 'fleetVerdict');
    assert.match(roots[0].info.label, /^Verdict: .* on fleet-app2$/);
    const trace = roots.find((r) => r.info.kind === 'trace');
    assert.ok(trace, `a trace node: ${roots.map((r) => r.info.label).join(' | ')}`);
    assert.match(trace.info.label, /^POST 502 → fleet-app2$/);
    const hosts = roots.filter((r) => r.info.kind === 'host');
    assert.deepEqual(hosts.map((h) => h.info.label), ['fleet-front (front)', 'fleet-app1 (app1)', 'fleet-app2 (app2)', 'fleet-app3 (app3)']);
    assert.match(String(hosts[2].item.description), /the send failed here/);
    assert.doesNotMatch(String(hosts[1].item.description), /failed/);
    // the verdict's evidence names the host of each line: app2's kernel, the front's access log
    const cause = (await children(a, roots[0].node))[0];
    const evidence = await children(a, cause.node);
    assert.ok(evidence.some((e) => /^fleet-app2 · kernel_oom/.test(String(e.item.description)) && /Out of memory: Killed process 1105/.test(e.info.label)), evidence.map((e) => e.item.description).join(' | '));
    assert.ok(evidence.some((e) => /^fleet-front · nginx_access/.test(String(e.item.description))));
    // a host level holds that host's sources; their excerpts open per host
    const app2Sources = await children(a, hosts[2].node);
    const kernel = app2Sources.find((s) => s.info.source === 'h2~kernel_oom');
    assert.ok(kernel, app2Sources.map((s) => s.info.source).join(' '));
    assert.ok(!(await children(a, hosts[0].node)).some((s) => s.info.source === 'h0~journal'), 'the front runs no app source');
    const doc = await vscode.workspace.openTextDocument(a.excerptUri('h2~kernel_oom'));
    assert.match(doc.getText(), /Out of memory: Killed process 1105 \(gunicorn\)/);

    // the timeline: a lane per host that logged in the window (a quiet host is listed as quiet), app2's with errors
    const tl = buildTimeline(fleetTimelineDiagnosis(f, a.diagnosis!));
    assert.equal(tl.rows.length + tl.quiet.length, 4, `${tl.rows.map((r) => r.label).join(' | ')} / quiet ${tl.quiet.join(' ')}`);
    assert.ok(tl.rows.some((r) => /fleet-app2/.test(r.label) && r.errors.some((n) => n > 0)), JSON.stringify(tl.rows.map((r) => r.label)));
    // the report: the fleet verdict, then a section per host
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.exportReport, { to: 'workspace' });
    assert.ok(uri, 'the report is written');
    const md = fs.readFileSync(uri.fsPath, 'utf8');
    fs.rmSync(uri.fsPath);
    assert.match(md, /## Verdict: `oom_kill` — fleet-app2/);
    for (const n of NAMES) assert.match(md, new RegExp(`## Host \`fleet-${n}\``), `a section for fleet-${n}`);
  });
});
