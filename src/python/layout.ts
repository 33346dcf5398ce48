// Indentation and line layout helpers: the fixes keep the file's own style (tabs or N spaces).
import type { Node } from 'web-tree-sitter';
import { field, kids } from './nodes';

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function lineEndOf(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i;
}

/** The whitespace before the node on its first line. */
export function indentOf(text: string, node: Node): string {
  const start = lineStartOf(text, node.startIndex);
  return text.slice(start, node.startIndex);
}

/** The file's newline: CRLF when the file uses it. */
export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** One indentation level as the block under `compound` writes it (falls back to the file's first indented line). */
export function indentUnit(text: string, compound: Node): string {
  const body = field(compound, 'body') ?? kids(compound).find((k) => k.type === 'block');
  const first = body ? kids(body).find((k) => k.type !== 'comment') : undefined;
  const outer = indentOf(text, compound);
  if (first && first.startPosition.row !== compound.startPosition.row) {
    const inner = indentOf(text, first);
    if (inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
  }
  for (const line of text.split('\n')) {
    const m = line.length - line.trimStart().length;
    if (m > 0 && line.trim() !== '') return line[0] === '\t' ? '\t' : ' '.repeat(m);
  }
  return '    ';
}

/**
 * The node's source lines re-indented by `extra` (prepended to every line except lines that start inside a
 * multi-line string, whose content must not change). The first line starts at its line start.
 */
export function reindent(text: string, node: Node, extra: string, newIndentFirst?: string): string {
  const start = lineStartOf(text, node.startIndex);
  const chunk = text.slice(start, node.endIndex);
  const lines = chunk.split('\n');
  const stringRows = new Set<number>();
  const visit = (n: Node) => {
    if ((n.type === 'string' || n.type === 'concatenated_string') && n.endPosition.row > n.startPosition.row) {
      for (let r = n.startPosition.row + 1; r <= n.endPosition.row; r++) stringRows.add(r);
      return;
    }
    for (const c of kids(n)) visit(c);
  };
  visit(node);
  const row0 = node.startPosition.row;
  return lines
    .map((l, i) => {
      if (i === 0) return newIndentFirst !== undefined ? newIndentFirst + l.trimStart() : extra + l;
      if (stringRows.has(row0 + i) || l.trim() === '') return l;
      return extra + l;
    })
    .join('\n');
}
