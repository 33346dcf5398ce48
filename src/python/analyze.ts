// Finds e-mail sends inside batching loops of one Python file.
import type { Node, Tree } from 'web-tree-sitter';
import type { PythonParser } from './parser';
import type { AnalysisResult, SendCall, SendKind } from './model';
import { classifyLoop, type LoopInfo } from './loops';
import { failsSilently, protectingTry, SEND_QUERY, sendKind, usesConnection } from './sends';
import { ancestors, calleeName, descendants, enclosingFunction, field, statementOf } from './nodes';

const LOOP_QUERY = '[(for_statement) (while_statement)] @loop';

/** A send found, with the tree nodes the fixes need. */
export interface FoundSend {
  call: SendCall;
  node: Node;
  loop: LoopInfo;
  statement: Node;
  functionNode?: Node;
}

interface Helper {
  protected: boolean;
  failSilently: boolean;
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

/** Every send call inside a batching loop, in document order. */
export function findSends(parser: PythonParser, tree: Tree, file: string): FoundSend[] {
  const root = tree.rootNode;
  const cache = new Map<number, LoopInfo | null>();
  const found: FoundSend[] = [];
  const helpers = new Map<string, Helper>();
  const seen = new Set<number>();
  for (const cap of parser.query(SEND_QUERY).captures(root)) {
    if (cap.name !== 'call' || seen.has(cap.node.id)) continue;
    seen.add(cap.node.id);
    const node = cap.node;
    const kind = sendKind(node);
    if (!kind) continue;
    const loop = innermostBatchLoop(node, root, cache);
    const silent = failsSilently(node);
    if (loop) found.push(makeCall(file, node, kind, loop, !!protectingTry(node, loop.node), silent));
    const fn = enclosingFunction(node);
    const name = field(fn, 'name')?.text;
    if (name) {
      const prev = helpers.get(name);
      const prot = !!protectingTry(node, undefined);
      helpers.set(name, { protected: (prev?.protected ?? true) && prot, failSilently: (prev?.failSilently ?? true) && silent });
    }
  }
  if (helpers.size) {
    for (const cap of parser.query(LOOP_QUERY).captures(root)) {
      const info = cache.has(cap.node.id) ? cache.get(cap.node.id) : classifyLoop(cap.node, root);
      cache.set(cap.node.id, info ?? null);
      if (!info) continue;
      const body = field(cap.node, 'body');
      if (!body) continue;
      for (const d of descendants(body)) {
        if (d.type !== 'call' || seen.has(d.id)) continue;
        const f = field(d, 'function');
        const name = calleeName(d);
        const own = f?.type === 'identifier' || (f?.type === 'attribute' && ['self', 'cls'].includes(field(f, 'object')?.text ?? ''));
        const h = name && own ? helpers.get(name) : undefined;
        if (!h || innermostBatchLoop(d, root, cache)?.node.id !== cap.node.id) continue;
        // The helper sending from its own enclosing function is recursion, not a wrapper call.
        if (field(enclosingFunction(d), 'name')?.text === name) continue;
        seen.add(d.id);
        found.push(makeCall(file, d, 'helper', info, h.protected || !!protectingTry(d, cap.node), h.failSilently || failsSilently(d), name));
      }
    }
  }
  return found.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

export function analyzeTree(parser: PythonParser, tree: Tree, file: string): AnalysisResult {
  return { file, sends: findSends(parser, tree, file).map((f) => f.call), syntaxErrors: tree.rootNode.hasError };
}
