// The whole fleet through its central log host in VS Code: the fixture fleet (nginx front + app1..app3, app2's worker
// OOM-killed while serving the send) forwards FOR REAL to a log host (systemd-journal-upload → systemd-journal-remote,
// rsyslog → rsyslog); with incidentLens.central.forHost = "*", Diagnose Mail Incident lists the hosts the log host
// holds and shows the fleet: the verdict on app2, one tree level per host, a timeline lane per host, a report section
// per host — what incidentLens.hosts gives on the hosts themselves (fleet.test.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DiagnoseArgs, IncidentLensApi } from '../../../src/ui/api';
import { fleetTimelineDiagnosis } from '../../../src/ui/fleetIds';
import { buildTimeline } from '../../../src/ui/timeline/model';
import { FLEET_HOSTS, FLEET_ROOT, FLEET_WINDOW, startFleet, stopFleet, type FleetHostName } from '../../host/fleet';
import { startLogHost, waitForwarded, type LogHost } from '../../host/logHost';
import type { TestHost } from '../../host/testHost';
import { api, children, waitFor, workspaceFolder } from './helpers';
import { Commands } from '../../../src/shared/commands';

suite('Central log host, every host it holds (central.forHost "*")', function () {
  this.timeout(600_000);
  let a: IncidentLensApi;
  let log: LogHost | undefined;
  let fleet: Record<FleetHostName, TestHost> | undefined;
  const cfg = () => vscode.workspace.getConfiguration('incidentLens', workspaceFolder().uri);

  suiteSetup(async () => {
    a = await api();
    log = await startLogHost();
    fleet = startFleet(FLEET_HOSTS, { env: { TESTHOST_FORWARD_JOURNAL_URL: `http://127.0.0.1:${log.journalPort}`, TESTHOST_FORWARD_SYSLOG: `127.0.0.1:${log.syslogPort}` } });
    // the condition: every line each host forwards is on the log host (rsyslog and journal-upload ship asynchronously)
    for (const n of FLEET_HOSTS) await waitForwarded(log, n, path.join(FLEET_ROOT, n), { tz: fleet[n].timezone, ref: new Date(`${FLEET_WINDOW.at.replace(' ', 'T')}:00Z`) }, 120_000);
    await cfg().update('central.forHost', '*', vscode.ConfigurationTarget.Workspace);
  });

  suiteTeardown(async () => {
    await cfg().update('central.forHost', undefined, vscode.ConfigurationTarget.Workspace);
    stopFleet(fleet);
    log?.stop();
  });

  test('the fleet verdict on app2 from the log host: tree levels per host, timeline lanes, report sections', async () => {
    const [date, time] = FLEET_WINDOW.at.split(' ');
    const d = await vscode.commands.executeCommand(Commands.diagnose, {
      target: `deploy@127.0.0.1:${log!.port}`,
      identityFile: log!.sudoUser.privateKey,
      knownHostsFile: log!.knownHosts,
      date,
      time,
      before: FLEET_WINDOW.before,
      after: FLEET_WINDOW.after,
      interactive: false,
    } satisfies DiagnoseArgs);
    assert.ok(d, 'incidentLens.diagnose resolves');
    const f = a.fleet;
    assert.ok(f, 'api.fleet is the fleet read on the log host');
    assert.deepEqual(f.hosts.map((h) => h.name).sort(), [...FLEET_HOSTS].sort(), 'every host the log host holds');
    assert.equal(f.verdict, 'oom_kill', JSON.stringify(f.hosts.map((h) => [h.name, h.status, h.diagnosis?.verdict])));
    assert.equal(f.failedHosts[0]?.host, 'app2');
    const best = f.causes.find((c) => c.id === 'oom_kill')!;
    assert.ok(best.evidence.some((e) => e.host === 'app2' && /Out of memory: Killed process 1105 \(gunicorn\)/.test(e.line)), JSON.stringify(best.evidence.map((e) => [e.host, e.source])));
    assert.ok(best.evidence.some((e) => e.host === 'front' && e.source === 'nginx_access' && /"POST \/adherents\/communiquer\/ HTTP\/1\.1" 502/.test(e.line)), "the front's 502");

    // the tree: the fleet verdict naming app2, one level per host, each with that host's sources read on the log host
    const roots = await children(a);
    assert.equal(roots[0].info.kind, 'fleetVerdict');
    assert.match(roots[0].info.label, /on app2$/);
    const hosts = roots.filter((r) => r.info.kind === 'host');
    assert.equal(hosts.length, 4, roots.map((r) => r.info.label).join(' | '));
    const app2 = hosts.find((h) => /^app2\b/.test(h.info.label))!;
    assert.match(String(app2.item.description), /the send failed here/);
    const app2Sources = await children(a, app2.node);
    const journal = app2Sources.find((s) => /~journal$/.test(s.info.source ?? ''));
    assert.ok(journal, app2Sources.map((s) => s.info.source).join(' '));
    const excerpt = await vscode.workspace.openTextDocument(a.excerptUri(journal.info.source!));
    assert.match(excerpt.getText(), /Worker \(pid:1105\) was sent SIGKILL/, "app2's gunicorn master line, from the central journal");
    const command = f.hosts.find((h) => h.name === 'app2')!.diagnosis!.sources.find((x) => x.id === 'journal')!.command;
    assert.match(command, /^journalctl --directory '\/var\/log\/journal\/remote' '_HOSTNAME=app2'/, 'read on the log host, filtered by _HOSTNAME');

    // the timeline: one lane per host that logged in the window, app2's lane holding the OOM kill
    const tl = buildTimeline(fleetTimelineDiagnosis(f, a.diagnosis!));
    // (a host with no event in the window is listed as quiet instead of drawing an empty lane)
    assert.equal(tl.rows.length + tl.quiet.length, 4, `${tl.rows.map((r) => r.label).join(' | ')} / quiet ${tl.quiet.join(' ')}`);
    assert.ok(tl.rows.some((r) => /app2/.test(r.label) && r.errors.some((n) => n > 0)), JSON.stringify(tl.rows.map((r) => [r.label, r.errors.reduce((s, n) => s + n, 0)])));
    await vscode.commands.executeCommand(Commands.showTimeline);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'Incident Timeline');
    await waitFor('the Incident Timeline tab', () => tabs()[0]);
    await vscode.window.tabGroups.close(tabs());

    // the report: the fleet verdict, then one section per host
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.exportReport, { to: 'workspace' });
    assert.ok(uri, 'the report is written');
    const md = fs.readFileSync(uri.fsPath, 'utf8');
    fs.rmSync(uri.fsPath);
    assert.match(md, /## Verdict: `oom_kill` — app2/);
    for (const n of FLEET_HOSTS) assert.match(md, new RegExp(`## Host \`${n}\``), `a section for ${n}`);
  });
});
