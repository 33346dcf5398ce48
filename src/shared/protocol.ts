// THE custom messages between the Incident Lens client (VS Code extension) and its Python language server.
// Both sides import this file only; names and payloads change here or nowhere.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Diagnosis } from '../core/model';
import type { SendCall } from '../python/model';

/** client → server: a diagnosis finished (or was cleared with null); lenses re-resolve against its evidence. */
export interface DiagnosisChangedParams {
  /** Traceback paths (/var/www/aquademie/gestion/views.py) map to workspace files by their trailing segments. */
  diagnosis: Diagnosis | null;
}
export const DiagnosisChangedNotification = new NotificationType<DiagnosisChangedParams>('incidentLens/diagnosisChanged');

/** client → server: the send calls of batch loops found in one open document. */
export interface SendCallsParams {
  uri: string;
}
export const SendCallsRequest = new RequestType<SendCallsParams, SendCall[], void>('incidentLens/sendCalls');

/** Commands the lenses run. The first two are registered by the extension (UI), the last by the server. */
export const Commands = {
  /** Runs a diagnosis (no arguments). */
  diagnose: 'incidentLens.diagnose',
  /** Reveals one evidence item in the tree and opens its excerpt; argument: RevealEvidenceArgs. */
  revealEvidence: 'incidentLens.revealEvidence',
  /** Applies a quick fix from a lens; argument: ApplyFixArgs. Executed by the server (workspace/applyEdit). */
  applyFix: 'incidentLens.applyFix',
} as const;

export interface RevealEvidenceArgs {
  source: string;
  lineNo?: number;
  line?: string;
}

/** The fixes, by the name the CLI uses too (`incident-lens fix FILE --fix NAME`). */
export type FixId = 'background-task' | 'rate-limit' | 'reconnect' | 'try-except' | 'logging' | 'progress';

/** The change annotation of multi-file fixes: VS Code shows them as a refactor preview (diff) before applying. */
export const PREVIEW_ANNOTATION = 'incidentLens.preview';

export interface ApplyFixArgs {
  uri: string;
  fix: FixId;
  /** 0-based position of the send call the fix targets (every fix but logging). */
  line: number;
  character: number;
}

/** Diagnostic codes the server publishes (source "Incident Lens"). */
export const DiagnosticCodes = {
  unprotectedSend: 'unprotected-batch-send',
  failSilently: 'fail-silently',
} as const;

export const DIAGNOSTIC_SOURCE = 'Incident Lens';
