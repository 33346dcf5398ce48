// Open Python documents with their tree-sitter trees, kept up to date incrementally (tree.edit + reparse).
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Edit, PythonParser, Tree } from '../python/parser';
import { findSends, type FoundSend } from '../python/analyze';
import { fileURLToPath } from 'node:url';

export interface OpenDocument {
  doc: TextDocument;
  tree: Tree;
  path: string;
  /** Sends found in the current tree (recomputed after each change). */
  sends: FoundSend[];
  /** Milliseconds spent on the last reparse + analysis. */
  lastMs: number;
}

export function uriToPath(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

function endPoint(start: { row: number; column: number }, text: string): { row: number; column: number } {
  let row = start.row;
  let last = -1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) {
    row++;
    last = i;
  }
  return { row, column: last < 0 ? start.column + text.length : text.length - last - 1 };
}

export class DocumentStore {
  private docs = new Map<string, OpenDocument>();

  constructor(private parser: PythonParser) {}

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    this.close(uri);
    const t0 = performance.now();
    const doc = TextDocument.create(uri, languageId, version, text);
    const tree = this.parser.parse(text);
    const path = uriToPath(uri);
    const entry: OpenDocument = { doc, tree, path, sends: findSends(this.parser, tree, path), lastMs: 0 };
    entry.lastMs = performance.now() - t0;
    this.docs.set(uri, entry);
    return entry;
  }

  /** Applies LSP content changes one by one, editing the old tree, then reparses incrementally. */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const entry = this.docs.get(uri);
    if (!entry) return undefined;
    const t0 = performance.now();
    let full = false;
    for (const c of changes) {
      if (!('range' in c) || !c.range) {
        full = true;
        entry.doc = TextDocument.update(entry.doc, [c], version);
        continue;
      }
      const startIndex = entry.doc.offsetAt(c.range.start);
      const oldEndIndex = entry.doc.offsetAt(c.range.end);
      const startPosition = { row: c.range.start.line, column: c.range.start.character };
      const edit: Edit = {
        startIndex,
        oldEndIndex,
        newEndIndex: startIndex + c.text.length,
        startPosition,
        oldEndPosition: { row: c.range.end.line, column: c.range.end.character },
        newEndPosition: endPoint(startPosition, c.text),
      };
      if (!full) entry.tree.edit(edit);
      entry.doc = TextDocument.update(entry.doc, [c], version);
    }
    const old = entry.tree;
    entry.tree = this.parser.parse(entry.doc.getText(), full ? undefined : old);
    old.delete();
    entry.sends = findSends(this.parser, entry.tree, entry.path);
    entry.lastMs = performance.now() - t0;
    return entry;
  }

  close(uri: string): void {
    const e = this.docs.get(uri);
    if (e) {
      e.tree.delete();
      this.docs.delete(uri);
    }
  }
}
