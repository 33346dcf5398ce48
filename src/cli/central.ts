// `incident-lens diagnose --central LOGHOST`: one diagnosis per app host, read on the central log host.
import { centralFleet, CommandRunner, DEFAULT_TREE_LAYOUT, diagnose, renderFleetMarkdown, renderFleetText, type FleetDiagnosis, Diagnosis, DiagnoseRequest, listCentralHosts, redactDeep, renderMarkdown, renderText, validateCentral, type CentralOptions, type SourceResult } from '../core/index';
import { CliOptions, UsageError } from './args';

export interface CentralResult {
  /** The central log host, as connected. */
  central: string;
  /** Hosts the store holds (journal and/or tree), when they were listed. */
  present?: { host: string; in: string[] }[];
  hosts: { host: string; verdict: string; diagnosis: Diagnosis }[];
  /** Several hosts: the fleet's verdict (the front's failing POST traced to its host), as `--host A --host B` gives it. */
  fleet?: FleetDiagnosis;
}

function centralOptions(o: CliOptions, host: string): CentralOptions {
  return validateCentral({ host, journalDir: o.journalDir, treeLayout: o.tree, ...(o.gateway !== undefined ? { gatewayPort: Number(o.gateway) } : {}) });
}

/**
 * Which hosts to diagnose (--for-host, else every host the store holds) and, without --tree, where the syslog
 * tree is: the usual roots are looked at and the one holding the hosts' folders is used.
 */
async function hostsToRead(runner: CommandRunner, o: CliOptions, stage: (m: string) => void): Promise<{ names: string[]; present?: CentralResult['present']; tree?: string }> {
  for (const h of o.forHosts ?? []) centralOptions(o, h); // refuses a bad name before anything runs
  if (o.forHosts?.length && o.tree !== undefined) return { names: [...new Set(o.forHosts)] };
  stage('listing the hosts the central log host holds');
  const listing = await listCentralHosts(runner, { journalDir: o.journalDir, treeLayout: o.tree, detect: o.tree === undefined });
  const tree = o.tree === undefined && listing.treeRoot && `${listing.treeRoot}/{host}` !== DEFAULT_TREE_LAYOUT ? `${listing.treeRoot}/{host}` : undefined;
  if (tree) stage(`syslog tree found: ${tree}`);
  if (o.forHosts?.length) return { names: [...new Set(o.forHosts)], tree };
  const { hosts, result } = listing;
  if (!hosts.length) throw new UsageError(`no host found on the central log host (${result.status}${result.advice ? `: ${result.advice}` : ''}); name one with --for-host`);
  stage(`hosts found: ${hosts.map((h) => `${h.host} (${h.in.join('+')})`).join(', ')}`);
  return { names: hosts.map((h) => h.host), present: hosts, tree };
}

export async function diagnoseCentral(runner: CommandRunner, target: string, o: CliOptions, base: DiagnoseRequest, hooks: { stage: (m: string) => void; source: (r: SourceResult) => void }): Promise<CentralResult> {
  const started = Date.now();
  const { names, present, tree } = await hostsToRead(runner, o, hooks.stage);
  const opts = tree ? { ...o, tree } : o;
  const hosts: CentralResult['hosts'] = [];
  for (const host of names) {
    hooks.stage(`host ${host}`);
    const d = await diagnose(runner, { ...base, central: centralOptions(opts, host) }, { onStage: hooks.stage, onSource: (r) => hooks.source(r) });
    d.target = `${host} (central log host ${target})`;
    hosts.push({ host, verdict: d.verdict, diagnosis: d });
  }
  const fleet = hosts.length > 1 || present ? centralFleet(hosts, base.profile, Date.now() - started) : undefined;
  return { central: target, ...(present ? { present } : {}), hosts, ...(fleet ? { fleet } : {}) };
}

/**
 * One host: its report (the plain diagnosis in JSON). Several: the fleet report `--host A --host B` prints, the
 * JSON being that FleetDiagnosis plus `central` and `present`.
 */
export function renderCentral(r: CentralResult, format: 'json' | 'markdown' | 'text', redact: boolean): string {
  if (!r.fleet) {
    const d = r.hosts[0].diagnosis;
    if (format === 'json') return JSON.stringify(redact ? redactDeep(d) : d, null, 2) + '\n';
    return format === 'markdown' ? renderMarkdown(d, { redact }) : renderText(d, { redact });
  }
  if (format === 'json') {
    const value = { ...r.fleet, central: r.central, ...(r.present ? { present: r.present } : {}) };
    return JSON.stringify(redact ? redactDeep(value) : value, null, 2) + '\n';
  }
  return format === 'markdown' ? renderFleetMarkdown(r.fleet, { redact }) : renderFleetText(r.fleet, { redact });
}
