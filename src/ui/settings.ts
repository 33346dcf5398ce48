// Reads the `incidentLens.*` settings into the engine's Profile and the connection options. Values are
// validated by the engine (validateProfile) before anything runs; bad ones become a clear error.
import { langOf, type Lang } from '../core/l10n';
import * as vscode from 'vscode';
import { validateCentral } from '../core/catalogue/central';
import type { CentralOptions } from '../core/catalogue/types';
import { DEFAULT_PROFILE, validateProfile, type Profile } from '../core/profile';
import type { CentralRunOptions } from '../core/central-run';

export const SECTION = 'incidentLens';

export interface ConnectionSettings {
  host: string;
  /** incidentLens.hosts: several hosts diagnosed together (front + app hosts); two or more = a fleet diagnosis. */
  hosts: string[];
  /** A collected bundle to read instead of SSH. */
  bundleFolder?: string;
  identityFile?: string;
  knownHostsFile?: string;
  sshConfigFile?: string;
  timezone?: string;
  before: string;
  after: string;
  maxParallel: number;
  rememberPasswords: boolean;
}

/**
 * The folder whose settings apply in a multi-root workspace: the active editor's folder, else the first folder
 * that sets incidentLens.host itself, else the first folder.
 */
export function settingsFolder(): vscode.WorkspaceFolder | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  const active = vscode.window.activeTextEditor?.document.uri;
  const own = active && active.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  if (own) return own;
  return folders.find((f) => vscode.workspace.getConfiguration(SECTION, f.uri).inspect('host')?.workspaceFolderValue) ?? folders[0];
}

function cfg(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, settingsFolder()?.uri);
}

const nonEmpty = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);

export function connectionSettings(): ConnectionSettings {
  const c = cfg();
  return {
    host: (c.get<string>('host') ?? '').trim(),
    hosts: [...new Set((c.get<unknown>('hosts') instanceof Array ? (c.get<unknown[]>('hosts') ?? []) : []).filter((h): h is string => typeof h === 'string').map((h) => h.trim()).filter(Boolean))],
    bundleFolder: nonEmpty(c.get<string>('bundleFolder')),
    identityFile: nonEmpty(c.get<string>('identityFile')),
    knownHostsFile: nonEmpty(c.get<string>('knownHostsFile')),
    sshConfigFile: nonEmpty(c.get<string>('sshConfigFile')),
    timezone: nonEmpty(c.get<string>('timezone')),
    before: nonEmpty(c.get<string>('window.before')) ?? '5m',
    after: nonEmpty(c.get<string>('window.after')) ?? '10m',
    maxParallel: Math.max(1, Math.min(10, c.get<number>('maxParallelCommands') ?? 8)),
    rememberPasswords: c.get<boolean>('rememberPasswords') ?? false,
  };
}

/** The profile from settings; throws the engine's InputError on a value that cannot be used safely. */
export function profileSettings(): Profile {
  const c = cfg();
  const p: Partial<Profile> = {};
  for (const key of Object.keys(DEFAULT_PROFILE) as (keyof Profile)[]) {
    const v = c.get<unknown>(`profile.${key}`);
    if (v === undefined || v === null || v === '') continue;
    (p as Record<string, unknown>)[key] = v;
  }
  return validateProfile(p);
}

/**
 * incidentLens.central.*: with `forHost` (or the run's own), incidentLens.host is a central log host and that app
 * host's logs are read there. Throws the engine's InputError on an unsafe value.
 */
export function centralSettings(forHost?: string): CentralOptions | undefined {
  const c = cfg();
  const host = nonEmpty(forHost) ?? nonEmpty(c.get<string>('central.forHost'));
  if (!host) return undefined;
  const port = c.get<number>('central.gatewayPort') ?? 0;
  return validateCentral({
    host,
    journalDir: nonEmpty(c.get<string>('central.journalDir')),
    treeLayout: nonEmpty(c.get<string>('central.treeLayout')),
    ...(port ? { gatewayPort: port } : {}),
  });
}

/**
 * Several app hosts on the central log host: incidentLens.central.forHost (or the run's own) is `*` (every host the
 * store holds) or names separated by commas or spaces. One name (or none) is the single-host path: undefined.
 */
export function centralHostsWanted(forHost?: string): string[] | 'all' | undefined {
  const v = (nonEmpty(forHost) ?? nonEmpty(cfg().get<string>('central.forHost')) ?? '').trim();
  if (v === '*') return 'all';
  const names = [...new Set(v.split(/[\s,]+/).filter(Boolean))];
  return names.length > 1 ? names : undefined;
}

/** Where the app hosts' logs are on the central log host (incidentLens.central.journalDir, .treeLayout, .gatewayPort). */
export function centralRunSettings(): CentralRunOptions {
  const c = cfg();
  const port = c.get<number>('central.gatewayPort') ?? 0;
  return { journalDir: nonEmpty(c.get<string>('central.journalDir')), treeLayout: nonEmpty(c.get<string>('central.treeLayout')), ...(port ? { gatewayPort: port } : {}) };
}

export function redactEnabled(): boolean {
  return cfg().get<boolean>('report.redact') ?? true;
}

export function workspaceAppFolder(): string | undefined {
  return nonEmpty(cfg().get<string>('workspaceAppFolder'));
}

/** VS Code's display language when the catalogue has it, else English (reports, cause explanations). */
export function uiLang(): Lang {
  return langOf(vscode.env.language);
}
