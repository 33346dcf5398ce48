// Finds e-mail sends inside batching loops of one Python file. The file is analysed one top-level statement
// at a time, so that an editor can re-analyse only the statements an edit touched (see incremental.ts).
import type { Node, Tree } from 'web-tree-sitter';
import type { PythonParser } from './parser';
import type { AnalysisResult, SendCall, SendKind } from './model';
import { bulkData, classifyLoop, exitsAfterSend, massCallLoop, type LoopInfo } from './loops';
import { failsSilently, protectingTry, SEND_QUERY, sendKind, usesConnection } from './sends';
import { importedHelpers } from './crossModule';
import { ancestors, calleeName, contains, descendants, enclosingFunction, field, kids, statementOf } from './nodes';

const LOOP_QUERY = '[(for_statement) (while_statement)] @loop';
const DEF_QUERY = '(function_definition) @def';
const CALL_QUERY = '(call function: [(identifier) (attribute object: (identifier))]) @call';

/** A send found, with the tree nodes the fixes need. */
export interface FoundSend {
  call: SendCall;
  node: Node;
  loop: LoopInfo;
  statement: Node;
  functionNode?: Node;
}

export interface Helper {
  protected: boolean;
  failSilently: boolean;
}

/** What one top-level statement holds. Helper calls are candidates until the file's helpers are known. */
export interface StatementAnalysis {
  sends: FoundSend[];
  helperDefs: Map<string, Helper>;
  helperCalls: FoundSend[];
  /** Function name → the project functions it calls (to find functions that send through another one). */
  helperRefs: Map<string, string[]>;
}

/** The name a call to a project function goes by: `envoyer` for envoyer(...)/self.envoyer(...), `mailing.envoyer` for a module's. */
export function ownCallName(d: Node, modules?: Set<string>): string | undefined {
  const f = field(d, 'function');
  if (f?.type === 'identifier') return f.text;
  if (f?.type !== 'attribute') return undefined;
  const obj = field(f, 'object');
  if (['self', 'cls'].includes(obj?.text ?? '')) return calleeName(d);
  // `mailing.envoyer(...)` only when `mailing` is a name the module imports.
  return obj?.type === 'identifier' && modules?.has(obj.text) ? f.text : undefined;
}

/** Names bound by the module's top-level imports (candidates for `module.function(...)` calls). */
export function importedNames(tree: Tree): Set<string> {
  const out = new Set<string>();
  for (const s of kids(tree.rootNode)) {
    if (s.type !== 'import_statement' && s.type !== 'import_from_statement') continue;
    for (const k of kids(s).slice(s.type === 'import_from_statement' ? 1 : 0)) {
      const local = k.type === 'aliased_import' ? field(k, 'alias')?.text : k.text.split('.')[0];
      if (local) out.add(local);
    }
  }
  return out;
}

/** The file's sending functions: those that send, then those that call one of them (a few levels), plus imported ones. */
export function buildHelpers(parts: { helperDefs: Map<string, Helper>; helperRefs: Map<string, string[]> }[], external?: Map<string, Helper>): Map<string, Helper> {
  const helpers = new Map<string, Helper>(external ?? []);
  for (const p of parts) for (const [k, v] of p.helperDefs) helpers.set(k, v);
  for (let round = 0; round < 4; round++) {
    let added = false;
    for (const p of parts) {
      for (const [fn, callees] of p.helperRefs) {
        if (helpers.has(fn)) continue;
        const via = callees.map((c) => helpers.get(c)).find((h) => h);
        if (via) {
          helpers.set(fn, { ...via });
          added = true;
        }
      }
    }
    if (!added) break;
  }
  return helpers;
}

function innermostBatchLoop(n: Node, root: Node, cache: Map<number, LoopInfo | null>): LoopInfo | undefined {
  const stmt = statementOf(n);
  for (const a of ancestors(n)) {
    if (a.type === 'function_definition' || a.type === 'lambda' || a.type === 'class_definition') return undefined;
    if (a.type !== 'for_statement' && a.type !== 'while_statement') continue;
    // The iterable of a for loop is evaluated once: a send there is not repeated by this loop.
    if (a.type === 'for_statement' && !contains(field(a, 'body') ?? a, n)) continue;
    if (a.type === 'while_statement' && !contains(field(a, 'body') ?? a, n)) continue;
    // A retry loop (break/return once the send went through) repeats one send, not a bulk send.
    if (exitsAfterSend(stmt, a)) continue;
    let info = cache.get(a.id);
    if (info === undefined) {
      info = classifyLoop(a, root) ?? null;
      cache.set(a.id, info);
    }
    if (info) return info;
  }
  return undefined;
}

function makeCall(file: string, node: Node, kind: SendKind, loop: LoopInfo, prot: boolean, silent: boolean, helper?: string): FoundSend {
  const statement = statementOf(node);
  const fnNode = enclosingFunction(node);
  const call: SendCall = {
    file,
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    endLine: statement.endPosition.row + 1,
    range: {
      start: { line: node.startPosition.row, character: node.startPosition.column },
      end: { line: node.endPosition.row, character: node.endPosition.column },
    },
    callee: field(node, 'function')?.text ?? '',
    kind,
    loop: loop.loop,
    protected: prot,
    failSilently: silent,
    withConnection: usesConnection(node, kind),
  };
  if (helper) call.helper = helper;
  const fname = field(fnNode, 'name')?.text;
  if (fname) call.function = fname;
  return { call, node, loop, statement, functionNode: fnNode };
}

/** Sends, sending functions and candidate helper calls of one top-level statement. */
export function analyzeStatement(parser: PythonParser, stmt: Node, file: string, modules?: Set<string>): StatementAnalysis {
  const root = stmt.tree.rootNode;
  const cache = new Map<number, LoopInfo | null>();
  const out: StatementAnalysis = { sends: [], helperDefs: new Map(), helperCalls: [], helperRefs: new Map() };
  const seen = new Set<number>();
  for (const cap of parser.query(SEND_QUERY).captures(stmt)) {
    if (cap.name !== 'call' || seen.has(cap.node.id)) continue;
    seen.add(cap.node.id);
    const node = cap.node;
    const kind = sendKind(node);
    if (!kind) continue;
    let loop = innermostBatchLoop(node, root, cache);
    // send_mass_mail / send_messages of data built at run time: the call itself sends the whole list.
    if (!loop && (kind === 'send_mass_mail' || kind === 'send_messages') && bulkData(node)) loop = massCallLoop(statementOf(node));
    const silent = failsSilently(node);
    if (loop) out.sends.push(makeCall(file, node, kind, loop, !!protectingTry(node, loop.loop.kind === 'mass-call' ? undefined : loop.node), silent));
    const name = field(enclosingFunction(node), 'name')?.text;
    if (name) {
      const prev = out.helperDefs.get(name);
      const prot = !!protectingTry(node, undefined);
      out.helperDefs.set(name, { protected: (prev?.protected ?? true) && prot, failSilently: (prev?.failSilently ?? true) && silent });
    }
  }
  for (const cap of parser.query(LOOP_QUERY).captures(stmt)) {
    const info = cache.has(cap.node.id) ? cache.get(cap.node.id) : classifyLoop(cap.node, root);
    cache.set(cap.node.id, info ?? null);
    const body = info ? field(cap.node, 'body') : null;
    if (!info || !body) continue;
    for (const d of descendants(body)) {
      if (d.type !== 'call' || seen.has(d.id)) continue;
      const name = ownCallName(d, modules);
      if (!name || innermostBatchLoop(d, root, cache)?.node.id !== cap.node.id) continue;
      seen.add(d.id);
      out.helperCalls.push(makeCall(file, d, 'helper', info, !!protectingTry(d, cap.node), failsSilently(d), name));
    }
  }
  // Which project functions each function calls: one walk per function body (nested definitions have their own).
  const defs = stmt.type === 'function_definition' ? [stmt] : [];
  for (const cap of parser.query(DEF_QUERY).captures(stmt)) if (cap.node.id !== stmt.id) defs.push(cap.node);
  for (const def of defs) {
    const fn = field(def, 'name')?.text;
    const body = field(def, 'body');
    if (!fn || !body) continue;
    for (const cap of parser.query(CALL_QUERY).captures(body)) {
      const name = ownCallName(cap.node, modules);
      if (!name || name === fn || enclosingFunction(cap.node)?.id !== def.id) continue;
      const list = out.helperRefs.get(fn) ?? [];
      if (!list.includes(name)) list.push(name);
      out.helperRefs.set(fn, list);
    }
  }
  return out;
}

/** Resolves candidate helper calls against the file's sending functions. */
export function resolveHelperCall<T extends { call: SendCall }>(c: T, helpers: Map<string, Helper & { file?: string }>): T | undefined {
  const h = c.call.helper ? helpers.get(c.call.helper) : undefined;
  // A function calling itself is recursion, not a wrapper.
  if (!h || c.call.function === c.call.helper) return undefined;
  const call: SendCall = { ...c.call, protected: c.call.protected || h.protected, failSilently: c.call.failSilently || h.failSilently };
  if (h.file) call.helperFile = h.file;
  return { ...c, call };
}

/** Every send call inside a batching loop, in document order, with its tree nodes. */
export function findSends(parser: PythonParser, tree: Tree, file: string): FoundSend[] {
  const modules = importedNames(tree);
  const parts = kids(tree.rootNode).map((s) => analyzeStatement(parser, s, file, modules));
  const helpers = buildHelpers(parts, importedHelpers(parser, tree, file));
  const found: FoundSend[] = [];
  for (const p of parts) {
    found.push(...p.sends);
    for (const c of p.helperCalls) {
      const r = resolveHelperCall(c, helpers);
      if (r) found.push(r);
    }
  }
  return found.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

export function analyzeTree(parser: PythonParser, tree: Tree, file: string): AnalysisResult {
  return { file, sends: findSends(parser, tree, file).map((f) => f.call), syntaxErrors: tree.rootNode.hasError };
}
