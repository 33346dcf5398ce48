/**
 * How a command line is wrapped for the remote side so it can be ended for sure.
 * sshd runs `$SHELL -c LINE` in a new session (setsid), so that shell's PID is also the process
 * group of everything the command starts. The wrapper reports it on stderr (a marker line we strip)
 * and `exec`s the real command, keeping the PID. To end the command we close its channel and kill
 * the group from a second channel (plus channel.signal, which OpenSSH >= 7.9 honours).
 */
import { shq } from './local';

export type SudoMode = 'none' | 'nopass' | 'stdin';

const MARK = '\x1eILPID ';

/** The line sent as the SSH `exec` request. `cmd` is run by bash, as LocalRunner does. */
export function wrapCommand(cmd: string, sudo: SudoMode): string {
  // Under sudo the group holds root processes the user cannot signal; sudo relays a TERM only to
  // its direct child, so that child (a root shell) passes it on to the whole group.
  // stdin is /dev/null: whatever sudo -S did not read (it reads nothing when it needs no password)
  // must never reach the command.
  const asRoot = `trap 'trap - TERM HUP; kill -TERM 0' TERM HUP; bash -c ${shq(cmd)} </dev/null & wait $!`;
  const inner =
    sudo === 'nopass'
      ? `sudo -n -- bash -c ${shq(asRoot)}`
      : sudo === 'stdin'
        ? `sudo -S -p '' -- bash -c ${shq(asRoot)}` // password arrives on stdin, never on the command line
        : `bash -c ${shq(cmd)}`;
  return `printf '\\036ILPID %s\\n' "$$" >&2; exec ${inner}`;
}

/** Strips the PID marker from the start of stderr; returns the PID once seen. */
export class StderrDemux {
  private head = '';
  private done = false;
  pid?: number;
  text = '';

  push(s: string): void {
    if (this.done) {
      this.text += s;
      return;
    }
    this.head += s;
    if (!this.head.startsWith(MARK.slice(0, Math.min(this.head.length, MARK.length)))) {
      this.done = true;
      this.text += this.head;
      return;
    }
    const nl = this.head.indexOf('\n');
    if (nl < 0) return;
    const first = this.head.slice(0, nl);
    if (first.startsWith(MARK) && /^\d+$/.test(first.slice(MARK.length))) this.pid = Number(first.slice(MARK.length));
    this.done = true;
    this.text += this.head.slice(nl + 1);
  }
}

/**
 * Shell line that ends process group PGID: TERM, wait up to ~3 s for the group to empty, then KILL
 * what the user may kill. (sudo accepts the user's TERM and relays it, see wrapCommand.)
 */
export function killLine(pgid: number): string {
  const g = String(Math.trunc(pgid));
  return (
    `kill -TERM -- -${g} 2>/dev/null; i=0; ` +
    `while pgrep -g ${g} >/dev/null 2>&1 || kill -0 -- -${g} 2>/dev/null; do ` +
    `i=$((i+1)); [ $i -gt 30 ] && { kill -KILL -- -${g} 2>/dev/null; break; }; sleep 0.1; done; true`
  );
}
