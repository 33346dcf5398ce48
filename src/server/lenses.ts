// Code lenses on each send of a batch loop: "diagnose" before any diagnosis, the matching evidence after one,
// and, first on the line, a lens that applies the fix the verdict calls for (try/except before any diagnosis).
import type { CodeLens } from 'vscode-languageserver/node';
import { Commands, type ApplyFixArgs, type EvidencePayload, type FixId } from '../shared/protocol';
import type { OpenDocument } from './documents';
import { matchEvidence, type SendTarget } from './evidence';
import { evidenceTitle, titles, type Lang } from './i18n';
import type { SendCall } from '../python/model';

/** View name → URL paths of the document's project (see src/python/routes.ts); may be empty. */
export type RouteLookup = (docPath: string) => Map<string, string[]>;

export function targetOf(doc: OpenDocument, c: SendCall, routes?: Map<string, string[]>): SendTarget {
  const target: SendTarget = { path: doc.path, line: c.line, endLine: c.endLine, loopLine: c.loop.line, loopEndLine: c.loop.endLine };
  if (c.function) target.function = c.function;
  const r = c.function ? routes?.get(c.function) : undefined;
  if (r?.length) target.routes = r;
  return target;
}

/** The first fix for a send (the verdict's), found by the send's position; undefined when none applies. */
export type FirstFix = (c: SendCall) => FixId | undefined;

export function lensesFor(doc: OpenDocument, evidence: EvidencePayload | null, lang: Lang, routes?: RouteLookup, firstFix?: FirstFix): CodeLens[] {
  const s = titles(lang);
  const out: CodeLens[] = [];
  const table = evidence && routes ? routes(doc.path) : undefined;
  for (const c of doc.calls) {
    const range = c.range;
    // The verdict's fix comes first on the line; the others are in the quick-fix menu.
    const fix = firstFix ? firstFix(c) : c.protected ? undefined : 'try-except';
    if (fix) {
      const args: ApplyFixArgs = { uri: doc.doc.uri, fix, line: range.start.line, character: range.start.character };
      out.push({ range, command: { title: s.fixTitles[fix] ?? s.fixLens, command: Commands.applyFix, arguments: [args] } });
    }
    if (!evidence) {
      out.push({ range, command: { title: s.diagnose, command: Commands.diagnose, arguments: [] } });
    } else {
      const m = matchEvidence(evidence, targetOf(doc, c, table));
      const title = evidenceTitle(m, lang);
      if (title && m.primary) out.push({ range, command: { title, command: Commands.revealEvidence, arguments: [m.primary] } });
      else out.push({ range, command: { title: s.noEvidence, command: Commands.diagnose, arguments: [] } });
    }
  }
  return out;
}
