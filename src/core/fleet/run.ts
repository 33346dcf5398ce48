/**
 * Runs the playbook on every host at once: one connection per host (each with its own host-key check, sudo and
 * time zone), at most `maxHosts` hosts working at a time, sources chosen from what each host has. A host that
 * cannot be reached is a status and the others complete; a host key that does not match stops everything.
 */
import { msg, verbatim, type Lang } from '../l10n';
import { followed } from '../signal';
import { HOST_NAME_COMMAND, resolveNamesCommand } from '../catalogue/fleet';
import { diagnose, inLanes, pool, probeSources, runProbes, type DiagnoseRequest, type StageInfo, checkRequest } from '../diagnose';
import { InputError } from '../errors';
import { RunnerError, type CommandRunner } from '../exec';
import { parseHostTz, zoneForOffset } from '../facts';
import type { SourceResult } from '../model';
import { validateProfile } from '../profile';
import type { SourceRun } from '../source-run';
import { checkZone } from '../time';
import { buildWindow, type IncidentWindow } from '../window';
import { mergeFleet } from './merge';
import { roleFromProbes, sourcesForRole } from './roles';
import { upstreamServers } from './trace';
import type { FleetDiagnosis, FleetHost, FleetHostStatus } from './types';
import { isIp } from './upstream';

export interface FleetHooks {
  signal?: AbortSignal;
  lang?: Lang;
  /** Hosts worked on at once. Default 4. */
  maxHosts?: number;
  /** Commands in flight at once on each host's connection. Default 8. */
  maxParallel?: number;
  onStage?(host: string, message: string, info?: StageInfo): void;
  onSource?(host: string, result: SourceResult): void;
  /** A host is finished: diagnosed, or a status saying why not. */
  onHost?(host: FleetHost): void;
}

/** Opens one host's connection (the caller's transport: host-key check, prompts). */
export type OpenHost = (name: string, signal: AbortSignal) => Promise<CommandRunner>;

const FATAL = new Set(['HOST_KEY_MISMATCH', 'HOST_KEY_REVOKED']);
const PROVISIONAL: IncidentWindow = { since: new Date(0), until: new Date(1000), tz: 'UTC' };

interface Conn {
  host: FleetHost;
  runner?: CommandRunner;
  tz?: string;
  /** The probes, read as the host was connected (the diagnosis does not read them again). */
  probes?: SourceRun[];
}

function statusOf(e: unknown): Pick<FleetHost, 'status' | 'code' | 'errorText' | 'adviceText'> {
  if (e instanceof RunnerError) {
    const status: FleetHostStatus = e.code === 'AUTH_FAILED' ? 'auth_failed' : e.code === 'CANCELLED' ? 'cancelled' : ['UNREACHABLE', 'CONNECT_TIMEOUT', 'HOST_KEY_UNKNOWN', 'BAD_TARGET'].includes(e.code) ? 'unreachable' : 'error';
    return { status, code: e.code, errorText: e.text, ...(e.adviceText ? { adviceText: e.adviceText } : {}) };
  }
  return { status: 'error', errorText: verbatim(e instanceof Error ? e.message : String(e)) };
}

function zoneOf(out: string): string | undefined {
  const z = parseHostTz(out);
  try {
    if (z.zone) return checkZone(z.zone);
  } catch {
    /* not an IANA name */
  }
  return z.offset ? zoneForOffset(z.offset) : undefined;
}

/** Connects and reads the host's name and its probes (zone, unit file, nginx site): one lane, one session. */
async function connect(name: string, req: DiagnoseRequest, open: OpenHost, signal: AbortSignal, maxParallel?: number): Promise<Conn> {
  const host: FleetHost = { name, role: 'other', status: 'ok' };
  const runner = await open(name, signal);
  host.target = runner.describe();
  const lanes = inLanes(runner, { maxParallel });
  const pw = { window: PROVISIONAL, requestSlackMs: 0, isSendPost: () => false };
  // asked in the same turn: the name and the probes go in one lane
  const [probes, uname] = await Promise.all([
    runProbes(lanes, probeSources({ ...req, window: undefined }), pw, { maxParallel, signal }),
    lanes.run(HOST_NAME_COMMAND, { timeoutMs: 20_000, maxBytes: 4096, signal }).catch(() => undefined),
  ]);
  const hn = uname?.stdout.trim().split('\n')[0];
  if (hn && /^[A-Za-z0-9.-]+$/.test(hn)) host.hostname = hn;
  const tz = probes.find((p) => p.result.id === 'host_tz');
  return { host, runner, tz: tz?.output ? zoneOf(tz.output) : undefined, probes };
}

/** The front resolves its upstream servers' names (its /etc/hosts, its DNS). */
async function resolveUpstreams(c: Conn, signal: AbortSignal): Promise<void> {
  const names = [...new Set(upstreamServers(c.host).map((s) => s.host).filter((n) => !isIp(n) && /^[A-Za-z0-9.-]+$/.test(n)))].slice(0, 64);
  if (!names.length || !c.runner) return;
  const r = await c.runner.run(resolveNamesCommand(names), { timeoutMs: 20_000, maxBytes: 256 * 1024, signal }).catch(() => undefined);
  const resolved: Record<string, string[]> = {};
  for (const line of r?.stdout.split('\n') ?? []) {
    const [addr, ...aliases] = line.trim().split(/\s+/);
    if (!addr || !isIp(addr)) continue;
    for (const n of names) if (aliases.some((a) => a.toLowerCase() === n.toLowerCase())) (resolved[n] ??= []).push(addr.toLowerCase());
  }
  c.host.resolved = resolved;
}

async function diagnoseHost(c: Conn, req: DiagnoseRequest, window: IncidentWindow, hooks: FleetHooks, signal: AbortSignal): Promise<void> {
  const h = c.host;
  try {
    h.diagnosis = await diagnose(c.runner!, { ...req, window }, {
      signal,
      lang: hooks.lang,
      maxParallel: hooks.maxParallel,
      probes: c.probes,
      onStage: (m, info) => hooks.onStage?.(h.name, m, info),
      onSource: (r) => hooks.onSource?.(h.name, r),
      selectSources: (sources, probes) => {
        h.role = roleFromProbes(probes);
        const { run, skipped } = sourcesForRole(h.role, sources);
        if (skipped.length) h.skippedSources = skipped;
        return run;
      },
    });
    h.diagnosis.target = h.target ?? h.name;
    if (h.role === 'front' || h.role === 'front+app') await resolveUpstreams(c, signal);
  } catch (e) {
    Object.assign(h, statusOf(e));
    delete h.diagnosis;
  }
}

export async function diagnoseFleet(names: string[], req: DiagnoseRequest, open: OpenHost, hooks: FleetHooks = {}): Promise<FleetDiagnosis> {
  const started = Date.now();
  checkRequest(req);
  if (!names.length) throw new InputError(msg('give at least one host'));
  if (new Set(names).size !== names.length) throw new InputError(msg('a host is listed twice'));
  const { ctl, done } = followed(hooks.signal);
  const max = Math.max(1, hooks.maxHosts ?? 4);
  let fatal: unknown;
  const conns: Conn[] = await pool(names, max, async (name) => {
    try {
      return await connect(name, req, open, ctl.signal, hooks.maxParallel);
    } catch (e) {
      if (e instanceof RunnerError && FATAL.has(e.code)) {
        fatal ??= e;
        ctl.abort();
      }
      const host: FleetHost = { name, role: 'other', ...statusOf(e) };
      return { host };
    }
  });
  try {
    if (fatal) throw fatal;
    for (const c of conns) if (!c.runner) hooks.onHost?.(c.host);
    const live = conns.filter((c) => c.runner);
    const tz = req.tz ?? live.find((c) => c.tz)?.tz;
    let window = req.window;
    if (!window && live.length) {
      if (!tz) throw new InputError(msg('no host said its time zone: give --tz'));
      window = buildWindow({ at: req.at, before: req.before, after: req.after, since: req.since, until: req.until, tz });
    }
    if (window) {
      const w = window;
      await pool(live, max, async (c) => {
        await diagnoseHost(c, req, w, hooks, ctl.signal);
        hooks.onHost?.(c.host);
      });
    }
  } finally {
    done();
    await Promise.all(conns.map((c) => c.runner?.close().catch(() => undefined)));
  }
  if (hooks.signal?.aborted) for (const c of conns) if (c.host.status === 'ok' && !c.host.diagnosis) Object.assign(c.host, { status: 'cancelled' });
  return mergeFleet(conns.map((c) => c.host), { profile: validateProfile(req.profile), durationMs: Date.now() - started });
}
