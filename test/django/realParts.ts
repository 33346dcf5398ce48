// Real servers for the Django proofs, each on a free loopback port with its own folder, stopped by the tests:
// Debian's redis-server (the Celery broker), gunicorn (--timeout 5) serving the copied app, and the helpers to
// talk to them. Every wait polls a condition.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Proc {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Spawns a process, collecting its stdout+stderr; stop() sends SIGTERM and waits (SIGKILL after 10 s). */
export function spawnProc(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }): Proc {
  // stdin stays open (a pipe): the SMTP test server stops when its stdin closes.
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return { child, output: () => out, stop };
}

/** Polls until get() returns a value (or throws after `ms`, naming what was awaited). */
export async function waitUntil<T>(what: string, get: () => T | undefined | Promise<T | undefined>, ms = 60000, detail?: () => string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${detail ? `\n${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRedis(dir: string): Promise<{ port: number; proc: Proc }> {
  const port = await freePort();
  const proc = spawnProc('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {});
  await waitUntil('redis-server ready', () => proc.output().includes('Ready to accept connections') || undefined, 20000, proc.output);
  return { port, proc };
}

export interface HttpResult {
  status: number;
  location?: string;
  body: string;
}

export function post(port: number, path: string, form: Record<string, string>, session: string): Promise<HttpResult> {
  const csrf = 'a'.repeat(32);
  const body = new URLSearchParams({ ...form, csrfmiddlewaretoken: csrf }).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), Cookie: `sessionid=${session}; csrftoken=${csrf}`, 'X-CSRFToken': csrf } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += String(d)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** gunicorn (Debian's) with --timeout 5 serving the app copy; ready when it answers HTTP. */
export async function startGunicorn(app: string, env: NodeJS.ProcessEnv): Promise<{ port: number; proc: Proc }> {
  const port = await freePort();
  const proc = spawnProc('/usr/bin/gunicorn', ['--bind', `127.0.0.1:${port}`, '--timeout', '5', '--workers', '1', '--chdir', app, 'aquademie.wsgi:application'], { cwd: app, env });
  await waitUntil(
    'gunicorn answering',
    () =>
      new Promise<boolean | undefined>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path: '/adherents/', method: 'GET' }, (res) => {
          res.resume();
          resolve(true);
        });
        req.on('error', () => resolve(undefined));
        req.end();
      }),
    30000,
    proc.output,
  );
  return { port, proc };
}

export function python(): string {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import django, aiosmtpd, celery, redis'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`/usr/bin/python3 lacks django/aiosmtpd/celery/redis: run scripts/ensure-deps.sh\n${r.stderr}`);
  return '/usr/bin/python3';
}
