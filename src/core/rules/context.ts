/** What the rules know: the window's events, the profile, facts from the host. */
import type { LogEvent } from '../model';
import type { Profile } from '../profile';
import type { HostFacts } from '../facts';
import type { IncidentWindow } from '../window';
import { eventFrames } from '../parse/interpret';

export interface RuleContext {
  events: LogEvent[];
  profile: Profile;
  facts: HostFacts;
  window: IncidentWindow;
}

export const t = (e: LogEvent) => Date.parse(e.time);

export function pathOf(e: LogEvent): string | undefined {
  const p = e.fields?.path;
  return typeof p === 'string' ? p.split('?')[0] : undefined;
}

export function isSendPath(path: string | undefined, p: Profile): boolean {
  if (!path) return false;
  const base = p.urlPath.replace(/\/+$/, '');
  const x = path.replace(/\/+$/, '');
  return x === base || x.startsWith(base + '/');
}

/** A traceback that ran through the send view, the send URL or the mail stack. */
export function tracebackIsSend(e: LogEvent, p: Profile): boolean {
  if (isSendPath(pathOf(e), p)) return true;
  const frames = eventFrames(e);
  return frames.some((f) => f.function === p.viewFunction) || e.fields?.mail === 1;
}

export function effectiveGunicornTimeout(c: RuleContext): number {
  return c.facts.gunicornTimeout ?? c.profile.gunicornTimeoutSeconds;
}

export function effectiveProxyTimeout(c: RuleContext): number {
  return c.facts.proxyReadTimeout ?? c.profile.proxyReadTimeoutSeconds;
}

/** Combines independent pieces of evidence: 1 - Π(1 - w). */
export function combine(weights: number[]): number {
  const v = 1 - weights.reduce((acc, w) => acc * (1 - Math.max(0, Math.min(1, w))), 1);
  return Math.round(Math.min(0.99, v) * 100) / 100;
}

/** Messages without syslog/journal prefixes, for de-duplicating the same line seen in two sources. */
export function messageKey(e: LogEvent): string {
  const msg = e.line.replace(/^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\dT\S+) \S+ [^\s:]+: ?/, '').replace(/^\[\s*\d+\.\d+\]\s*/, '').trim();
  return `${e.kind}|${e.time.slice(0, 19)}|${msg.slice(0, 200)}`;
}
