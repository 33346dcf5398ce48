/** When a follow ends, its lines become a diagnosis of their own (same engine, same tree, same report). */
import { assemble } from '../diagnose';
import type { Diagnosis, SourceResult } from '../model';
import type { FollowSession } from './session';

const EXCERPT_LINES = 300;

export function followDiagnosis(s: FollowSession, target: string, until = new Date()): Diagnosis {
  const events = s.events();
  const first = events.length ? Date.parse(events[0].time) : s.startedAt;
  const window = { since: new Date(Math.min(first, s.startedAt)), until: new Date(Math.max(until.getTime(), ...events.map((e) => Date.parse(e.time)))), tz: s.o.tz };
  const sources: SourceResult[] = s.o.sources.map((def) => {
    const evs = events.filter((e) => e.source === def.id);
    const st = s.states.get(def.id);
    const lines = evs.flatMap((e) => [e.line, ...(e.detail ?? [])]);
    return {
      id: def.id,
      label: def.label,
      sudo: def.sudo || undefined,
      command: def.command,
      runbookCommand: def.runbookCommand,
      status: evs.length ? 'ok' : st?.status === 'denied' ? 'denied' : 'empty',
      ...(st?.status === 'denied' && st.messageText ? { adviceText: st.messageText } : {}),
      events: evs,
      excerpt: lines.slice(-EXCERPT_LINES).join('\n'),
      ...(lines.length > EXCERPT_LINES ? { truncated: true } : {}),
      ...(evs.length ? { span: { from: evs[0].time, to: evs[evs.length - 1].time } } : {}),
    };
  });
  return assemble(`${target} (followed live)`, s.o.profile, window, s.o.facts, sources, Date.now() - s.startedAt);
}
