/**
 * How a command line is wrapped for the remote side so that (1) nothing of ours outlives its
 * channel and (2) nothing the login shell's rc files print can mix with its output.
 *
 * sshd runs `$SHELL -c LINE` (after ~/.bashrc or ~/.zshenv when the shell reads them). LINE prints a
 * begin marker with a per-command nonce on stdout and stderr — whatever comes before it was printed by
 * the rc files and is dropped — then `exec`s a bash that reads no rc file and runs WATCH:
 *  - the command runs with stdin from /dev/null, under coreutils `timeout` (a ceiling that holds even
 *    if everything else fails) when the host has it;
 *  - a watchdog reads the channel's stdin (the client never closes it while it wants the command):
 *    at EOF — channel closed, cancel, client gone, connection dropped, sshd session killed — it ends
 *    the command's process groups (TERM, then KILL after 2 s);
 *  - when the command ends, an end marker carries its exit status, so a cut or foreign output is
 *    recognised instead of being taken for an empty log.
 * Under sudo the whole of WATCH runs as root (the password, for `sudo -S`, is the first stdin line,
 * which sudo reads byte by byte before starting it), so the watchdog can end root processes.
 */
import { randomBytes } from 'node:crypto';
import { shq } from './local';

export type SudoMode = 'none' | 'nopass' | 'stdin';

/**
 * Run by `bash --norc --noprofile -c WATCH il CMD CEILING NONCE`. Written for bash on purpose:
 * `read`, `wait`, `kill 0` and traps behave the same on every Linux bash since 3.x.
 */
const WATCH = [
  'exec 3<&0 </dev/null',
  'if [ "$2" != 0 ] && command -v timeout >/dev/null 2>&1; then timeout -k 5 "$2" bash --norc --noprofile -c "$1" 3<&- & else bash --norc --noprofile -c "$1" 3<&- & fi',
  'c=$!',
  // the watchdog: EOF on the channel's stdin ends everything of ours (also the timeout's own group)
  '{ while read -r _ <&3; do :; done; trap "" TERM; kill -TERM -- -$c $c 0 2>/dev/null; i=0;' +
    ' while kill -0 -- -$c 2>/dev/null || kill -0 $c 2>/dev/null; do i=$((i+1)); [ $i -gt 20 ] && break; sleep 0.1; done;' +
    ' kill -KILL -- -$c $c 0 2>/dev/null; } 3<&3 &',
  'w=$!',
  'exec 3<&-',
  'wait $c; r=$?',
  'kill $w 2>/dev/null',
  `printf '\\036ILE%s %s\\n' "$3" "$r"`,
  'exit $r',
].join('\n');

export interface Wrapped {
  /** The line sent as the SSH `exec` request. */
  line: string;
  nonce: string;
}

/**
 * Wraps `cmd` (run by bash, as LocalRunner does). `ceilingS`: the host-side time limit; none for a
 * command meant to run until cancelled (follow) — the watchdog still ends it with its channel.
 */
export function wrapCommand(cmd: string, sudo: SudoMode, ceilingS?: number): Wrapped {
  const nonce = randomBytes(8).toString('hex');
  const ceiling = ceilingS === undefined ? '0' : String(Math.max(1, Math.ceil(ceilingS)));
  const bash = `bash --norc --noprofile -c ${shq(WATCH)} il ${shq(cmd)} ${ceiling} ${nonce}`;
  const inner = sudo === 'nopass' ? `sudo -n -- ${bash}` : sudo === 'stdin' ? `sudo -S -p '' -- ${bash}` : bash;
  // BASH_ENV/ENV could have been set by an rc file: no startup file of ours is read either way
  const line = `printf '\\036ILB%s %s\\n' ${nonce} "$$" >&2; printf '\\036ILB%s\\n' ${nonce}; unset BASH_ENV ENV; exec ${inner}`;
  return { line, nonce };
}

/** Stderr after the begin marker; what came before is the rc files' text. */
export class StderrDemux {
  private head = '';
  private done = false;
  private readonly mark: string;
  /** Text printed before the marker (login shell rc files). */
  preamble = '';
  text = '';

  constructor(nonce: string) {
    this.mark = `\x1eILB${nonce} `;
  }

  get seen(): boolean {
    return this.done;
  }

  push(s: string): void {
    if (this.done) {
      this.text += s;
      return;
    }
    this.head += s;
    const at = this.head.indexOf(this.mark);
    if (at < 0) {
      if (this.head.length > 1024 * 1024) this.head = this.head.slice(-this.mark.length); // rc noise is not kept unbounded
      return;
    }
    const nl = this.head.indexOf('\n', at);
    if (nl < 0) return;
    this.preamble = this.head.slice(0, at);
    this.done = true;
    this.text += this.head.slice(nl + 1);
    this.head = '';
  }

  /** At the end: without a marker, everything is returned as stderr (sudo or the shell failed before it). */
  end(): void {
    if (!this.done) this.text = this.head;
  }
}

/**
 * Stdout between the begin marker and the end marker (bytes, before any decoding). Holds back the
 * last bytes that could still be the end marker, so a consumer never sees any part of it.
 */
export class StdoutFrame {
  private readonly begin: Buffer;
  private readonly endMark: Buffer;
  private head: Buffer[] = [];
  private headLen = 0;
  private tail = Buffer.alloc(0);
  private begun = false;
  preambleBytes = 0;
  /** Exit status carried by the end marker, once seen. */
  exitStatus?: number;

  constructor(nonce: string) {
    this.begin = Buffer.from(`\x1eILB${nonce}\n`);
    this.endMark = Buffer.from(`\x1eILE${nonce} `);
  }

  get started(): boolean {
    return this.begun;
  }

  /** Feeds raw bytes; returns the bytes of the command's own output that are now certain. */
  push(b: Buffer): Buffer {
    if (!this.begun) {
      this.head.push(b);
      this.headLen += b.length;
      const all = Buffer.concat(this.head);
      const at = all.indexOf(this.begin);
      if (at < 0) {
        // keep only what could still hold the marker: rc noise is never stored unbounded
        const keep = all.subarray(Math.max(0, all.length - this.begin.length));
        this.preambleBytes += all.length - keep.length;
        this.head = [keep];
        this.headLen = keep.length;
        return Buffer.alloc(0);
      }
      this.preambleBytes += at;
      this.begun = true;
      this.head = [];
      b = all.subarray(at + this.begin.length);
    }
    const all = this.tail.length ? Buffer.concat([this.tail, b]) : b;
    // hold back only what could be the start of the end marker (it begins with \x1e), so a live
    // stream (follow) is never delayed: marker + status (≤ 3 digits) + newline, with margin
    const hold = this.endMark.length + 8;
    const rs = all.lastIndexOf(0x1e);
    // only what could still be the end marker waits (a lane's own markers, catalogue/lane.ts, pass at once)
    const t = rs >= 0 && rs >= all.length - hold ? all.subarray(rs) : undefined;
    const maybe = t && (t.length <= this.endMark.length ? this.endMark.subarray(0, t.length).equals(t) : t.subarray(0, this.endMark.length).equals(this.endMark));
    const cut = maybe ? rs : all.length;
    this.tail = Buffer.from(all.subarray(cut));
    return all.subarray(0, cut);
  }

  /** At the end of the stream: the remaining output bytes (without the end marker). */
  end(): Buffer {
    const t = this.tail;
    this.tail = Buffer.alloc(0);
    const at = t.lastIndexOf(this.endMark);
    if (at >= 0) {
      const m = /^(\d+)\n$/.exec(t.subarray(at + this.endMark.length).toString('latin1'));
      if (m) {
        this.exitStatus = Number(m[1]);
        return t.subarray(0, at);
      }
    }
    return t;
  }
}
