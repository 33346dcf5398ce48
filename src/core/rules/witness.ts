/**
 * Weighing evidence by EVENT and by WITNESS, never by line count. One OOM block, one traceback, one Postfix queue id
 * is one event; the kernel, the app server, nginx, systemd and Postfix are independent witnesses. A cause's
 * confidence combines the strongest event each witness reports (1 − Π(1 − w)): six retries of one message weigh
 * what one does, and a second witness that agrees (with a tie to the send) is what raises confidence.
 */
import type { LogEvent } from '../model';
import { combine, isSendPath, pathOf, RuleContext, t } from './context';

export type Witness = 'app' | 'kernel' | 'nginx' | 'systemd' | 'postfix' | 'database';

export class Witnesses {
  private readonly best = new Map<Witness, number>();
  add(w: Witness, weight: number): void {
    this.best.set(w, Math.max(this.best.get(w) ?? 0, weight));
  }
  get weights(): number[] {
    return [...this.best.values()];
  }
  get(w: Witness): number {
    return this.best.get(w) ?? 0;
  }
  some(min = 0): boolean {
    return this.weights.some((x) => x > min);
  }
  confidence(): number {
    return combine(this.weights);
  }
}

/** What ties a line to the app and its send: its processes, unit, sender, relay, and the failed send requests. */
export interface AppTies {
  /** PIDs the app's own logs show (the unit's journal, gunicorn's log, worker pids it names). */
  pids: Set<number>;
  unit: string;
  /** Names of the app's processes (ExecStart's program, gunicorn/uwsgi/uvicorn). */
  programs: Set<string>;
  /** The app's sender address (DEFAULT_FROM_EMAIL), lower case, when known. */
  sender?: string;
  /** Host names the app's mail goes through (its EMAIL_HOST, or Postfix's relayhost when it hands mail to Postfix). */
  relays: string[];
  /** true: the app hands its mail to the local Postfix; false: it talks to a remote server itself; undefined: unknown. */
  localPostfix?: boolean;
  /** The send screen's requests that failed (5xx/499), in time order. */
  failedSends: LogEvent[];
}

const APP_SOURCES = new Set(['journal', 'gunicorn_log', 'django_logs']);

export function appTies(c: RuleContext): AppTies {
  const unit = c.profile.unit.replace(/\.service$/, '');
  const programs = new Set<string>(['gunicorn', 'uwsgi', 'uvicorn', ...(c.facts.appPrograms ?? [])].filter((p) => !/^python/.test(p)));
  const pids = new Set<number>();
  for (const e of c.events) {
    if (!APP_SOURCES.has(e.source)) continue;
    const pid = e.fields?.pid;
    if (typeof pid === 'number' && pid > 1) pids.add(pid);
  }
  const failedSends = c.events
    .filter((e) => e.source === 'nginx_access' && isSendPath(pathOf(e), c.profile) && Number(e.fields?.status) >= 499)
    .sort((a, b) => t(a) - t(b));
  const relay = c.facts.relay;
  return {
    pids,
    unit,
    programs,
    sender: c.facts.appSender?.toLowerCase(),
    relays: [relay?.host ?? c.profile.smtpHost, ...(relay?.localPostfix ? [c.facts.postfixRelayhost] : [])].filter((x): x is string => !!x).map((h) => h.toLowerCase()),
    localPostfix: relay?.localPostfix,
    failedSends,
  };
}

/** A failed send request within `afterMs` after (or 2 s before) an instant. */
export function failedSendNear(ties: AppTies, at: number, afterMs: number): LogEvent | undefined {
  return ties.failedSends.find((e) => t(e) >= at - 2000 && t(e) <= at + afterMs);
}
