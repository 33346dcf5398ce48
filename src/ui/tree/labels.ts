// Words of the tree, through vscode.l10n (English source strings, French in l10n/bundle.l10n.fr.json).
import * as vscode from 'vscode';
import type { CauseId, EventKind, SourceResult, SourceStatus, Verdict } from '../../core/model';
import { render } from '../../core/l10n';
import { uiLang } from '../settings';

export function causeName(id: Verdict): string {
  switch (id) {
    case 'http_timeout':
      return vscode.l10n.t('HTTP timeout (worker or proxy killed the long request)');
    case 'smtp_rate_limit':
      return vscode.l10n.t('SMTP rate limit');
    case 'smtp_connection_error':
      return vscode.l10n.t('SMTP connection error');
    case 'oom_kill':
      return vscode.l10n.t('Out of memory (OOM kill)');
    case 'python_exception':
      return vscode.l10n.t('Unhandled Python exception');
    case 'none':
      return vscode.l10n.t('No cause found in the window');
    case 'unknown':
      return vscode.l10n.t('Unknown: the logs do not reach back to the window');
  }
}

export function shortCause(id: CauseId): string {
  return (
    {
      http_timeout: vscode.l10n.t('HTTP timeout'),
      smtp_rate_limit: vscode.l10n.t('SMTP rate limit'),
      smtp_connection_error: vscode.l10n.t('SMTP connection error'),
      oom_kill: vscode.l10n.t('OOM kill'),
      python_exception: vscode.l10n.t('Python exception'),
    } as Record<CauseId, string>
  )[id];
}

export function statusText(s: SourceStatus): string {
  switch (s) {
    case 'ok':
      return vscode.l10n.t('ok');
    case 'empty':
      return vscode.l10n.t('no line in the window');
    case 'missing':
      return vscode.l10n.t('missing');
    case 'denied':
      return vscode.l10n.t('permission denied');
    case 'timeout':
      return vscode.l10n.t('timed out');
    case 'error':
      return vscode.l10n.t('failed');
  }
}

export function kindText(k: EventKind): string {
  return k.replace(/_/g, ' ');
}

export function impactLabel(key: string): string {
  const m: Record<string, string> = {
    requestStart: vscode.l10n.t('Request start'),
    requestEnd: vscode.l10n.t('Request end'),
    elapsed: vscode.l10n.t('Elapsed'),
    batchesSent: vscode.l10n.t('Batches sent'),
    recipientsSent: vscode.l10n.t('Recipients sent'),
    recipientsUnsent: vscode.l10n.t('Recipients not sent'),
    batchSize: vscode.l10n.t('Batch size'),
    pause: vscode.l10n.t('Pause between batches'),
    attempt: vscode.l10n.t('Attempt'),
    handedOver: vscode.l10n.t('Recipients handed to Postfix'),
    postfixSent: vscode.l10n.t('Delivered by Postfix'),
    postfixDeferred: vscode.l10n.t('Deferred by Postfix'),
    postfixBounced: vscode.l10n.t('Bounced'),
    neverHandedOver: vscode.l10n.t('Never handed to Postfix'),
    notReached: vscode.l10n.t('Not reached'),
    relay: vscode.l10n.t('SMTP relay assumed'),
  };
  return m[key] ?? key;
}

/** The engine's advice on a source in the display language ('' without one). */
export function adviceText(s: Pick<SourceResult, 'adviceText'>): string {
  return s.adviceText ? render(s.adviceText, uiLang()) : '';
}
