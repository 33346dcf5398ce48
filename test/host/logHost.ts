/**
 * A real central log host and app hosts that forward to it, from test/host/testhost.sh: the log host runs
 * Debian's systemd-journal-remote and rsyslogd as receivers and systemd-journal-gatewayd, all on 127.0.0.1;
 * each app host ships its journal with systemd-journal-upload and forwards its log files with rsyslogd
 * (imfile + omfwd over TCP). Nothing is copied by hand: what the log host holds came over the wire.
 */
import { createServer } from 'node:net';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_ROOT, startTestHost, TestHost, TestHostOptions } from './testHost';
import { parseLine } from '../../src/core/parse/prefix';

export interface LogHost extends TestHost {
  journalPort: number;
  syslogPort: number;
  gatewayPort: number;
}

/** A port the kernel says is free now (bound to 0 then released): no clash with other helpers' hosts. */
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

export async function startLogHost(opts: TestHostOptions = {}): Promise<LogHost> {
  const [journalPort, syslogPort, gatewayPort, port] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const host = startTestHost({
    port,
    hostname: 'loghost',
    ...opts,
    env: { TESTHOST_RECEIVE_JOURNAL_PORT: String(journalPort), TESTHOST_RECEIVE_SYSLOG_PORT: String(syslogPort), TESTHOST_GATEWAY_PORT: String(gatewayPort), ...(opts.env ?? {}) },
  });
  return { ...host, journalPort, syslogPort, gatewayPort };
}

/** An app host (fixture logs, its own sshd/hostname/machine-id) that forwards its journal and log files to `log`. */
export async function startForwardingHost(log: LogHost, fixtures: string, hostname: string, opts: TestHostOptions = {}): Promise<TestHost> {
  return startTestHost({
    port: await freePort(),
    fixtures,
    hostname,
    ...opts,
    env: { TESTHOST_FORWARD_JOURNAL_URL: `http://127.0.0.1:${log.journalPort}`, TESTHOST_FORWARD_SYSLOG: `127.0.0.1:${log.syslogPort}`, ...(opts.env ?? {}) },
  });
}

/** The files testhost.sh's forwarder reads (same list), under a fixture folder. */
function forwardedFiles(fixtures: string): string[] {
  const dir = fixtures.startsWith('/') ? fixtures : join(FIXTURES_ROOT, fixtures);
  const fixed = ['var/log/nginx/access.log', 'var/log/nginx/error.log', 'var/log/syslog', 'var/log/mail.log', 'var/log/mail.err', 'var/log/aquademie/gunicorn.log'].map((f) => join(dir, f));
  const globbed = [['var/log/postgresql', /\.log$/], ['var/www/aquademie/logs', /\.log$/]].flatMap(([d, re]) => {
    const p = join(dir, d as string);
    return existsSync(p) ? readdirSync(p).filter((f) => (re as RegExp).test(f)).map((f) => join(p, f)) : [];
  });
  return [...fixed, ...globbed].filter((f) => existsSync(f) && statSync(f).isFile());
}

/** Complete, non-empty lines (rsyslog's imfile ships a line once its newline is written). */
function lineCount(file: string): number {
  const parts = readFileSync(file, 'utf8').split('\n');
  parts.pop();
  return parts.filter((l) => l.trim()).length;
}

/**
 * Waits until the log host holds every forwarded line of `hostname` (the condition, not a delay):
 * its rsyslog tree has as many lines as the app host's forwarded files, and its journal has entries.
 */
export async function waitForwarded(log: LogHost, hostname: string, fixtures: string, times?: { tz: string; ref: Date }, timeoutMs = 60_000): Promise<void> {
  const want = forwardedFiles(fixtures).reduce((n, f) => n + lineCount(f), 0);
  const deadline = Date.now() + timeoutMs;
  let got = '';
  for (;;) {
    got = log.ssh(`sudo sh -c 'cat /var/log/remote/${hostname}/*.log 2>/dev/null | grep -c . ; journalctl --directory /var/log/journal/remote _HOSTNAME=${hostname} -o cat 2>/dev/null | grep -c . ; true'`).trim();
    const [lines, entries] = got.split('\n').map(Number);
    if (lines >= want && entries > 0) {
      if (times) settleTreeTimes(log, hostname, times);
      return;
    }
    if (Date.now() > deadline) throw new Error(`log host did not receive ${hostname}'s logs: ${lines}/${want} lines, ${entries} journal entries`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A real log host writes each line as it arrives, so a tree file's last write is when its app host logged its last line.
 * The fixtures are forwarded all at once, now: give each tree file of `hostname` the time of its last line (read in
 * the app host's zone), as it would have on a log host that received them live.
 */
function settleTreeTimes(log: LogHost, hostname: string, times: { tz: string; ref: Date }): void {
  const out = log.ssh(`sudo sh -c 'for f in /var/log/remote/${hostname}/*.log; do [ -f "$f" ] && printf "%s\\t%s\\n" "$f" "$(tail -n 1 "$f")"; done; true'`);
  for (const row of out.split('\n')) {
    const tab = row.indexOf('\t');
    if (tab < 0) continue;
    const [file, last] = [row.slice(0, tab), row.slice(tab + 1)];
    const at = ['syslog', 'nginx_access', 'nginx_error', 'gunicorn_log', 'postgresql', 'mail_log']
      .map((source) => parseLine(last, { source, tz: times.tz, ref: times.ref })?.time)
      .find((t) => t && !Number.isNaN(t.getTime()));
    if (at) log.ssh(`sudo touch -d @${Math.floor(at.getTime() / 1000)} '${file}'`);
  }
}
