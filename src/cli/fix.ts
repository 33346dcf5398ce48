// `incident-lens fix FILE --fix NAME [--write]`: the language server's fixes on the command line.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { findSends } from '../python/analyze';
import { appLanguage } from '../python/appLanguage';
import { unifiedDiff } from '../python/diff';
import { FIX_KINDS, backgroundForSend, fixFile, type FixKind } from '../python/fixes';
import type { BackgroundTarget } from '../python/fixBackground';
import { isDjangoSettings } from '../python/fixLogging';
import { loadPythonParser, type PythonParser } from '../python/parser';
import { findSettingsFile } from '../python/settingsLocator';
import { readError } from './common';
import { t } from '../core/l10n';
import { CLI_LANG } from './lang';

const USAGE = t(CLI_LANG, `usage: incident-lens fix FILE --fix NAME [--write] [--target celery|command] [--app-dir DIR]

  background-task  move the send out of the request (HTTP timeout / OOM kill): the view queues a background job
                   and answers at once; the job sends the batches with per-batch error handling and progress logs.
                   A Celery task (@shared_task + .delay) when the project has a Celery app, else a management
                   command started by a systemd path unit (unit files written under deploy/systemd/ for review).
                   Prints the preview as a unified diff of every file; --write writes them.
  rate-limit       retry a batch refused with a 4xx after a growing pause; batch size and pauses from settings
                   (MAIL_BATCH_SIZE, MAIL_BATCH_PAUSE, MAIL_RETRY_ATTEMPTS, MAIL_RETRY_PAUSE)
  reconnect        one SMTP connection reused for every batch, reopened and the batch retried after a pause
  try-except       wrap each unprotected send in try/except, log and record the failed batch, continue
  logging          add a LOGGING configuration to the project's settings.py (FILE: settings.py or any file of it)
  progress         log "batch k/n sent to m recipients" after each batch

The other fixes print the patched file on stdout, or write it with --write.
--target forces the background-task target; --app-dir is the app's folder on the host (systemd units).`);

interface FixArgs {
  fix?: string;
  write: boolean;
  files: string[];
  target?: string;
  appDir?: string;
  help?: boolean;
}

function parse(argv: string[]): FixArgs | string {
  const o: FixArgs = { write: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--write') o.write = true;
    else if (name === '--fix' || name === '--target' || name === '--app-dir') {
      const v = inline ?? (argv[i + 1] !== undefined ? argv[++i] : undefined);
      if (v === undefined) return `${name} needs a value`;
      if (name === '--fix') o.fix = v;
      else if (name === '--target') o.target = v;
      else o.appDir = v;
    } else if (a.startsWith('-')) return t(CLI_LANG, 'unknown option {0}', a);
    else o.files.push(a);
  }
  if (o.help) return o;
  if (o.files.length !== 1) return t(CLI_LANG, 'give exactly one FILE');
  if (!o.fix || !FIX_KINDS.includes(o.fix as FixKind)) return t(CLI_LANG, '--fix must be one of {0}', FIX_KINDS.join(', '));
  if (o.target !== undefined && o.target !== 'celery' && o.target !== 'command') return t(CLI_LANG, '--target must be celery or command');
  return o;
}

async function background(parser: PythonParser, file: string, o: FixArgs): Promise<number> {
  const text = readFileSync(file, 'utf8');
  const tree = parser.parse(text);
  try {
    const lang = appLanguage(parser, file, tree);
    let fix;
    for (const f of findSends(parser, tree, file)) {
      fix = backgroundForSend(parser, text, file, f, { lang, target: o.target as BackgroundTarget | undefined, appDir: o.appDir });
      if (fix) break;
    }
    if (!fix) {
      process.stderr.write(`incident-lens fix: ${t(CLI_LANG, 'nothing to move out of a request in {0} ({1})', file, 'background-task')}\n`);
      return 1;
    }
    for (const c of fix.files) {
      if (o.write) {
        mkdirSync(dirname(c.path), { recursive: true });
        writeFileSync(c.path, c.text);
        process.stderr.write(`incident-lens fix: ${c.before === undefined ? t(CLI_LANG, 'created {0}', c.path) : t(CLI_LANG, 'wrote {0}', c.path)}\n`);
      } else process.stdout.write(unifiedDiff(relative(process.cwd(), c.path) || c.path, c.before, c.text));
    }
    return 0;
  } finally {
    tree.delete();
  }
}

export async function runFix(argv: string[]): Promise<number> {
  const o = parse(argv);
  if (typeof o === 'string') {
    // one line that names the error and what to do; the whole usage only with --help
    process.stderr.write(`incident-lens fix: ${t(CLI_LANG, '{0} (incident-lens fix --help lists the fixes)', o)}\n`);
    return 2;
  }
  if (o.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const parser = await loadPythonParser();
  let file = o.files[0];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`incident-lens fix: ${t(CLI_LANG, 'cannot read {0}: {1}', file, readError(e))}\n`);
    return 2;
  }
  const fix = o.fix as FixKind;
  if (fix === 'background-task') return background(parser, resolve(file), o);
  if (fix === 'logging') {
    const tree = parser.parse(text);
    const own = isDjangoSettings(tree);
    tree.delete();
    if (!own) {
      const settings = findSettingsFile(parser, resolve(file));
      if (!settings) {
        process.stderr.write(`incident-lens fix: ${t(CLI_LANG, 'no Django settings module found for {0} (no manage.py above it)', file)}\n`);
        return 1;
      }
      file = settings;
      text = readFileSync(file, 'utf8');
    }
  }
  const r = fixFile(parser, text, resolve(file), fix);
  if (!r) {
    process.stderr.write(`incident-lens fix: ${t(CLI_LANG, 'nothing to fix in {0} ({1})', file, fix)}\n`);
    return 1;
  }
  if (o.write) {
    writeFileSync(file, r.text);
    process.stderr.write(`incident-lens fix: wrote ${file}\n`);
  } else process.stdout.write(r.text);
  return 0;
}
