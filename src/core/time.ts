/** Time zones without a date library: Intl gives a zone's offset at an instant; local wall times are resolved by iteration. */
import { InputError } from './errors';
import { msg } from './l10n';

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms?: number;
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = fmtCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    fmtCache.set(zone, f);
  }
  return f;
}

const zoneNames = new Map<string, string>();

/** Throws InputError unless `zone` is an IANA zone (or UTC) this runtime knows. Returns its canonical name. */
export function checkZone(zone: string): string {
  if (!zone || !/^[A-Za-z0-9_+\-/]+$/.test(zone)) throw new InputError(msg('unknown time zone {0}', JSON.stringify(zone)));
  const known = zoneNames.get(zone);
  if (known) return known;
  try {
    // the formatter wallTime uses (cached per zone); the canonical name is cached too: a diagnosis checks the same few zones thousands of times
    const name = formatter(zone).resolvedOptions().timeZone;
    if (zoneNames.size < 1024) zoneNames.set(zone, name);
    return name;
  } catch {
    throw new InputError(msg('unknown time zone {0}', JSON.stringify(zone)));
  }
}

/** Wall-clock fields of an instant in a zone. */
export function wallTime(instant: Date | number, zone: string): WallTime {
  const t = typeof instant === 'number' ? instant : instant.getTime();
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second, ms: ((t % 1000) + 1000) % 1000 };
}

/** Offset of `zone` from UTC at an instant, in minutes (Paris in winter: +60). */
export function zoneOffsetMinutes(zone: string, instant: Date | number): number {
  const t = typeof instant === 'number' ? instant : instant.getTime();
  const w = wallTime(t, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - (t - (((t % 1000) + 1000) % 1000))) / 60000);
}

/** The instant a wall time in `zone` denotes. In a DST gap, the later offset wins; in an overlap, the first. */
export function wallToInstant(w: WallTime, zone: string): Date {
  // offsets change on whole minutes: the minute's instant is resolved once, its seconds added (log lines share minutes)
  const key = `${zone}|${w.year}|${w.month}|${w.day}|${w.hour}|${w.minute}`;
  let base = minuteCache.get(key);
  if (base === undefined) {
    if (minuteCache.size > 4096) minuteCache.clear();
    base = resolveWall({ ...w, second: 0, ms: 0 }, zone).getTime();
    minuteCache.set(key, base);
  }
  return new Date(base + w.second * 1000 + (w.ms ?? 0));
}
const minuteCache = new Map<string, number>();

function resolveWall(w: WallTime, zone: string): Date {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms ?? 0);
  let t = guess - zoneOffsetMinutes(zone, guess) * 60000;
  for (let i = 0; i < 3; i++) {
    const next = guess - zoneOffsetMinutes(zone, t) * 60000;
    if (next === t) break;
    t = next;
  }
  // overlap: prefer the earlier instant when it maps to the same wall time
  const earlier = t - 3600_000;
  const we = wallTime(earlier, zone);
  if (we.year === w.year && we.month === w.month && we.day === w.day && we.hour === w.hour && we.minute === w.minute) return new Date(earlier);
  return new Date(t);
}

/** True when the fields form a real calendar date and time. */
export function isValidWall(w: WallTime): boolean {
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.hour > 23 || w.minute > 59 || w.second > 59) return false;
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day));
  return d.getUTCFullYear() === w.year && d.getUTCMonth() === w.month - 1 && d.getUTCDate() === w.day;
}

const pad = (n: number, l = 2) => String(n).padStart(l, '0');

/** `+01:00` style offset. */
export function offsetText(minutes: number, colon = true): string {
  const s = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${s}${pad(Math.floor(a / 60))}${colon ? ':' : ''}${pad(a % 60)}`;
}

/** ISO 8601 with the zone's offset: 2025-01-15T22:20:20.000+01:00. */
export function isoInZone(instant: Date | number, zone: string): string {
  const t = typeof instant === 'number' ? instant : instant.getTime();
  const w = wallTime(t, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.${pad(w.ms ?? 0, 3)}${offsetText(zoneOffsetMinutes(zone, t))}`;
}

/** `2025-01-15 22:20:20` in the zone (what a human types, what journalctl accepts). */
export function localText(instant: Date | number, zone: string): string {
  const w = wallTime(instant, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_NUMBER = new Map(MONTHS.map((m, i) => [m, i + 1]));
export function monthIndex(name: string): number {
  const exact = MONTH_NUMBER.get(name);
  if (exact !== undefined) return exact;
  return MONTHS.findIndex((m) => m.toLowerCase() === name.slice(0, 3).toLowerCase()) + 1;
}

/** Zone abbreviations seen in PostgreSQL %m and `date +%Z`, as offsets in minutes. */
const ABBREV: Record<string, number> = {
  UTC: 0, GMT: 0, Z: 0, UT: 0, WET: 0, WEST: 60, BST: 60, IST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180, MSK: 180,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600,
  JST: 540, KST: 540, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
};

/** Parses `+0100`, `+01:00`, `+01`, `Z`, `UTC`, `CEST`… into minutes; undefined when unknown. */
export function parseOffset(s: string | undefined): number | undefined {
  if (!s) return undefined;
  if (s === lastOffset.text) return lastOffset.minutes;
  const minutes = readOffset(s);
  lastOffset.text = s;
  lastOffset.minutes = minutes;
  return minutes;
}
const lastOffset: { text?: string; minutes?: number } = {};

function readOffset(s: string): number | undefined {
  const t = s.trim();
  const m = /^([+-])(\d\d):?(\d\d)?$/.exec(t);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  const a = ABBREV[t.toUpperCase()];
  return a;
}

/** Instant of a wall time with an explicit offset, or in `zone` when the offset is unknown. */
export function toInstant(w: WallTime, offset: string | undefined, zone: string): Date {
  const off = parseOffset(offset);
  if (off === undefined) return wallToInstant(w, zone);
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms ?? 0) - off * 60000);
}

/** Parses a fraction of a second (`123`, `123456`) into milliseconds. */
export function fractionMs(f: string | undefined): number {
  if (!f) return 0;
  return Math.floor(Number(`0.${f}`) * 1000);
}

/** toISOString of an instant, the last one remembered (consecutive log lines share their second). */
export function isoString(d: Date): string {
  const t = d.getTime();
  if (t !== lastIso.t) {
    lastIso.t = t;
    lastIso.s = d.toISOString();
  }
  return lastIso.s;
}
const lastIso = { t: NaN, s: '' };

/** Tells isoString the ISO text of an instant built elsewhere (the nginx access parser's, per second): asked next, it is a look-up. */
export function knownIso(t: number, s: string): void {
  lastIso.t = t;
  lastIso.s = s;
}
