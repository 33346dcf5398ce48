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
import { Commands, DiagnosisChangedNotification, isTestClient, l10nPathOf, SendCallsRequest, type ApplyFixArgs, type ApplyFixResult, type EvidencePayload, type FixId } from '../shared/protocol';
import { codeActionsFor, fixEdit, fixesFor, type ActionContext } from './actions';
import type { SendCall } from '../python/model';
import { diagnosticsFor } from './diagnostics';
import { DocumentStore, type OpenDocument } from './documents';
import { useCatalogueDir } from '../core/l10n';
import { langOf, type Lang } from './i18n';
import { lensesFor } from './lenses';
import { projectRoutes } from '../python/routes';
import { findProjectRoot } from '../python/settingsLocator';

const connection = createConnection(ProposedFeatures.all);
let parser: PythonParser;
let store: DocumentStore;
let lang: Lang = 'en';
let evidence: EvidencePayload | null = null;
let lensRefresh = false;

/** URL routes per project root, read once per diagnosis (URLconfs rarely change while an incident is examined). */
let routeCache = new Map<string, Map<string, string[]>>();
function routesFor(docPath: string): Map<string, string[]> {
  const root = findProjectRoot(docPath) ?? '';
  let r = routeCache.get(root);
  if (!r) {
    try {
      r = root ? projectRoutes(parser, docPath) : new Map();
    } catch (e) {
      connection.console.warn(`URLconf not readable: ${e instanceof Error ? e.message : String(e)}`);
      r = new Map();
    }
    routeCache.set(root, r);
  }
  return r;
}

const ctx = (): ActionContext => ({ parser, store, lang, verdict: evidence?.verdict ?? null, log: (m) => connection.console.log(m) });

/** The lens's fix for a send: the first that applies in the verdict's order. */
function firstFixOf(doc: OpenDocument): (c: SendCall) => FixId | undefined {
  return (c) => {
    const f = doc.found().find((x) => x.call.range.start.line === c.range.start.line && x.call.range.start.character === c.range.start.character);
    if (!f) return undefined;
    try {
      return fixesFor(ctx(), doc, f)[0];
    } catch (e) {
      connection.console.warn(`fix lens: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };
}

connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
  const l10nPath = l10nPathOf(params.initializationOptions);
  if (l10nPath) useCatalogueDir(l10nPath);
  lang = langOf(params.locale);
  parser = await loadPythonParser();
  store = new DocumentStore(parser);
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
  void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
});

connection.onCodeLens(({ textDocument }) => {
  const doc = store.get(textDocument.uri);
  return doc ? lensesFor(doc, evidence, lang, routesFor, firstFixOf(doc)) : [];
});

connection.onCodeAction(({ textDocument, range, context }) => {
  const doc = store.get(textDocument.uri);
  return doc ? codeActionsFor(ctx(), doc, range, context.diagnostics) : [];
});

connection.onExecuteCommand(async ({ command, arguments: args }): Promise<ApplyFixResult | null> => {
  if (command !== Commands.applyFix) return null;
  const a = args?.[0] as ApplyFixArgs | undefined;
  const doc = a ? store.get(a.uri) : undefined;
  if (!a || !doc) return { applied: false, reason: 'document not open' };
  const edit = fixEdit(ctx(), doc, a.fix, a.line, a.character);
  if (!edit) return { applied: false, reason: 'the fix does not apply here' };
  const r = await connection.workspace.applyEdit({ label: `Incident Lens: ${a.fix}`, edit });
  return { applied: r.applied, reason: r.failureReason };
});

connection.onNotification(DiagnosisChangedNotification, (p) => {
  evidence = p.evidence;
  routeCache = new Map();
  if (lensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type);
});

connection.listen();
