// What a loop needs to run elsewhere: the names it reads that are bound before it (function locals, parameters,
// module imports and definitions), and the statements of the function that compute those locals.
import type { Node, Tree } from 'web-tree-sitter';
import { descendants, field, kids } from './nodes';

const BUILTINS = new Set(
  ('abs all any bool bytes callable chr dict dir divmod enumerate filter float format frozenset getattr hasattr hash hex id int isinstance ' +
    'issubclass iter len list map max min next object oct open ord pow print range repr reversed round set setattr slice sorted str sum ' +
    'super tuple type vars zip Exception ValueError KeyError OSError IOError TypeError RuntimeError StopIteration True False None')
    .split(' '),
);

/** Identifiers read in `n` (not attribute names, keyword names, or names the region binds itself). */
export function readNames(n: Node): string[] {
  const bound = new Set<string>();
  const read: string[] = [];
  for (const d of [n, ...descendants(n, false)]) {
    if (d.type !== 'identifier') continue;
    const p = d.parent;
    if (p?.type === 'attribute' && field(p, 'attribute')?.id === d.id) continue;
    if (p?.type === 'keyword_argument' && field(p, 'name')?.id === d.id) continue;
    if (isBinding(d)) {
      bound.add(d.text);
      continue;
    }
    if (!read.includes(d.text)) read.push(d.text);
  }
  return read.filter((r) => !bound.has(r) && !BUILTINS.has(r));
}

/** Is this identifier a target: assignment left side, for/comprehension variable, `as` name? */
function isBinding(d: Node): boolean {
  for (let c: Node = d, p = d.parent; p; c = p, p = p.parent) {
    if (p.type === 'pattern_list' || p.type === 'tuple_pattern' || p.type === 'list_pattern') continue;
    if ((p.type === 'assignment' || p.type === 'augmented_assignment') && field(p, 'left')?.id === c.id) return p.type === 'assignment';
    if ((p.type === 'for_statement' || p.type === 'for_in_clause') && field(p, 'left')?.id === c.id) return true;
    if (p.type === 'as_pattern_target') return true;
    return false;
  }
  return false;
}

export interface Binding {
  kind: 'param' | 'local' | 'import' | 'module';
  /** The statement binding it (local assignment, import, module-level def/assignment). */
  node?: Node;
}

function assignedNames(s: Node): string[] {
  const a = s.type === 'expression_statement' ? kids(s)[0] : undefined;
  if (a?.type !== 'assignment') return [];
  const left = field(a, 'left');
  if (!left) return [];
  return [left, ...descendants(left)].filter((x) => x.type === 'identifier').map((x) => x.text);
}

function paramNames(fn: Node): string[] {
  const params = field(fn, 'parameters');
  if (!params) return [];
  return kids(params).map((p) => (p.type === 'identifier' ? p.text : (field(p, 'name')?.text ?? kids(p).find((k) => k.type === 'identifier')?.text ?? ''))).filter(Boolean);
}

function importedNames(s: Node): string[] {
  if (s.type === 'import_statement') return kids(s).map((k) => (k.type === 'aliased_import' ? field(k, 'alias')?.text : k.text.split('.')[0]) ?? '');
  if (s.type === 'import_from_statement') return kids(s).slice(1).map((k) => (k.type === 'aliased_import' ? field(k, 'alias')?.text : k.text) ?? '');
  return [];
}

/** The statement of the function's body that holds `n` (its top-level statement in the function). */
export function bodyStatementOf(fn: Node, n: Node): Node | undefined {
  const body = field(fn, 'body');
  if (!body) return undefined;
  return kids(body).find((s) => s.startIndex <= n.startIndex && n.endIndex <= s.endIndex);
}

/** The closest assignment of `name` before `at` in the blocks that enclose it, up to the function's body. */
function localAssignment(name: string, fn: Node, at: Node): Node | undefined {
  for (let a: Node | null = at; a && a.id !== fn.id; a = a.parent) {
    if (a.parent?.type !== 'block') continue;
    for (let s = a.previousNamedSibling; s; s = s.previousNamedSibling) if (assignedNames(s).includes(name)) return s;
  }
  return undefined;
}

/** Where `name` comes from, seen from `at` (the loop) inside `fn`. */
export function bindingOf(name: string, fn: Node, at: Node, tree: Tree): Binding | undefined {
  const local = localAssignment(name, fn, at);
  if (local) return { kind: 'local', node: local };
  if (paramNames(fn).includes(name)) return { kind: 'param' };
  for (const s of kids(tree.rootNode)) {
    if (importedNames(s).includes(name)) return { kind: 'import', node: s };
    const d = s.type === 'decorated_definition' ? field(s, 'definition') : s;
    if ((d?.type === 'function_definition' || d?.type === 'class_definition') && field(d, 'name')?.text === name) return { kind: 'module', node: s };
    if (assignedNames(s).includes(name)) return { kind: 'module', node: s };
  }
  return undefined;
}

/** Names a region binds (assignments, loop variables): used after it, they would be missing once it moves. */
export function boundNames(n: Node): string[] {
  const out = new Set<string>();
  for (const d of [n, ...descendants(n, false)]) if (d.type === 'identifier' && isBinding(d)) out.add(d.text);
  return [...out];
}
