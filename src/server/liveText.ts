// The live text of an open document and its whole-file tree, kept in step with the editor: each LSP change is
// applied to the text and recorded on the old tree (tree.edit, cheap); the tree is reparsed only when something
// asks for it (a quick fix, a code action), never on a keystroke. The keystroke path (sends → diagnostics, lenses)
// reads the text through ModuleAnalyzer, which reparses only the top-level statements the edit changed.
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Edit, PythonParser, Tree } from '../python/parser';

function endPoint(start: { row: number; column: number }, text: string): { row: number; column: number } {
  let row = start.row;
  let last = -1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) {
    row++;
    last = i;
  }
  return { row, column: last < 0 ? start.column + text.length : text.length - last - 1 };
}

export class LiveText {
  private current: Tree | undefined;
  /** The tree has edits recorded but is not reparsed yet; `full`: a whole-text change, so parse afresh. */
  private stale = false;
  private full = false;

  constructor(
    private parser: PythonParser,
    public doc: TextDocument,
  ) {}

  /** Applies LSP content changes one by one (recording each on the tree as an edit). */
  apply(version: number, changes: TextDocumentContentChangeEvent[]): void {
    for (const c of changes) {
      if (!('range' in c) || !c.range) {
        this.full = true;
      } else if (this.current && !this.full) {
        const startIndex = this.doc.offsetAt(c.range.start);
        const startPosition = { row: c.range.start.line, column: c.range.start.character };
        const edit: Edit = {
          startIndex,
          oldEndIndex: this.doc.offsetAt(c.range.end),
          newEndIndex: startIndex + c.text.length,
          startPosition,
          oldEndPosition: { row: c.range.end.line, column: c.range.end.character },
          newEndPosition: endPoint(startPosition, c.text),
        };
        this.current.edit(edit);
      }
      this.doc = TextDocument.update(this.doc, [c], version);
      this.stale = true;
    }
  }

  /** The whole-file tree of the current text (reparsed incrementally when edits came since the last call). */
  get tree(): Tree {
    if (!this.current || this.stale) {
      const old = this.current;
      this.current = this.parser.parse(this.doc.getText(), this.full ? undefined : old);
      old?.delete();
      this.stale = false;
      this.full = false;
    }
    return this.current;
  }

  dispose(): void {
    this.current?.delete();
    this.current = undefined;
  }
}
