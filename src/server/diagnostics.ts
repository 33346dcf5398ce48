// Diagnostics: a warning on each unprotected send inside a batch loop, information when fail_silently=True.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { SendCall } from '../python/model';
import { DIAGNOSTIC_SOURCE, DiagnosticCodes } from '../shared/protocol';
import { titles, unprotectedMessage, type Lang } from './i18n';

export function diagnosticsFor(calls: SendCall[], lang: Lang): Diagnostic[] {
  const out: Diagnostic[] = [];
  const s = titles(lang);
  for (const c of calls) {
    const size = c.loop.batchSizeExpr ? (c.loop.batchSize !== undefined ? String(c.loop.batchSize) : c.loop.batchSizeExpr) : undefined;
    const pause = size !== undefined && c.loop.pauseExpr ? (c.loop.pause !== undefined ? String(c.loop.pause) : c.loop.pauseExpr) : undefined;
    if (c.failSilently) {
      out.push({ range: c.range, severity: DiagnosticSeverity.Information, source: DIAGNOSTIC_SOURCE, code: DiagnosticCodes.failSilently, message: s.silent });
    } else if (!c.protected) {
      out.push({
        range: c.range,
        severity: DiagnosticSeverity.Warning,
        source: DIAGNOSTIC_SOURCE,
        code: DiagnosticCodes.unprotectedSend,
        message: unprotectedMessage(lang, size, pause),
        data: { line: c.range.start.line, character: c.range.start.character },
      });
    }
  }
  return out;
}
