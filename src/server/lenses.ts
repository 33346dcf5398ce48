// Code lenses on each send of a batch loop: "diagnose" before any diagnosis, the matching evidence after one,
// and a lens that applies the try/except fix when the send is unprotected.
import type { CodeLens } from 'vscode-languageserver/node';
import type { Diagnosis } from '../core/model';
import { Commands, type ApplyFixArgs } from '../shared/protocol';
import type { OpenDocument } from './documents';
import { matchEvidence, type SendTarget } from './evidence';
import { evidenceTitle, t, type Lang } from './i18n';
import type { FoundSend } from '../python/analyze';

export function targetOf(doc: OpenDocument, f: FoundSend): SendTarget {
  const target: SendTarget = {
    path: doc.path,
    line: f.call.line,
    endLine: f.call.endLine,
    loopLine: f.loop.node.startPosition.row + 1,
    loopEndLine: f.loop.node.endPosition.row + 1,
  };
  if (f.call.function) target.function = f.call.function;
  return target;
}

export function lensesFor(doc: OpenDocument, diagnosis: Diagnosis | null, lang: Lang): CodeLens[] {
  const s = t(lang);
  const out: CodeLens[] = [];
  for (const f of doc.sends) {
    const range = f.call.range;
    if (!diagnosis) {
      out.push({ range, command: { title: s.diagnose, command: Commands.diagnose, arguments: [] } });
    } else {
      const m = matchEvidence(diagnosis, targetOf(doc, f));
      const title = evidenceTitle(m, lang);
      if (title && m.primary) out.push({ range, command: { title, command: Commands.revealEvidence, arguments: [m.primary] } });
      else out.push({ range, command: { title: s.noEvidence, command: Commands.diagnose, arguments: [] } });
    }
    if (!f.call.protected) {
      const args: ApplyFixArgs = { uri: doc.doc.uri, fix: 'try-except', line: range.start.line, character: range.start.character };
      out.push({ range, command: { title: s.fixLens, command: Commands.applyFix, arguments: [args] } });
    }
  }
  return out;
}
