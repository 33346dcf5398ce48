// Helpers of the Diagnose command: cancellation, wording of errors and stages for the UI, bundle paths.
import * as vscode from 'vscode';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StageInfo } from '../core/diagnose';
import { InputError } from '../core/errors';
import { RunnerError } from '../core/exec';
import { localText } from '../core/time';
import { PATH_RE } from '../core/shell';
import { render } from '../core/l10n';
import { uiLang } from './settings';
import type { DiagnoseArgs } from './api';

export class Cancelled extends Error {}

export function isComplete(a: DiagnoseArgs): boolean {
  return Boolean((a.target || a.root) && a.date && a.time);
}

export function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(new Cancelled());
      // a connection that completes after the user cancelled is closed at once
      void p.then((r) => (r as { close?: () => Promise<void> }).close?.()).catch(() => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * The engine's input errors name CLI flags (--at, --tz…); in VS Code they name what the user sets instead, in the display
 * language: the message is rendered from the catalogue (InputError.text), then each flag is replaced by its UI words.
 */
export function uiWording(e: InputError): string {
  return render(e.text, uiLang())
    .replace(/(give|donnez) --tz\b/g, vscode.l10n.t('set incidentLens.timezone (e.g. Europe/Paris)'))
    .replace(/--tz\b/g, 'incidentLens.timezone')
    .replace(/--at\b/g, vscode.l10n.t('the date and time'))
    .replace(/--root\b/g, vscode.l10n.t('the bundle folder'))
    .replace(/--before\/--after\b/g, vscode.l10n.t('the window'));
}

export function explain(e: unknown): { message: string; advice?: string } {
  // the transport's messages (catalogue ids with their arguments) in the display language
  if (e instanceof RunnerError) return { message: render(e.text, uiLang()), advice: e.adviceText && render(e.adviceText, uiLang()) };
  if (e instanceof InputError) return { message: uiWording(e), advice: vscode.l10n.t('Check the incidentLens settings.') };
  return { message: e instanceof Error ? e.message : String(e) };
}

/**
 * The catalogue only takes plain paths (they go into shell commands); a bundle folder picked in a dialog may have
 * spaces or accents (~/Téléchargements/incident 15 janvier): it is then read through a plain-named symlink.
 */
export function shellSafeRoot(root: string): string {
  const clean = root.replace(/\/+$/, '') || '/';
  if (PATH_RE.test(clean)) return clean;
  const link = join(mkdtempSync(join(tmpdir(), 'incident-lens-bundle-')), 'bundle');
  symlinkSync(clean, link, 'dir');
  return link;
}

/** The engine's stage in the display language. */
export function stageText(message: string, info?: StageInfo): string {
  if (info?.id === 'probe') return vscode.l10n.t('probing the host ({0})', info.probes.join(', '));
  if (info?.id === 'run') {
    const at = (iso: string) => localText(new Date(iso), info.tz).slice(0, 16);
    return vscode.l10n.t('window {0} → {1} ({2}); running {3} sources', at(info.since), at(info.until), info.tz, String(info.sources));
  }
  return message;
}
