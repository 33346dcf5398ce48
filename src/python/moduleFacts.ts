// Analysis of a module one top-level statement at a time, each parsed alone (topLevel.ts): an edit reparses and
// re-analyses only the statements whose text it changed, whatever tree-sitter would have reparsed in the whole file.
//
// What a statement's analysis reads outside itself is the module's CONTEXT: its imports and the assignments made at
// module level (batch sizes, `email = EmailMessage(...)`, read by findAssignment), and the names of its generator
// functions (a loop over one yields batches). The context is one small text: the import/assignment statements as
// written, in order, then a stub `def name(): yield` per generator. Context statements are analysed inside the
// context's own tree; every other statement (definitions, bare loops) is parsed as context + statement. When the
// context changes every statement is analysed again; typing inside a function never changes it.
import type { Node, Tree } from 'web-tree-sitter';
import { analyzeStatement, buildHelpers, importedNames, resolveHelperCall, type Helper } from './analyze';
import { importedHelpers, importStatements, type ExternalHelper } from './crossModule';
import type { SendCall } from './model';
import { descendants, field, kids } from './nodes';
import type { PythonParser } from './parser';
import { topLevelPieces } from './topLevel';

/** What one statement holds, rows relative to the statement's piece. */
interface Facts {
  sends: SendCall[];
  helperCalls: SendCall[];
  helperDefs: Map<string, Helper>;
  helperRefs: Map<string, string[]>;
}

/** What a piece's text alone tells: is it context, and which generator functions it defines. */
interface Shape {
  context: boolean;
  generators: string[];
}

export function shiftCall(c: SendCall, rows: number): SendCall {
  const mv = (p: { line: number; character: number }) => ({ line: p.line + rows, character: p.character });
  return {
    ...c,
    line: c.line + rows,
    endLine: c.endLine + rows,
    range: { start: mv(c.range.start), end: mv(c.range.end) },
    loop: { ...c.loop, line: c.loop.line + rows, endLine: c.loop.endLine + rows },
  };
}

/** Does findAssignment (module scope) see an assignment in this statement? */
function assigns(n: Node): boolean {
  if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'decorated_definition') return false;
  if (n.type === 'expression_statement') return kids(n)[0]?.type === 'assignment';
  if (n.type === 'block' || n.type.endsWith('_statement') || n.type.endsWith('_clause')) return kids(n).some(assigns);
  return false;
}

/** Generator functions as yieldsBatches (loops.ts) finds them: top-level and class-level defs whose body yields. */
function generators(stmts: Node[]): string[] {
  const out: string[] = [];
  const collect = (list: Node[], depth: number) => {
    for (const c of list) {
      const d = c.type === 'decorated_definition' ? field(c, 'definition') : c;
      if (d?.type === 'function_definition') {
        const name = field(d, 'name')?.text;
        if (name && descendants(field(d, 'body') ?? d).some((x) => x.type === 'yield')) out.push(name);
      } else if (d?.type === 'class_definition' && depth === 0) collect(kids(field(d, 'body') ?? d), 1);
    }
  };
  collect(stmts, 0);
  return out;
}

function rowsOf(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export class ModuleAnalyzer {
  private shapes = new Map<string, Shape>();
  private facts = new Map<string, Facts>();
  private context: string | undefined;
  private ext: { key: string; at: number; helpers: Map<string, ExternalHelper> } | undefined;
  /** Statements parsed and analysed (not served from the cache) by the last run. */
  lastAnalysed = 0;

  constructor(
    private parser: PythonParser,
    private file: string,
  ) {}

  private shape(text: string): Shape {
    let s = this.shapes.get(text);
    if (!s) {
      const tree = this.parser.parse(text);
      try {
        const stmts = kids(tree.rootNode);
        const context = !tree.rootNode.hasError && stmts.some((n) => n.type === 'import_statement' || n.type === 'import_from_statement' || assigns(n));
        s = { context, generators: generators(stmts) };
      } finally {
        tree.delete();
      }
      this.shapes.set(text, s);
    }
    return s;
  }

  /** Helpers imported from the app's other modules, re-read when the imports change or every 2 s (files may change). */
  private external(tree: Tree): Map<string, ExternalHelper> {
    const key = importStatements(tree).map((s) => s.text).join('\n');
    const now = Date.now();
    if (!this.ext || this.ext.key !== key || now - this.ext.at > 2000) this.ext = { key, at: now, helpers: importedHelpers(this.parser, tree, this.file) };
    return this.ext.helpers;
  }

  private analyse(stmts: Node[], modules: Set<string>, rowBase: number): Facts {
    this.lastAnalysed++;
    const f: Facts = { sends: [], helperCalls: [], helperDefs: new Map(), helperRefs: new Map() };
    for (const s of stmts) {
      const a = analyzeStatement(this.parser, s, this.file, modules);
      f.sends.push(...a.sends.map((x) => shiftCall(x.call, -rowBase)));
      f.helperCalls.push(...a.helperCalls.map((x) => shiftCall(x.call, -rowBase)));
      for (const [k, v] of a.helperDefs) f.helperDefs.set(k, v);
      for (const [k, v] of a.helperRefs) f.helperRefs.set(k, v);
    }
    return f;
  }

  /** The sends of the whole text, equal to analyzeTree(parse(text)).sends for text without syntax errors. */
  analyze(text: string): SendCall[] {
    const pieces = topLevelPieces(text).map((p) => ({ ...p, text: text.slice(p.start, p.end) }));
    const shapes = pieces.map((p) => this.shape(p.text));
    const ctxPieces = pieces.filter((_, i) => shapes[i].context);
    const gens = [...new Set(shapes.flatMap((s) => s.generators))];
    const withNl = (t: string) => (t.endsWith('\n') ? t : `${t}\n`);
    const context = ctxPieces.map((p) => withNl(p.text)).join('') + gens.map((g) => `def ${g}():\n    yield\n`).join('');
    const ctxTree = this.parser.parse(context);
    try {
      const modules = importedNames(ctxTree);
      if (context !== this.context) {
        this.facts.clear();
        this.context = context;
      }
      this.lastAnalysed = 0;
      const ctxRows = rowsOf(context);
      // Context pieces: analysed inside the context tree, found by their offsets there.
      const ctxFacts = new Map<number, Facts>();
      let off = 0;
      let row = 0;
      const ctxKids = kids(ctxTree.rootNode);
      for (const p of ctxPieces) {
        const len = withNl(p.text).length;
        const key = `ctx:${off}:${p.text}`;
        let f = this.facts.get(key);
        if (!f) this.facts.set(key, (f = this.analyse(ctxKids.filter((k) => k.startIndex >= off && k.startIndex < off + len), modules, row)));
        ctxFacts.set(p.start, f);
        off += len;
        row += rowsOf(withNl(p.text));
      }
      const parts: { row: number; f: Facts }[] = [];
      const fresh = new Map<string, Facts>();
      for (const p of pieces) {
        let f = ctxFacts.get(p.start);
        if (!f) {
          const key = `own:${p.text}`;
          f = this.facts.get(key) ?? fresh.get(key);
          if (!f) {
            const tree = this.parser.parse(context + p.text);
            try {
              f = this.analyse(kids(tree.rootNode).filter((k) => k.startIndex >= context.length), modules, ctxRows);
            } finally {
              tree.delete();
            }
          }
          fresh.set(key, f);
        }
        parts.push({ row: p.row, f });
      }
      // Drop the facts of statements no longer in the text (the context pieces' facts stay with their context).
      for (const k of [...this.facts.keys()]) if (k.startsWith('own:') && !fresh.has(k)) this.facts.delete(k);
      for (const [k, v] of fresh) this.facts.set(k, v);
      if (this.shapes.size > pieces.length * 2 + 64) this.shapes = new Map(pieces.map((p, i) => [p.text, shapes[i]]));
      return this.merge(parts, ctxTree);
    } finally {
      ctxTree.delete();
    }
  }

  private merge(parts: { row: number; f: Facts }[], ctxTree: Tree): SendCall[] {
    const helpers = buildHelpers(parts.map((p) => p.f), this.external(ctxTree));
    const out: SendCall[] = [];
    for (const p of parts) {
      for (const s of p.f.sends) out.push(shiftCall(s, p.row));
      for (const h of p.f.helperCalls) {
        const r = resolveHelperCall({ call: h }, helpers);
        if (r) out.push(shiftCall(r.call, p.row));
      }
    }
    return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }
}
