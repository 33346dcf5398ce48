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
}

export interface CatalogueOptions {
  /** Read a collected bundle under this folder instead of the host's paths. */
  root?: string;
}

export interface CatalogueInput {
  profile: Profile;
  window: IncidentWindow;
  options: CatalogueOptions;
}

export type { LogEvent };
