/**
 * One Follow Live session: each picked source's follow command runs on its own channel of the one
 * verified connection; lines are classified as they arrive and kept in a bounded time-ordered ring.
 * stop() ends every remote process (through the runner's cancel); a dropped connection is reported
 * (status 'lost' and a notice), and reconnect() starts the lost sources again on demand.
 */
import type { CommandRunner } from '../exec';
import { RunnerError } from '../exec';
import { joined, msg, render, verbatim, type Localized } from '../l10n';
import type { FollowSourceDef } from '../catalogue/follow';
import type { HostFacts } from '../facts';
import type { LogEvent } from '../model';
import type { Profile } from '../profile';
import { LiveClassifier, progressOf } from './classify';
import { LineSplitter, LiveInterpreter } from './lines';
import { DEFAULT_RING_CAPACITY, TimeRing } from './ring';
import { stderrMeaning } from './stderr';
import type { FollowLine, FollowListener, FollowNotice, FollowStatus, ProgressInfo, SourceState } from './types';

/** Evidence lines kept for the diagnosis at the end even after they left the ring. */
export const MAX_KEPT_EVIDENCE = 1000;

export interface FollowOptions {
  runner: CommandRunner;
  sources: FollowSourceDef[];
  profile: Profile;
  facts: HostFacts;
  /** The host's zone, for log lines without an offset. */
  tz: string;
  /** Lines kept (older ones leave with a marker). Default DEFAULT_RING_CAPACITY. */
  capacity?: number;
  log?: (line: string) => void;
  /** The host's own name (/etc/hostname), when it said it. */
  hostName?: string;
}

interface Running {
  abort: AbortController;
  done: Promise<void>;
}

export class FollowSession {
  readonly ring: TimeRing<FollowLine>;
  readonly classifier: LiveClassifier;
  readonly states = new Map<string, SourceState>();
  readonly startedAt = Date.now();
  progress?: ProgressInfo;
  private readonly evidence: FollowLine[] = [];
  private readonly listeners = new Set<FollowListener>();
  private readonly running = new Map<string, Running>();
  private seq = 0;
  private stopped = false;

  constructor(readonly o: FollowOptions) {
    this.ring = new TimeRing<FollowLine>(o.capacity ?? DEFAULT_RING_CAPACITY, (l) => Date.parse(l.time));
    this.classifier = new LiveClassifier(o.profile, o.facts, o.tz);
    for (const s of o.sources) this.states.set(s.id, { id: s.id, label: s.label, status: 'starting', lines: 0 });
  }

  on(l: FollowListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get hostName(): string | undefined {
    return this.o.hostName;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Evidence lines seen in this follow (all of them, even those that left the ring). */
  get errors(): number {
    return this.classifier.total;
  }

  start(): void {
    for (const s of this.o.sources) this.launch(s);
  }

  /** Starts again every source that is not following (after a dropped connection): on demand, never by itself. */
  reconnect(): string[] {
    if (this.stopped) return [];
    const again = this.o.sources.filter((s) => !this.running.has(s.id));
    for (const s of again) this.launch(s);
    if (again.length) this.notice('reconnected', undefined, msg('reconnecting {0}', again.map((s) => s.id).join(', ')));
    return again.map((s) => s.id);
  }

  /** Ends every remote process of the follow; resolves once the runner says they are gone. */
  async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.running.values()];
    for (const r of all) r.abort.abort();
    await Promise.allSettled(all.map((r) => r.done));
  }

  lines(): FollowLine[] {
    return this.ring.toArray();
  }

  /** Every event still known: the ring's and the evidence kept after it left (time order). */
  events(): LogEvent[] {
    const bySeq = new Map<number, FollowLine>();
    for (const l of this.evidence) bySeq.set(l.seq, l);
    for (const l of this.ring.toArray()) bySeq.set(l.seq, l);
    return [...bySeq.values()].sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || a.seq - b.seq).map((l) => l.event);
  }

  private launch(def: FollowSourceDef): void {
    const abort = new AbortController();
    const split = new LineSplitter();
    const errSplit = new LineSplitter();
    const interp = new LiveInterpreter({ source: def.id, format: def.format, tz: this.o.tz, emit: (evs) => this.accept(evs) });
    this.setStatus(def.id, 'following');
    const done = this.o.runner
      .run(def.command, {
        sudo: def.sudo,
        timeoutMs: 0,
        maxBytes: Number.POSITIVE_INFINITY,
        discardStdout: true,
        signal: abort.signal,
        onStdout: (chunk) => {
          for (const l of split.push(chunk)) interp.line(l);
        },
        onStderr: (chunk) => {
          for (const l of errSplit.push(chunk)) this.stderrLine(def, l);
        },
      })
      .then(
        (res) => {
          for (const l of split.end()) interp.line(l);
          interp.flush();
          if (this.stopped) return this.setStatus(def.id, 'stopped');
          const last = res.stderr.split('\n').map((x) => x.trim()).filter(Boolean).pop();
          const why = last !== undefined ? verbatim(last) : msg('exit status {0}', res.code ?? res.signal ?? '?');
          this.setStatus(def.id, 'ended', why);
          this.notice('ended', def.id, msg('{0}: the follow command ended ({1})', def.id, why));
        },
        (e: unknown) => {
          interp.flush();
          this.failed(def, e);
        },
      )
      .finally(() => this.running.delete(def.id));
    this.running.set(def.id, { abort, done });
  }

  private failed(def: FollowSourceDef, e: unknown): void {
    if (this.stopped || (e instanceof RunnerError && e.code === 'CANCELLED')) return this.setStatus(def.id, 'stopped');
    const own = e instanceof RunnerError ? e.text : verbatim(e instanceof Error ? e.message : String(e));
    const text = e instanceof RunnerError && e.adviceText ? joined(' — ', [e.text, e.adviceText]) : own;
    if (e instanceof RunnerError && (e.code === 'SUDO_PASSWORD_REQUIRED' || e.code === 'SUDO_PASSWORD_WRONG')) {
      this.setStatus(def.id, 'denied', text);
      return this.notice('denied', def.id, joined(': ', [def.id, own]));
    }
    const lost = e instanceof RunnerError && ['CONNECTION_LOST', 'UNREACHABLE', 'CONNECT_TIMEOUT', 'AUTH_FAILED'].includes(e.code);
    this.setStatus(def.id, lost ? 'lost' : 'error', text);
    // one notice for a dropped connection, not one per source
    if (lost && [...this.states.values()].filter((s) => s.status === 'lost').length > 1) return;
    this.notice(lost ? 'lost' : 'error', lost ? undefined : def.id, lost ? own : joined(': ', [def.id, own]));
  }

  private stderrLine(def: FollowSourceDef, line: string): void {
    const m = stderrMeaning(line);
    if (!m) return this.o.log?.(`${def.id}: ${line}`);
    if (m.status) this.setStatus(def.id, m.status, m.message);
    if (m.notice) this.notice(m.notice, def.id, joined(': ', [def.id, m.message]));
  }

  private accept(events: LogEvent[]): void {
    const now = Date.now();
    const batch: FollowLine[] = [];
    for (const raw of events) {
      const seq = ++this.seq;
      const cause = this.classifier.classify(raw);
      // an evidence line outlives the ring: a fresh copy, so it does not keep the whole output chunk it was cut from
      // (V8 keeps a substring's parent string alive)
      const e: LogEvent = cause ? JSON.parse(JSON.stringify(raw)) : raw;
      e.lineNo = seq;
      const line: FollowLine = { seq, time: e.time, source: e.source, text: e.line, kind: e.kind, arrivedAt: now, event: e, ...(e.detail?.length ? { detail: e.detail } : {}), ...(cause ? { cause } : {}) };
      const st = this.states.get(e.source);
      if (st) st.lines++;
      this.ring.push(line);
      if (cause) {
        this.evidence.push(line);
        if (this.evidence.length > MAX_KEPT_EVIDENCE) this.evidence.shift();
      }
      batch.push(line);
    }
    for (const l of this.listeners) l.onLines?.(batch);
    for (const line of batch) {
      if (line.cause && this.classifier.isFirst(line.cause) && this.isFirstLineOf(line)) for (const l of this.listeners) l.onCause?.(line.cause, line);
      const p = progressOf(line.event);
      if (p) {
        this.progress = { ...this.progress, ...Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) };
        for (const l of this.listeners) l.onProgress?.(this.progress, line);
      }
    }
  }

  /** The cause's count is 1 and this line is the one that made it 1 (a batch may hold several). */
  private isFirstLineOf(line: FollowLine): boolean {
    return this.evidence.find((l) => l.cause === line.cause) === line;
  }

  private setStatus(id: string, status: FollowStatus, text?: Localized): void {
    const st = this.states.get(id);
    if (!st) return;
    if (st.status === status && (st.messageText && render(st.messageText, 'en')) === (text && render(text, 'en'))) return;
    st.status = status;
    st.messageText = text;
    for (const l of this.listeners) l.onStatus?.({ ...st });
  }

  private notice(kind: FollowNotice['kind'], source: string | undefined, text: Localized): void {
    const n: FollowNotice = { kind, ...(source !== undefined ? { source } : {}), messageText: text, at: Date.now() };
    for (const l of this.listeners) l.onNotice?.(n);
  }
}
