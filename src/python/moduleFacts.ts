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
import { analyzeStatement, buildHelpers, importedNames, resolveHelperCall, type FoundSend, type Helper } from './analyze';
import { importedHelpers, importStatements, type ExternalHelper } from './crossModule';
import type { SendCall } from './model';
import { descendants, field, kids } from './nodes';
import type { PythonParser } from './parser';
import { topLevelPieces, updatePieces, type TopLevelPiece, type UpdatedPiece } from './topLevel';

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

/** A top-level statement of the last analysed text, as the analysis saw it (see ModuleAnalyzer.statementAt). */
export interface StatementRef {
  /** The module's context when it was analysed (the statement's analysis reads the context and its own text). */
  context: string;
  /** 0-based row of the statement's first line in the whole text. */
  row: number;
  text: string;
  /** For a context statement: its offset and row inside the context text. */
  inContext?: { off: number; row: number };
}

interface Piece extends TopLevelPiece {
  text: string;
}

const DEFINITION_START = /^(?:def|class|async[ \t]+def)\b|^@\w/;

const withNl = (t: string) => (t.endsWith('\n') ? t : `${t}\n`);

function rowsOf(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export class ModuleAnalyzer {
  private shapes = new Map<string, Shape>();
  /** Facts of the context statements (key: offset in the context and text) and of the others (key: their text). */
  private ctxFacts = new Map<string, Facts>();
  private ownFacts = new Map<string, Facts>();
  private prev: { text: string; pieces: Piece[] } | undefined;
  private context: string | undefined;
  private ext: { key: string; at: number; helpers: Map<string, ExternalHelper> } | undefined;
  /** Statements parsed and analysed (not served from the cache) by the last run. */
  lastAnalysed = 0;
  /** What the last run saw: its statements, imported module names and the file's sending functions. */
  private last: { refs: StatementRef[]; modules: Set<string>; helpers: Map<string, Helper> } | undefined;

  constructor(
    private parser: PythonParser,
    private file: string,
  ) {}

  private shape(text: string): Shape {
    let s = this.shapes.get(text);
    // A definition is never context, and defines no generator when it never says `yield`: no parse needed (this is
    // the piece being typed in, most of the time).
    if (!s && DEFINITION_START.test(text) && !text.includes('yield')) s = { context: false, generators: [] };
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

  /**
   * The text's top-level pieces (updated from the last run's, topLevel.ts) with their text. An unchanged piece keeps
   * the last run's string, whose hash V8 has cached: the map look-ups below cost nothing per unchanged statement. A
   * new piece's text is copied out of the document (a slice would keep that whole version of the text alive).
   */
  private piecesOf(text: string): Piece[] {
    const prev = this.prev;
    const up: UpdatedPiece[] = prev ? updatePieces(prev.text, prev.pieces, text) : topLevelPieces(text);
    const pieces = up.map((p) => ({ start: p.start, end: p.end, row: p.row, text: p.from !== undefined && prev ? prev.pieces[p.from].text : `\0${text.slice(p.start, p.end)}`.slice(1) }));
    this.prev = { text, pieces };
    return pieces;
  }

  /** Facts of the context pieces, analysed inside the context tree, found by their offsets there; keyed by piece start. */
  private contextFacts(ctxPieces: Piece[], ctxTree: Tree, modules: Set<string>): Map<number, { f: Facts; at: { off: number; row: number } }> {
    const out = new Map<number, { f: Facts; at: { off: number; row: number } }>();
    let off = 0;
    let row = 0;
    const ctxKids = kids(ctxTree.rootNode);
    for (const p of ctxPieces) {
      const len = withNl(p.text).length;
      const key = `${off}:${p.text}`;
      let f = this.ctxFacts.get(key);
      if (!f) this.ctxFacts.set(key, (f = this.analyse(ctxKids.filter((k) => k.startIndex >= off && k.startIndex < off + len), modules, row)));
      out.set(p.start, { f, at: { off, row } });
      off += len;
      row += rowsOf(withNl(p.text));
    }
    return out;
  }

  /** The sends of the whole text, equal to analyzeTree(parse(text)).sends for text without syntax errors. */
  analyze(text: string): SendCall[] {
    const pieces = this.piecesOf(text);
    const shapes = pieces.map((p) => this.shape(p.text));
    const ctxPieces = pieces.filter((_, i) => shapes[i].context);
    const gens = [...new Set(shapes.flatMap((s) => s.generators))];
    const context = ctxPieces.map((p) => withNl(p.text)).join('') + gens.map((g) => `def ${g}():\n    yield\n`).join('');
    const ctxTree = this.parser.parse(context);
    try {
      const modules = importedNames(ctxTree);
      if (context !== this.context) {
        this.ctxFacts.clear();
        this.ownFacts.clear();
        this.context = context;
      }
      this.lastAnalysed = 0;
      const ctxRows = rowsOf(context);
      const inContext = this.contextFacts(ctxPieces, ctxTree, modules);
      const parts: { row: number; f: Facts }[] = [];
      // The facts of statements no longer in the text are dropped with the last run's map.
      const fresh = new Map<string, Facts>();
      for (const p of pieces) {
        let f = inContext.get(p.start)?.f;
        if (!f) {
          f = this.ownFacts.get(p.text) ?? fresh.get(p.text);
          if (!f) {
            const tree = this.parser.parse(context + p.text);
            try {
              f = this.analyse(kids(tree.rootNode).filter((k) => k.startIndex >= context.length), modules, ctxRows);
            } finally {
              tree.delete();
            }
          }
          fresh.set(p.text, f);
        }
        parts.push({ row: p.row, f });
      }
      this.ownFacts = fresh;
      if (this.shapes.size > pieces.length * 2 + 64) this.shapes = new Map(pieces.map((p, i) => [p.text, shapes[i]]));
      const refs = pieces.map((p): StatementRef => ({ row: p.row, text: p.text, context, ...(inContext.has(p.start) ? { inContext: inContext.get(p.start)!.at } : {}) }));
      const helpers = buildHelpers(parts.map((p) => p.f), this.external(ctxTree));
      this.last = { refs, modules, helpers };
      return this.merge(parts, helpers);
    } finally {
      ctxTree.delete();
    }
  }

  private merge(parts: { row: number; f: Facts }[], helpers: Map<string, Helper>): SendCall[] {
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

  /** The top-level statement of the last analysed text that holds the 0-based `row`. */
  statementAt(row: number): StatementRef | undefined {
    const refs = this.last?.refs ?? [];
    let lo = 0;
    let hi = refs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (refs[mid].row <= row) lo = mid;
      else hi = mid - 1;
    }
    return refs[lo] && refs[lo].row <= row ? refs[lo] : undefined;
  }

  /**
   * Runs `use` on the sends of one statement of the last analysed text WITH their tree nodes, from a parse of that
   * statement alone (in its context, as the analysis parsed it), positions as in the whole text: what the fixes need,
   * without the whole-file tree. The nodes are valid only during `use`.
   */
  withSends<T>(st: StatementRef, use: (sends: FoundSend[]) => T): T {
    const last = this.last;
    const context = st.context;
    const tree = this.parser.parse(st.inContext ? context : context + st.text);
    try {
      const from = st.inContext ? st.inContext.off : context.length;
      const to = st.inContext ? st.inContext.off + st.text.length + (st.text.endsWith('\n') ? 0 : 1) : Infinity;
      const rowBase = st.inContext ? st.inContext.row : rowsOf(context);
      const found: FoundSend[] = [];
      for (const s of kids(tree.rootNode)) {
        if (s.startIndex < from || s.startIndex >= to) continue;
        const a = analyzeStatement(this.parser, s, this.file, last?.modules);
        found.push(...a.sends);
        for (const h of a.helperCalls) {
          const r = resolveHelperCall(h, last?.helpers ?? new Map());
          if (r) found.push(r);
        }
      }
      found.sort((a, b) => a.node.startIndex - b.node.startIndex);
      return use(found.map((f) => ({ ...f, call: shiftCall(f.call, st.row - rowBase) })));
    } finally {
      tree.delete();
    }
  }
}
