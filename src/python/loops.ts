// Recognises batching loops: `for i in range(0, n, step)`, `for batch in <slices or chunks>`, for/while loops
// whose body slices a sequence, and reads their batch size and the pause (time.sleep) between batches.
import type { Node } from 'web-tree-sitter';
import type { BatchLoop, LoopKind } from './model';
import { calleeName, descendants, enclosingFunction, field, findAssignment, keyword, kids, positional, resolveNumber } from './nodes';

const CHUNK_WORDS = ['chunk', 'chunks', 'chunked', 'batch', 'batches', 'batched', 'grouper', 'lots', 'paquets', 'slices'];

function isChunkFunction(name: string | undefined): boolean {
  if (!name) return false;
  const words = name.toLowerCase().split('_');
  return words.some((w) => CHUNK_WORDS.includes(w));
}

export interface LoopInfo {
  node: Node;
  loop: BatchLoop;
  /** The slice `seq[a:b]` found in the loop (if any) and the sequence sliced. */
  sliced?: { seq: string; size?: string };
  /** The `range(...)` call of a for-range loop. */
  range?: Node;
}

/** The slice subscript `seq[a:b]` and its batch size expression (`b - a` when written `a + n`). */
function sliceSize(slice: Node): string | undefined {
  // (slice start? stop? step?) — the grammar has no fields here; use the ':' tokens.
  let start: Node | undefined;
  let stop: Node | undefined;
  let colons = 0;
  for (const c of slice.children) {
    if (!c) continue;
    if (c.type === ':') colons++;
    else if (c.isNamed && c.type !== 'comment') {
      if (colons === 0) start = c;
      else if (colons === 1) stop = c;
    }
  }
  if (!stop) return undefined;
  if (!start) return stop.text;
  const strip = (n: Node): Node => (n.type === 'parenthesized_expression' && kids(n)[0] ? strip(kids(n)[0]) : n);
  const s = strip(stop);
  if (s.type === 'binary_operator' && s.children.find((c) => c?.type === '+')) {
    const l = field(s, 'left');
    const r = field(s, 'right');
    if (l && l.text === start.text && r) return r.text;
    if (r && r.text === start.text && l) return l.text;
  }
  if (s.type === 'binary_operator' && s.children.find((c) => c?.type === '*')) {
    const l = field(s, 'left');
    const r = field(s, 'right');
    const st = strip(start);
    if (st.type === 'binary_operator' && l && r) {
      const sl = field(st, 'left');
      const sr = field(st, 'right');
      if (sr && sr.text === r.text) return r.text;
      if (sl && sl.text === l.text) return l.text;
    }
  }
  return undefined;
}

function slicesIn(n: Node): { seq: string; size?: string; node: Node }[] {
  const out: { seq: string; size?: string; node: Node }[] = [];
  for (const d of [n, ...descendants(n)]) {
    if (d.type !== 'subscript') continue;
    const sl = kids(d).find((c) => c.type === 'slice');
    if (!sl) continue;
    out.push({ seq: field(d, 'value')?.text ?? '', size: sliceSize(sl), node: d });
  }
  return out;
}

function chunkCall(expr: Node): { size?: Node; seq?: string } | undefined {
  if (expr.type !== 'call' || !isChunkFunction(calleeName(expr))) return undefined;
  const pos = positional(expr);
  const size = pos[1] ?? keyword(expr, 'n') ?? keyword(expr, 'size') ?? keyword(expr, 'batch_size') ?? keyword(expr, 'chunk_size');
  return { size: size ?? undefined, seq: pos[0]?.text };
}

/** Classifies a for/while statement; undefined when it does not batch. */
export function classifyLoop(node: Node, root: Node): LoopInfo | undefined {
  const scope = enclosingFunction(node);
  let kind: LoopKind | undefined;
  let sizeExpr: string | undefined;
  let sizeNode: Node | undefined;
  let variable: string | undefined;
  let sliced: LoopInfo['sliced'];
  let range: Node | undefined;
  const body = field(node, 'body');
  if (!body) return undefined;
  if (node.type === 'for_statement') {
    variable = field(node, 'left')?.text;
    let right = field(node, 'right');
    if (right?.type === 'identifier' && scope) right = findAssignment(scope, right.text) ?? right;
    if (right?.type === 'call' && calleeName(right) === 'range' && positional(right).length === 3) {
      kind = 'for-range';
      range = right;
      sizeNode = positional(right)[2];
      sizeExpr = sizeNode?.text;
    } else if (right && chunkCall(right)) {
      const c = chunkCall(right)!;
      kind = 'for-chunks';
      sizeNode = c.size;
      sizeExpr = c.size?.text;
      if (c.seq) sliced = { seq: c.seq, size: sizeExpr };
    } else if (right && (right.type === 'list_comprehension' || right.type === 'generator_expression') && slicesIn(right).length) {
      kind = 'for-slice';
      const s = slicesIn(right)[0];
      sizeExpr = s.size;
      sliced = { seq: s.seq, size: s.size };
    }
    if (!kind) {
      const vars = new Set((field(node, 'left') ? [field(node, 'left')!, ...descendants(field(node, 'left')!)] : []).filter((v) => v.type === 'identifier').map((v) => v.text));
      const s = slicesIn(body).find((x) => descendants(x.node).some((d) => d.type === 'identifier' && vars.has(d.text)));
      if (s) {
        kind = 'for-slice';
        sizeExpr = s.size;
        sliced = { seq: s.seq, size: s.size };
      }
    } else if (kind === 'for-range') {
      const s = slicesIn(body)[0];
      if (s) sliced = { seq: s.seq, size: s.size };
    }
  } else if (node.type === 'while_statement') {
    const s = slicesIn(body)[0];
    if (s) {
      kind = 'while-slice';
      sizeExpr = s.size;
      sliced = { seq: s.seq, size: s.size };
    } else {
      const isl = islice(body);
      if (isl) {
        kind = 'while-loop';
        sizeNode = isl;
        sizeExpr = isl.text;
      }
    }
  }
  // Any other loop that sends sends once per item (a recipient, a message, a batch from a generator).
  if (!kind && node.type === 'for_statement') {
    const right = field(node, 'right');
    kind = right && yieldsBatches(right, root) ? 'for-generator' : 'for-each';
  }
  if (!kind && node.type === 'while_statement') kind = 'while-loop';
  if (!kind) return undefined;
  const sizeValue = sizeNode ? resolveNumber(sizeNode, scope, root) : sizeExpr !== undefined ? resolveNumberText(sizeExpr, scope, root) : undefined;
  const loop: BatchLoop = { kind, line: node.startPosition.row + 1, endLine: node.endPosition.row + 1 };
  if (variable) loop.variable = variable;
  if (sizeExpr) loop.batchSizeExpr = sizeExpr;
  if (sizeValue !== undefined) loop.batchSize = sizeValue;
  const pause = findPause(body);
  if (pause) {
    loop.pauseExpr = pause.text;
    const v = resolveNumber(pause, scope, root);
    if (v !== undefined) loop.pause = v;
  }
  return { node, loop, sliced, range };
}

function resolveNumberText(text: string, scope: Node | undefined, root: Node): number | undefined {
  const n = Number(text.split('_').join(''));
  if (text.trim() !== '' && Number.isFinite(n)) return n;
  for (const s of [scope, root]) {
    if (!s) continue;
    const v = findAssignment(s, text);
    if (v && (v.type === 'integer' || v.type === 'float')) return Number(v.text.split('_').join(''));
  }
  return undefined;
}

/** The first `time.sleep(x)` / `sleep(x)` argument in the loop body (not in nested loops' bodies of other kinds). */
export function findPause(body: Node): Node | undefined {
  for (const d of descendants(body)) {
    if (d.type === 'call' && calleeName(d) === 'sleep') {
      const f = field(d, 'function');
      if (f?.type === 'identifier' || field(f, 'object')?.text === 'time') return positional(d)[0];
    }
  }
  return undefined;
}

/** Statements of the loop body that pause (contain a sleep call). */
export function pauseStatements(body: Node): Node[] {
  return kids(body).filter((s) => s.type !== 'comment' && [s, ...descendants(s)].some((d) => d.type === 'call' && calleeName(d) === 'sleep'));
}

/** The size argument of an `islice(it, n)` call in the body (`while True: lot = list(islice(it, n))`). */
function islice(body: Node): Node | undefined {
  const call = descendants(body).find((d) => d.type === 'call' && calleeName(d) === 'islice');
  return call ? positional(call)[1] : undefined;
}

/** A generator function of this module (a function whose body yields), looked up among top-level and class-level defs. */
function yieldsBatches(expr: Node, root: Node): boolean {
  if (expr.type !== 'call') return false;
  const f = field(expr, 'function');
  const own = f?.type === 'identifier' || (f?.type === 'attribute' && ['self', 'cls'].includes(field(f, 'object')?.text ?? ''));
  const name = calleeName(expr);
  if (!own || !name) return false;
  const defs: Node[] = [];
  const collect = (n: Node, depth: number) => {
    for (const c of kids(n)) {
      const d = c.type === 'decorated_definition' ? field(c, 'definition') : c;
      if (d?.type === 'function_definition' && field(d, 'name')?.text === name) defs.push(d);
      else if (d?.type === 'class_definition' && depth === 0) collect(field(d, 'body') ?? d, 1);
    }
  };
  collect(root, 0);
  return defs.some((d) => descendants(field(d, 'body') ?? d).some((x) => x.type === 'yield'));
}

/**
 * A loop that stops after the send succeeded (`break`/`return` after it in the same block) retries one send: it is
 * not a bulk send. `stmt` is the statement holding the send, `loop` the loop around it.
 */
export function exitsAfterSend(stmt: Node, loop: Node): boolean {
  // Loops between the send and `loop` (a retry loop inside a bulk loop): a `break` in them leaves only them.
  let inner = 0;
  for (let a: Node | null = stmt; a && a.id !== loop.id; a = a.parent) if (a.type === 'for_statement' || a.type === 'while_statement') inner++;
  for (let s: Node | null = stmt; s && s.id !== loop.id; s = s.parent) {
    if (s.type === 'function_definition' || s.type === 'class_definition') return false;
    if (s.type === 'for_statement' || s.type === 'while_statement') inner--;
    if (s.parent?.type !== 'block') continue;
    for (let n = s.nextNamedSibling; n; n = n.nextNamedSibling) {
      if (n.type === 'return_statement' || (n.type === 'break_statement' && inner === 0)) return true;
    }
  }
  return false;
}

/** The data argument of send_mass_mail(datatuple) / send_messages(messages) is built at run time (not a literal). */
export function bulkData(call: Node): boolean {
  const arg = positional(call)[0] ?? keyword(call, 'datatuple') ?? keyword(call, 'email_messages');
  if (!arg) return false;
  let value: Node | undefined = arg;
  if (arg.type === 'identifier') {
    const scope = enclosingFunction(call);
    value = (scope ? findAssignment(scope, arg.text) : undefined) ?? findAssignment(call.tree.rootNode, arg.text);
    // A parameter or a name bound elsewhere: data of unknown size.
    if (!value) return true;
  }
  if (['tuple', 'list', 'set'].includes(value.type)) return kids(value).filter((k) => k.type !== 'comment').length === 0;
  return true;
}

/** The pseudo-loop of a mass-call send: the statement itself. */
export function massCallLoop(stmt: Node): LoopInfo {
  return { node: stmt, loop: { kind: 'mass-call', line: stmt.startPosition.row + 1, endLine: stmt.endPosition.row + 1 } };
}
