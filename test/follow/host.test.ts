/**
 * Follow Live against the real test host: lines appended to the fixture logs (and new journal entries)
 * while following appear in time order with their classification; a rotated log keeps being followed;
 * stop() leaves no process on the host; a dropped connection is reported and reconnects on demand.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PROFILE } from '../../src/core/index';
import { followDiagnosis, startFollow, type FollowCause, type FollowLine, type FollowNotice, type FollowSession } from '../../src/core/follow/index';
import { connectSsh, type SshRunner } from '../../src/transport/index';
import { hostOptions, useTestHost } from '../host/sshSetup';
import { startTestHost } from '../host/testHost';
import { pollUntil } from '../transport/helpers';
import { appendJournal, appendLog, followProcesses, line, rotateLog } from './append';

let runner: SshRunner;
/** Sessions still running when a test fails are stopped before the next test starts. */
const open = new Set<FollowSession>();
const TZ = 'Europe/Paris';
const SEND = 'POST /adherents/communiquer/';

const ssh = useTestHost(
  { fixtures: 'seed-incident' },
  {
    ready: async (s) => {
      runner = await connectSsh(hostOptions(s.host, s.dir));
    },
    done: () => runner?.close(),
  },
);

interface Seen {
  lines: FollowLine[];
  causes: [FollowCause, FollowLine][];
  notices: FollowNotice[];
}

async function follow(sources?: string[]): Promise<{ session: FollowSession; seen: Seen }> {
  const session = await startFollow(runner, { profile: DEFAULT_PROFILE, sources });
  const seen: Seen = { lines: [], causes: [], notices: [] };
  session.on({
    onLines: (l) => seen.lines.push(...l),
    onCause: (c, l) => seen.causes.push([c, l]),
    onNotice: (n) => seen.notices.push(n),
  });
  open.add(session);
  session.start();
  const programs = session.o.sources.length;
  // -n 0: only lines written after the follow started are shown, so wait until every follow runs on the host
  await pollUntil(`${programs} follow processes on the host`, () => followProcesses(ssh.host).filter((l) => /^\s*\d+\s+root\s+(tail|journalctl)\b/.test(l)).length >= programs, 15000);
  return { session, seen };
}

afterEach(async () => {
  for (const s of open) await s.stop();
  open.clear();
});

const noFollowLeft = () => pollUntil('no follow process left on the host', () => followProcesses(ssh.host).length === 0, 5000);

test('lines appended while following appear in time order, classified by the diagnosis rules, one notification per cause', async () => {
  const { session, seen } = await follow();
  assert.equal(session.o.tz, TZ, 'the host zone is probed');
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000 - 10_000);
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  // written out of time order, across five logs, in one burst
  appendLog(ssh.host, '/var/log/nginx/error.log', [
    line.nginxError(at(2), TZ, `upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.50, server: aquademie.example.fr, request: "${SEND} HTTP/1.1", upstream: "http://unix:/run/aquademie.sock:/adherents/communiquer/"`),
  ]);
  appendJournal(ssh.host, [
    { time: at(1), message: line.gunicorn(at(1), TZ, 'CRITICAL', 'WORKER TIMEOUT (pid:1300)'), priority: 2 },
    { time: at(3), message: line.gunicorn(at(3), TZ, 'INFO', 'Booting worker with pid: 1301') },
  ]);
  appendLog(ssh.host, '/var/log/nginx/access.log', [line.nginxAccess(at(4), TZ, 'GET /adherents/?page=3', 200), line.nginxAccess(at(4), TZ, SEND, 502)]);
  appendLog(ssh.host, '/var/log/mail.log', [
    line.syslog(at(0), TZ, 'postfix/smtp[51214]', '4YZbP73Gkmz1xV: to=<claire.moreau@example.org>, relay=mx.example.org[192.0.2.25]:25, delay=1.2, delays=0.05/0.01/0.5/0.6, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.25] said: 550 5.1.1 <claire.moreau@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command))'),
  ]);
  appendLog(ssh.host, '/var/log/syslog', [
    line.syslog(at(5), TZ, 'CRON[59099]', '(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)'),
    line.syslog(at(5), TZ, 'kernel', '[81234.567890] Out of memory: Killed process 1300 (gunicorn) total-vm:812344kB, anon-rss:602112kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:1400kB oom_score_adj:0'),
  ]);
  await pollUntil('6 followed lines', () => seen.lines.length >= 6, 10000);
  const lines = session.lines();
  assert.deepEqual(
    lines.map((l) => l.source),
    ['mail_log', 'journal', 'nginx_error', 'journal', 'nginx_access', 'syslog'],
    `time order across sources: ${lines.map((l) => `${l.time} ${l.source}`).join(' | ')}`,
  );
  assert.deepEqual(lines.map((l) => Date.parse(l.time) - t0.getTime()), [0, 1000, 2000, 3000, 4000, 5000]);
  assert.deepEqual(
    lines.map((l) => l.cause ?? '-'),
    ['smtp_reply', 'http_timeout', 'http_timeout', '-', 'http_timeout', 'oom_kill'],
  );
  assert.ok(!lines.some((l) => /page=3|CRON/.test(l.text)), 'the host-side filters keep the send screen, 5xx and the app/kernel syslog lines only');
  assert.equal(session.errors, 5);
  assert.deepEqual(seen.causes.map(([c]) => c).sort(), ['http_timeout', 'oom_kill', 'smtp_reply'], 'one notification per cause, not per line');

  // when the follow ends, its lines are a diagnosis of their own
  await session.stop();
  await noFollowLeft();
  const d = followDiagnosis(session, runner.describe());
  const http = d.causes.find((c) => c.id === 'http_timeout')!;
  assert.ok(http.confidence >= 0.5, `http_timeout ${http.confidence}`);
  assert.ok(http.evidence.some((e) => e.line.includes('WORKER TIMEOUT (pid:1300)')));
  assert.ok(d.causes.find((c) => c.id === 'oom_kill')!.evidence.some((e) => e.line.includes('Killed process 1300')));
  assert.deepEqual(d.sources.map((s) => s.id), ['journal', 'nginx_error', 'nginx_access', 'mail_log', 'syslog']);
});

test('a log rotated during the follow keeps being followed (tail -F), and stop leaves no process on the host', async () => {
  const { session, seen } = await follow(['nginx_error']);
  const t = new Date();
  rotateLog(ssh.host, '/var/log/nginx/error.log', [line.nginxError(t, TZ, 'after rotation one, client: 203.0.113.9')]);
  await pollUntil('the first line of the new file', () => seen.lines.some((l) => l.text.includes('after rotation one')), 10000);
  assert.ok(seen.notices.some((n) => n.kind === 'rotated' && n.source === 'nginx_error'), JSON.stringify(seen.notices));
  appendLog(ssh.host, '/var/log/nginx/error.log', [line.nginxError(new Date(), TZ, 'after rotation two, client: 203.0.113.9')]);
  await pollUntil('a line appended to the new file', () => seen.lines.some((l) => l.text.includes('after rotation two')), 10000);
  await session.stop();
  await noFollowLeft();
  assert.equal(session.states.get('nginx_error')!.status, 'stopped');
});

test('a dropped connection is reported (never silent) and reconnects on demand', async () => {
  const { session, seen } = await follow(['journal', 'nginx_error']);
  const port = ssh.host.port;
  const dir = ssh.host.dir;
  ssh.host.stop(); // the host goes away under the follow: its connection drops
  await pollUntil('a "lost" notice', () => seen.notices.some((n) => n.kind === 'lost'), 15000);
  assert.equal(seen.notices.filter((n) => n.kind === 'lost').length, 1, 'one notice for the connection, not one per source');
  await pollUntil('every source lost', () => [...session.states.values()].every((s) => s.status === 'lost'), 10000);
  ssh.host = startTestHost({ fixtures: 'seed-incident', port, dir });
  assert.equal([...session.states.values()].filter((s) => s.status === 'following').length, 0, 'no reconnection by itself');
  assert.deepEqual(session.reconnect().sort(), ['journal', 'nginx_error']);
  await pollUntil('follow processes again', () => followProcesses(ssh.host).filter((l) => /^\s*\d+\s+root\s+(tail|journalctl)\b/.test(l)).length >= 2, 15000);
  const now = new Date();
  appendJournal(ssh.host, [
    { time: now, message: line.gunicorn(now, TZ, 'INFO', 'batch 3/42 sent to 10 recipients') },
    { time: now, message: line.gunicorn(now, TZ, 'CRITICAL', 'WORKER TIMEOUT (pid:1400)'), priority: 2 },
  ]);
  await pollUntil('a line after reconnecting', () => seen.lines.some((l) => l.text.includes('pid:1400')), 10000);
  assert.deepEqual(session.progress, { batch: 3, batches: 42, recipients: 10 }, 'the progress line updates the progress');
  await session.stop();
  await noFollowLeft();
});
