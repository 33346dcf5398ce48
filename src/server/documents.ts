// Open Python documents with their tree-sitter trees, kept up to date incrementally (tree.edit + reparse).
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Edit, PythonParser, Tree } from '../python/parser';
import { findSends, type FoundSend } from '../python/analyze';
import { IncrementalAnalyzer } from '../python/incremental';
import type { SendCall } from '../python/model';
import { fileURLToPath } from 'node:url';

export interface OpenDocument {
  doc: TextDocument;
  tree: Tree;
  path: string;
  /** Send calls in batch loops of the current text (re-analysed incrementally after each change). */
  calls: SendCall[];
  /** The same sends with their tree nodes (for the fixes), computed on demand for the current tree. */
  found(): FoundSend[];
  analyzer: IncrementalAnalyzer;
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
    const analyzer = new IncrementalAnalyzer(this.parser, path);
    const parser = this.parser;
    let cached: { tree: Tree; found: FoundSend[] } | undefined;
    const entry: OpenDocument = {
      doc,
      tree,
      path,
      analyzer,
      calls: analyzer.analyze(tree),
      lastMs: 0,
      found() {
        if (cached?.tree !== entry.tree) cached = { tree: entry.tree, found: findSends(parser, entry.tree, path) };
        return cached.found;
      },
    };
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
    entry.calls = entry.analyzer.analyze(entry.tree);
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
