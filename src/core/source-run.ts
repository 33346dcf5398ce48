/** Runs one catalogue source on the runner and turns its output into a SourceResult. A failure never throws. */
import { maskSecrets } from './redact';
import { notesResult, readingAdvice, takeNotes } from './host-notes';
import type { CommandRunner, RunResult } from './exec';
import { RunnerError } from './exec';
import { tx } from './l10n';
import type { LogEvent, SourceResult, SourceStatus } from './model';
import type { PlaybookSource } from './catalogue';
import { interpret } from './parse/interpret';
import { readGateway } from './gateway';
import { parseJournal } from './parse/journal';
import { FILE_MARK, parseText } from './parse/text';
import type { LogRecord, ParseContext } from './parse/record';
import type { IncidentWindow } from './window';
import { parseIso } from './time';

export const SUDO_ADVICE =
  'sudo asks for a password. Add the SSH user to the groups adm and systemd-journal (they can read every log the playbook needs), ' +
  'or allow the read-only commands with a NOPASSWD sudoers rule, or give the sudo password when asked.';

/** Sources that could not be read (denied, timed out, failed): a verdict only weighs what was read. */
export function unreadSources(sources: SourceResult[]): SourceResult[] {
  return sources.filter((s) => s.status === 'denied' || s.status === 'timeout' || s.status === 'error');
}

const SUDO_REFUSED = /sudo: (a password is required|a terminal is required)/;
const MAX_EXCERPT_LINES = 300;
/** Events kept per source (the JSON and memory stay bounded on a busy host). */
const MAX_EVENTS = 5000;
/** How far before the window the start of a send request is looked for. */
export const START_CONTEXT_MS = 30 * 60_000;
const MAX_EXCERPT_CHARS = 64 * 1024;

export interface SourceRun {
  result: SourceResult;
  /** The raw output (for `collect`); undefined when the command failed. */
  output?: string;
}

export interface ParseWindow {
  window: IncidentWindow;
  /** Extra time after the window for requests that ended later (nginx logs the END of a request). */
  requestSlackMs: number;
  isSendPost: (e: LogEvent) => boolean;
  /** Zone of the host's zone-less log lines (syslog, nginx error, Django asctime); default: the window's. */
  logTz?: string;
  /** Lines just before the window that tell when the send started (the form's GET, nginx buffering the POST). */
  isStartContext?: (e: LogEvent) => boolean;
  /** Per source id: parsers of the log formats the host declares (nginx log_format for nginx_access). */
  formats?: Record<string, ParseContext['accessFormats']>;
}

/** Lines no parser understood, counted per source (examples shown in the excerpt). */
export interface UnparsedStats {
  count: number;
  examples: string[];
}
const UNPARSED_EXAMPLES = 5;

/** Text output is parsed this many characters at a time: a busy log never holds all its events at once. */
const PARSE_SLICE = 1 << 18;

/** Slices of a text output at line ends; each slice after the first starts with the file marker in force. */
function* textSlices(output: string, pos: { at: number }): Generator<string> {
  let file = '';
  for (let at = 0; at < output.length; ) {
    let end = output.length - at > PARSE_SLICE ? output.indexOf('\n', at + PARSE_SLICE) : -1;
    end = end < 0 ? output.length : end + 1;
    const slice = output.slice(at, end);
    yield file + slice;
    const m = slice.lastIndexOf(FILE_MARK);
    if (m >= 0 && (m === 0 || slice[m - 1] === '\n')) file = slice.slice(m, slice.indexOf('\n', m) + 1 || undefined);
    at = end;
    pos.at = at;
  }
}

function linesFrom(s: string, at: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', at); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Keeps every meaningful event and the ordinary ones (info, request) up to `max` each while they
 * arrive; counts what it left out.
 */
class BoundedEvents {
  readonly events: LogEvent[] = [];
  private ordinary = 0;
  private meaningful = 0;
  dropped = 0;
  constructor(private readonly max: number) {}
  /** Nothing more would survive the source's cap (meaningful events come first): the rest need not be parsed. */
  get full(): boolean {
    return this.meaningful >= this.max;
  }
  add(e: LogEvent): void {
    const plain = e.kind === 'info' || e.kind === 'request';
    if (plain ? this.ordinary >= this.max : this.meaningful >= this.max) {
      this.dropped++;
      return;
    }
    if (plain) this.ordinary++;
    else this.meaningful++;
    this.events.push(e);
  }
}

export function parseOutput(src: PlaybookSource, output: string, pw: ParseWindow, stats?: UnparsedStats, bound?: { dropped: number }): LogEvent[] {
  if (src.format === 'check') return [];
  const ctx: ParseContext = { source: src.id, tz: pw.logTz ?? pw.window.tz, ref: pw.window.since, accessFormats: pw.formats?.[src.id] };
  const onUnparsed = (r: LogRecord) => {
    if (!stats) return;
    stats.count++;
    if (stats.examples.length < UNPARSED_EXAMPLES) stats.examples.push(r.raw.slice(0, 300));
  };
  const since = pw.window.since.getTime();
  const until = pw.window.until.getTime();
  const inWindow = (e: LogEvent) => {
    const x = parseIso(e.time);
    if (x >= since && x <= until) return true;
    if (typeof e.fields?.start === 'string') {
      const s = Date.parse(e.fields.start);
      return s <= until && x >= since;
    }
    if (x > until) return x <= until + pw.requestSlackMs && pw.isSendPost(e);
    return x >= since - START_CONTEXT_MS && !!pw.isStartContext?.(e);
  };
  const kept = new BoundedEvents(MAX_EVENTS);
  // record numbers (lineNo) continue from one slice to the next
  let offset = 0;
  const pos = { at: 0 };
  const slices = src.format === 'journal' ? [output] : textSlices(output, pos);
  for (const slice of slices) {
    if (kept.full) {
      // every event more would be left out: count the lines instead of parsing them
      kept.dropped += linesFrom(output, pos.at);
      break;
    }
    const read = { records: 0 };
    const records = src.format === 'journal' ? parseJournal(slice, ctx) : parseText(slice, ctx);
    for (const e of interpret(records, { source: src.id, onUnparsed, read })) {
      if (!inWindow(e)) continue;
      if (offset && e.lineNo !== undefined) e.lineNo += offset;
      kept.add(e);
    }
    offset += read.records;
  }
  if (bound) bound.dropped += kept.dropped;
  return kept.events;
}

function excerptOf(src: PlaybookSource, output: string, events: LogEvent[], unparsed?: UnparsedStats): { excerpt: string; truncated: boolean } {
  const lines: string[] = [];
  if (src.format === 'check') lines.push(...output.replace(/\n$/, '').split('\n'));
  else for (const e of events) lines.push(e.line, ...(e.detail ?? []));
  if (unparsed?.count) lines.push(`# ${unparsed.count} lines not understood, e.g.:`, ...unparsed.examples);
  let truncated = lines.length > MAX_EXCERPT_LINES;
  let text = lines.slice(0, MAX_EXCERPT_LINES).join('\n');
  if (text.length > MAX_EXCERPT_CHARS) {
    text = text.slice(0, MAX_EXCERPT_CHARS);
    truncated = true;
  }
  if (truncated) text += `\n… (${lines.length - Math.min(lines.length, MAX_EXCERPT_LINES)} more lines not shown)`;
  return { excerpt: text, truncated };
}

function statusFromStderr(stderr: string): { status: SourceStatus; advice?: string } | undefined {
  if (/Permission denied|Operation not permitted|not permitted|are not seeing messages from other users|Access denied/i.test(stderr)) {
    return { status: 'denied', advice: `Permission denied. ${SUDO_ADVICE}` };
  }
  if (/No such file or directory|cannot access|does not exist|No journal files were found/i.test(stderr)) return { status: 'missing', advice: 'The file (or folder) does not exist on this host.' };
  return undefined;
}

function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).find(Boolean)?.slice(0, 300) ?? '';
}

export async function runSource(runner: CommandRunner, src: PlaybookSource, pw: ParseWindow, signal?: AbortSignal): Promise<SourceRun> {
  const started = Date.now();
  const base: SourceResult = { id: src.id, label: src.label, labelFr: src.labelFr, sudo: src.sudo || undefined, command: src.command, runbookCommand: src.runbookCommand, status: 'error', events: [], excerpt: '' };
  const done = (r: Partial<SourceResult>, output?: string): SourceRun => ({ result: { ...base, ...r, durationMs: Date.now() - started }, output });
  let res!: RunResult;
  const opts = { timeoutMs: src.timeoutMs, maxBytes: src.maxBytes, signal };
  try {
    let needsPassword = false;
    try {
      res = src.gateway ? await readGateway(runner, src.gateway, opts) : await runner.run(src.command, { ...opts, sudo: src.sudo });
      // some runners report sudo's refusal as plain output rather than a typed error
      needsPassword = src.sudo && !res.stdout.trim() && SUDO_REFUSED.test(res.stderr);
    } catch (e) {
      if (!(e instanceof RunnerError && e.code === 'SUDO_PASSWORD_REQUIRED' && src.sudo)) throw e;
      needsPassword = true;
    }
    if (needsPassword) {
      // sudo wants a password: the user may still read the logs through their groups (adm, systemd-journal)
      res = await runner.run(src.command, { ...opts, sudo: false });
      const st = statusFromStderr(res.stderr);
      if (!res.stdout.trim() && st?.status === 'denied') return done({ status: 'denied', advice: SUDO_ADVICE, excerpt: firstLine(res.stderr) });
    }
  } catch (e) {
    if (e instanceof RunnerError) {
      if (e.code === 'COMMAND_TIMEOUT') return done({ status: 'timeout', advice: tx('The command did not finish within {0} s. Narrow the window or raise the timeout.', Math.round(src.timeoutMs / 1000)) });
      if (e.code === 'SUDO_PASSWORD_REQUIRED' || e.code === 'SUDO_PASSWORD_WRONG') return done({ status: 'denied', advice: e.advice ?? SUDO_ADVICE });
      if (e.code === 'CANCELLED') return done({ status: 'error', advice: 'Cancelled.' });
      return done({ status: 'error', advice: `${e.message}${e.advice ? ` — ${e.advice}` : ''}` });
    }
    return done({ status: 'error', advice: e instanceof Error ? e.message : String(e) });
  }
  // secrets a host file may show (Environment=…PASSWORD=…, a DSN) are masked before anything reads the output
  // the window reader's notes (file spans, how files were read, per-minute counts) come out first
  const notes = takeNotes(maskSecrets(res.stdout));
  const out = notes.text;
  const extra = notesResult(notes);
  const reading = readingAdvice(notes.notes);
  if (!out.trim()) {
    const st = statusFromStderr(res.stderr);
    if (st) return done({ ...st, ...extra, excerpt: firstLine(res.stderr) });
    if (res.code !== 0 && res.code !== 1 && res.stderr.trim()) return done({ status: 'error', advice: firstLine(res.stderr), excerpt: firstLine(res.stderr) });
    return done({ status: 'empty', ...extra, ...(reading ? { advice: reading } : {}) }, out);
  }
  let events: LogEvent[];
  let capped = 0;
  const unparsed: UnparsedStats = { count: 0, examples: [] };
  try {
    const bound = { dropped: 0 };
    events = parseOutput(src, out, pw, unparsed, bound);
    const before = events.length + bound.dropped;
    if (events.length > MAX_EVENTS) {
      // keep every meaningful event, then ordinary lines up to the cap
      const keep = new Set(events.filter((e) => e.kind !== 'info' && e.kind !== 'request').slice(0, MAX_EVENTS));
      for (const e of events) if (keep.size < MAX_EVENTS) keep.add(e);
      events = events.filter((e) => keep.has(e));
    }
    capped = before - events.length;
  } catch (e) {
    return done({ status: 'error', advice: tx('could not parse the output: {0}', e instanceof Error ? e.message : String(e)) }, out);
  }
  const { excerpt, truncated } = excerptOf(src, out, events, unparsed);
  const times = events.map((e) => e.time).sort();
  const status: SourceStatus = src.format === 'check' || events.length ? 'ok' : 'empty';
  const left = capped ? ` ${tx('{0} events left out ({1} kept, every error first).', capped, MAX_EVENTS)}` : '';
  const advice =
    (res.truncated ? tx('Output cut at {0} bytes: narrow the window to see everything.', src.maxBytes) + left : res.code !== 0 && res.code !== 1 && res.stderr.trim() ? firstLine(res.stderr) : [reading, left.trim()].filter(Boolean).join(' ')) || undefined;
  return done(
    { status, events, excerpt, ...extra, ...(unparsed.count ? { unparsed } : {}), ...(truncated || res.truncated || capped ? { truncated: true } : {}), ...(advice ? { advice } : {}), ...(times.length ? { span: { from: times[0], to: times[times.length - 1] } } : {}) },
    out,
  );
}
