// Incident Lens language server: Python documents → send calls in batch loops → diagnostics, code lenses tied
// to the last diagnosis' evidence, and quick fixes. Started by the extension (src/client) over stdio or IPC.
import {
  CodeLensRefreshRequest,
  createConnection,
  ProposedFeatures,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { loadPythonParser, type PythonParser } from '../python/parser';
import { Commands, DiagnosisChangedNotification, isTestClient, l10nPathOf, SendCallsRequest, type ApplyFixArgs, type ApplyFixResult, type EvidencePayload } from '../shared/protocol';
import { codeActionsFor, fixEdit, type ActionContext } from './actions';
import { diagnosticsFor } from './diagnostics';
import { DocumentStore, type OpenDocument } from './documents';
import { t, useCatalogueDir } from '../core/l10n';
import { langOf, type Lang } from './i18n';
import { LensCache } from './lensCache';

const connection = createConnection(ProposedFeatures.all);
let parser: PythonParser;
let store: DocumentStore;
let lang: Lang = 'en';
let evidence: EvidencePayload | null = null;
let lensRefresh = false;

const ctx = (): ActionContext => ({ parser, store, lang, verdict: evidence?.verdict ?? null, log: (m) => connection.console.log(m) });

/** The code lenses, cached per document version and diagnosis (lensCache.ts); created once the parser is loaded. */
let lensCache: LensCache;

connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
  const l10nPath = l10nPathOf(params.initializationOptions);
  if (l10nPath) useCatalogueDir(l10nPath);
  lang = langOf(params.locale);
  parser = await loadPythonParser();
  store = new DocumentStore(parser);
  lensCache = new LensCache(parser, lang, (m) => connection.console.warn(m));
  lensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  // test-only requests answer only a client that asks for them (the test harness), never VS Code
  if (isTestClient(params.initializationOptions)) connection.onRequest(SendCallsRequest, ({ uri }) => store.get(uri)?.calls ?? []);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: ['quickfix', 'refactor.move'] },
      executeCommandProvider: { commands: [Commands.applyFix] },
    },
    serverInfo: { name: 'incident-lens-python', version: '0.1.0' },
  };
});

function publish(doc: OpenDocument): void {
  void connection.sendDiagnostics({ uri: doc.doc.uri, version: doc.doc.version, diagnostics: diagnosticsFor(doc.calls, lang) });
}

connection.onDidOpenTextDocument(({ textDocument: d }) => {
  if (d.languageId !== 'python' && !d.uri.endsWith('.py')) return;
  publish(store.open(d.uri, d.languageId, d.version, d.text));
});

connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
  const doc = store.change(textDocument.uri, textDocument.version ?? 0, contentChanges);
  if (doc) publish(doc);
});

connection.onDidCloseTextDocument(({ textDocument }) => {
  store.close(textDocument.uri);
  lensCache.forget(textDocument.uri);
  void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
});

connection.onCodeLens(({ textDocument }) => {
  const doc = store.get(textDocument.uri);
  return doc ? lensCache.lenses(doc, evidence) : [];
});

connection.onCodeAction(({ textDocument, range, context }) => {
  const doc = store.get(textDocument.uri);
  return doc ? codeActionsFor(ctx(), doc, range, context.diagnostics) : [];
});

connection.onExecuteCommand(async ({ command, arguments: args }): Promise<ApplyFixResult | null> => {
  if (command !== Commands.applyFix) return null;
  const a = args?.[0] as ApplyFixArgs | undefined;
  const doc = a ? store.get(a.uri) : undefined;
  if (!a || !doc) return { applied: false, reason: t(lang, 'document not open') };
  const edit = fixEdit(ctx(), doc, a.fix, a.line, a.character);
  if (!edit) return { applied: false, reason: t(lang, 'the fix does not apply here') };
  const r = await connection.workspace.applyEdit({ label: `Incident Lens: ${a.fix}`, edit });
  return { applied: r.applied, reason: r.failureReason };
});

connection.onNotification(DiagnosisChangedNotification, (p) => {
  evidence = p.evidence;
  lensCache.diagnosisChanged();
  if (lensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type);
});

connection.listen();
