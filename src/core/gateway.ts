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
import { msg } from './l10n';

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
    const timer = setTimeout(() => req.destroy(new RunnerError('COMMAND_TIMEOUT', msg('systemd-journal-gatewayd did not answer within {0} ms', timeoutMs))), timeoutMs);
    const onAbort = () => req.destroy(new RunnerError('CANCELLED', msg('cancelled')));
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
      reject(e instanceof RunnerError ? e : new RunnerError('UNREACHABLE', msg('systemd-journal-gatewayd: {0}', e.message)));
    });
    req.end();
  });
}

/** The matches as gatewayd's query string (all of them at once). */
export function gatewayPath(matches: string[]): string {
  const enc = (m: string) => {
    const k = m.indexOf('=');
    return `${encodeURIComponent(m.slice(0, k))}=${encodeURIComponent(m.slice(k + 1))}`;
  };
  return `/entries?${matches.map(enc).join('&')}`;
}

/** True when the entry has one of the `FIELD=value` pairs (or when there are none). */
function kept(e: Record<string, unknown>, keep: string[]): boolean {
  return !keep.length || keep.some((k) => {
    const i = k.indexOf('=');
    return e[k.slice(0, i)] === k.slice(i + 1);
  });
}

interface Acc {
  lines: string[];
  bytes: number;
  stderr?: string;
  truncated?: boolean;
}

/** Reads one page into `acc`; returns the cursor to continue from, or undefined at the window's end. */
async function readPage(runner: CommandRunner, q: GatewayQuery, range: string, acc: Acc, opts: { timeoutMs: number; maxBytes: number; signal?: AbortSignal }): Promise<string | undefined> {
  let stream: Duplex;
  try {
    stream = await runner.openLoopback!(q.port);
  } catch (e) {
    if (!(e instanceof RunnerError && e.code === 'UNREACHABLE')) throw e;
    acc.stderr = `No such file or directory: no systemd-journal-gatewayd on 127.0.0.1:${q.port} of the log host (${e.message})`;
    return undefined;
  }
  const page = await get(stream, q.port, gatewayPath(q.matches), range, opts.timeoutMs, opts.signal);
  if (page.status !== 200) {
    acc.stderr = `systemd-journal-gatewayd answered HTTP ${page.status}: ${page.body.slice(0, 200).trim()}`;
    return undefined;
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
    if (t > q.untilUs) return undefined;
    if (typeof e.__CURSOR === 'string') cursor = e.__CURSOR;
    if (t < q.sinceUs || !kept(e, q.keep)) continue;
    acc.bytes += l.length + 1;
    if (acc.bytes > opts.maxBytes) {
      acc.truncated = true;
      return undefined;
    }
    acc.lines.push(l + '\n');
  }
  return lines.length < q.pageSize ? undefined : cursor;
}

/** Runs one gateway query over the window, page after page; same result shape as a command. */
export async function readGateway(runner: CommandRunner, q: GatewayQuery, opts: { timeoutMs: number; maxBytes: number; signal?: AbortSignal }): Promise<RunResult> {
  const started = Date.now();
  if (!runner.openLoopback) return { stdout: '', stderr: 'this connection cannot open a forwarded channel to systemd-journal-gatewayd', code: 2, truncated: false, durationMs: 0 };
  const acc: Acc = { lines: [], bytes: 0 };
  let range = `entries=t=${q.sinceUs.toString(16)}:0:${q.pageSize}`;
  for (;;) {
    if (Date.now() - started > opts.timeoutMs) throw new RunnerError('COMMAND_TIMEOUT', msg('systemd-journal-gatewayd paging did not finish within {0} ms', opts.timeoutMs));
    const cursor = await readPage(runner, q, range, acc, opts);
    if (!cursor) break;
    range = `entries=${cursor}:1:${q.pageSize}`;
  }
  const code = acc.truncated ? null : acc.stderr ? 2 : 0;
  return { stdout: acc.lines.join(''), stderr: acc.stderr ?? '', code, truncated: !!acc.truncated, durationMs: Date.now() - started };
}
