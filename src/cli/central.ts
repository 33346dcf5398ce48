// `incident-lens diagnose --central LOGHOST`: one diagnosis per app host, read on the central log host.
import { CommandRunner, diagnose, Diagnosis, DiagnoseRequest, listCentralHosts, redactDeep, renderMarkdown, renderText, validateCentral, type CentralOptions, type SourceResult } from '../core/index';
import { CliOptions, UsageError } from './args';

export interface CentralResult {
  /** The central log host, as connected. */
  central: string;
  /** Hosts the store holds (journal and/or tree), when they were listed. */
  present?: { host: string; in: string[] }[];
  hosts: { host: string; verdict: string; diagnosis: Diagnosis }[];
}

function centralOptions(o: CliOptions, host: string): CentralOptions {
  return validateCentral({ host, journalDir: o.journalDir, treeLayout: o.tree, ...(o.gateway !== undefined ? { gatewayPort: Number(o.gateway) } : {}) });
}

/** Which hosts to diagnose: --for-host, else every host the store holds. */
async function hostsToRead(runner: CommandRunner, o: CliOptions, stage: (m: string) => void): Promise<{ names: string[]; present?: CentralResult['present'] }> {
  if (o.forHosts?.length) {
    for (const h of o.forHosts) centralOptions(o, h); // refuses a bad name before anything runs
    return { names: [...new Set(o.forHosts)] };
  }
  stage('listing the hosts the central log host holds');
  const { hosts, result } = await listCentralHosts(runner, { journalDir: o.journalDir, treeLayout: o.tree });
  if (!hosts.length) throw new UsageError(`no host found on the central log host (${result.status}${result.advice ? `: ${result.advice}` : ''}); name one with --for-host`);
  stage(`hosts found: ${hosts.map((h) => `${h.host} (${h.in.join('+')})`).join(', ')}`);
  return { names: hosts.map((h) => h.host), present: hosts };
}

export async function diagnoseCentral(runner: CommandRunner, target: string, o: CliOptions, base: DiagnoseRequest, hooks: { stage: (m: string) => void; source: (r: SourceResult) => void }): Promise<CentralResult> {
  const { names, present } = await hostsToRead(runner, o, hooks.stage);
  const hosts: CentralResult['hosts'] = [];
  for (const host of names) {
    hooks.stage(`host ${host}`);
    const d = await diagnose(runner, { ...base, central: centralOptions(o, host) }, { onStage: hooks.stage, onSource: (r) => hooks.source(r) });
    d.target = `${host} (central log host ${target})`;
    hosts.push({ host, verdict: d.verdict, diagnosis: d });
  }
  return { central: target, ...(present ? { present } : {}), hosts };
}

export function renderCentral(r: CentralResult, format: 'json' | 'markdown' | 'text', redact: boolean): string {
  if (format === 'json') {
    // one host: the plain diagnosis (same shape as --host); several: one entry per host
    const value = r.hosts.length === 1 && !r.present ? r.hosts[0].diagnosis : r;
    return JSON.stringify(redact ? redactDeep(value) : value, null, 2) + '\n';
  }
  const parts = r.hosts.map((h) => (format === 'markdown' ? renderMarkdown(h.diagnosis, { redact }) : `== ${h.host} ==\n${renderText(h.diagnosis, { redact })}`));
  if (r.hosts.length === 1) return parts[0];
  const summary = r.hosts.map((h) => `${h.host}: ${h.verdict}`).join(format === 'markdown' ? '\n- ' : '\n  ');
  return (format === 'markdown' ? `- ${summary}\n\n` : `verdicts per host:\n  ${summary}\n\n`) + parts.join('\n');
}
