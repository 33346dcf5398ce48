/** What `diagnose` and `collect` share: the request from the options, the runner, exit codes, progress. */
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { utils } from 'ssh2';
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_PROFILE, DiagnoseRequest, InputError, RunnerError, SourceResult, validateProfile, checkRequest, CommandRunner } from '../core/index';
import { LocalRunner } from '../transport/local';
import { CliOptions, UsageError } from './args';
import { canAskPassphrase, openSsh } from './ssh';
import { render, t } from '../core/l10n';
import { CLI_LANG } from './lang';

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
export const EXIT_UNREACHABLE = 3;
/** The logs do not reach back to the window: verdict `unknown` (a blind engine is not an all-clear). */
export const EXIT_BLIND = 4;

/** Builds and checks the engine request: every bad input is refused here, before anything runs. */
export function requestFrom(o: CliOptions): DiagnoseRequest {
  const profile = validateProfile({
    ...(o.unit !== undefined ? { unit: o.unit } : {}),
    ...(o.appDir !== undefined ? { appDir: o.appDir } : {}),
    ...(o.urlPath !== undefined ? { urlPath: o.urlPath } : {}),
    ...(o.smtpHost !== undefined ? { smtpHost: o.smtpHost } : {}),
  });
  const req: DiagnoseRequest = { profile, at: o.at, before: o.before, after: o.after, since: o.since, until: o.until, tz: o.tz };
  if (o.root !== undefined) req.root = checkBundleFolder(isAbsolute(o.root) ? o.root : resolve(o.root), o.root);
  if (o.identity !== undefined) checkIdentity(o.identity);
  if (o.appDir !== undefined) req.fixedProfile = true;
  if (o.fullScan) req.fullScan = true;
  checkRequest(req);
  return req;
}

const errno = (e: unknown) => (e as NodeJS.ErrnoException).code ?? String(e);

/** --root must name a folder that looks like a bundle: a mistyped path is not an empty host. */
function checkBundleFolder(path: string, given: string): string {
  let entries: string[];
  try {
    if (!statSync(path).isDirectory()) throw new UsageError(`--root ${given}: ${t(CLI_LANG, 'not a folder — give the folder written by `incident-lens collect --out`')}`);
    entries = readdirSync(path);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const why = errno(e) === 'ENOENT' ? t(CLI_LANG, 'no such folder') : t(CLI_LANG, 'cannot read it ({0})', errno(e));
    throw new UsageError(`--root ${given}: ${t(CLI_LANG, '{0} — give the folder written by `incident-lens collect --out`', why)}`);
  }
  if (!['manifest.json', 'var', 'journal.export', 'incident-lens', 'etc'].some((x) => entries.includes(x))) {
    throw new UsageError(`--root ${given}: ${t(CLI_LANG, 'not a bundle (no manifest.json, var/ or journal.export) — give the folder written by `incident-lens collect --out`')}`);
  }
  return path;
}

function checkReadableFile(option: string, file: string, advice: string): void {
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`${option} ${file}: ${t(CLI_LANG, 'is a folder — {0}', advice)}`);
    accessSync(file, constants.R_OK);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const why = errno(e) === 'ENOENT' ? t(CLI_LANG, 'no such file') : errno(e) === 'EACCES' ? t(CLI_LANG, 'permission denied') : t(CLI_LANG, 'cannot read it ({0})', errno(e));
    throw new UsageError(`${option} ${file}: ${why} — ${advice}`);
  }
}

const KEY_ADVICE = t(CLI_LANG, 'give a private key file you can read (OpenSSH or PEM format)');

/** --identity must be a private key we can use: missing, unreadable, not a key, or locked with no way to ask. */
function checkIdentity(file: string): void {
  checkReadableFile('--identity', file, KEY_ADVICE);
  const parsed = utils.parseKey(readFileSync(file));
  if (!(parsed instanceof Error)) return;
  if (/encrypt|passphrase/i.test(parsed.message)) {
    if (canAskPassphrase() || process.env.SSH_AUTH_SOCK) return; // asked on the terminal, or the agent may hold it
    throw new UsageError(`--identity ${file}: ${t(CLI_LANG, 'the key is protected by a passphrase and there is no terminal to ask it — load it into ssh-agent (ssh-add {0})', file)}`);
  }
  throw new UsageError(`--identity ${file}: ${t(CLI_LANG, 'not a private key ({0}) — {1}', parsed.message, KEY_ADVICE)}`);
}

export async function openRunner(o: CliOptions, progress: (line: string) => void): Promise<{ runner: CommandRunner; target: string }> {
  if (o.root !== undefined) return { runner: new LocalRunner(), target: `bundle ${resolve(o.root)}` };
  const runner = await openSsh(o, progress);
  return { runner, target: runner.describe() };
}

/** What a failure says to the user: a runner's failure as its catalogue text (its `message` is the English kept for Error semantics). */
export function errorText(e: unknown): string {
  return e instanceof RunnerError ? render(e.text, CLI_LANG) : e instanceof Error ? e.message : String(e);
}

/** One clear line on stderr and the exit status for a failure. */
export function failure(e: unknown, command: string): number {
  const msg = errorText(e);
  if (e instanceof UsageError || e instanceof InputError) {
    process.stderr.write(`incident-lens ${command}: ${msg}\n`);
    return EXIT_USAGE;
  }
  if (e instanceof RunnerError) {
    const code = e.code === 'BAD_TARGET' ? EXIT_USAGE : EXIT_UNREACHABLE;
    process.stderr.write(`incident-lens ${command}: ${msg}${e.adviceText ? ` — ${render(e.adviceText, CLI_LANG)}` : ''}\n`);
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
      const events = r.events.length === 1 ? t(CLI_LANG, '{0} event', 1) : t(CLI_LANG, '{0} events', r.events.length);
      const advice = r.adviceText && render(r.adviceText, CLI_LANG);
      const extra = r.status === 'ok' ? `${events}${advice ? ` — ${advice}` : ''}` : advice ?? '';
      process.stderr.write(`  [${String(n).padStart(2)}] ${r.id.padEnd(15)} ${r.status.padEnd(7)} ${((r.durationMs ?? 0) / 1000).toFixed(1)} s  ${extra}\n`);
    },
  };
}

export { DEFAULT_PROFILE };

/** A file the user named could not be read: the reason in a few words (no errno jargon, no stack). */
export function readError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return t(CLI_LANG, 'no such file (check the path)');
  if (code === 'EACCES' || code === 'EPERM') return t(CLI_LANG, 'permission denied');
  if (code === 'EISDIR') return t(CLI_LANG, 'it is a folder, give a file');
  return e instanceof Error ? e.message : String(e);
}
