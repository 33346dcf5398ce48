/** The processes a test host runs, as `ps -eo pid=,ppid=,args=` lists them over SSH. */

export interface Proc {
  pid: number;
  ppid: number;
  args: string;
}

/** The command that lists them (run inside the host). */
export const PS_COMMAND = 'ps -eo pid=,ppid=,args=';

/** Every process in `ps` output, minus the observing command's own chain (its sshd session, shell and ps). */
export function otherProcesses(psOutput: string): Proc[] {
  const procs = psOutput
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3].trim() }));
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const own = new Set<number>();
  for (let p = procs.find((x) => x.args.startsWith(PS_COMMAND)); p && !own.has(p.pid); p = byPid.get(p.ppid)) {
    if (p.pid === 1 || /^sshd: .*\[listener\]|^\/usr\/sbin\/sshd -D/.test(p.args)) break;
    own.add(p.pid);
  }
  return procs.filter((p) => !own.has(p.pid));
}
