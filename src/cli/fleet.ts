// `incident-lens diagnose --host A --host B …`: one diagnosis over several hosts (nginx front + app hosts).
import { writeFileSync } from 'node:fs';
import { diagnoseFleet, renderFleetMarkdown, renderFleetText, type DiagnoseRequest, type FleetHost, type SourceResult } from '../core/index';
import type { CliOptions } from './args';
import { EXIT_OK, EXIT_UNREACHABLE, jsonText } from './common';
import { openSsh } from './ssh';
import { render, t } from '../core/l10n';
import { CLI_LANG } from './lang';

function fleetProgress(): { stage: (host: string, m: string) => void; source: (host: string, r: SourceResult) => void; host: (h: FleetHost) => void } {
  return {
    stage: (host, m) => process.stderr.write(`… ${host}: ${m}\n`),
    source: (host, r) => process.stderr.write(`  ${host.padEnd(24)} ${r.id.padEnd(15)} ${r.status.padEnd(7)} ${((r.durationMs ?? 0) / 1000).toFixed(1)} s\n`),
    host: (h) => process.stderr.write(h.status === 'ok' ? `✔ ${h.name} (${h.role}): ${h.diagnosis?.verdict}\n` : `✖ ${h.name}: ${h.status}${h.errorText ? ` — ${render(h.errorText, CLI_LANG)}` : ''}${h.adviceText ? ` — ${render(h.adviceText, CLI_LANG)}` : ''}\n`),
  };
}

export async function runFleet(o: CliOptions, req: DiagnoseRequest): Promise<number> {
  const p = fleetProgress();
  const f = await diagnoseFleet(o.targets, req, (name) => openSsh(o, (m) => p.stage(name, m), name), { onStage: p.stage, onSource: p.source, onHost: p.host });
  const format = o.format ?? (o.out && /\.json$/i.test(o.out) ? 'json' : o.out ? 'markdown' : 'text');
  const text = format === 'json' ? jsonText(f, o.redact) : format === 'markdown' ? renderFleetMarkdown(f, { redact: o.redact }) : renderFleetText(f, { redact: o.redact });
  if (o.out) {
    writeFileSync(o.out, text);
    process.stderr.write(`${t(CLI_LANG, 'report written to {0} (verdict: {1})', o.out, f.verdict)}\n`);
  } else await new Promise<void>((done) => process.stdout.write(text, () => done())); // flushed before main() exits (a fleet's JSON is large)
  for (const s of f.suggestedHosts) process.stderr.write(`${t(CLI_LANG, "the front's nginx upstream names {0}, which is not in the host list: add --host …@{0}", s)}\n`);
  const where = f.failedHosts.filter((x) => x.cause !== 'none' && x.cause !== 'unknown').map((x) => x.host);
  process.stderr.write(`verdict: ${f.verdict}${where.length ? ` on ${where.join(', ')}` : ''} (${((f.durationMs ?? 0) / 1000).toFixed(1)} s)\n`);
  return f.hosts.some((h) => h.status === 'ok') ? EXIT_OK : EXIT_UNREACHABLE;
}
