/** What `diagnose` and `collect` share: the request from the options, the runner, exit codes, progress. */
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_PROFILE, DiagnoseRequest, InputError, RunnerError, SourceResult, validateProfile, checkRequest, CommandRunner } from '../core/index';
import { LocalRunner } from '../transport/local';
import { CliOptions, UsageError } from './args';
import { openSsh } from './ssh';

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
export const EXIT_UNREACHABLE = 3;

/** Builds and checks the engine request: every bad input is refused here, before anything runs. */
export function requestFrom(o: CliOptions): DiagnoseRequest {
  const profile = validateProfile({
    ...(o.unit !== undefined ? { unit: o.unit } : {}),
    ...(o.appDir !== undefined ? { appDir: o.appDir } : {}),
    ...(o.urlPath !== undefined ? { urlPath: o.urlPath } : {}),
  });
  const req: DiagnoseRequest = { profile, at: o.at, before: o.before, after: o.after, since: o.since, until: o.until, tz: o.tz };
  if (o.root !== undefined) req.root = isAbsolute(o.root) ? o.root : resolve(o.root);
  if (o.appDir !== undefined) req.fixedProfile = true;
  if (o.fullScan) req.fullScan = true;
  checkRequest(req);
  return req;
}

export async function openRunner(o: CliOptions, progress: (line: string) => void): Promise<{ runner: CommandRunner; target: string }> {
  if (o.root !== undefined) return { runner: new LocalRunner(), target: `bundle ${resolve(o.root)}` };
  const runner = await openSsh(o, progress);
  return { runner, target: runner.describe() };
}

/** One clear line on stderr and the exit status for a failure. */
export function failure(e: unknown, command: string): number {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof UsageError || e instanceof InputError) {
    process.stderr.write(`incident-lens ${command}: ${msg}\n`);
    return EXIT_USAGE;
  }
  if (e instanceof RunnerError) {
    const code = e.code === 'BAD_TARGET' ? EXIT_USAGE : EXIT_UNREACHABLE;
    process.stderr.write(`incident-lens ${command}: ${msg}${e.advice ? ` — ${e.advice}` : ''}\n`);
    return code;
  }
  process.stderr.write(`incident-lens ${command}: ${msg}\n`);
  return 1;
}

export function progressPrinter(): { stage: (m: string) => void; source: (r: SourceResult) => void } {
  let n = 0;
  return {
    stage: (m) => process.stderr.write(`… ${m}\n`),
    source: (r) => {
      n++;
      const extra = r.status === 'ok' ? `${r.events.length} events${r.advice ? ` — ${r.advice}` : ''}` : r.advice ?? '';
      process.stderr.write(`  [${String(n).padStart(2)}] ${r.id.padEnd(15)} ${r.status.padEnd(7)} ${((r.durationMs ?? 0) / 1000).toFixed(1)} s  ${extra}\n`);
    },
  };
}

export { DEFAULT_PROFILE };
