/** Runs one catalogue source on the runner and turns its output into a SourceResult. A failure never throws. */
import { notesResult, readingAdvice } from './host-notes';
import type { CommandRunner, RunResult } from './exec';
import { RunnerError } from './exec';
import { joined, msg, verbatim, type Localized } from './l10n';
import type { LogEvent, SourceResult, SourceStatus } from './model';
import type { PlaybookSource } from './catalogue';
import { readGateway } from './gateway';
import type { ParseContext } from './parse/record';
import { fileMarkerAfter, MAX_EVENTS, PARSE_SLICE, SliceParser, SourceStream } from './source-stream';
import type { IncidentWindow } from './window';

export const SUDO_ADVICE =
  'sudo asks for a password. Add the SSH user to the groups adm and systemd-journal (they can read every log the playbook needs), ' +
  'or allow the read-only commands with a NOPASSWD sudoers rule, or give the sudo password when asked.';

/** Sources that could not be read (denied, timed out, failed): a verdict only weighs what was read. */
export function unreadSources(sources: SourceResult[]): SourceResult[] {
  return sources.filter((s) => s.status === 'denied' || s.status === 'timeout' || s.status === 'error');
}

const SUDO_REFUSED = /sudo: (a password is required|a terminal is required)/;
const MAX_EXCERPT_LINES = 300;
const MAX_EXCERPT_CHARS = 64 * 1024;
export { START_CONTEXT_MS } from './source-stream';

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

/** Slices of a text output at line ends; each slice after the first starts with the file marker in force. */
function* textSlices(output: string): Generator<[string, string]> {
  let file = '';
  for (let at = 0; at < output.length; ) {
    let end = output.length - at > PARSE_SLICE ? output.indexOf('\n', at + PARSE_SLICE) : -1;
    end = end < 0 ? output.length : end + 1;
    const slice = output.slice(at, end);
    yield [slice, file];
    file = fileMarkerAfter(slice, file);
    at = end;
  }
}

/** The window's events of a whole (already masked, notes taken out) output. */
export function parseOutput(src: PlaybookSource, output: string, pw: ParseWindow, stats?: UnparsedStats, bound?: { dropped: number }): LogEvent[] {
  if (src.format === 'check') return [];
  const p = new SliceParser(src, pw, stats);
  if (src.format === 'journal') p.slice(output);
  else for (const [slice, file] of textSlices(output)) p.slice(slice, file);
  if (bound) bound.dropped += p.kept.dropped;
  return p.kept.events;
}

function excerptOf(src: PlaybookSource, output: string, events: LogEvent[], unparsed?: UnparsedStats): { excerpt: string; truncated: boolean } {
  const lines: string[] = [];
  if (src.format === 'check') lines.push(...output.replace(/\n$/, '').split('\n'));
  else for (const e of events) lines.push(e.line, ...(e.detail ?? []));
  if (unparsed?.count) lines.push(`# ${unparsed.count} ${unparsed.count === 1 ? 'line' : 'lines'} not understood, e.g.:`, ...unparsed.examples);
  let truncated = lines.length > MAX_EXCERPT_LINES;
  let text = lines.slice(0, MAX_EXCERPT_LINES).join('\n');
  if (text.length > MAX_EXCERPT_CHARS) {
    text = text.slice(0, MAX_EXCERPT_CHARS);
    truncated = true;
  }
  const hidden = lines.length - Math.min(lines.length, MAX_EXCERPT_LINES);
  if (truncated) text += `\n… (${hidden} more ${hidden === 1 ? 'line' : 'lines'} not shown)`;
  return { excerpt: text, truncated };
}

/** A source's advice, a catalogue message (the JSON writes it in English as `advice` beside it: l10n.ts jsonTexts). */
export function advised(m: Localized | undefined): Pick<SourceResult, 'adviceText'> {
  return m ? { adviceText: m } : {};
}

function statusFromStderr(stderr: string): Pick<SourceResult, 'status' | 'adviceText'> | undefined {
  if (/Permission denied|Operation not permitted|not permitted|are not seeing messages from other users|Access denied/i.test(stderr)) {
    return { status: 'denied', ...advised(joined(' ', [msg('Permission denied.'), msg(SUDO_ADVICE)])) };
  }
  if (/No such file or directory|cannot access|does not exist|No journal files were found/i.test(stderr)) return { status: 'missing', ...advised(msg('The file (or folder) does not exist on this host.')) };
  return undefined;
}

function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).find(Boolean)?.slice(0, 300) ?? '';
}

/**
 * How heavy a source is expected to be (lanes.ts gives the heavy ones lanes of their own): a log read > a journal
 * query or the spans > a check; on a web host the access log is the biggest file by far, then syslog.
 */
function weightOf(src: PlaybookSource): number {
  if (src.format !== 'text') return src.format === 'journal' || src.id === 'log_spans' ? 2 : 1;
  return src.id === 'nginx_access' ? 6 : src.id === 'syslog' ? 4 : 3;
}

/** Runs the command (again without sudo when sudo wants a password); stdout streams into a fresh SourceStream. */
async function execute(runner: CommandRunner, src: PlaybookSource, opts: { timeoutMs: number; maxBytes: number; signal?: AbortSignal }, fresh: () => SourceStream): Promise<{ res: RunResult; stream: SourceStream } | { denied: string }> {
  const go = async (sudo: boolean) => {
    const stream = fresh();
    const res = src.gateway ? await readGateway(runner, src.gateway, opts) : await runner.run(src.command, { ...opts, sudo, onStdout: stream.push, discardStdout: true, weight: weightOf(src) });
    // a runner that does not stream (the gateway) hands the whole output at the end
    if (!stream.fed && res.stdout) stream.push(res.stdout);
    return { res, stream };
  };
  let needsPassword = false;
  let run: { res: RunResult; stream: SourceStream } | undefined;
  try {
    run = await go(src.sudo);
    // some runners report sudo's refusal as plain output rather than a typed error
    needsPassword = src.sudo && !run.stream.fed && SUDO_REFUSED.test(run.res.stderr);
  } catch (e) {
    if (!(e instanceof RunnerError && e.code === 'SUDO_PASSWORD_REQUIRED' && src.sudo)) throw e;
    needsPassword = true;
  }
  if (!needsPassword && run) return run;
  // sudo wants a password: the user may still read the logs through their groups (adm, systemd-journal)
  run = await go(false);
  const st = statusFromStderr(run.res.stderr);
  if (!run.stream.fed && st?.status === 'denied') return { denied: firstLine(run.res.stderr) };
  return run;
}

function failure(e: unknown, src: PlaybookSource): Partial<SourceResult> {
  if (e instanceof RunnerError) {
    if (e.code === 'COMMAND_TIMEOUT') return { status: 'timeout', ...advised(msg('The command did not finish within {0} s. Narrow the window or raise the timeout.', Math.round(src.timeoutMs / 1000))) };
    if (e.code === 'SUDO_PASSWORD_REQUIRED' || e.code === 'SUDO_PASSWORD_WRONG') return { status: 'denied', ...advised(e.adviceText ?? msg(SUDO_ADVICE)) };
    if (e.code === 'CANCELLED') return { status: 'error', ...advised(msg('Cancelled.')) };
    return { status: 'error', ...advised(e.adviceText ? joined(' — ', [e.text, e.adviceText]) : e.text) };
  }
  return { status: 'error', ...advised(verbatim(e instanceof Error ? e.message : String(e))) };
}

/** What a source that was read says: output cut, the host's error line, or how its files were read and what was left out. */
function adviceAfterRead(res: RunResult, src: PlaybookSource, reading: Localized | undefined, left: Localized | undefined): Localized | undefined {
  if (res.truncated) {
    const cut = msg('Output cut at {0} bytes: narrow the window to see everything.', src.maxBytes);
    return left ? joined(' ', [cut, left]) : cut;
  }
  if (res.code !== 0 && res.code !== 1 && res.stderr.trim()) return verbatim(firstLine(res.stderr));
  const parts = [reading, left].filter((x): x is Localized => !!x);
  return parts.length ? joined(' ', parts) : undefined;
}

/**
 * Runs one source. Its output is parsed as it streams (source-stream.ts): only the events kept stay in
 * memory; the raw output is kept for checks and probes, and for `collect` (keepOutput).
 */
export async function runSource(runner: CommandRunner, src: PlaybookSource, pw: ParseWindow, signal?: AbortSignal, keepOutput = false): Promise<SourceRun> {
  const started = Date.now();
  const base: SourceResult = { id: src.id, label: src.label, sudo: src.sudo || undefined, command: src.command, runbookCommand: src.runbookCommand, status: 'error', events: [], excerpt: '' };
  let since = started;
  const done = (r: Partial<SourceResult>, output?: string): SourceRun => ({ result: { ...base, ...r, durationMs: Date.now() - since }, output });
  const opts = { timeoutMs: src.timeoutMs, maxBytes: src.maxBytes, signal };
  // secrets a host file may show (Environment=…PASSWORD=…, a DSN) are masked before anything reads the output;
  // the window reader's notes (file spans, how files were read, per-minute counts) are taken out
  const fresh = () => new SourceStream(src, pw, keepOutput || src.format === 'check');
  let res: RunResult;
  let stream: SourceStream;
  let out: string;
  try {
    const r = await execute(runner, src, opts, fresh);
    if ('denied' in r) return done({ status: 'denied', ...advised(msg(SUDO_ADVICE)), excerpt: r.denied });
    ({ res, stream } = r);
    // the command's own time (in a lane it may have waited for others before it started)
    since = Math.max(started, Date.now() - res.durationMs);
    out = stream.end();
  } catch (e) {
    return done(failure(e, src));
  }
  const extra = notesResult(stream.notes);
  const reading = readingAdvice(stream.notes.notes);
  if (!stream.text) {
    const st = statusFromStderr(res.stderr);
    if (st) return done({ ...st, ...extra, excerpt: firstLine(res.stderr) });
    if (res.code !== 0 && res.code !== 1 && res.stderr.trim()) return done({ status: 'error', ...advised(verbatim(firstLine(res.stderr))), excerpt: firstLine(res.stderr) });
    return done({ status: 'empty', ...extra, ...advised(reading) }, out);
  }
  if (stream.failed) return done({ status: 'error', ...advised(msg('could not parse the output: {0}', stream.failed)) }, out);
  let events = stream.parser.kept.events;
  const before = events.length + stream.parser.kept.dropped;
  if (events.length > MAX_EVENTS) {
    // keep every meaningful event, then ordinary lines up to the cap
    const keep = new Set(events.filter((e) => e.kind !== 'info' && e.kind !== 'request').slice(0, MAX_EVENTS));
    for (const e of events) if (keep.size < MAX_EVENTS) keep.add(e);
    events = events.filter((e) => keep.has(e));
  }
  const capped = before - events.length;
  const unparsed = stream.unparsed;
  const { excerpt, truncated } = excerptOf(src, out, events, unparsed);
  const times = events.map((e) => e.time).sort();
  const status: SourceStatus = src.format === 'check' || events.length ? 'ok' : 'empty';
  const left = capped ? msg('{0} events left out ({1} kept, every error first).', capped, MAX_EVENTS) : undefined;
  const advice = adviceAfterRead(res, src, reading, left);
  return done(
    { status, events, excerpt, ...extra, ...(unparsed.count ? { unparsed } : {}), ...(truncated || res.truncated || capped ? { truncated: true } : {}), ...advised(advice), ...(times.length ? { span: { from: times[0], to: times[times.length - 1] } } : {}) },
    out,
  );
}
