/** The seed incident through the engine API (diagnose() on connectSsh), as the extension calls it; and a user whose sudo asks a password. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiOptions, useTestHost } from '../host/sshSetup';
import { connectSsh } from '../../src/transport/index';
import { diagnose, DEFAULT_PROFILE, renderMarkdown, rerunInDiagnosis, rerunSource, SourceResult } from '../../src/core/index';
import { adviceOf, checkDiagnosis, expected } from './helpers';

describe('seed incident through the engine API', () => {
  const e = expected('seed-incident');
  const ssh = useTestHost({ fixtures: 'seed-incident' });

  test('diagnose() on one SSH connection: verdict, evidence, code links, progress hooks', async () => {
    const runner = await connectSsh(apiOptions(ssh.host, 'deploy'));
    try {
      const stages: string[] = [];
      const seen: SourceResult[] = [];
      const d = await diagnose(runner, { profile: DEFAULT_PROFILE, at: e.at, before: e.before, after: e.after }, { onStage: (m) => stages.push(m), onSource: (r) => seen.push(r) });
      checkDiagnosis(d, e, 'api');
      assert.equal(d.window.tz, 'Europe/Paris');
      assert.ok(stages.length >= 2);
      assert.equal(seen.length, d.sources.length);
      assert.deepEqual(d.codeLinks[0], { file: 'gestion/views.py', line: 52, function: 'adherents_communiquer', source: 'journal' });
      // the runbook's §2 command is kept for copying
      assert.match(d.sources.find((s) => s.id === 'nginx_error')!.runbookCommand!, /grep -E "502\|504\|timeout\|upstream"/);
      const md = renderMarkdown(d);
      assert.match(md, /WORKER TIMEOUT \(pid:1202\)/);
      assert.doesNotMatch(md, /jean\.dupont@example\.org|203\.0\.113\.50/);
      // one source again, e.g. after fixing a permission
      const again = await rerunSource(runner, { profile: DEFAULT_PROFILE, at: e.at }, 'nginx_access');
      assert.equal(again.status, 'ok');
      assert.ok(again.events.some((x) => x.line.includes('"POST /adherents/communiquer/ HTTP/1.1" 502 157')));
    } finally {
      await runner.close();
    }
  });

  test('--tz overrides the host zone: the same instant written in UTC gives the same diagnosis', async () => {
    const runner = await connectSsh(apiOptions(ssh.host, 'deploy'));
    try {
      const d = await diagnose(runner, { profile: DEFAULT_PROFILE, at: '2025-01-15 21:20', tz: 'UTC' });
      assert.equal(d.window.tz, 'UTC');
      assert.equal(d.window.since, '2025-01-15T21:15:00.000+00:00');
      assert.equal(d.verdict, 'http_timeout');
      // a window one hour off (local time read as UTC) must not find it
      const off = await diagnose(runner, { profile: DEFAULT_PROFILE, at: '2025-01-15 22:20', tz: 'UTC' });
      assert.equal(off.verdict, 'none');
    } finally {
      await runner.close();
    }
  });

  test('a user whose sudo asks a password: root-only sources are denied with advice, the diagnosis still completes', async () => {
    const runner = await connectSsh(apiOptions(ssh.host, 'auditor'));
    try {
      const d = await diagnose(runner, { profile: DEFAULT_PROFILE, at: e.at });
      const nginx = d.sources.find((s) => s.id === 'nginx_error')!;
      assert.equal(nginx.status, 'denied', JSON.stringify(nginx));
      assert.match(adviceOf(nginx)!, /adm|sudo/);
      assert.equal(d.sources.find((s) => s.id === 'journal')!.status, 'denied', 'journalctl without the groups shows nothing: reported as denied, not empty');
      assert.equal(d.sources.find((s) => s.id === 'unit_file')!.status, 'ok');
      assert.ok(['http_timeout', 'none'].includes(d.verdict));
    } finally {
      await runner.close();
    }
  });

  test('Re-run Source: a source denied to one user, re-run once it can read, replaces its result and the verdict follows', async () => {
    const auditor = await connectSsh(apiOptions(ssh.host, 'auditor'));
    const deploy = await connectSsh(apiOptions(ssh.host, 'deploy'));
    try {
      const req = { profile: DEFAULT_PROFILE, at: e.at, before: e.before, after: e.after };
      const first = await diagnose(auditor, req);
      assert.equal(first.sources.find((s) => s.id === 'journal')!.status, 'denied');
      const d = await rerunInDiagnosis(deploy, req, first, 'journal');
      const journal = d.sources.find((s) => s.id === 'journal')!;
      assert.equal(journal.status, 'ok');
      assert.ok(journal.events.some((x) => x.kind === 'worker_timeout'));
      assert.equal(d.sources.length, first.sources.length);
      assert.equal(d.sources.find((s) => s.id === 'nginx_error')!.status, 'denied', 'other sources keep their result');
      assert.equal(d.verdict, 'http_timeout');
      assert.ok(d.codeLinks.some((c) => c.file === 'gestion/views.py' && c.line === 52));
    } finally {
      await auditor.close();
      await deploy.close();
    }
  });
});
