// Small helpers over tree-sitter nodes of the Python grammar.
import type { Node } from 'web-tree-sitter';

export function kids(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => c !== null);
}

export function field(n: Node | null | undefined, name: string): Node | null {
  return n ? n.childForFieldName(name) : null;
}

/** Last identifier of a callee: `send_mail` for `mail.send_mail`, `EmailMessage` for `EmailMessage`. */
export function calleeName(call: Node): string | undefined {
  const f = field(call, 'function');
  if (!f) return undefined;
  if (f.type === 'identifier') return f.text;
  if (f.type === 'attribute') return field(f, 'attribute')?.text;
  return undefined;
}

export function callArgs(call: Node): Node[] {
  const args = field(call, 'arguments');
  return args ? kids(args).filter((a) => a.type !== 'comment') : [];
}

export function positional(call: Node): Node[] {
  return callArgs(call).filter((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat');
}

export function keyword(call: Node, name: string): Node | undefined {
  for (const a of callArgs(call)) {
    if (a.type === 'keyword_argument' && field(a, 'name')?.text === name) return field(a, 'value') ?? undefined;
  }
  return undefined;
}

export function ancestors(n: Node): Node[] {
  const out: Node[] = [];
  for (let p = n.parent; p; p = p.parent) out.push(p);
  return out;
}

export function enclosingFunction(n: Node): Node | undefined {
  return ancestors(n).find((a) => a.type === 'function_definition');
}

export function contains(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** The statement (child of a block or the module) that holds the node. */
export function statementOf(n: Node): Node {
  let cur = n;
  while (cur.parent && cur.parent.type !== 'block' && cur.parent.type !== 'module') cur = cur.parent;
  return cur;
}

/** A Python literal number, or undefined. */
export function numberValue(n: Node | null | undefined): number | undefined {
  if (!n) return undefined;
  if (n.type === 'integer' || n.type === 'float') {
    const v = Number(n.text.split('_').join(''));
    return Number.isFinite(v) ? v : undefined;
  }
  if (n.type === 'parenthesized_expression') return numberValue(kids(n)[0]);
  return undefined;
}

/** The value of `name` when the scope (function, else module) assigns it a literal number. */
export function resolveNumber(expr: Node | null | undefined, scope: Node | undefined, root: Node): number | undefined {
  if (!expr) return undefined;
  const lit = numberValue(expr);
  if (lit !== undefined || expr.type !== 'identifier') return lit;
  for (const s of [scope, root]) {
    if (!s) continue;
    const v = findAssignment(s, expr.text);
    const n = v ? numberValue(v) : undefined;
    if (n !== undefined) return n;
  }
  return undefined;
}

/** Right-hand side of the last `name = value` directly in the scope's statements (not nested functions). */
export function findAssignment(scope: Node, name: string): Node | undefined {
  let found: Node | undefined;
  const visit = (n: Node) => {
    for (const c of kids(n)) {
      if (c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'decorated_definition') continue;
      if (c.type === 'expression_statement') {
        const a = kids(c)[0];
        if (a?.type === 'assignment' && field(a, 'left')?.type === 'identifier' && field(a, 'left')?.text === name) {
          found = field(a, 'right') ?? found;
        }
      } else if (c.type === 'block' || c.type.endsWith('_statement') || c.type.endsWith('_clause')) {
        visit(c);
      }
    }
  };
  visit(scope.type === 'function_definition' ? (field(scope, 'body') ?? scope) : scope);
  return found;
}

/** Every descendant (named) of `n` in document order, skipping nested function/class bodies. */
export function descendants(n: Node, skipDefs = true): Node[] {
  const out: Node[] = [];
  const walk = (x: Node) => {
    for (const c of kids(x)) {
      if (skipDefs && (c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'lambda')) continue;
      out.push(c);
      walk(c);
    }
  };
  walk(n);
  return out;
}
