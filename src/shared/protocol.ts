// THE custom messages between the Incident Lens client (VS Code extension) and its Python language server.
// Both sides import this file only; names and payloads change here or nowhere.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { EvidencePayload } from './evidence';
import type { SendCall } from '../python/model';

export type { EvidencePayload, EvidenceEvent, EvidenceCause } from './evidence';

/** client → server: a diagnosis finished (or was cleared with null); lenses re-resolve against its evidence. */
export interface DiagnosisChangedParams {
  /**
   * The diagnosis' evidence (src/shared/evidence.ts evidencePayload), not the whole diagnosis. Traceback paths
   * (/var/www/aquademie/gestion/views.py) map to workspace files by their trailing segments.
   */
  evidence: EvidencePayload | null;
}
export const DiagnosisChangedNotification = new NotificationType<DiagnosisChangedParams>('incidentLens/diagnosisChanged');

/** InitializeParams.initializationOptions the extension sends: the l10n folder (as vscode-yaml hands its server l10nPath). */
export interface ServerInitOptions {
  /** The folder of the catalogue files (l10n/bundle.l10n.<lang>.json) the server renders its titles from. */
  l10nPath?: string;
}
export function l10nPathOf(o: unknown): string | undefined {
  const p = typeof o === 'object' && o !== null ? (o as ServerInitOptions).l10nPath : undefined;
  return typeof p === 'string' ? p : undefined;
}

/** InitializeParams.initializationOptions of a test client: enables the test-only requests below. */
export interface TestClientOptions {
  incidentLensTest: true;
}
export function isTestClient(o: unknown): o is TestClientOptions {
  return typeof o === 'object' && o !== null && (o as { incidentLensTest?: unknown }).incidentLensTest === true;
}

/** client → server, TEST ONLY (registered for a TestClientOptions client): the send calls of batch loops in one document. */
export interface SendCallsParams {
  uri: string;
}
export const SendCallsRequest = new RequestType<SendCallsParams, SendCall[], void>('incidentLens/sendCalls');

/** Commands the lenses run: the first two are registered by the extension (UI), applyFix by the server. */
export { Commands } from './commands';

export interface RevealEvidenceArgs {
  source: string;
  lineNo?: number;
  line?: string;
}

/** The fixes, by the name the CLI uses too (`incident-lens fix FILE --fix NAME`). */
export type FixId = 'background-task' | 'rate-limit' | 'reconnect' | 'try-except' | 'logging' | 'progress';

/** The change annotation of multi-file fixes: VS Code shows them as a refactor preview (diff) before applying. */
export const PREVIEW_ANNOTATION = 'incidentLens.preview';

/** What executing Commands.applyFix answers. */
export interface ApplyFixResult {
  applied: boolean;
  /** Why nothing was applied: the document is not open on the server, the fix does not apply at that position, or the client's own failure reason. */
  reason?: string;
}

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
