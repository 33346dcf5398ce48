/**
 * Starts and stops the project's real test host (test/host/testhost.sh: Debian's OpenSSH sshd on
 * 127.0.0.1 inside private namespaces, fixture logs at the real paths). Tests call startTestHost()
 * in `before` and stop() in `after`; several instances may run side by side (distinct dir and port).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HOST_DIR } from './paths';

export const TESTHOST_SCRIPT = resolve(HOST_DIR, 'testhost.sh');
export const FIXTURES_ROOT = resolve(HOST_DIR, '..', 'fixtures', 'hosts');

export interface TestUser {
  username: string;
  password: string;
  privateKey: string;
  rsaPrivateKey?: string;
  sudo: string;
}

export interface TestHost {
  host: string;
  port: number;
  hostname: string;
  hostKeyFingerprint: string;
  knownHosts: string;
  timezone: string;
  sudoUser: TestUser;
  passwordSudoUser: TestUser;
  /** The host's state/run folder, e.g. to read run/sshd.log. */
  dir: string;
  sshdLog: string;
  /** Runs a command inside the host as the NOPASSWD user through the system ssh client. */
  ssh(command: string, user?: string): string;
  stop(): void;
}

export interface TestHostOptions {
  /** Fixture folder name under test/fixtures/hosts, or an absolute path; omitted = no fixtures. */
  fixtures?: string;
  port?: number;
  dir?: string;
  maxSessions?: number;
  timezone?: string;
  hostname?: string;
  env?: Record<string, string>;
}

let nextPort = 22220 + (process.pid % 500) * 4;

/** A port for a test host: distinct per process so parallel test files do not collide. */
export function allocatePort(): number {
  return nextPort++;
}

export function startTestHost(opts: TestHostOptions = {}): TestHost {
  const port = opts.port ?? allocatePort();
  const dir = opts.dir ?? `/tmp/incident-lens-testhost-${port}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    TESTHOST_DIR: dir,
    TESTHOST_PORT: String(port),
    ...(opts.maxSessions ? { TESTHOST_MAX_SESSIONS: String(opts.maxSessions) } : {}),
    ...(opts.timezone ? { TESTHOST_TZ: opts.timezone } : {}),
    ...(opts.hostname ? { TESTHOST_HOSTNAME: opts.hostname } : {}),
    ...(opts.env ?? {}),
  };
  const fixtures = opts.fixtures ? (opts.fixtures.startsWith('/') ? opts.fixtures : join(FIXTURES_ROOT, opts.fixtures)) : '';
  const run = (...args: string[]) => execFileSync('bash', [TESTHOST_SCRIPT, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  run('stop');
  run('start', ...(fixtures ? [fixtures] : []));
  const info = JSON.parse(readFileSync(join(dir, 'run', 'connection.json'), 'utf8'));
  let stopped = false;
  return {
    ...info,
    dir,
    sshdLog: join(dir, 'run', 'sshd.log'),
    ssh(command: string, user = info.sudoUser.username) {
      return run('ssh', user, command);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      run('stop');
    },
  };
}
