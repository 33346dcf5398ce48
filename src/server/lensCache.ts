// The code lenses the server sends, as main.ts's handler computes them (and the bench measures them): reused while
// neither the document's version nor the diagnosis changed; each send's first fix from LensFixes (per statement and
// verdict, never the whole-file tree); the project's URL routes read once per diagnosis.
import type { CodeLens } from 'vscode-languageserver/node';
import type { PythonParser } from '../python/parser';
import { projectRoutes } from '../python/routes';
import { findProjectRoot } from '../python/settingsLocator';
import type { EvidencePayload } from '../shared/protocol';
import type { OpenDocument } from './documents';
import type { Lang } from './i18n';
import { lensesFor } from './lenses';
import { LensFixes } from './lensFixes';

export class LensCache {
  readonly fixes: LensFixes;
  private byUri = new Map<string, { version: number; evidence: EvidencePayload | null; lenses: CodeLens[] }>();
  /** URL routes per project root, read once per diagnosis (URLconfs rarely change while an incident is examined). */
  private routes = new Map<string, Map<string, string[]>>();

  constructor(
    private parser: PythonParser,
    private lang: Lang,
    private warn: (msg: string) => void = () => undefined,
  ) {
    this.fixes = new LensFixes(warn);
  }

  /** A new diagnosis: routes, fixes (and through the evidence, every document's lenses) are computed again. */
  diagnosisChanged(): void {
    this.routes = new Map();
    this.fixes.clear();
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  lenses(doc: OpenDocument, evidence: EvidencePayload | null): CodeLens[] {
    const hit = this.byUri.get(doc.doc.uri);
    if (hit && hit.version === doc.doc.version && hit.evidence === evidence) return hit.lenses;
    const verdict = evidence?.verdict ?? null;
    const lenses = lensesFor(doc, evidence, this.lang, (p) => this.routesFor(p), (c) => this.fixes.firstFix(doc, verdict, c));
    this.byUri.set(doc.doc.uri, { version: doc.doc.version, evidence, lenses });
    return lenses;
  }

  private routesFor(docPath: string): Map<string, string[]> {
    const root = findProjectRoot(docPath) ?? '';
    let r = this.routes.get(root);
    if (!r) {
      try {
        r = root ? projectRoutes(this.parser, docPath) : new Map();
      } catch (e) {
        this.warn(`URLconf not readable: ${e instanceof Error ? e.message : String(e)}`);
        r = new Map();
      }
      this.routes.set(root, r);
    }
    return r;
  }
}
