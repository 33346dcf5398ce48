// The central log host in VS Code: a real log host (systemd-journal-remote, rsyslog, systemd-journal-gatewayd on its
// loopback) fed for real by an app host whose worker was OOM-killed (systemd-journal-upload, rsyslog forwarding);
// Diagnose Mail Incident with `centralFor` reads app2's logs there and shows oom_kill with its evidence in the tree.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Diagnosis } from '../../../src/core/model';
import type { DiagnoseArgs, IncidentLensApi } from '../../../src/ui/api';
import { api, children, REPO_ROOT, waitFor } from './helpers';
import { closedPort } from './testHostInfo';
import { Commands } from '../../../src/shared/commands';

const SCRIPT = path.join(REPO_ROOT, 'test', 'host', 'testhost.sh');

interface Started {
  dir: string;
  port: number;
  env: NodeJS.ProcessEnv;
}

function start(name: string, port: number, fixtures: string, extra: Record<string, string>): Started {
  const dir = `/tmp/incident-lens-vscode-central-${name}-${port}`;
  const env = { ...process.env, TESTHOST_DIR: dir, TESTHOST_PORT: String(port), TESTHOST_HOSTNAME: name, ...extra };
  execFileSync('bash', [SCRIPT, 'stop'], { env, stdio: 'ignore' });
  execFileSync('bash', [SCRIPT, 'start', ...(fixtures ? [fixtures] : [])], { env, stdio: 'ignore' });
  return { dir, port, env };
}

const stop = (h?: Started) => h && execFileSync('bash', [SCRIPT, 'stop'], { env: h.env, stdio: 'ignore' });

suite('Central log host (journal-remote, rsyslog, gatewayd)', () => {
  let a: IncidentLensApi;
  let log: Started | undefined;
  let app: Started | undefined;
  let gatewayPort = 0;

  suiteSetup(async function () {
    this.timeout(240_000);
    a = await api();
    const [jr, rs, gw, lp, ap] = [await closedPort(), await closedPort(), await closedPort(), await closedPort(), await closedPort()];
    gatewayPort = gw;
    log = start('loghost', lp, '', { TESTHOST_RECEIVE_JOURNAL_PORT: String(jr), TESTHOST_RECEIVE_SYSLOG_PORT: String(rs), TESTHOST_GATEWAY_PORT: String(gw) });
    app = start('app2', ap, path.join(REPO_ROOT, 'test', 'fixtures', 'hosts', 'cause-oom-kill'), {
      TESTHOST_FORWARD_JOURNAL_URL: `http://127.0.0.1:${jr}`,
      TESTHOST_FORWARD_SYSLOG: `127.0.0.1:${rs}`,
    });
    // the condition: the log host's tree holds app2's nginx 502 line (rsyslog forwards asynchronously)
    await waitFor(
      "app2's forwarded nginx log on the log host",
      () => {
        const out = execFileSync('bash', [SCRIPT, 'ssh', 'deploy', "sudo grep -c ' 502 ' /var/log/remote/app2/nginx-access.log; true"], { env: log!.env, encoding: 'utf8' });
        return Number(out.trim()) > 0 ? true : undefined;
      },
      120_000,
      500,
    );
  });
  suiteTeardown(() => {
    stop(app);
    stop(log);
  });

  for (const via of ['journal files and the syslog tree', 'systemd-journal-gatewayd over the SSH connection']) {
    test(`centralFor app2, through the ${via}: oom_kill with app2's evidence, in the tree`, async () => {
      const gateway = via.startsWith('systemd');
      const conf = vscode.workspace.getConfiguration('incidentLens');
      await conf.update('central.gatewayPort', gateway ? gatewayPort : 0, vscode.ConfigurationTarget.Workspace);
      try {
        const d = await vscode.commands.executeCommand<Diagnosis | undefined>(Commands.diagnose, {
          target: `deploy@127.0.0.1:${log!.port}`,
          identityFile: path.join(log!.dir, 'state', 'keys', 'deploy_ed25519'),
          knownHostsFile: path.join(log!.dir, 'state', 'known_hosts'),
          date: '2025-04-09',
          time: '21:40',
          centralFor: 'app2',
          interactive: false,
        } satisfies DiagnoseArgs);
        assert.ok(d, 'the diagnosis');
        assert.equal(d.verdict, 'oom_kill', d.sources.map((s) => `${s.id}=${s.status}`).join(' '));
        assert.match(d.target, /^app2 \(central log host deploy@127\.0\.0\.1:\d+\)$/);
        const best = d.causes.find((c) => c.id === 'oom_kill')!;
        assert.ok(best.evidence.some((e) => e.source === 'kernel_oom' && e.line.includes('Out of memory: Killed process 1105 (gunicorn)')), 'kernel line');
        assert.ok(best.evidence.some((e) => e.source === 'nginx_access' && e.line.includes('"POST /adherents/communiquer/ HTTP/1.1" 502 157')), 'the 502 of the POST');
        const journal = d.sources.find((s) => s.id === 'journal')!;
        assert.equal(journal.status, 'ok');
        if (gateway) assert.match(journal.command, /^GET http:\/\/127\.0\.0\.1:\d+\/entries\?_HOSTNAME=app2 /);
        else assert.match(journal.command, /^journalctl --directory '\/var\/log\/journal\/remote' '_HOSTNAME=app2'/);
        const roots = await children(a);
        assert.equal(roots[0].info.kind, 'verdict');
        assert.match(roots[0].info.label, /OOM|oom/i, roots[0].info.label);
        const sources = roots.filter((r) => r.info.kind === 'source');
        assert.ok(sources.some((r) => r.info.source === 'nginx_access' && /\(app2\)$/.test(r.info.label)), sources.map((r) => r.info.label).join(' | '));
      } finally {
        await conf.update('central.gatewayPort', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });
  }
});
