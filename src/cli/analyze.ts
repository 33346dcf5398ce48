// `incident-lens analyze FILE... [--format json]`: the send calls of batch loops, with the language server's code.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findSends } from '../python/analyze';
import { fixApplies, fixOrder } from '../python/fixes';
import type { AnalysisResult, SendCall } from '../python/model';
import { loadPythonParser } from '../python/parser';
import { readError } from './common';
import { t } from '../core/l10n';
import { CLI_LANG } from './lang';

const USAGE = t(CLI_LANG, `usage: incident-lens analyze FILE... [--format text|json] [--diagnosis DIAGNOSIS.json]

Lists each bulk e-mail send (a send repeated by a loop, or send_mass_mail/send_messages of data built at run time):
file, line, loop kind, batch size, pause, protected or not, fail_silently. With --diagnosis (the JSON of
\`incident-lens diagnose --format json\`), each send also lists the fixes that apply to it, in the order the
verdict calls for (the first one removes the cause).`);

function describe(c: SendCall): string {
  const l = c.loop;
  const size = l.batchSize !== undefined ? String(l.batchSize) : (l.batchSizeExpr ?? '?');
  const pause = l.pause !== undefined ? `${l.pause}s` : (l.pauseExpr ?? 'none');
  const flags = [c.protected ? 'protected' : 'UNPROTECTED', c.failSilently ? 'fail_silently=True (errors hidden)' : '', c.withConnection ? 'connection' : '', c.helper ? `helper ${c.helper}()` : ''].filter(Boolean);
  const fixes = c.fixes ? ` — fixes: ${c.fixes.join(', ') || 'none'}` : '';
  return `${c.file}:${c.line}:${c.column}: ${c.callee}() in ${c.function ?? '<module>'} — ${l.kind} loop line ${l.line}, batch ${size}, pause ${pause} — ${flags.join(', ')}${fixes}`;
}

export async function runAnalyze(argv: string[]): Promise<number> {
  let format = 'text';
  let diagnosisFile: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (a === '--format') format = argv[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a === '--diagnosis') diagnosisFile = argv[++i] ?? '';
    else if (a.startsWith('--diagnosis=')) diagnosisFile = a.slice('--diagnosis='.length);
    else if (a.startsWith('-')) {
      process.stderr.write(`incident-lens analyze: ${t(CLI_LANG, 'unknown option {0} (see incident-lens analyze --help)', a)}\n`);
      return 2;
    } else files.push(a);
  }
  const wrong = format !== 'text' && format !== 'json' ? t(CLI_LANG, 'unknown format {0}: use --format text or json', JSON.stringify(format)) : !files.length ? t(CLI_LANG, 'give one or more Python FILEs') : undefined;
  if (wrong) {
    process.stderr.write(`incident-lens analyze: ${wrong}\n`);
    return 2;
  }
  let verdict: string | undefined;
  if (diagnosisFile !== undefined) {
    try {
      const d = JSON.parse(readFileSync(diagnosisFile, 'utf8')) as { verdict?: unknown };
      if (typeof d.verdict !== 'string') throw new Error(t(CLI_LANG, 'no "verdict" field: not the JSON of incident-lens diagnose --format json'));
      verdict = d.verdict;
    } catch (e) {
      process.stderr.write(`incident-lens analyze: ${t(CLI_LANG, 'cannot use --diagnosis {0}: {1}', diagnosisFile, e instanceof Error ? e.message : String(e))}\n`);
      return 2;
    }
  }
  const parser = await loadPythonParser();
  const results: AnalysisResult[] = [];
  let failed = false;
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (e) {
      process.stderr.write(`incident-lens analyze: ${t(CLI_LANG, 'cannot read {0}: {1}', f, readError(e))}\n`);
      failed = true;
      continue;
    }
    const tree = parser.parse(text);
    try {
      const sends = findSends(parser, tree, f).map((s) => (verdict === undefined ? s.call : { ...s.call, fixes: fixOrder(verdict).filter((k) => k !== 'logging' && fixApplies(k, s, resolve(f))) }));
      results.push({ file: f, sends, syntaxErrors: tree.rootNode.hasError });
    } finally {
      tree.delete();
    }
  }
  if (format === 'json') process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  else {
    for (const r of results) {
      if (r.syntaxErrors) process.stdout.write(`${t(CLI_LANG, '{0}: warning: syntax errors, results may be incomplete', r.file)}\n`);
      for (const c of r.sends) process.stdout.write(describe(c) + '\n');
    }
    const n = results.reduce((s, r) => s + r.sends.length, 0);
    const u = results.reduce((s, r) => s + r.sends.filter((c) => !c.protected).length, 0);
    process.stdout.write(`${n === 1 ? t(CLI_LANG, '{0} send call in batch loops, {1} unprotected', n, u) : t(CLI_LANG, '{0} send calls in batch loops, {1} unprotected', n, u)}\n`);
  }
  return failed ? 2 : 0;
}
