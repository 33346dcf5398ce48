/**
 * On a central log host, the zone an app host's syslog lines are written in. A traditional syslog line carries its
 * host's local time and no zone, and the log host's zone may differ (an app host in UTC, the log host in Paris).
 * The same message is also in the central journal with its true instant: pairing the two gives the offset.
 */
import { parseLine } from './parse/prefix';

export const ZONE_TREE_MARK = '@@ tree';

/** The key two copies of one message share: `IDENT[PID]: message` (the part after the host name). */
function key(rest: string): string | undefined {
  const m = /^\S+ ([^\s:[]+(?:\[\d+\])?: .{4,})$/.exec(rest.trim());
  return m ? m[1] : undefined;
}

/**
 * The offset, in minutes east of UTC, that the tree's lines are written in, from the zone probe's output (journal
 * `-o short-unix` lines, then the mark, then the tree lines holding the same messages). The most frequent offset of the
 * pairs, rounded to a quarter hour; undefined when no line pairs up.
 */
export function inferTreeOffset(out: string): number | undefined {
  const cut = out.indexOf(ZONE_TREE_MARK);
  if (cut < 0) return undefined;
  const journal = new Map<string, number>();
  for (const line of out.slice(0, cut).split('\n')) {
    const m = /^(\d+)(?:\.\d+)? (.*)$/.exec(line);
    const k = m && key(m[2]);
    if (m && k && !journal.has(k)) journal.set(k, Number(m[1]) * 1000);
  }
  const votes = new Map<number, number>();
  for (const line of out.slice(cut + ZONE_TREE_MARK.length).split('\n')) {
    const m = /^(\w{3} [ \d]\d \d\d:\d\d:\d\d) (.*)$/.exec(line);
    const k = m && key(m[2]);
    const at = k ? journal.get(k) : undefined;
    if (at === undefined) continue;
    const naive = parseLine(line, { source: 'syslog', tz: 'UTC', ref: new Date(at) })?.time?.getTime();
    if (naive === undefined || Number.isNaN(naive)) continue;
    const minutes = Math.round((naive - at) / 900_000) * 15;
    if (Math.abs(minutes) > 14 * 60) continue;
    votes.set(minutes, (votes.get(minutes) ?? 0) + 1);
  }
  let best: number | undefined;
  for (const [m, n] of votes) if (best === undefined || n > votes.get(best)!) best = m;
  return best;
}
