// Quick fixes as WorkspaceEdits, in the order the last diagnosis' verdict calls for: the background job (several
// files, shown as a refactor preview before applying), SMTP rate-limit retries, reconnection, try/except, one
// progress line per batch, LOGGING in settings.py.
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { FoundSend } from '../python/analyze';
import { appLanguage } from '../python/appLanguage';
import { toLineEdits } from '../python/edits';
import { backgroundForSend, checkedResult, fixApplies, fixForSend, fixOrder, type FixKind, type SendFixKind } from '../python/fixes';
import { hasLoggingConfig, isDjangoSettings, loggingEdits } from '../python/fixLogging';
import type { PythonParser } from '../python/parser';
import { findSettingsFile } from '../python/settingsLocator';
import { DIAGNOSTIC_SOURCE, PREVIEW_ANNOTATION, type FixId } from '../shared/protocol';
import type { DocumentStore, OpenDocument } from './documents';
import { titles, type Lang } from './i18n';

export interface ActionContext {
  parser: PythonParser;
  store: DocumentStore;
  lang: Lang;
  /** The last diagnosis' verdict (orders the fixes); null/undefined before any diagnosis. */
  verdict?: string | null;
  log?: (msg: string) => void;
}

function overlaps(a: Range, b: Range): boolean {
  return !(a.end.line < b.start.line || b.end.line < a.start.line);
}

export function sendAt(doc: OpenDocument, line: number, character: number): FoundSend | undefined {
  return doc.found().find((f) => {
    const r = f.call.range;
    return (line > r.start.line || (line === r.start.line && character >= r.start.character)) && (line < r.end.line || (line === r.end.line && character <= r.end.character));
  });
}

function editFor(uri: string, text: string, edits: { start: number; end: number; text: string }[]): WorkspaceEdit {
  const lineEdits: TextEdit[] = toLineEdits(text, edits);
  return { changes: { [uri]: lineEdits } };
}

/** The WorkspaceEdit of one per-send fix, or undefined when it does not apply. */
export function sendFixEdit(ctx: ActionContext, doc: OpenDocument, f: FoundSend, fix: SendFixKind): WorkspaceEdit | undefined {
  const text = doc.doc.getText();
  const lang = appLanguage(ctx.parser, doc.path, doc.tree);
  const r = fixForSend(ctx.parser, text, fix, f, { lang, catchAll: ctx.verdict === 'python_exception' });
  return r ? editFor(doc.doc.uri, text, r.edits) : undefined;
}

/** The background job: the view's edits plus the new files, annotated so that VS Code previews them first. */
export function backgroundEdit(ctx: ActionContext, doc: OpenDocument, f: FoundSend): WorkspaceEdit | undefined {
  const text = doc.doc.getText();
  const fix = backgroundForSend(ctx.parser, text, doc.path, f, { lang: appLanguage(ctx.parser, doc.path, doc.tree) });
  if (!fix) return undefined;
  const annotationId = PREVIEW_ANNOTATION;
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
  for (const c of fix.files) {
    const open = ctx.store.all().find((d) => d.path === c.path);
    const uri = open ? open.doc.uri : c.path === doc.path ? doc.doc.uri : pathToFileURL(c.path).toString();
    if (c.before === undefined) {
      documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true }, annotationId });
      documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.text, annotationId }] });
      continue;
    }
    const edits = c.edits ?? [{ start: 0, end: c.before.length, text: c.text }];
    documentChanges.push({
      textDocument: { uri, version: open ? open.doc.version : null },
      edits: toLineEdits(c.before, edits).map((e) => ({ ...e, annotationId })),
    });
  }
  const s = titles(ctx.lang);
  return { documentChanges, changeAnnotations: { [annotationId]: { label: s.fixTitles['background-task'], needsConfirmation: true, description: fix.target } } };
}

/** The LOGGING edit for the settings module of `doc`'s project (or `doc` itself when it is the settings). */
export function loggingFixEdit(ctx: ActionContext, doc: OpenDocument): WorkspaceEdit | undefined {
  let path: string | undefined;
  let uri: string;
  let text: string;
  const own = isDjangoSettings(doc.tree);
  if (own) {
    uri = doc.doc.uri;
    text = doc.doc.getText();
  } else {
    path = findSettingsFile(ctx.parser, doc.path);
    if (!path || !existsSync(path)) return undefined;
    const open = ctx.store.all().find((d) => d.path === path);
    // The editor's own URI when the file is open (drive-letter case and escaping may differ from ours).
    uri = open ? open.doc.uri : pathToFileURL(path).toString();
    text = open ? open.doc.getText() : readFileSync(path, 'utf8');
  }
  const tree = ctx.parser.parse(text);
  try {
    if (!isDjangoSettings(tree) || hasLoggingConfig(tree)) return undefined;
    const r = checkedResult(ctx.parser, text, loggingEdits(text, tree));
    return r ? editFor(uri, text, r.edits) : undefined;
  } finally {
    tree.delete();
  }
}

/** The edit of any fix on the send at (line, character). */
export function fixEdit(ctx: ActionContext, doc: OpenDocument, fix: FixId, line: number, character: number): WorkspaceEdit | undefined {
  if (fix === 'logging') return loggingFixEdit(ctx, doc);
  const f = sendAt(doc, line, character) ?? doc.found().find((s) => s.call.range.start.line === line);
  if (!f) return undefined;
  return fix === 'background-task' ? backgroundEdit(ctx, doc, f) : sendFixEdit(ctx, doc, f, fix);
}

/** The fixes that apply to a send, in the verdict's order (logging is offered once per document, not per send). */
export function fixesFor(ctx: ActionContext, doc: OpenDocument, f: FoundSend): FixKind[] {
  return fixOrder(ctx.verdict).filter((k) => k !== 'logging' && fixApplies(k, f, doc.path));
}

function actionTitle(ctx: ActionContext, k: FixKind): string {
  const s = titles(ctx.lang);
  const byKind: Record<FixKind, string> = {
    'background-task': s.fixBackground,
    'rate-limit': s.fixRateLimit,
    reconnect: s.fixReconnect,
    'try-except': s.fixTry,
    progress: s.fixProgress,
    logging: s.fixLogging,
  };
  return byKind[k];
}

export function codeActionsFor(ctx: ActionContext, doc: OpenDocument, range: Range, diagnostics: Diagnostic[]): CodeAction[] {
  const s = titles(ctx.lang);
  const out: CodeAction[] = [];
  const ours = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
  const targets = doc.found().filter((f) => overlaps(f.call.range, range) || ours.some((d) => overlaps(d.range, f.call.range)));
  for (const f of targets) {
    const diag = ours.filter((d) => overlaps(d.range, f.call.range));
    let first = true;
    for (const k of fixesFor(ctx, doc, f)) {
      const edit = k === 'background-task' ? backgroundEdit(ctx, doc, f) : sendFixEdit(ctx, doc, f, k as SendFixKind);
      if (!edit) continue;
      out.push({ title: actionTitle(ctx, k), kind: k === 'background-task' ? CodeActionKind.RefactorMove : CodeActionKind.QuickFix, diagnostics: diag, isPreferred: first, edit });
      first = false;
    }
  }
  if (targets.length || isDjangoSettings(doc.tree)) {
    try {
      const logEdit = loggingFixEdit(ctx, doc);
      if (logEdit) out.push({ title: s.fixLogging, kind: CodeActionKind.QuickFix, edit: logEdit });
    } catch (e) {
      ctx.log?.(`LOGGING fix unavailable: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}
