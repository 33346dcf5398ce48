// `incident-lens diagnose --central LOGHOST`: one diagnosis per app host, read on the central log host.
import { CommandRunner, diagnoseCentral as runCentral, DiagnoseRequest, renderFleetMarkdown, renderFleetText, renderMarkdown, renderText, type CentralRun, type CentralRunOptions, type SourceResult } from '../core/index';
import type { CliOptions } from './args';
import { jsonText } from './common';

export type CentralResult = CentralRun;

/** The CLI's --for-host / --journal-dir / --tree / --gateway as the core's options. */
function runOptions(o: CliOptions): CentralRunOptions {
  return { forHosts: o.forHosts, journalDir: o.journalDir, treeLayout: o.tree, ...(o.gateway !== undefined ? { gatewayPort: Number(o.gateway) } : {}) };
}

export async function diagnoseCentral(runner: CommandRunner, target: string, o: CliOptions, base: DiagnoseRequest, hooks: { stage: (m: string) => void; source: (r: SourceResult) => void }): Promise<CentralResult> {
  return runCentral(runner, target, runOptions(o), base, { onStage: hooks.stage, onSource: hooks.source, onHostStart: (h) => hooks.stage(`host ${h}`) });
}

/**
 * One host: its report (the plain diagnosis in JSON). Several: the fleet report `--host A --host B` prints, the
 * JSON being that FleetDiagnosis plus `central` and `present`.
 */
export function renderCentral(r: CentralResult, format: 'json' | 'markdown' | 'text', redact: boolean): string {
  if (!r.fleet) {
    const d = r.hosts[0].diagnosis;
    if (format === 'json') return jsonText(d, redact);
    return format === 'markdown' ? renderMarkdown(d, { redact }) : renderText(d, { redact });
  }
  if (format === 'json') {
    const value = { ...r.fleet, central: r.central, ...(r.present ? { present: r.present } : {}) };
    return jsonText(value, redact);
  }
  return format === 'markdown' ? renderFleetMarkdown(r.fleet, { redact }) : renderFleetText(r.fleet, { redact });
}
