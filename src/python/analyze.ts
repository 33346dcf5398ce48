// Finds e-mail sends inside batching loops of one Python file. The file is analysed one top-level statement
// at a time, so that an editor can re-analyse only the statements an edit touched (see incremental.ts).
import type { Node, Tree } from 'web-tree-sitter';
import type { PythonParser } from './parser';
import type { AnalysisResult, SendCall, SendKind } from './model';
import { classifyLoop, type LoopInfo } from './loops';
import { failsSilently, protectingTry, SEND_QUERY, sendKind, usesConnection } from './sends';
import { ancestors, calleeName, descendants, enclosingFunction, field, kids, statementOf } from './nodes';

const LOOP_QUERY = '[(for_statement) (while_statement)] @loop';

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
}

function innermostBatchLoop(n: Node, root: Node, cache: Map<number, LoopInfo | null>): LoopInfo | undefined {
  for (const a of ancestors(n)) {
    if (a.type === 'function_definition' || a.type === 'lambda' || a.type === 'class_definition') return undefined;
    if (a.type !== 'for_statement' && a.type !== 'while_statement') continue;
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
export function analyzeStatement(parser: PythonParser, stmt: Node, file: string): StatementAnalysis {
  const root = stmt.tree.rootNode;
  const cache = new Map<number, LoopInfo | null>();
  const out: StatementAnalysis = { sends: [], helperDefs: new Map(), helperCalls: [] };
  const seen = new Set<number>();
  for (const cap of parser.query(SEND_QUERY).captures(stmt)) {
    if (cap.name !== 'call' || seen.has(cap.node.id)) continue;
    seen.add(cap.node.id);
    const node = cap.node;
    const kind = sendKind(node);
    if (!kind) continue;
    const loop = innermostBatchLoop(node, root, cache);
    const silent = failsSilently(node);
    if (loop) out.sends.push(makeCall(file, node, kind, loop, !!protectingTry(node, loop.node), silent));
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
      const f = field(d, 'function');
      const name = calleeName(d);
      const own = f?.type === 'identifier' || (f?.type === 'attribute' && ['self', 'cls'].includes(field(f, 'object')?.text ?? ''));
      if (!name || !own || innermostBatchLoop(d, root, cache)?.node.id !== cap.node.id) continue;
      seen.add(d.id);
      out.helperCalls.push(makeCall(file, d, 'helper', info, !!protectingTry(d, cap.node), failsSilently(d), name));
    }
  }
  return out;
}

/** Resolves candidate helper calls against the file's sending functions. */
export function resolveHelperCall<T extends { call: SendCall }>(c: T, helpers: Map<string, Helper>): T | undefined {
  const h = c.call.helper ? helpers.get(c.call.helper) : undefined;
  // A function calling itself is recursion, not a wrapper.
  if (!h || c.call.function === c.call.helper) return undefined;
  return { ...c, call: { ...c.call, protected: c.call.protected || h.protected, failSilently: c.call.failSilently || h.failSilently } };
}

/** Every send call inside a batching loop, in document order, with its tree nodes. */
export function findSends(parser: PythonParser, tree: Tree, file: string): FoundSend[] {
  const parts = kids(tree.rootNode).map((s) => analyzeStatement(parser, s, file));
  const helpers = new Map<string, Helper>();
  for (const p of parts) for (const [k, v] of p.helperDefs) helpers.set(k, v);
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
