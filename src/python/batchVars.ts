// The batch counter, batch total and batch recipients expressions the fixes write into a batch loop, reusing
// the ones an earlier fix already added.
import type { Node } from 'web-tree-sitter';
import type { FoundSend } from './analyze';
import { descendants, enclosingFunction, field, kids } from './nodes';

export interface BatchVars {
  /** Counter name, e.g. batch_no. */
  counter: string;
  counterExists: boolean;
  /** Total expression (undefined when it cannot be computed before the loop). */
  totalExpr?: string;
  totalName: string;
  totalExists: boolean;
  /** Expression for the number of recipients of the current batch. */
  recipients?: string;
}

/** A name, dotted name or number: needs no parentheses. */
function simple(expr: string): boolean {
  return expr.length > 0 && [...expr].every((c) => c === '_' || c === '.' || (c >= '0' && c <= '9') || c.toLowerCase() !== c.toUpperCase());
}

function usedNames(scope: Node | undefined, root: Node): Set<string> {
  return new Set(descendants(scope ?? root, false).filter((d) => d.type === 'identifier').map((d) => d.text));
}

function freshName(base: string, used: Set<string>): string {
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** Statements just before the loop in its block (closest first). */
export function previousStatements(loop: Node, max = 6): Node[] {
  const out: Node[] = [];
  for (let s = loop.previousNamedSibling; s && out.length < max; s = s.previousNamedSibling) if (s.type !== 'comment') out.push(s);
  return out;
}

function assignment(s: Node): { left: string; right: Node } | undefined {
  const a = s.type === 'expression_statement' ? kids(s)[0] : undefined;
  const right = field(a, 'right');
  if (a?.type !== 'assignment' || !right || field(a, 'left')?.type !== 'identifier') return undefined;
  return { left: field(a, 'left')!.text, right };
}

function firstBodyStatement(loop: Node): Node | undefined {
  const body = field(loop, 'body');
  return body ? kids(body).find((k) => k.type !== 'comment') : undefined;
}

function totalExpression(f: FoundSend): string | undefined {
  const info = f.loop;
  if (info.range) return `len(${info.range.text})`;
  const s = info.sliced;
  if (s?.seq && s.size) {
    const size = simple(s.size) ? s.size : `(${s.size})`;
    return `(len(${s.seq}) + ${size} - 1) // ${size}`;
  }
  if (info.node.type === 'for_statement') {
    const right = field(info.node, 'right');
    if (right?.type === 'identifier') return `len(${right.text})`;
    // for k, x in enumerate(seq): one item per element of seq.
    const arg = right?.type === 'call' && field(right, 'function')?.text === 'enumerate' ? kids(field(right, 'arguments')!)[0] : undefined;
    if (arg?.type === 'identifier') return `len(${arg.text})`;
  }
  if (info.loop.kind === 'mass-call') return '1';
  return undefined;
}

function recipientsExpression(f: FoundSend): string | undefined {
  const loop = f.loop.node;
  // One send per item: one message (its recipients are not known before it is built).
  if (f.loop.loop.kind === 'for-each') return '1';
  const body = field(loop, 'body');
  if (!body) return undefined;
  const seq = f.loop.sliced?.seq;
  for (const d of descendants(body)) {
    if (d.type !== 'assignment') continue;
    const left = field(d, 'left');
    const right = field(d, 'right');
    if (left?.type === 'identifier' && right?.type === 'subscript' && kids(right).some((k) => k.type === 'slice') && left.text !== seq) return `len(${left.text})`;
    if (d.startIndex > f.node.startIndex) break;
  }
  if (loop.type === 'for_statement' && f.loop.loop.kind !== 'for-range' && field(loop, 'left')?.type === 'identifier') return `len(${field(loop, 'left')!.text})`;
  return undefined;
}

export function batchVars(f: FoundSend, root: Node): BatchVars {
  const loop = f.loop.node;
  const prev = previousStatements(loop);
  const first = firstBodyStatement(loop);
  let counter: string | undefined;
  if (first?.type === 'expression_statement' && kids(first)[0]?.type === 'augmented_assignment') {
    const aug = kids(first)[0];
    const name = field(aug, 'left')?.text;
    if (name && field(aug, 'right')?.text === '1' && prev.some((p) => assignment(p)?.left === name && assignment(p)?.right.text === '0')) counter = name;
  }
  const totalExpr = totalExpression(f);
  const existingTotal = totalExpr ? prev.map(assignment).find((a) => a?.right.text === totalExpr)?.left : undefined;
  const used = usedNames(enclosingFunction(loop), root);
  return {
    counter: counter ?? freshName('batch_no', used),
    counterExists: !!counter,
    totalExpr,
    totalName: existingTotal ?? freshName('batch_total', used),
    totalExists: !!existingTotal,
    recipients: recipientsExpression(f),
  };
}

/** Edits-free text pieces: prelude lines before the loop and the counter increment. */
export function preludeLines(v: BatchVars, extra: string[] = []): string[] {
  const lines: string[] = [];
  if (v.totalExpr && !v.totalExists) lines.push(`${v.totalName} = ${v.totalExpr}`);
  if (!v.counterExists) lines.push(`${v.counter} = 0`);
  return [...lines, ...extra];
}

export { firstBodyStatement };
