// `incident-lens analyze FILE... [--format json]`: the send calls of batch loops, with the language server's code.
import { readFileSync } from 'node:fs';
import { analyzeTree } from '../python/analyze';
import type { AnalysisResult, SendCall } from '../python/model';
import { loadPythonParser } from '../python/parser';

const USAGE = `usage: incident-lens analyze FILE... [--format text|json]

Lists each e-mail send call inside a batching loop: file, line, loop kind, batch size, pause, protected or not.`;

function describe(c: SendCall): string {
  const l = c.loop;
  const size = l.batchSize !== undefined ? String(l.batchSize) : (l.batchSizeExpr ?? '?');
  const pause = l.pause !== undefined ? `${l.pause}s` : (l.pauseExpr ?? 'none');
  const flags = [c.protected ? 'protected' : 'UNPROTECTED', c.failSilently ? 'fail_silently=True' : '', c.withConnection ? 'connection' : '', c.helper ? `helper ${c.helper}()` : ''].filter(Boolean);
  return `${c.file}:${c.line}:${c.column}: ${c.callee}() in ${c.function ?? '<module>'} — ${l.kind} loop line ${l.line}, batch ${size}, pause ${pause} — ${flags.join(', ')}`;
}

export async function runAnalyze(argv: string[]): Promise<number> {
  let format = 'text';
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (a === '--format') format = argv[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a.startsWith('-')) {
      process.stderr.write(`incident-lens analyze: unknown option ${a} (see incident-lens analyze --help)\n`);
      return 2;
    } else files.push(a);
  }
  const wrong = format !== 'text' && format !== 'json' ? `unknown format ${JSON.stringify(format)}: use --format text or json` : !files.length ? 'give one or more Python FILEs' : undefined;
  if (wrong) {
    process.stderr.write(`incident-lens analyze: ${wrong}\n`);
    return 2;
  }
  const parser = await loadPythonParser();
  const results: AnalysisResult[] = [];
  let failed = false;
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (e) {
      process.stderr.write(`incident-lens analyze: cannot read ${f}: ${e instanceof Error ? e.message : String(e)}\n`);
      failed = true;
      continue;
    }
    const tree = parser.parse(text);
    try {
      results.push(analyzeTree(parser, tree, f));
    } finally {
      tree.delete();
    }
  }
  if (format === 'json') process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  else {
    for (const r of results) {
      if (r.syntaxErrors) process.stdout.write(`${r.file}: warning: syntax errors, results may be incomplete\n`);
      for (const c of r.sends) process.stdout.write(describe(c) + '\n');
    }
    const n = results.reduce((s, r) => s + r.sends.length, 0);
    const u = results.reduce((s, r) => s + r.sends.filter((c) => !c.protected).length, 0);
    process.stdout.write(`${n} send call${n === 1 ? '' : 's'} in batch loops, ${u} unprotected\n`);
  }
  return failed ? 1 : 0;
}
