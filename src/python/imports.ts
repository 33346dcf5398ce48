// Adds module-level imports and the module logger only when missing, next to the file's existing imports.
import type { Node, Tree } from 'web-tree-sitter';
import type { OffsetEdit } from './edits';
import { eolOf, lineEndOf } from './layout';
import { calleeName, field, kids } from './nodes';

function topStatements(tree: Tree): Node[] {
  return kids(tree.rootNode);
}

/** Leading imports (and docstring/comments/`if TYPE_CHECKING` are skipped): the import block at the top. */
function importBlock(tree: Tree): Node[] {
  const out: Node[] = [];
  for (const s of topStatements(tree)) {
    if (s.type === 'import_statement' || s.type === 'import_from_statement' || s.type === 'future_import_statement') out.push(s);
    else if (s.type === 'comment' || (s.type === 'expression_statement' && kids(s)[0]?.type === 'string')) continue;
    else if (out.length) break;
  }
  return out;
}

/** Is `module` imported as a plain `import module` at top level? */
export function hasPlainImport(tree: Tree, module: string): boolean {
  return topStatements(tree).some(
    (s) => s.type === 'import_statement' && kids(s).some((k) => (k.type === 'dotted_name' ? k.text : field(k, 'name')?.text) === module && (k.type === 'dotted_name' || !field(k, 'alias'))),
  );
}

/** Is `name` bound at module level by a from-import (`from x import name`)? */
export function hasFromImport(tree: Tree, name: string): boolean {
  return topStatements(tree).some(
    (s) => s.type === 'import_from_statement' && kids(s).slice(1).some((k) => (k.type === 'aliased_import' ? field(k, 'alias')?.text : k.text) === name),
  );
}

/** The module-level name bound to logging.getLogger(...)/getLogger(...), if any. */
export function moduleLogger(tree: Tree): string | undefined {
  for (const s of topStatements(tree)) {
    const a = s.type === 'expression_statement' ? kids(s)[0] : undefined;
    if (a?.type !== 'assignment') continue;
    const right = field(a, 'right');
    if (right?.type === 'call' && calleeName(right) === 'getLogger' && field(a, 'left')?.type === 'identifier') return field(a, 'left')!.text;
  }
  return undefined;
}

function moduleName(s: Node): string {
  const k = kids(s)[0];
  return (k?.type === 'aliased_import' ? field(k, 'name')?.text : k?.text) ?? '';
}

/** Insertion edits for `import <m>` (alphabetical among the leading plain imports). */
export function addPlainImports(text: string, tree: Tree, modules: string[]): OffsetEdit[] {
  const eol = eolOf(text);
  const missing = modules.filter((m) => !hasPlainImport(tree, m));
  if (!missing.length) return [];
  const block = importBlock(tree);
  const plain = block.filter((s) => s.type === 'import_statement');
  const edits: OffsetEdit[] = [];
  if (plain.length) {
    const byPos = new Map<number, string[]>();
    for (const m of missing.sort()) {
      const before = plain.find((s) => moduleName(s) > m);
      const at = before ? before.startIndex : lineEndOf(text, plain[plain.length - 1].endIndex);
      const list = byPos.get(at) ?? [];
      list.push(m);
      byPos.set(at, list);
    }
    for (const [at, ms] of byPos) {
      const after = !plain.some((s) => s.startIndex === at);
      edits.push({ start: at, end: at, text: after ? ms.map((m) => `${eol}import ${m}`).join('') : ms.map((m) => `import ${m}${eol}`).join('') });
    }
    return edits;
  }
  const lines = missing.sort().map((m) => `import ${m}`).join(eol);
  const future = block.filter((s) => s.type === 'future_import_statement');
  if (future.length) return [{ start: lineEndOf(text, future[future.length - 1].endIndex), end: lineEndOf(text, future[future.length - 1].endIndex), text: eol + lines }];
  // Before the first from-import, as their own group (standard library first).
  if (block.length) return [{ start: block[0].startIndex, end: block[0].startIndex, text: lines + eol + eol }];
  return [{ start: afterDocstring(text, tree), end: afterDocstring(text, tree), text: lines + eol + eol }];
}

function afterDocstring(text: string, tree: Tree): number {
  const first = topStatements(tree).find((s) => s.type !== 'comment');
  if (first?.type === 'expression_statement' && kids(first)[0]?.type === 'string') {
    const end = lineEndOf(text, first.endIndex);
    return Math.min(text.length, end + 1);
  }
  // After leading comments (shebang, coding line).
  let at = 0;
  for (const s of topStatements(tree)) {
    if (s.type !== 'comment') break;
    at = Math.min(text.length, lineEndOf(text, s.endIndex) + 1);
  }
  return at;
}

/** `from <module> import <name>` after the last leading import, when the name is not bound yet. */
export function addFromImport(text: string, tree: Tree, module: string, name: string): OffsetEdit[] {
  if (hasFromImport(tree, name)) return [];
  const eol = eolOf(text);
  const block = importBlock(tree);
  const sameRoot = block.filter((s) => s.type === 'import_from_statement' && (field(s, 'module_name')?.text ?? '').split('.')[0] === module.split('.')[0]);
  const anchor = sameRoot[sameRoot.length - 1] ?? block.filter((s) => s.type === 'import_from_statement' && !(field(s, 'module_name')?.text ?? '').startsWith('.')).pop() ?? block[block.length - 1];
  const line = `from ${module} import ${name}`;
  if (anchor) {
    const at = lineEndOf(text, anchor.endIndex);
    return [{ start: at, end: at, text: eol + line }];
  }
  const at = afterDocstring(text, tree);
  return [{ start: at, end: at, text: line + eol + eol }];
}

/** `logger = logging.getLogger(__name__)` after the leading imports, unless a module logger exists. */
export function addModuleLogger(text: string, tree: Tree): { name: string; edits: OffsetEdit[] } {
  const existing = moduleLogger(tree);
  if (existing) return { name: existing, edits: [] };
  const eol = eolOf(text);
  const block = importBlock(tree);
  const last = block[block.length - 1];
  if (last) {
    const at = lineEndOf(text, last.endIndex);
    return { name: 'logger', edits: [{ start: at, end: at, text: `${eol}${eol}logger = logging.getLogger(__name__)` }] };
  }
  const at = afterDocstring(text, tree);
  return { name: 'logger', edits: [{ start: at, end: at, text: `logger = logging.getLogger(__name__)${eol}${eol}` }] };
}
