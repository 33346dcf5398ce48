// Proof of "Move the send out of the request" with real parts: Debian's Django, gunicorn (--timeout 5), aiosmtpd
// refusing the 3rd batch with a 450, and for the Celery variant redis-server + a Celery worker. The fix is applied
// by the CLI (dist/cli.js fix --fix background-task --write) to a copy of the sample app. The patched view answers
// before the send is done (the SMTP server has not received every batch when the response arrives); the job sends
// every other batch, logs the refused one, and nothing is lost silently.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../server/lspHarness';
import { post, python, spawnProc, startGunicorn, startRedis, waitUntil, type Proc } from './realParts';

const MEMBERS = 45; // 5 batches of 10: 10, 10, 10, 10, 5
const HERE = __dirname;
let work: string;
let py: string;
const procs: Proc[] = [];

before(() => {
  py = python();
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'il-bgproof-'));
});

after(async () => {
  for (const p of procs.splice(0)) await p.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function copyApp(name: string): string {
  const app = join(work, name, 'aquademie');
  cpSync(join(ROOT, 'samples', 'aquademie'), app, { recursive: true, filter: (s) => !s.includes('__pycache__') });
  return app;
}

function cli(app: string, ...args: string[]): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { cwd: app, encoding: 'utf8' });
  assert.equal(r.status, 0, `incident-lens ${args.join(' ')}: ${r.stderr}`);
}

interface Received {
  n: number;
  accepted: boolean;
  rcpt_tos: string[];
}
const readReceived = (out: string): Received[] => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Received) : []);
const member = (k: number) => `membre${String(k).padStart(3, '0')}@example.org`;
const batch = (b: number) => Array.from({ length: Math.min(10, MEMBERS - (b - 1) * 10) }, (_, i) => member((b - 1) * 10 + i));
const members = (r: Received[]) => r.filter((x) => x.accepted).flatMap((x) => x.rcpt_tos.filter((a) => a.startsWith('membre'))).sort();

async function startSmtp(out: string): Promise<{ port: number; proc: Proc }> {
  const proc = spawnProc(py, [join(HERE, 'smtp_server.py')], { env: { ...process.env, OUT: out, REJECT_DATA: '3' } });
  procs.push(proc);
  const line = await waitUntil('SMTP server ready', () => proc.output().split('\n').find((l) => l.startsWith('READY ')), 20000, proc.output);
  return { port: Number(line.slice(6)), proc };
}

function appEnv(app: string, smtpPort: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONPATH: app,
    DJANGO_SETTINGS_MODULE: 'aquademie.settings',
    DJANGO_DB_ENGINE: 'django.db.backends.sqlite3',
    DJANGO_DB_NAME: join(app, 'db.sqlite3'),
    EMAIL_HOST: '127.0.0.1',
    EMAIL_PORT: String(smtpPort),
    EMAIL_USE_SSL: '0',
    ...extra,
  };
}

function prepare(app: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync(py, [join(HERE, 'prepare.py'), String(MEMBERS)], { cwd: app, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { session: string }).session;
}

function assertDelivery(received: Received[]): void {
  assert.deepEqual(received.map((r) => [r.n, r.accepted]), [[1, true], [2, true], [3, false], [4, true], [5, true]]);
  assert.deepEqual(members(received), [...batch(1), ...batch(2), ...batch(4), ...batch(5)].sort(), 'every batch but the refused one reached the server');
}

test('management-command variant: the view answers at once; the command (as systemd starts it) sends, logs and keeps the refused batch', async () => {
  const app = copyApp('cmd');
  cli(app, 'fix', 'gestion/views.py', '--fix', 'logging', '--write');
  cli(app, 'fix', 'gestion/views.py', '--fix', 'background-task', '--write');
  mkdirSync(join(app, 'logs'));
  const out = join(work, 'smtp-cmd.jsonl');
  const smtp = await startSmtp(out);
  const env = appEnv(app, smtp.port);
  const session = prepare(app, env);
  const web = await startGunicorn(app, env);
  procs.push(web.proc);
  const res = await post(web.port, '/adherents/communiquer/', { sujet: 'Assemblée générale', message: 'Bonjour à tous' }, session);
  assert.equal(res.status, 302, web.proc.output());
  assert.equal(readReceived(out).length, 0, 'the view answered without sending: the send left the request');
  const jobs = readdirSync(join(app, 'mail_jobs')).filter((f) => f.endsWith('.json'));
  assert.equal(jobs.length, 1, 'the view recorded the send');
  await web.proc.stop();

  // What the systemd path unit starts when the job file arrives.
  const run = spawnSync(py, ['manage.py', 'send_adherents_communiquer'], { cwd: app, env, encoding: 'utf8', timeout: 120000 });
  assert.equal(run.status, 0, run.stderr);
  assertDelivery(readReceived(out));
  assert.match(run.stderr, /batch 3\/5 failed \(10 recipients\); continuing with the next batch/);
  assert.match(run.stderr, /batch 4\/5 sent to 10 recipients/);
  assert.match(run.stderr, /mail job \S+: batches 3 not sent; kept in /);
  const kept = readdirSync(join(app, 'mail_jobs_incomplete'));
  assert.equal(kept.length, 1);
  const job = JSON.parse(readFileSync(join(app, 'mail_jobs_incomplete', kept[0]), 'utf8')) as { args: string[]; failed: number[] };
  assert.deepEqual(job, { args: ['Assemblée générale', 'Bonjour à tous'], failed: [3] }, 'the refused batch is kept for a resend');
  assert.deepEqual(readdirSync(join(app, 'mail_jobs')), [], 'the queue is empty: systemd is not started again');
  assert.match(readFileSync(join(app, 'logs', 'django.log'), 'utf8'), /ERROR gestion\.management\.commands\.send_adherents_communiquer \[\d+\] batch 3\/5 failed/);
  await smtp.proc.stop();
});

test('Celery variant: .delay() answers while the worker is still sending; the worker sends every other batch and logs the refused one', async () => {
  const app = copyApp('celery');
  writeFileSync(join(app, 'aquademie', 'celery.py'), 'import os\n\nfrom celery import Celery\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "aquademie.settings")\napp = Celery("aquademie")\napp.config_from_object("django.conf:settings", namespace="CELERY")\napp.autodiscover_tasks()\n');
  writeFileSync(join(app, 'aquademie', '__init__.py'), 'from .celery import app as celery_app\n\n__all__ = ("celery_app",)\n');
  appendFileSync(join(app, 'aquademie', 'settings.py'), '\nCELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]\n');
  cli(app, 'fix', 'gestion/views.py', '--fix', 'logging', '--write');
  cli(app, 'fix', 'gestion/views.py', '--fix', 'background-task', '--write');
  assert.match(readFileSync(join(app, 'gestion', 'tasks.py'), 'utf8'), /@shared_task\(name="gestion\.send_adherents_communiquer"\)/);
  mkdirSync(join(app, 'logs'));
  const redisDir = join(work, 'redis');
  mkdirSync(redisDir);
  const redis = await startRedis(redisDir);
  procs.push(redis.proc);
  const out = join(work, 'smtp-celery.jsonl');
  const smtp = await startSmtp(out);
  const env = appEnv(app, smtp.port, { CELERY_BROKER_URL: `redis://127.0.0.1:${redis.port}/0` });
  const session = prepare(app, env);
  const worker = spawnProc(py, ['-m', 'celery', '-A', 'aquademie', 'worker', '-P', 'solo', '--loglevel=INFO', '--without-heartbeat', '--without-mingle', '--without-gossip'], { cwd: app, env });
  procs.push(worker);
  await waitUntil('the Celery worker ready', () => /celery@\S+ ready/.test(worker.output()) || undefined, 60000, worker.output);
  const web = await startGunicorn(app, env);
  procs.push(web.proc);
  const res = await post(web.port, '/adherents/communiquer/', { sujet: 'Assemblée générale', message: 'Bonjour à tous' }, session);
  const atResponse = readReceived(out).length;
  assert.equal(res.status, 302, web.proc.output());
  assert.ok(atResponse < 5, `the view answered before the send completed (${atResponse}/5 batches at the response)`);
  await waitUntil('every batch tried by the worker', () => readReceived(out).length >= 5 || undefined, 90000, worker.output);
  await waitUntil('the worker summary', () => /bulk send finished: 4\/5 batches sent, 1 failed/.test(worker.output()) || undefined, 30000, worker.output);
  assertDelivery(readReceived(out));
  assert.match(worker.output(), /batch 3\/5 failed \(10 recipients\); continuing with the next batch/);
  assert.match(worker.output(), /batches not sent: 3/);
  assert.match(worker.output(), /Task gestion\.send_adherents_communiquer\[[\w-]+\] succeeded/);
});
