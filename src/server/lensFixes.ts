// The fix each send's lens names first (the verdict's, the first that applies), computed without the whole-file
// tree: from a parse of the send's top-level statement alone (ModuleAnalyzer.withSends), and cached per diagnosis'
// verdict and per statement (its text and context), so a keystroke elsewhere in the file costs a map look-up and a
// keystroke in the send's own statement one parse of that statement. The code actions still compute every fix on
// the whole-file tree, when they are asked for.
import type { FoundSend } from '../python/analyze';
import { fixApplies, fixOrder } from '../python/fixes';
import type { SendCall } from '../python/model';
import type { FixId } from '../shared/protocol';
import type { OpenDocument } from './documents';

/** The first fix of the verdict's order that applies to the send (logging is per document, never a send's lens). */
export function firstFixFor(verdict: string | null | undefined, f: FoundSend, file: string): FixId | undefined {
  return fixOrder(verdict).find((k) => k !== 'logging' && fixApplies(k, f, file));
}

/** What identifies a send within its statement: its position relative to the statement and what the file's helpers make of it. */
function sendKey(c: SendCall, row: number): string {
  return `${c.range.start.line - row}:${c.range.start.character}:${c.kind}:${c.helper ?? ''}:${c.protected}:${c.failSilently}:${c.helperFile ?? ''}`;
}

const MAX_STATEMENTS = 512;

export class LensFixes {
  /** verdict + file + statement key → send key → first fix. */
  private cache = new Map<string, Map<string, FixId | undefined>>();
  /** Statements whose fixes were computed (not served from the cache) by this instance: for the tests. */
  computed = 0;

  constructor(private log: (msg: string) => void = () => undefined) {}

  /** Forgets everything (a new diagnosis, files of the project that may have changed). */
  clear(): void {
    this.cache.clear();
  }

  /** The lens's fix for a send of `doc.calls`; undefined when none applies. */
  firstFix(doc: OpenDocument, verdict: string | null | undefined, c: SendCall): FixId | undefined {
    const st = doc.analyzer.statementAt(c.range.start.line);
    if (!st) return undefined;
    const key = `${verdict ?? ''}\0${doc.path}\0${st.inContext ? st.inContext.off : 'own'}\0${st.context}\0${st.text}`;
    const want = sendKey(c, st.row);
    let m = this.cache.get(key);
    if (!m || !m.has(want)) {
      this.computed++;
      try {
        m = doc.analyzer.withSends(st, (sends) => new Map(sends.map((f) => [sendKey(f.call, st.row), firstFixFor(verdict, f, doc.path)])));
      } catch (e) {
        this.log(`fix lens: ${e instanceof Error ? e.message : String(e)}`);
        m = new Map([[want, undefined]]);
      }
      if (this.cache.size >= MAX_STATEMENTS) this.cache.clear();
      this.cache.set(key, m);
    }
    return m.get(want);
  }
}
