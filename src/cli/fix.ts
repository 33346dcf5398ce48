// `incident-lens fix FILE --fix try-except|logging|progress [--write]`: the language server's quick fixes.
import { readFileSync, writeFileSync } from 'node:fs';
import { FIX_KINDS, fixFile, type FixKind } from '../python/fixes';
import { isDjangoSettings } from '../python/fixLogging';
import { loadPythonParser } from '../python/parser';
import { findSettingsFile } from '../python/settingsLocator';

const USAGE = `usage: incident-lens fix FILE --fix try-except|logging|progress [--write]

  try-except  wrap each unprotected send of a batch loop in try/except, log and record the failed batch, continue
  logging     add a LOGGING configuration to the project's settings.py (FILE: settings.py or any file of the project)
  progress    log "batch k/n sent to m recipients" after each batch

Prints the patched file on stdout, or writes it with --write.`;

export async function runFix(argv: string[]): Promise<number> {
  let fix: string | undefined;
  let write = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (a === '--fix') fix = argv[++i];
    else if (a.startsWith('--fix=')) fix = a.slice('--fix='.length);
    else if (a === '--write') write = true;
    else if (a.startsWith('-')) {
      process.stderr.write(`incident-lens fix: unknown option ${a} (see incident-lens fix --help)\n`);
      return 2;
    } else files.push(a);
  }
  const wrong =
    files.length !== 1
      ? files.length ? `one FILE at a time, not ${files.length}` : 'give the Python FILE to patch'
      : !fix
        ? 'give --fix try-except, logging or progress'
        : !FIX_KINDS.includes(fix as FixKind)
          ? `unknown fix ${JSON.stringify(fix)}: use try-except, logging or progress`
          : undefined;
  if (wrong) {
    process.stderr.write(`incident-lens fix: ${wrong}\n`);
    return 2;
  }
  const parser = await loadPythonParser();
  let file = files[0];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`incident-lens fix: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}) — give an existing Python file\n`);
    return 2;
  }
  if (fix === 'logging') {
    const tree = parser.parse(text);
    const own = isDjangoSettings(tree);
    tree.delete();
    if (!own) {
      const settings = findSettingsFile(parser, file);
      if (!settings) {
        process.stderr.write(`incident-lens fix: no Django settings module found for ${file} (no manage.py above it)\n`);
        return 1;
      }
      file = settings;
      text = readFileSync(file, 'utf8');
    }
  }
  const r = fixFile(parser, text, file, fix as FixKind);
  if (!r) {
    process.stderr.write(`incident-lens fix: nothing to fix in ${file} (${fix})\n`);
    return 1;
  }
  if (write) {
    writeFileSync(file, r.text);
    process.stderr.write(`incident-lens fix: wrote ${file}\n`);
  } else process.stdout.write(r.text);
  return 0;
}
