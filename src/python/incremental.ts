// Incremental analysis for an editor: results are cached per top-level statement text, so an edit re-analyses
// only the statements it changed (plus everything when a module-level assignment changes, because module
// constants such as BATCH_SIZE = 10 feed the results; typing other top-level code invalidates nothing else).
import type { Node, Tree } from 'web-tree-sitter';
import { analyzeStatement, buildHelpers, importedNames, resolveHelperCall, type Helper } from './analyze';
import { importedHelpers, importStatements, type ExternalHelper } from './crossModule';
import type { SendCall } from './model';
import type { PythonParser } from './parser';

interface Cached {
  /** Calls with lines relative to the statement's first row. */
  sends: SendCall[];
  helperCalls: SendCall[];
  helperDefs: Map<string, Helper>;
  helperRefs: Map<string, string[]>;
}

function shift(c: SendCall, rows: number): SendCall {
  const mv = (p: { line: number; character: number }) => ({ line: p.line + rows, character: p.character });
  return {
    ...c,
    line: c.line + rows,
    endLine: c.endLine + rows,
    range: { start: mv(c.range.start), end: mv(c.range.end) },
    loop: { ...c.loop, line: c.loop.line + rows, endLine: c.loop.endLine + rows },
  };
}

/** Module-level assignments (`BATCH_SIZE = 10`, `email = EmailMessage(...)`): the only cross-statement inputs. */
function isModuleAssignment(s: Node): boolean {
  if (s.type !== 'expression_statement') return false;
  const first = s.firstNamedChild;
  return first?.type === 'assignment' || first?.type === 'augmented_assignment';
}

export class IncrementalAnalyzer {
  private cache = new Map<string, Cached>();
  private context = '';
  /** Statements analysed (not served from the cache) by the last run. */
  lastAnalysed = 0;

  constructor(
    private parser: PythonParser,
    private file: string,
  ) {}

  private ext: { key: string; at: number; helpers: Map<string, ExternalHelper> } | undefined;

  /** Helpers imported from the app's other modules, re-read when the imports change or every 2 s (files may change). */
  private external(tree: Tree): Map<string, ExternalHelper> {
    const key = importStatements(tree).map((s) => s.text).join('\n');
    const now = Date.now();
    if (!this.ext || this.ext.key !== key || now - this.ext.at > 2000) this.ext = { key, at: now, helpers: importedHelpers(this.parser, tree, this.file) };
    return this.ext.helpers;
  }

  analyze(tree: Tree): SendCall[] {
    const stmts: Node[] = tree.rootNode.namedChildren.filter((c): c is Node => c !== null);
    const texts = stmts.map((s) => s.text);
    // Module assignments and imports feed every statement's result (constants, module names of helper calls).
    const context = texts.filter((_, i) => isModuleAssignment(stmts[i]) || stmts[i].type === 'import_statement' || stmts[i].type === 'import_from_statement').join('\n');
    const modules = importedNames(tree);
    if (context !== this.context) {
      this.cache.clear();
      this.context = context;
    }
    const next = new Map<string, Cached>();
    const parts: { row: number; c: Cached }[] = [];
    this.lastAnalysed = 0;
    stmts.forEach((s, i) => {
      const key = `${s.startPosition.column}:${texts[i]}`;
      let c = this.cache.get(key) ?? next.get(key);
      const row = s.startPosition.row;
      if (!c) {
        this.lastAnalysed++;
        const a = analyzeStatement(this.parser, s, this.file, modules);
        c = { sends: a.sends.map((f) => shift(f.call, -row)), helperCalls: a.helperCalls.map((f) => shift(f.call, -row)), helperDefs: a.helperDefs, helperRefs: a.helperRefs };
      }
      next.set(key, c);
      parts.push({ row, c });
    });
    this.cache = next;
    const helpers = buildHelpers(parts.map((p) => p.c), this.external(tree));
    const out: SendCall[] = [];
    for (const p of parts) {
      for (const s of p.c.sends) out.push(shift(s, p.row));
      for (const h of p.c.helperCalls) {
        const r = resolveHelperCall({ call: h }, helpers);
        if (r) out.push(shift(r.call, p.row));
      }
    }
    return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }
}
