// The four questions of "Diagnose Mail Incident": host, date, time, window. Remembers the last answers.
import * as vscode from 'vscode';
import type { DiagnoseArgs } from './api';
import { pick, input, runSteps, type Step } from './multiStep';
import { isDate, isDuration, isTime, isTypedHost, yesterday } from './inputRules';
import { connectionSettings } from './settings';
import { sshConfigAliases } from './sshHosts';
import { StateKeys } from '../shared/ids';

const LAST = StateKeys.lastInput;
const RECENT_HOSTS = StateKeys.recentHosts;

interface Remembered {
  target?: string;
  date?: string;
  time?: string;
  before?: string;
  after?: string;
}

interface HostItem extends vscode.QuickPickItem {
  target: string;
}

interface WindowItem extends vscode.QuickPickItem {
  before?: string;
  after?: string;
  custom?: boolean;
}

/** What every step reads and fills. */
interface Asking {
  memento: vscode.Memento;
  s: ReturnType<typeof connectionSettings>;
  last: Remembered;
  out: DiagnoseArgs;
  title: string;
}

/** The SSH target: settings, last used, recent, ~/.ssh/config aliases, or typed. */
function hostStep(a: Asking): Step {
  const { memento, s, last, out, title } = a;
  return async (back, n, total) => {
    const recent = memento.get<string[]>(RECENT_HOSTS) ?? [];
    const items: HostItem[] = [];
    const add = (target: string, description: string) => {
      if (target && !items.some((i) => i.target === target)) items.push({ label: `$(server) ${target}`, description, target });
    };
    add(s.host, vscode.l10n.t('from settings'));
    add(last.target ?? '', vscode.l10n.t('last used'));
    recent.forEach((h) => add(h, vscode.l10n.t('recent')));
    sshConfigAliases(s.sshConfigFile).forEach((h) => add(h, vscode.l10n.t('~/.ssh/config')));
    items.push({ label: `$(edit) ${vscode.l10n.t('Enter user@host[:port]…')}`, target: '', alwaysShow: true });
    const chosen = await pick<HostItem>(
      {
        title,
        step: n,
        total,
        placeholder: vscode.l10n.t('Production host: pick one, or type user@host[:port] and press Enter'),
        items,
        acceptTyped: (v) => (isTypedHost(v) ? { label: v, target: v } : undefined),
      },
      back,
    );
    out.target =
      chosen.target ||
      (await input(
        {
          title,
          step: n,
          total,
          prompt: vscode.l10n.t('SSH target: user@host[:port] or an ~/.ssh/config alias'),
          value: '',
          placeholder: 'deploy@aquademie.example.fr',
          validate: (v) => (isTypedHost(v) ? undefined : vscode.l10n.t('Expected user@host, user@host:port or an alias')),
        },
        true,
      ));
  };
}

/** The incident's date, in the host's zone. */
function dateStep(a: Asking): Step {
  const { last, out, title } = a;
  return async (back, n, total) => {
    out.date = await input(
      {
        title,
        step: n,
        total,
        prompt: vscode.l10n.t('Date of the incident (YYYY-MM-DD), in the host\'s time zone'),
        value: out.date ?? last.date ?? yesterday(),
        placeholder: 'YYYY-MM-DD',
        validate: (v) => (isDate(v) ? undefined : vscode.l10n.t('Expected a date like 2025-01-15')),
      },
      back,
    );
  };
}

/** The time the send stopped. */
function timeStep(a: Asking): Step {
  const { last, out, title } = a;
  return async (back, n, total) => {
    out.time = await input(
      {
        title,
        step: n,
        total,
        prompt: vscode.l10n.t('Time the send stopped (HH:MM)'),
        value: out.time ?? last.time ?? '',
        placeholder: '22:20',
        validate: (v) => (isTime(v) ? undefined : vscode.l10n.t('Expected a time like 22:20')),
      },
      back,
    );
  };
}

/** How much log around the moment: presets, the last one used, or custom durations. */
function windowStep(a: Asking): Step {
  const { s, last, out, title } = a;
  return async (back, n, total) => {
    const items: WindowItem[] = [
      { label: vscode.l10n.t('{0} before, {1} after', s.before, s.after), description: vscode.l10n.t('default'), before: s.before, after: s.after },
      { label: vscode.l10n.t('{0} before, {1} after', '15m', '15m'), before: '15m', after: '15m' },
      { label: vscode.l10n.t('{0} before, {1} after', '1h', '30m'), description: vscode.l10n.t('a long send'), before: '1h', after: '30m' },
      { label: vscode.l10n.t('Custom…'), custom: true },
    ];
    if (last.before && last.after && !items.some((i) => i.before === last.before && i.after === last.after)) {
      items.splice(1, 0, { label: vscode.l10n.t('{0} before, {1} after', last.before, last.after), description: vscode.l10n.t('last used'), before: last.before, after: last.after });
    }
    const w = await pick<WindowItem>({ title, step: n, total, placeholder: vscode.l10n.t('How much log around that moment?'), items }, back);
    if (w.custom) {
      const text = await input(
        {
          title,
          step: n,
          total,
          prompt: vscode.l10n.t('Minutes before and after, e.g. "20m 10m"'),
          value: `${s.before} ${s.after}`,
          validate: (v) => {
            const parts = v.split(/\s+/);
            return parts.length === 2 && parts.every(isDuration) ? undefined : vscode.l10n.t('Two durations, e.g. "20m 10m"');
          },
        },
        true,
      );
      [out.before, out.after] = text.split(/\s+/);
    } else {
      out.before = w.before;
      out.after = w.after;
    }
  };
}

export async function askDiagnoseArgs(memento: vscode.Memento, given: DiagnoseArgs): Promise<DiagnoseArgs | undefined> {
  const s = connectionSettings();
  const last = memento.get<Remembered>(LAST) ?? {};
  const out: DiagnoseArgs = { ...given };
  const a: Asking = { memento, s, last, out, title: vscode.l10n.t('Diagnose Mail Incident') };
  const steps: Step[] = [];
  if (!given.target && !given.root) steps.push(hostStep(a));
  if (!given.date) steps.push(dateStep(a));
  if (!given.time) steps.push(timeStep(a));
  if (!given.before && !given.after) steps.push(windowStep(a));
  if (!(await runSteps(steps))) return undefined;
  out.before ??= s.before;
  out.after ??= s.after;
  await memento.update(LAST, { target: out.target ?? last.target, date: out.date, time: out.time, before: out.before, after: out.after } satisfies Remembered);
  if (out.target) {
    const recent = (memento.get<string[]>(RECENT_HOSTS) ?? []).filter((h) => h !== out.target);
    await memento.update(RECENT_HOSTS, [out.target, ...recent].slice(0, 8));
  }
  return out;
}
