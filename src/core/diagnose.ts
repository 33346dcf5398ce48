/**
 * The diagnosis: probe the host (zone, unit file, nginx site), run every source in parallel on the one
 * runner, keep the window's events, assess the five causes, estimate the impact.
 */
import { catalogue, CentralOptions, PlaybookSource, validateCentral } from './catalogue';
import type { CommandRunner } from './exec';
import { HostFacts, parseHostTz, parseNginxSite, parseUnitFile, zoneForOffset, gunicornOptions } from './facts';
import { codeLinks } from './codelinks';
import { estimateImpact } from './impact';
import type { Diagnosis, LogEvent, SourceResult } from './model';
import { DEFAULT_PROFILE, Profile, validateProfile } from './profile';
import { applicableRecommendations } from './recommendations';
import { assessCauses } from './rules/causes';
import { isSendPath, pathOf } from './rules/context';
import { advised, ParseWindow, runSource, SourceRun } from './source-run';
import { accessParsers } from './parse/nginxFormat';
import { decideRelay, parseAppSettings } from './settings';
import { applySpans, blindVerdict, parseSpans, Spans } from './coverage';
import { inferTreeOffset } from './central-zone';
import { checkZone, isoInZone, offsetText, zoneOffsetMinutes } from './time';
import { buildWindow, IncidentWindow, parseDuration, parseLocalTime } from './window';
import { InputError } from './errors';
import { joined, msg, t, verbatim, type Lang } from './l10n';
import { assertSafe, PATH_RE } from './shell';
import { LaneRunner } from './lanes';
import { followed } from './signal';

/** What a stage is, for a UI that words it in its own language. */
export type StageInfo = { id: 'probe'; probes: string[] } | { id: 'run'; since: string; until: string; tz: string; sources: number };

export interface DiagnoseHooks {
  onStage?(message: string, info?: StageInfo): void;
  onSource?(result: SourceResult): void;
  signal?: AbortSignal;
  lang?: Lang;
  /**
   * Commands in flight at once on the one connection (sshd's MaxSessions defaults to 10). Default 8. The commands of
   * a phase go in lanes (lanes.ts): up to 3 sessions through sudo and 1 of the user's own, fewer when this is lower.
   */
  maxParallel?: number;
  /** The probes' results when the caller already read them (the fleet does, with the host's name, as it connects). */
  probes?: SourceRun[];
  /** Which main sources run, from what the probes found (a fleet runs nginx sources only where nginx is). Default: all. */
  selectSources?(sources: PlaybookSource[], probes: SourceResult[]): PlaybookSource[];
}

/** Runs tasks with at most `n` in flight, results in input order. */
export async function pool<T, R>(items: T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  return out;
}

export interface DiagnoseRequest {
  profile: Profile;
  window?: IncidentWindow;
  at?: string;
  before?: string;
  after?: string;
  since?: string;
  until?: string;
  /** Absent = read from the host. */
  tz?: string;
  /** Read a collected bundle under this folder (the runner is then a local one). */
  root?: string;
  /** Keep the profile exactly as given (do not follow the unit file's WorkingDirectory / log file). */
  fixedProfile?: boolean;
  /** Read every log file whole instead of bisecting to the window (for comparison; slower on big hosts). */
  fullScan?: boolean;
  /** The runner is a central log host: read this app host's logs there (catalogue/central.ts). */
  central?: CentralOptions;
}

/** Checks everything the user typed before anything runs. Throws InputError. */
export function checkRequest(req: DiagnoseRequest): void {
  validateProfile(req.profile);
  if (req.root !== undefined) assertSafe('--root', req.root.replace(/\/+$/, '') || '/', PATH_RE);
  if (req.central) validateCentral(req.central);
  if (req.window) return;
  const tz = req.tz !== undefined ? checkZone(req.tz) : 'UTC';
  buildWindow({ at: req.at, before: req.before, after: req.after, since: req.since, until: req.until, tz });
  if (req.at !== undefined) parseLocalTime(req.at, tz, '--at');
  if (req.before !== undefined) parseDuration(req.before);
}

export interface Prepared {
  profile: Profile;
  window: IncidentWindow;
  facts: HostFacts;
  probes: SourceRun[];
  sources: PlaybookSource[];
}

/** Text logs are read at least this long past the window (a request still running when it closed). */
const MIN_AFTER_MARGIN_MS = 5 * 60_000;

const PROVISIONAL: IncidentWindow = { since: new Date(0), until: new Date(1000), tz: 'UTC' };

/** Phase 1: the probes, then the profile and window they refine, then the full catalogue. */
export async function prepare(runner: CommandRunner, req: DiagnoseRequest, hooks: DiagnoseHooks = {}): Promise<Prepared> {
  checkRequest(req);
  let profile = validateProfile(req.profile);
  const opts = { root: req.root, ...(req.central ? { central: validateCentral(req.central) } : {}) };
  const probeDefs = probeSources(req);
  hooks.onStage?.(t(hooks.lang ?? 'en', 'probing the host ({0})', probeDefs.map((s) => s.id).join(', ')), { id: 'probe', probes: probeDefs.map((s) => s.id) });
  const pw: ParseWindow = { window: req.window ?? PROVISIONAL, requestSlackMs: 0, isSendPost: () => false };
  const known = hooks.probes && probeDefs.every((d) => hooks.probes!.some((p) => p.result.id === d.id)) ? hooks.probes : undefined;
  const probes = known ?? (await runProbes(runner, probeDefs, pw, hooks));
  const facts: HostFacts = { notes: [] };
  for (const p of probes) {
    const out = p.output ?? '';
    if (p.result.id === 'host_tz') {
      const z = parseHostTz(out);
      facts.tzAbbrev = z.abbrev;
      facts.tzOffset = z.offset;
      if (z.zone) {
        try {
          facts.tz = checkZone(z.zone);
        } catch {
          /* not an IANA name */
        }
      }
      if (!facts.tz && z.offset) facts.tz = zoneForOffset(z.offset);
      if (!facts.tz) {
        // a bundle's manifest
        const m = /"tz"\s*:\s*"([^"]+)"/.exec(out);
        if (m) facts.tz = checkZone(m[1]);
      }
    } else if (p.result.id === 'unit_file') parseUnitFile(out, facts);
    else if (p.result.id === 'nginx_site') parseNginxSite(out, profile.urlPath, facts);
  }
  if (!req.fixedProfile) {
    const changes: Partial<Profile> = {};
    if (facts.workingDirectory && profile.appDir === DEFAULT_PROFILE.appDir && facts.workingDirectory !== profile.appDir) {
      changes.appDir = facts.workingDirectory;
      facts.notes.push(msg('app folder taken from the unit file: {0}', facts.workingDirectory));
    }
    if (facts.gunicornLogFile && profile.gunicornLog === DEFAULT_PROFILE.gunicornLog) {
      changes.gunicornLog = facts.gunicornLogFile;
      facts.notes.push(msg('gunicorn log file taken from the unit file: {0}', facts.gunicornLogFile));
    }
    const siteLog = facts.siteAccessLogs?.length === 1 ? facts.siteAccessLogs[0] : undefined;
    if (siteLog && profile.nginxAccessLog === DEFAULT_PROFILE.nginxAccessLog && siteLog !== profile.nginxAccessLog && PATH_RE.test(siteLog)) {
      changes.nginxAccessLog = siteLog;
      facts.notes.push(msg('nginx access log taken from the site: {0}', siteLog));
    }
    profile = adoptHostValues(profile, changes, facts, probes.find((p) => p.result.id === 'unit_file')?.result);
  }
  let window = req.window;
  if (!window) {
    const tz = req.tz ?? facts.tz;
    if (!tz) {
      const probe = probes.find((p) => p.result.id === 'host_tz')?.result;
      const why = probe && probe.status !== 'ok' ? probe.adviceText : undefined;
      throw new InputError(why ? msg('the host did not say its time zone ({0}): give --tz', why) : msg('the host did not say its time zone: give --tz'));
    }
    if (!req.tz) facts.notes.push(msg('host time zone: {0}', tz));
    window = buildWindow({ at: req.at, before: req.before, after: req.after, since: req.since, until: req.until, tz });
  }
  appHostZone(probes.find((p) => p.result.id === 'central_zone'), window, facts);
  // nginx logs a request when it ends: read past the window by the longest plausible request
  const slack = parseWindowFor(profile, window, facts).requestSlackMs;
  const readOpts = { ...opts, appPrograms: facts.appPrograms, logTz: logTzOf(facts, window), afterMarginMs: Math.max(slack + 60_000, MIN_AFTER_MARGIN_MS), fullScan: req.fullScan };
  const sources = catalogue(profile, window, readOpts).filter((s) => s.phase === 'main');
  return { profile, window, facts, probes, sources };
}

/**
 * On a central log host: when the app host's syslog lines are written in another offset than the log host's zone at
 * the window (their journal entries say so), its zone-less lines are read in that offset.
 */
function appHostZone(probe: SourceRun | undefined, window: IncidentWindow, facts: HostFacts): void {
  const offset = probe?.output ? inferTreeOffset(probe.output) : undefined;
  if (offset === undefined) return;
  const here = facts.tz ?? window.tz;
  if (zoneOffsetMinutes(here, window.since) === offset) return;
  const zone = zoneForOffset(offsetText(offset, false));
  const shown = `UTC${offsetText(offset)}`;
  const note = zone
    ? msg("The app host's syslog lines are read in {0} (its journal entries and its syslog lines on the log host say so), not in {1}.", shown, here)
    : msg("The app host's syslog lines are written in {0}, which has no zone name here: they are read in {1}.", shown, here);
  if (zone) facts.logTz = zone;
  facts.notes.push(note);
  Object.assign(probe!.result, advised(note));
}

/**
 * Values read from the host (unit file) replace the defaults one by one; a value that fails
 * validation is left out with a note on that probe, and the default stays: a host never aborts the run.
 */
function adoptHostValues(profile: Profile, changes: Partial<Profile>, facts: HostFacts, probe?: SourceResult): Profile {
  const what: Record<string, string> = { appDir: 'WorkingDirectory', gunicornLog: 'gunicorn --error-logfile', nginxAccessLog: 'nginx access_log' };
  let out = profile;
  for (const [k, v] of Object.entries(changes) as [keyof Profile, string][]) {
    const next = { ...out, [k]: v, ...(k === 'appDir' ? { appLogDir: `${v}/logs` } : {}) };
    try {
      out = validateProfile(next);
    } catch (e) {
      const shown = v.length > 80 ? msg('{0}… ({1} characters)', v.slice(0, 80), v.length) : v;
      facts.notes = facts.notes.filter((n) => n.args?.[n.args.length - 1] !== v);
      const note = msg('{0} not used: {1} ({2}); the default applies', what[k] ?? k, e instanceof InputError ? e.text : verbatim(e instanceof Error ? e.message : String(e)), shown);
      facts.notes.push(note);
      const more = joined('', [note], '.');
      if (probe) Object.assign(probe, advised(probe.adviceText ? joined(' ', [probe.adviceText, more]) : more));
    }
  }
  return out;
}

/** The zone zone-less log lines are read in: the app host's own (on a log host), else the host's, else the window's. */
const logTzOf = (facts: HostFacts, window: IncidentWindow): string => facts.logTz ?? facts.tz ?? window.tz;

export function parseWindowFor(profile: Profile, window: IncidentWindow, facts: HostFacts): ParseWindow {
  const slack = Math.max(facts.gunicornTimeout ?? profile.gunicornTimeoutSeconds, facts.proxyReadTimeout ?? profile.proxyReadTimeoutSeconds) * 1000;
  return {
    window,
    // --tz says how the user wrote the window; zone-less log lines are in the host's own zone when it said it
    logTz: logTzOf(facts, window),
    requestSlackMs: slack,
    isSendPost: (e: LogEvent) => e.fields?.method === 'POST' && isSendPath(pathOf(e), profile),
    formats: facts.nginxConf ? { nginx_access: accessParsers(facts.nginxConf, profile.nginxAccessLog) } : undefined,
    isStartContext: (e: LogEvent) =>
      isSendPath(pathOf(e), profile) && ((e.source === 'nginx_access' && e.fields?.method === 'GET') || (e.source === 'nginx_error' && /client request body is buffered/.test(e.line))),
  };
}

/** The probes, together in one lane. */
export function runProbes(runner: CommandRunner, probeDefs: PlaybookSource[], pw: ParseWindow, hooks: Pick<DiagnoseHooks, 'maxParallel' | 'signal'>): Promise<SourceRun[]> {
  const lanes = inLanes(runner, hooks);
  return pool(probeDefs, probeDefs.length, (s) => runSource(lanes, s, pw, hooks.signal));
}

/** The probes a diagnosis with this request runs first (time zone, unit file, nginx site). */
export function probeSources(req: DiagnoseRequest): PlaybookSource[] {
  const opts = { root: req.root, ...(req.central ? { central: validateCentral(req.central) } : {}) };
  return catalogue(validateProfile(req.profile), req.window ?? PROVISIONAL, opts).filter((s) => s.phase === 'probe');
}

/** The runner a phase's commands go through: grouped in a few lanes, one session and one sudo each. */
export function inLanes(runner: CommandRunner, hooks: Pick<DiagnoseHooks, 'maxParallel'>): CommandRunner {
  const n = Math.max(1, hooks.maxParallel ?? 8);
  return new LaneRunner(runner, { sudo: Math.max(1, Math.min(3, n - 1)), user: 1 });
}

export async function diagnose(runner: CommandRunner, req: DiagnoseRequest, hooks: DiagnoseHooks = {}): Promise<Diagnosis> {
  const started = Date.now();
  const prep = await prepare(runner, req, hooks);
  const { profile, window, facts } = prep;
  const pw = parseWindowFor(profile, window, facts);
  if (hooks.selectSources) prep.sources = hooks.selectSources(prep.sources, prep.probes.map((p) => p.result));
  const since = isoInZone(window.since, window.tz);
  const until = isoInZone(window.until, window.tz);
  hooks.onStage?.(t(hooks.lang ?? 'en', 'window {0} → {1} ({2}); running {3} sources', since, until, window.tz, prep.sources.length), { id: 'run', since, until, tz: window.tz, sources: prep.sources.length });
  for (const p of prep.probes) hooks.onSource?.(p.result);
  const lanes = inLanes(runner, hooks);
  const { ctl, done } = followed(hooks.signal);
  const runs = await pool(prep.sources, prep.sources.length, async (s) => {
    const r = await runSource(lanes, s, pw, hooks.signal && ctl.signal);
    hooks.onSource?.(r.result);
    return r;
  }).finally(done);
  const ps = runs.find((r) => r.result.id === 'host_ps');
  if (ps?.output && facts.gunicornTimeout === undefined) {
    // (gunicorn's own lines: a python process beside it may have a -t of its own)
    const t = gunicornOptions(ps.output.split('\n').filter((l) => l.includes('gunicorn')).join('\n')).timeout;
    if (t !== undefined) facts.gunicornTimeout = t;
  }
  decideRelay(parseAppSettings(runs.find((r) => r.result.id === 'app_settings')?.output ?? ''), profile, facts);
  const spanRun = runs.find((r) => r.result.id === 'log_spans');
  const spans = spanRun?.output ? parseSpans(spanRun.output, pw.logTz ?? window.tz, window.since) : undefined;
  return assemble(runner.describe(), profile, window, facts, [...prep.probes, ...runs].map((r) => r.result), Date.now() - started, spans);
}

/** Causes, verdict, impact, code links and recommendations from the sources' results. */
export function assemble(target: string, profile: Profile, window: IncidentWindow, facts: HostFacts, sources: SourceResult[], durationMs?: number, spans?: Spans): Diagnosis {
  const events = sources.flatMap((s) => s.events);
  const ctx = { events, profile, facts, window };
  // without the log_spans probe (a central log host), the spans the window reader found in the files it opened
  applySpans(sources, spans ?? new Map(), window);
  const assessed = assessCauses(ctx);
  const { causes } = assessed;
  const { verdict, blind } = blindVerdict(assessed.verdict, sources);
  const mail = sources.find((s) => s.id === 'mail_log');
  let impact = estimateImpact(ctx, { mailLogReadable: !!mail && (mail.status === 'ok' || mail.status === 'empty') && mail.covers !== 'no' });
  if (verdict === 'unknown' && !impact.attempts?.length) {
    impact = {
      ...impact,
      summary: msg('The logs do not reach back to the window: whether a send failed there, and how far it got, cannot be told from this host.'),
    };
  }
  const recs = applicableRecommendations(verdict, events, sources);
  return {
    window: { since: isoInZone(window.since, window.tz), until: isoInZone(window.until, window.tz), tz: window.tz, ...(window.at ? { at: isoInZone(window.at, window.tz) } : {}) },
    target,
    sources,
    causes,
    verdict,
    impact,
    codeLinks: codeLinks(events, profile),
    recommendations: recs,
    ...(blind ? { blind } : {}),
    ...(facts.relay ? { relay: { host: facts.relay.host, ...(facts.relay.port ? { port: facts.relay.port } : {}), why: facts.relay.why, localPostfix: facts.relay.localPostfix, ...(facts.appSender ? { sender: facts.appSender } : {}) } } : {}),
    ...(durationMs !== undefined ? { durationMs } : {}),
  };
}

/** Runs one source again (e.g. after the user fixed a permission), with the same probes. */
export async function rerunSource(runner: CommandRunner, req: DiagnoseRequest, sourceId: string, hooks: DiagnoseHooks = {}): Promise<SourceResult> {
  const prep = await prepare(runner, req, hooks);
  const probe = prep.probes.find((p) => p.result.id === sourceId);
  if (probe) return probe.result;
  const src = prep.sources.find((s) => s.id === sourceId);
  if (!src) throw new InputError(msg('unknown source {0}', JSON.stringify(sourceId)));
  const r = await runSource(runner, src, parseWindowFor(prep.profile, prep.window, prep.facts), hooks.signal);
  hooks.onSource?.(r.result);
  return r.result;
}

/**
 * Re-runs one source of a finished diagnosis (Re-run Source, after the user fixed a permission) and
 * re-assesses everything with that source's new result in place of the old one.
 */
export async function rerunInDiagnosis(runner: CommandRunner, req: DiagnoseRequest, previous: Diagnosis, sourceId: string, hooks: DiagnoseHooks = {}): Promise<Diagnosis> {
  const prep = await prepare(runner, req, hooks);
  const probe = prep.probes.find((p) => p.result.id === sourceId);
  let result: SourceResult;
  if (probe) result = probe.result;
  else {
    const src = prep.sources.find((s) => s.id === sourceId);
    if (!src) throw new InputError(msg('unknown source {0}', JSON.stringify(sourceId)));
    result = (await runSource(runner, src, parseWindowFor(prep.profile, prep.window, prep.facts), hooks.signal)).result;
  }
  hooks.onSource?.(result);
  const sources = previous.sources.some((s) => s.id === sourceId) ? previous.sources.map((s) => (s.id === sourceId ? result : s)) : [...previous.sources, result];
  return assemble(runner.describe(), prep.profile, prep.window, prep.facts, sources, previous.durationMs);
}
