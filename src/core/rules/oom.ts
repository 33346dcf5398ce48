/**
 * OOM kills, one event per OOM block (the invoker line, the oom-kill summary, "Killed process", the reaper, seen in
 * journal -k, syslog and dmesg alike). Tied to the app by the victim's PID, the app's cgroup, or at least its
 * program name; an OOM kill of another process is memory pressure, not the cause.
 */
import type { LogEvent } from '../model';
import { RuleContext, t } from './context';
import { AppTies, failedSendNear, Witnesses } from './witness';

export interface OomBlock {
  time: number;
  pid?: number;
  process?: string;
  memcg?: string;
  events: LogEvent[];
}

/** Groups the kernel's OOM lines into blocks: same victim (or no victim named yet) within 3 s. */
export function oomBlocks(events: LogEvent[]): OomBlock[] {
  const kernel = events.filter((e) => e.kind === 'oom_kill' && e.fields?.systemd === undefined).sort((a, b) => t(a) - t(b));
  const blocks: OomBlock[] = [];
  for (const e of kernel) {
    const pid = typeof e.fields?.pid === 'number' ? e.fields.pid : undefined;
    const b = blocks.find((x) => Math.abs(t(e) - x.time) <= 3000 && (pid === undefined || x.pid === undefined || x.pid === pid));
    const memcg = /\btask_memcg=([^,\s]+)/.exec(e.line)?.[1];
    const process = typeof e.fields?.process === 'string' ? e.fields.process : undefined;
    if (b) {
      b.events.push(e);
      b.pid ??= pid;
      b.process ??= process;
      b.memcg ??= memcg;
    } else blocks.push({ time: t(e), pid, process, memcg, events: [e] });
  }
  return blocks;
}

/** How strongly one OOM block points at the app: 0.75 tied by PID/cgroup, 0.5 its program, 0.3 some python, else pressure. */
export function blockWeight(b: OomBlock, ties: AppTies): { weight: number; tied: boolean } {
  const unitCg = new RegExp(`/${ties.unit.replace(/[.+]/g, '\\$&')}(?:\\.service)?(?:/|$)`);
  if ((b.pid !== undefined && ties.pids.has(b.pid)) || (b.memcg && unitCg.test(b.memcg))) return { weight: 0.75, tied: true };
  // the kernel names another service's or a user's cgroup: not the app's process, whatever its name
  if (b.memcg && /\.(service|scope|slice)(\/|$)/.test(b.memcg) && b.memcg !== '/') return { weight: 0.05, tied: false };
  if (b.process && ties.programs.has(b.process)) return { weight: 0.5, tied: true };
  if (b.process && /^python/.test(b.process)) return { weight: 0.3, tied: false };
  return { weight: b.process || b.pid ? 0.1 : 0.05, tied: false };
}

export interface OomFinding {
  witnesses: Witnesses;
  blocks: OomBlock[];
  /** The blocks that point at the app, and the lines that corroborate them. */
  cited: LogEvent[];
  hints: number;
}

export function assessOom(c: RuleContext, ties: AppTies): OomFinding {
  const w = new Witnesses();
  const blocks = oomBlocks(c.events);
  const cited: LogEvent[] = [];
  const tiedPids = new Set<number>();
  for (const b of blocks) {
    const { weight, tied } = blockWeight(b, ties);
    w.add('kernel', weight);
    if (weight >= 0.3) cited.push(...b.events);
    if (tied && b.pid !== undefined) tiedPids.add(b.pid);
    if (tied && failedSendNear(ties, b.time, 10_000)) w.add('nginx', 0.3);
  }
  // systemd about the app's unit: "A process of this unit has been killed by the OOM killer", result 'oom-kill'
  const unitSays = c.events.filter((e) => e.kind === 'oom_kill' && e.fields?.systemd !== undefined && (e.source === 'journal' || e.line.includes(ties.unit)));
  if (unitSays.length) {
    w.add('systemd', 0.5);
    cited.push(...unitSays);
  }
  // gunicorn's "Worker (pid:N) was sent SIGKILL! Perhaps out of memory?" only corroborates a kernel kill of that worker
  const hints = c.events.filter((e) => e.kind === 'oom_hint');
  for (const h of hints) {
    if (typeof h.fields?.pid === 'number' && tiedPids.has(h.fields.pid)) {
      w.add('app', 0.3);
      cited.push(h);
    }
  }
  if (hints.length && !w.some()) w.add('app', 0.1);
  return { witnesses: w, blocks, cited, hints: hints.length };
}
