/**
 * Reads systemd-journal-gatewayd's `/entries` (JSON, one entry a line) through a stream the runner
 * opens to the gateway's loopback port (an SSH direct-tcpip channel): the gateway is never exposed.
 * The window is reached by seeking a realtime-only cursor (`Range: entries=t=<µs hex>:0:N`, which
 * gatewayd 252 accepts; it ignores `Range: realtime=`), then paged by the last entry's cursor until an
 * entry is past the window's end. Output: the lines of the window, as `journalctl -o json` gives them.
 */
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GatewayQuery } from './catalogue/types';
import { CommandRunner, RunnerError, RunResult } from './exec';

interface Page {
  status: number;
  body: string;
}

function get(stream: Duplex, port: number, path: string, range: string, timeoutMs: number, signal?: AbortSignal): Promise<Page> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path, method: 'GET', agent: false, createConnection: () => stream as never,
      headers: { Accept: 'application/json', Range: range, Connection: 'close' },
    });
    const timer = setTimeout(() => req.destroy(new RunnerError('COMMAND_TIMEOUT', `systemd-journal-gatewayd did not answer within ${timeoutMs} ms`)), timeoutMs);
    const onAbort = () => req.destroy(new RunnerError('CANCELLED', 'cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (b: Buffer) => chunks.push(b));
      res.on('end', () => {
        done();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (e) => {
        done();
        reject(e);
      });
    });
    req.on('error', (e) => {
      done();
      reject(e instanceof RunnerError ? e : new RunnerError('UNREACHABLE', `systemd-journal-gatewayd: ${e.message}`));
    });
    req.end();
  });
}

/** One conjunction of matches as gatewayd's query string (252 has no `+` disjunction: one request per group). */
export function gatewayPath(group: string[]): string {
  const enc = (m: string) => {
    const k = m.indexOf('=');
    return `${encodeURIComponent(m.slice(0, k))}=${encodeURIComponent(m.slice(k + 1))}`;
  };
  return `/entries?${group.map(enc).join('&')}`;
}

type Result = { lines: Map<string, { t: number; line: string }>; bytes: number; stderr?: string; code?: number | null; truncated?: boolean };

/** Pages one group from the window's start to its end into `acc` (entries keyed by cursor). */
async function readGroup(runner: CommandRunner, q: GatewayQuery, group: string[], acc: Result, opts: { timeoutMs: number; maxBytes: number; signal?: AbortSignal }, started: number): Promise<void> {
  const path = gatewayPath(group);
  let range = `entries=t=${q.sinceUs.toString(16)}:0:${q.pageSize}`;
  for (;;) {
    if (Date.now() - started > opts.timeoutMs) throw new RunnerError('COMMAND_TIMEOUT', `systemd-journal-gatewayd paging did not finish within ${opts.timeoutMs} ms`);
    let stream: Duplex;
    try {
      stream = await runner.openLoopback!(q.port);
    } catch (e) {
      if (e instanceof RunnerError && e.code === 'UNREACHABLE') {
        Object.assign(acc, { stderr: `No such file or directory: no systemd-journal-gatewayd on 127.0.0.1:${q.port} of the log host (${e.message})`, code: 2 });
        return;
      }
      throw e;
    }
    const page = await get(stream, q.port, path, range, opts.timeoutMs, opts.signal);
    if (page.status !== 200) {
      Object.assign(acc, { stderr: `systemd-journal-gatewayd answered HTTP ${page.status}: ${page.body.slice(0, 200).trim()}`, code: 2 });
      return;
    }
    const lines = page.body.split('\n').filter((l) => l.trim());
    let cursor: string | undefined;
    for (const l of lines) {
      let e: Record<string, unknown>;
      try {
        e = JSON.parse(l);
      } catch {
        continue;
      }
      const t = Number(e.__REALTIME_TIMESTAMP);
      if (t > q.untilUs) return;
      cursor = typeof e.__CURSOR === 'string' ? e.__CURSOR : cursor;
      if (t < q.sinceUs || !cursor || acc.lines.has(cursor)) continue;
      acc.bytes += l.length + 1;
      if (acc.bytes > opts.maxBytes) {
        acc.truncated = true;
        return;
      }
      acc.lines.set(cursor, { t, line: l });
    }
    if (lines.length < q.pageSize || !cursor) return;
    range = `entries=${cursor}:1:${q.pageSize}`;
  }
}

/** Runs one gateway query over the window (each match group in turn, merged by time); same result shape as a command. */
export async function readGateway(runner: CommandRunner, q: GatewayQuery, opts: { timeoutMs: number; maxBytes: number; signal?: AbortSignal }): Promise<RunResult> {
  const started = Date.now();
  if (!runner.openLoopback) return { stdout: '', stderr: 'this connection cannot open a forwarded channel to systemd-journal-gatewayd', code: 2, truncated: false, durationMs: 0 };
  const acc: Result = { lines: new Map(), bytes: 0 };
  for (const group of q.matches) {
    await readGroup(runner, q, group, acc, opts, started);
    if (acc.stderr || acc.truncated) break;
  }
  const stdout = [...acc.lines.values()].sort((a, b) => a.t - b.t).map((x) => x.line + '\n').join('');
  return { stdout, stderr: acc.stderr ?? '', code: acc.truncated ? null : acc.code ?? 0, truncated: !!acc.truncated, durationMs: Date.now() - started };
}
