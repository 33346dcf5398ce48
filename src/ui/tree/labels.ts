// Words of the tree, through vscode.l10n (English source strings, French in l10n/bundle.l10n.fr.json).
import * as vscode from 'vscode';
import type { CauseId, EventKind, SourceStatus, Verdict } from '../../core/model';
import { SUDO_ADVICE } from '../../core/source-run';
import { SUDO_ADVICE as SSH_SUDO_ADVICE } from '../../transport/local';
import { translateText } from '../../core/l10n';
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

/** The engine's advice on a source, in the display language when it is one of the known ones. */
export function adviceText(advice: string): string {
  const denied = /^Permission denied\. (.*)$/s.exec(advice);
  if (denied) return `${vscode.l10n.t('Permission denied.')} ${adviceText(denied[1])}`;
  const timeout = /^The command did not finish within (\d+) s\. Narrow the window or raise the timeout\.$/.exec(advice);
  if (timeout) return vscode.l10n.t('The command did not finish within {0} s. Narrow the window or raise the timeout.', timeout[1]);
  const cut = /^Output cut at (\d+) bytes: narrow the window to see everything\.$/.exec(advice);
  if (cut) return vscode.l10n.t('Output cut at {0} bytes: narrow the window to see everything.', cut[1]);
  if (advice === 'The file (or folder) does not exist on this host.') return vscode.l10n.t('The file (or folder) does not exist on this host.');
  if (advice === 'Cancelled.') return vscode.l10n.t('Cancelled.');
  // the long sudo advice is a bundle key of its own (test/unit/l10n.test.ts checks it is translated)
  if (advice === SUDO_ADVICE || advice === SSH_SUDO_ADVICE) return vscode.l10n.t(advice);
  // engine and transport texts made with tx() (a connection lost mid-command, output cut, …)
  return translateText(uiLang(), advice);
}
