/**
 * A CommandRunner that groups the commands it is given at once into a few lanes (catalogue/lane.ts): one remote
 * session and one sudo per lane instead of one per command. On a host that is what a diagnosis costs most
 * (measured on the test hosts: a session ~5 ms of the host's CPU, a sudo ~2.5 ms more, while most catalogue
 * commands cost 2–8 ms themselves). Each command still gets its own RunResult, its own streamed output, its
 * own timeout, byte cap and cancel; when one of them has to be stopped (timeout, cap, cancel) the lane is
 * closed — the transport's watchdog ends all of it on the host — and the commands the lane had not finished run
 * again in a new lane. A command given alone runs as itself.
 */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { laneCommand, LANE_END, LANE_START, MAX_LANE_CHARS } from './catalogue/lane';
import { CommandRunner, RunOptions, RunResult, RunnerError } from './exec';
import { msg } from './l10n';

interface Member {
  command: string;
  opts: RunOptions;
  resolve(r: RunResult): void;
  reject(e: unknown): void;
  out: string[];
  bytes: number;
  err: string;
  started?: number;
  /** Exit status seen on stdout / end seen on stderr. */
  code?: number;
  errDone?: boolean;
  settled?: boolean;
  timer?: ReturnType<typeof setTimeout>;
  onAbort?: () => void;
}

/** Sessions per flush: commands through sudo, and the user's own. */
export interface LaneLimits {
  sudo: number;
  user: number;
}

const DEFAULT_CAP = 64 * 1024 * 1024;

export class LaneRunner implements CommandRunner {
  private queue: Member[] = [];
  private scheduled = false;
  readonly openLoopback?: (port: number) => Promise<Duplex>;

  constructor(
    private readonly inner: CommandRunner,
    private readonly limits: LaneLimits = { sudo: 3, user: 1 },
  ) {
    if (inner.openLoopback) this.openLoopback = (port) => inner.openLoopback!(port);
  }

  describe(): string {
    return this.inner.describe();
  }

  /** The inner runner belongs to the caller: nothing to close here. */
  async close(): Promise<void> {}

  run(command: string, options: RunOptions = {}): Promise<RunResult> {
    if (options.signal?.aborted) return Promise.reject(new RunnerError('CANCELLED', msg('command cancelled')));
    return new Promise<RunResult>((resolve, reject) => {
      this.queue.push({ command, opts: options, resolve, reject, out: [], bytes: 0, err: '' });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // every command asked for in this turn of the event loop goes in the same flush
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const q = this.queue.filter((m) => !m.settled);
    this.queue = [];
    for (const sudo of [true, false]) {
      const group = q.filter((m) => !!m.opts.sudo === sudo);
      if (group.length === 1) this.alone(group[0]);
      else if (group.length) for (const lane of lanesOf(group, sudo ? this.limits.sudo : this.limits.user)) this.runLane(lane, sudo);
    }
  }

  /** One command: run as itself, exactly as without lanes. */
  private alone(m: Member): void {
    this.inner.run(m.command, m.opts).then(m.resolve, m.reject);
  }

  private runLane(members: Member[], sudo: boolean): void {
    const nonce = randomBytes(8).toString('hex');
    const lane = new Lane(members, nonce, (rest) => this.requeue(rest));
    const timeouts = members.map((m) => m.opts.timeoutMs);
    const timeoutMs = timeouts.every((t) => t) ? timeouts.reduce((a, b) => a! + b!, 0) : undefined;
    const maxBytes = members.reduce((a, m) => a + (m.opts.maxBytes ?? DEFAULT_CAP), 1024 * 1024);
    this.inner
      .run(laneCommand(nonce, members.map((m) => m.command)), {
        sudo,
        timeoutMs,
        maxBytes,
        signal: lane.abort.signal,
        discardStdout: true,
        onStdout: (s) => lane.stdout.push(s),
        onStderr: (s) => lane.stderr.push(s),
      })
      .then(
        (res) => lane.ended(res),
        (e: unknown) => lane.failed(e),
      );
  }

  private requeue(rest: Member[]): void {
    for (const m of rest) {
      if (m.settled) continue;
      Object.assign(m, { out: [], bytes: 0, err: '', started: undefined, code: undefined, errDone: undefined });
      this.queue.push(m);
    }
    if (this.queue.length) this.schedule();
  }
}

/** Splits commands into at most `n` lanes, heaviest first on the lightest lane; a lane's line stays short enough. */
export function lanesOf<T extends { command: string; opts: RunOptions }>(members: T[], n: number): T[][] {
  const cap = Math.max(1, n);
  const lanes: { items: T[]; weight: number; chars: number }[] = [];
  const order = [...members.keys()].sort((a, b) => (members[b].opts.weight ?? 1) - (members[a].opts.weight ?? 1) || a - b);
  for (const k of order) {
    const m = members[k];
    const chars = m.command.length * 1.2 + 8;
    const room = lanes.filter((l) => l.chars + chars <= MAX_LANE_CHARS).sort((a, b) => a.weight - b.weight);
    let lane = lanes.length < cap ? undefined : room[0];
    if (!lane) lanes.push((lane = { items: [], weight: 0, chars: 0 }));
    lane.items.push(m);
    lane.weight += m.opts.weight ?? 1;
    lane.chars += chars;
  }
  // within a lane the light commands first (their results come early), then the order they were asked in
  const w = (m: T) => m.opts.weight ?? 1;
  return lanes.map((l) => l.items.sort((a, b) => w(a) - w(b) || members.indexOf(a) - members.indexOf(b)));
}

/** One lane in flight: splits its streams per command and settles each command as it ends. */
class Lane {
  readonly abort = new AbortController();
  readonly stdout: Splitter;
  readonly stderr: Splitter;
  /** Why the lane was closed by us (a command's timeout, cap or cancel): the others run again. */
  private stopped = false;

  constructor(
    private readonly members: Member[],
    nonce: string,
    private readonly requeue: (rest: Member[]) => void,
  ) {
    this.stdout = new Splitter(nonce, true, (i, s) => this.text(i, s), (i, code) => this.mark(i, 'out', code), (i) => this.mark(i, 'start'));
    this.stderr = new Splitter(nonce, false, (i, s) => this.errText(i, s), (i) => this.mark(i, 'err'));
    for (const m of members) {
      if (!m.opts.signal) continue;
      m.onAbort = () => this.stop(m, () => m.reject(new RunnerError('CANCELLED', msg('command cancelled'))));
      m.opts.signal.addEventListener('abort', m.onAbort, { once: true });
    }
  }

  private text(i: number, s: string): void {
    const m = this.members[i];
    if (!m || m.settled) return;
    if (m.started === undefined) this.start(m);
    const max = m.opts.maxBytes ?? DEFAULT_CAP;
    let chunk = s;
    const len = Buffer.byteLength(s);
    if (m.bytes + len > max) chunk = Buffer.from(s).subarray(0, max - m.bytes).toString();
    m.bytes += Buffer.byteLength(chunk);
    if (chunk) {
      if (!m.opts.discardStdout) m.out.push(chunk);
      m.opts.onStdout?.(chunk);
    }
    if (chunk.length < s.length) this.stop(m, () => m.resolve(this.result(m, null, true)));
  }

  private errText(i: number, s: string): void {
    const m = this.members[i];
    if (!m || m.settled) return;
    m.err += s;
    m.opts.onStderr?.(s);
  }

  /** A command started (its start marker) or ended (its end marker on one stream). */
  private mark(i: number, what: 'start' | 'out' | 'err', code?: number): void {
    const m = this.members[i];
    if (!m || m.settled) return;
    if (m.started === undefined) this.start(m);
    if (what === 'start') return;
    if (what === 'out') m.code = code;
    if (what === 'err') m.errDone = true;
    if (m.code !== undefined && m.errDone) this.settle(m, () => m.resolve(this.result(m, m.code!, false)));
  }

  private start(m: Member): void {
    m.started = Date.now();
    const t = m.opts.timeoutMs;
    if (t) {
      m.timer = setTimeout(
        () => this.stop(m, () => m.reject(new RunnerError('COMMAND_TIMEOUT', msg('command timed out after {0} ms', t), msg('Narrow the time window or raise the command timeout.')))),
        t,
      );
    }
  }

  private result(m: Member, code: number | null, truncated: boolean): RunResult {
    return { stdout: m.out.join(''), stderr: m.err, code, truncated, durationMs: Date.now() - (m.started ?? Date.now()) };
  }

  private settle(m: Member, f: () => void): void {
    if (m.settled) return;
    m.settled = true;
    if (m.timer) clearTimeout(m.timer);
    if (m.onAbort) m.opts.signal?.removeEventListener('abort', m.onAbort);
    f();
  }

  /** Settles `m` and closes the lane: the transport ends it on the host; the unfinished others run again. */
  private stop(m: Member, f: () => void): void {
    this.settle(m, f);
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
  }

  private rest(): Member[] {
    return this.members.filter((m) => !m.settled);
  }

  /** The lane ended by itself: commands without an end marker share its status and its stderr (sudo's refusal). */
  ended(res: RunResult): void {
    this.stdout.end();
    this.stderr.end();
    if (this.stopped) return this.again();
    const first = this.rest()[0];
    const err = first?.err || res.stderr;
    for (const m of this.rest()) this.settle(m, () => m.resolve({ stdout: m.out.join(''), stderr: m.err || err, code: res.code, signal: res.signal, truncated: false, durationMs: res.durationMs }));
  }

  failed(e: unknown): void {
    if (this.stopped) return this.again();
    for (const m of this.rest()) this.settle(m, () => m.reject(e));
  }

  private again(): void {
    const rest = this.rest();
    for (const m of rest) {
      if (m.timer) clearTimeout(m.timer);
      if (m.onAbort) m.opts.signal?.removeEventListener('abort', m.onAbort);
    }
    this.requeue(rest.filter((m) => !m.opts.signal?.aborted));
    for (const m of rest) if (m.opts.signal?.aborted) this.settle(m, () => m.reject(new RunnerError('CANCELLED', msg('command cancelled'))));
  }
}

/**
 * Splits one stream of a lane at its markers: text goes to the command whose section it is in (as soon as it
 * arrives; only what could be the start of a marker waits for the next chunk).
 */
export class Splitter {
  private pending = '';
  private cur = 0;
  private readonly re: RegExp;
  private readonly heads: string[];

  constructor(
    nonce: string,
    private readonly starts: boolean,
    private readonly onText: (i: number, s: string) => void,
    private readonly onEnd: (i: number, code: number) => void,
    private readonly onStart?: (i: number) => void,
  ) {
    this.re = new RegExp(`${starts ? `\\x1eILS${nonce} (\\d+)\\n|` : ''}\\n\\x1eILX${nonce} (\\d+) (\\d+)\\n`, 'g');
    this.heads = [...(starts ? [`${LANE_START}${nonce} `] : []), `${LANE_END}${nonce} `];
  }

  push(s: string): void {
    const all = this.pending + s;
    this.re.lastIndex = 0;
    let at = 0;
    for (let m = this.re.exec(all); m; m = this.re.exec(all)) {
      if (m.index > at) this.onText(this.cur, all.slice(at, m.index));
      at = m.index + m[0].length;
      if (this.starts && m[1] !== undefined) {
        this.cur = Number(m[1]);
        this.onStart?.(this.cur);
      } else {
        const i = Number(m[this.starts ? 2 : 1]);
        this.onEnd(i, Number(m[this.starts ? 3 : 2]));
        this.cur = i + 1;
      }
    }
    const hold = this.holdFrom(all, at);
    if (hold > at) this.onText(this.cur, all.slice(at, hold));
    this.pending = all.slice(hold);
  }

  end(): void {
    if (this.pending) this.onText(this.cur, this.pending);
    this.pending = '';
  }

  /** Where a possible (incomplete) marker begins at the end of `s` (s.length when none). */
  private holdFrom(s: string, from: number): number {
    const longest = Math.max(...this.heads.map((h) => h.length)) + 24;
    for (let p = Math.max(from, s.length - longest); p < s.length; p++) {
      const c = s[p];
      if (c !== '\n' && c !== '\x1e') continue;
      const t = s.slice(p);
      if (this.heads.some((h) => h.startsWith(t) || (t.startsWith(h) && !t.includes('\n', h.length)))) return p;
    }
    return s.length;
  }
}
