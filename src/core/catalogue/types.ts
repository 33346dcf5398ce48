import type { LogEvent } from '../model';
import type { Profile } from '../profile';
import type { IncidentWindow } from '../window';

export type SourceFormat = 'journal' | 'text' | 'check';

/** Where `collect` stores a source's output in a bundle, and how `--root` reads it back. */
export type BundleKind = 'files' | 'journal' | 'raw';

export interface PlaybookSource {
  id: string;
  label: string;
  labelFr: string;
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
}

export interface CatalogueInput {
  profile: Profile;
  window: IncidentWindow;
  options: CatalogueOptions;
}

export type { LogEvent };

/** A source as logs.ts/checks.ts describe it; catalogue() adds `parse`. */
export type SourceDef = Omit<PlaybookSource, 'parse'>;
