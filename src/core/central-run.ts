/**
 * App hosts read on a central log host: which hosts (the ones named, else every host the store holds), then one
 * diagnosis per host over the one connection, merged into a fleet verdict when there are several — what
 * `--host A --host B` gives on the hosts themselves. Used by the CLI (`--central`) and VS Code
 * (`incidentLens.central.forHost` = `*` or several names).
 */
import { DEFAULT_TREE_LAYOUT, validateCentral, type CentralOptions } from './catalogue';
import { listCentralHosts } from './central-hosts';
import { centralFleet } from './central-fleet';
import { diagnose, type DiagnoseHooks, type DiagnoseRequest } from './diagnose';
import { InputError } from './errors';
import type { CommandRunner } from './exec';
import type { FleetDiagnosis } from './fleet/types';
import { render, t, type Lang } from './l10n';
import type { Diagnosis } from './model';

export interface CentralRunOptions {
  /** App hosts as they name themselves (journal _HOSTNAME, rsyslog %HOSTNAME%); none = every host the store holds. */
  forHosts?: string[];
  journalDir?: string;
  /** The syslog tree layout; none = the usual roots are looked at and the one holding the hosts' folders is used. */
  treeLayout?: string;
  gatewayPort?: number;
}

export interface CentralRun {
  /** The central log host, as connected. */
  central: string;
  /** Hosts the store holds (journal and/or tree), when they were listed. */
  present?: { host: string; in: string[] }[];
  hosts: { host: string; verdict: string; diagnosis: Diagnosis }[];
  /** Several hosts (or a listed store): the fleet's verdict, the front's failing POST traced to its host. */
  fleet?: FleetDiagnosis;
}

/** The central options for one app host; throws InputError on a bad name or setting. */
export function centralFor(o: CentralRunOptions, host: string): CentralOptions {
  return validateCentral({ host, journalDir: o.journalDir, treeLayout: o.treeLayout, ...(o.gatewayPort !== undefined ? { gatewayPort: o.gatewayPort } : {}) });
}

async function hostsToRead(runner: CommandRunner, o: CentralRunOptions, stage: (m: string) => void, lang: Lang, signal?: AbortSignal): Promise<{ names: string[]; present?: CentralRun['present']; tree?: string }> {
  for (const h of o.forHosts ?? []) centralFor(o, h); // refuses a bad name before anything runs
  if (o.forHosts?.length && o.treeLayout !== undefined) return { names: [...new Set(o.forHosts)] };
  stage(t(lang, 'listing the hosts the central log host holds'));
  const listing = await listCentralHosts(runner, { journalDir: o.journalDir, treeLayout: o.treeLayout, detect: o.treeLayout === undefined }, signal);
  const tree = o.treeLayout === undefined && listing.treeRoot && `${listing.treeRoot}/{host}` !== DEFAULT_TREE_LAYOUT ? `${listing.treeRoot}/{host}` : undefined;
  if (tree) stage(t(lang, 'syslog tree found: {0}', tree));
  if (o.forHosts?.length) return { names: [...new Set(o.forHosts)], tree };
  const { hosts, result } = listing;
  if (!hosts.length) {
    const why = result.adviceText ? `${result.status}: ${render(result.adviceText, lang)}` : result.status;
    throw new InputError(t(lang, 'no host found on the central log host ({0}); name the app host to read', why));
  }
  stage(t(lang, 'hosts found: {0}', hosts.map((h) => `${h.host} (${h.in.join('+')})`).join(', ')));
  return { names: hosts.map((h) => h.host), present: hosts, tree };
}

/** Every app host diagnosed in turn on the one connection (they share its channels), then merged. */
export async function diagnoseCentral(runner: CommandRunner, target: string, o: CentralRunOptions, base: DiagnoseRequest, hooks: DiagnoseHooks & { onHostStart?(host: string): void } = {}): Promise<CentralRun> {
  const started = Date.now();
  const stage = (m: string) => hooks.onStage?.(m);
  const { names, present, tree } = await hostsToRead(runner, o, stage, hooks.lang ?? 'en', hooks.signal);
  const opts = tree ? { ...o, treeLayout: tree } : o;
  const hosts: CentralRun['hosts'] = [];
  for (const host of names) {
    if (hooks.signal?.aborted) break;
    hooks.onHostStart?.(host);
    const d = await diagnose(runner, { ...base, central: centralFor(opts, host) }, hooks);
    d.target = `${host} (central log host ${target})`; // an identifier, as --host prints it: not translated
    hosts.push({ host, verdict: d.verdict, diagnosis: d });
  }
  const fleet = hosts.length > 1 || present ? centralFleet(hosts, base.profile, Date.now() - started) : undefined;
  return { central: target, ...(present ? { present } : {}), hosts, ...(fleet ? { fleet } : {}) };
}
