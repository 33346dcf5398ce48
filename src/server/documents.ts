// Open Python documents: the live text (liveText.ts), the sends of its batch loops (re-analysed per top-level
// statement after each change, moduleFacts.ts), and the whole-file tree for the fixes, parsed only when asked for.
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { PythonParser, Tree } from '../python/parser';
import { findSends, type FoundSend } from '../python/analyze';
import { ModuleAnalyzer } from '../python/moduleFacts';
import type { SendCall } from '../python/model';
import { fileURLToPath } from 'node:url';
import { LiveText } from './liveText';

export interface OpenDocument {
  doc: TextDocument;
  /** The whole-file tree of the current text (parsed on demand). */
  readonly tree: Tree;
  path: string;
  /** Send calls in batch loops of the current text (re-analysed incrementally after each change). */
  calls: SendCall[];
  /** The same sends with their tree nodes (for the fixes), computed on demand for the current tree. */
  found(): FoundSend[];
  analyzer: ModuleAnalyzer;
  /** Milliseconds spent on the last analysis. */
  lastMs: number;
}

export function uriToPath(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

interface Entry extends OpenDocument {
  live: LiveText;
}

export class DocumentStore {
  private docs = new Map<string, Entry>();

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
    const live = new LiveText(this.parser, TextDocument.create(uri, languageId, version, text));
    const path = uriToPath(uri);
    const analyzer = new ModuleAnalyzer(this.parser, path);
    const parser = this.parser;
    let cached: { tree: Tree; found: FoundSend[] } | undefined;
    const entry: Entry = {
      live,
      get doc() {
        return live.doc;
      },
      get tree() {
        return live.tree;
      },
      path,
      analyzer,
      calls: analyzer.analyze(text),
      lastMs: 0,
      found() {
        const tree = live.tree;
        if (cached?.tree !== tree) cached = { tree, found: findSends(parser, tree, path) };
        return cached.found;
      },
    };
    entry.lastMs = performance.now() - t0;
    this.docs.set(uri, entry);
    return entry;
  }

  /** Applies LSP content changes to the live text, then re-analyses the statements they changed. */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const entry = this.docs.get(uri);
    if (!entry) return undefined;
    const t0 = performance.now();
    entry.live.apply(version, changes);
    entry.calls = entry.analyzer.analyze(entry.live.doc.getText());
    entry.lastMs = performance.now() - t0;
    return entry;
  }

  close(uri: string): void {
    const e = this.docs.get(uri);
    if (e) {
      e.live.dispose();
      this.docs.delete(uri);
    }
  }
}
