// `incident-lens diagnose`: one read-only diagnosis of an interrupted send, on a host or a collected bundle.
import { writeFileSync } from 'node:fs';
import { diagnose, jsonChunks, jsonSafe, redactDeep, renderMarkdown, renderText, resendListText, type Diagnosis } from '../core/index';
import { DIAGNOSE_USAGE, parseArgs } from './args';
import { runFleet } from './fleet';
import { diagnoseCentral, renderCentral } from './central';
import { EXIT_BLIND, EXIT_OK, failure, openRunner, progressPrinter, requestFrom } from './common';
import { writeChunks } from './stdout';
import { interruptedExit, interruptSignal, onInterrupt } from './interrupt';
import { jsonTexts, t } from '../core/l10n';
import { CLI_LANG } from './lang';

/** The diagnosis as docs/cli.md documents it: its texts rendered (label, labelFr…) by the model's replacer. */
function* jsonReport(d: unknown): Generator<string> {
  for (const c of jsonChunks(d, undefined, jsonTexts)) yield jsonSafe(c);
  yield '\n';
}

export async function runDiagnose(argv: string[]): Promise<number> {
  let runnerClose: (() => Promise<void>) | undefined;
  let unregister: (() => void) | undefined;
  try {
    const o = parseArgs(argv, 'diagnose');
    if (o.help) {
      process.stdout.write(DIAGNOSE_USAGE + '\n');
      return EXIT_OK;
    }
    const req = requestFrom(o);
    if (o.targets.length > 1) return await runFleet(o, req);
    const p = progressPrinter();
    const { runner, target } = await openRunner(o, p.stage);
    runnerClose = () => runner.close();
    unregister = onInterrupt(runnerClose);
    const format = o.format ?? (o.out && /\.json$/i.test(o.out) ? 'json' : o.out ? 'markdown' : 'text');
    if (o.central !== undefined) {
      const r = await diagnoseCentral(runner, target, o, req, p);
      const stopped = interruptedExit();
      if (stopped !== undefined) return stopped;
      const text = renderCentral(r, format, o.redact);
      if (o.out) writeFileSync(o.out, text);
      else process.stdout.write(text);
      for (const h of r.hosts) process.stderr.write(`verdict for ${h.host}: ${h.verdict}\n`);
      if (r.fleet) {
        const where = r.fleet.failedHosts.filter((x) => x.cause !== 'none' && x.cause !== 'unknown').map((x) => x.host);
        process.stderr.write(`verdict: ${r.fleet.verdict}${where.length ? ` on ${where.join(', ')}` : ''}\n`);
      }
      return EXIT_OK;
    }
    const d = await diagnose(runner, req, { onStage: p.stage, onSource: p.source, signal: interruptSignal });
    const stopped = interruptedExit();
    if (stopped !== undefined) return stopped; // interrupted: no report from a half-run diagnosis
    d.target = target;
    // the JSON report is written in pieces (json-pieces.ts): thousands of events never make one string
    const chunks = format === 'json' ? jsonReport(o.redact ? redactDeep(d) : d) : [format === 'markdown' ? renderMarkdown(d, { redact: o.redact }) : renderText(d, { redact: o.redact })];
    await writeChunks(chunks, o.out);
    if (o.out) process.stderr.write(`${t(CLI_LANG, 'report written to {0} (verdict: {1})', o.out, d.verdict)}\n`);
    if (o.resendList) writeResendList(o.resendList, d);
    process.stderr.write(`verdict: ${d.verdict} (${((d.durationMs ?? 0) / 1000).toFixed(1)} s)\n`);
    return d.verdict === 'unknown' ? EXIT_BLIND : EXIT_OK;
  } catch (e) {
    return failure(e, 'diagnose');
  } finally {
    unregister?.();
    await runnerClose?.().catch(() => undefined);
  }
}

/** --resend-list FILE: the full addresses (the user asked for them), or says why there is no list. */
function writeResendList(file: string, d: Diagnosis): void {
  const p = d.impact.recipients;
  if (!p) {
    process.stderr.write(`${t(CLI_LANG, "no resend list: the logs do not show the app's mail per recipient (it needs the local Postfix's log and the app's sender)")}\n`);
    return;
  }
  writeFileSync(file, resendListText(p));
  const notReached = p.notReachedExact ? String(p.notReached) : t(CLI_LANG, 'at least {0}', p.notReached);
  process.stderr.write(`${t(CLI_LANG, 'resend list written to {0} ({1} address(es); not reached: {2})', file, p.resend.length, notReached)}\n`);
}
