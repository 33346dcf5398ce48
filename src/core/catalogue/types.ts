import type { Localized } from '../l10n';
import type { LogEvent } from '../model';
import type { Profile } from '../profile';
import type { IncidentWindow } from '../window';

export type SourceFormat = 'journal' | 'text' | 'check';

/** Where `collect` stores a source's output in a bundle, and how `--root` reads it back. */
export type BundleKind = 'files' | 'journal' | 'raw';

export interface PlaybookSource {
  id: string;
  label: Localized;
  /** What runs on the host: read-only, time-filtered, machine-friendly. */
  command: string;
  /** The runbook's own command for this source, to copy by hand. */
  runbookCommand: string;
  /** Needs root (run through `sudo -n`; retried without sudo when sudo asks a password). */
  sudo: boolean;
  format: SourceFormat;
  /** 'probe' sources run first (time zone, unit file, nginx site): they can refine the profile. */
  phase: 'probe' | 'main';
  bundle: BundleKind;
  /** For bundle 'journal'/'raw': the bundle file name; for 'journal' also the export command collect runs. */
  bundleFile?: string;
  collectCommand?: string;
  timeoutMs: number;
  maxBytes: number;
  /** Absence of this log is normal on many hosts (mail.err, gunicorn.log): status 'missing' without alarm. */
  optional?: boolean;
  /** Read over HTTP from systemd-journal-gatewayd (through the SSH connection) instead of running `command`. */
  gateway?: GatewayQuery;
  /** Parses this source's output into the window's events (the engine does this for you in diagnose()). */
  parse(output: string, window: IncidentWindow): LogEvent[];
}

export interface CatalogueOptions {
  /** Read a collected bundle under this folder instead of the host's paths. */
  root?: string;
  /** Zone of the host's zone-less log timestamps (the host's, once the probes said it). */
  logTz?: string;
  /** How long after the window text logs are read (nginx logs a request when it ends): the longest plausible request. */
  afterMarginMs?: number;
  /** Read every log file whole (the full scan) instead of bisecting: for comparison. */
  fullScan?: boolean;
  /** Read one app host's logs where the fleet's logs land (a central log host): see central.ts. */
  central?: CentralOptions;
  /** Syslog identifiers of the app's processes (from the unit's ExecStart): its lines are kept by the syslog prefilter. */
  appPrograms?: string[];
}

/** A central log host: systemd-journal-remote files, rsyslog/syslog-ng per-host trees, systemd-journal-gatewayd. */
export interface CentralOptions {
  /** The app host whose logs are read, as it names itself (journal `_HOSTNAME`, rsyslog's `%HOSTNAME%`). */
  host: string;
  /** systemd-journal-remote's output: a folder (`--directory`) or one `.journal` file (`--file`). */
  journalDir: string;
  /** The per-host folder of the syslog tree; `{host}` stands for the host name. */
  treeLayout: string;
  /** Read the journal through systemd-journal-gatewayd on this loopback port of the log host (forwarded SSH channel). */
  gatewayPort?: number;
}

/** One systemd-journal-gatewayd query: `/entries` with field matches, paged from `since` by a realtime cursor. */
export interface GatewayQuery {
  port: number;
  /** `FIELD=value` matches, all at once (the host's own: `_HOSTNAME=…`). */
  matches: string[];
  /** Entries kept when any of these `FIELD=value` holds (the unit, the kernel); empty = all. */
  keep: string[];
  sinceUs: number;
  untilUs: number;
  pageSize: number;
}

export interface CatalogueInput {
  profile: Profile;
  window: IncidentWindow;
  options: CatalogueOptions;
}

export type { LogEvent };

/** A source as logs.ts/checks.ts describe it; catalogue() adds `parse`. */
export type SourceDef = Omit<PlaybookSource, 'parse'>;
