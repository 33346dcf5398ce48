/**
 * A lane: several catalogue commands run one after another in ONE remote session (one login, one sudo), each `eval`ed
 * by the lane's shell, its output framed so the client splits it back per command (core/lanes.ts) and still streams it.
 * A command that could change the shell's state (an assignment, cd, exit, set…: anything `plainCommand` does not
 * recognise) runs in its own subshell, as every command did; the catalogue's own (pipelines and if-lists of read-only
 * programs) run without one: a fork of bash is ~2 ms of the host's CPU, 20-odd per diagnosis.
 * The glue is only `printf` of markers and `eval` of the commands it is given, which are the catalogue's own,
 * unchanged (catalogue-readonly.test.ts checks them one by one); it adds nothing that writes.
 *
 * Markers (NONCE: random per lane, so a log line can never forge one):
 *   stdout  `\x1eILS<NONCE> <i>\n` when command i starts;
 *   both    `\n\x1eILX<NONCE> <i> <status>\n` when it ends. The leading newline ends a last line without one (the
 *           transport cuts lines over 32 KiB, a marker must never sit at the end of such a line); the splitter
 *           removes exactly that newline again, so each command's output is byte for byte what it printed.
 * The transport's own wrapper (remoteCommand.ts) runs the lane as one command: its watchdog ends every
 * process of the lane with the channel (cancel, timeout, dropped link), and its ceiling holds the lane.
 */
import { shq } from '../shell';

export const LANE_START = '\x1eILS';
export const LANE_END = '\n\x1eILX';

/** Words that start a simple command of the catalogue's and leave the shell as it was (`test`, `echo`: builtins that set nothing). */
const PLAIN_HEADS = /^(if|then|else|fi|!|test|echo|command|journalctl|find|xargs|zgrep|grep|awk|cat|ls|perl|dmesg|systemctl|free|df|ps|ss|netstat|timedatectl|readlink|date|tail|uname|getent)$/;

/**
 * Whether `cmd` can run in the lane's own shell: outside single quotes only words, pipes, lists (`;` `&&` `||`) and
 * redirections of a descriptor (`2>/dev/null`, `1>&2`), each simple command starting with a PLAIN_HEADS word — no
 * `$`, quote other than '…', backslash, parenthesis, brace, background `&` or assignment. Anything else: a subshell.
 */
export function plainCommand(cmd: string): boolean {
  const bare = cmd.replace(/'[^']*'/g, 'Q');
  if (/[$`"'\\(){}\n]/.test(bare)) return false;
  if (/(^|[^&>])&(?!&)|<(?!&)/.test(bare.replace(/[0-9]?>&[0-9]/g, ''))) return false;
  return bare.split(/;|\|\||&&|\|/).every((part) => {
    const words = part.trim().split(/\s+/).filter(Boolean);
    let k = 0;
    while (k < words.length && /^(if|then|else|!)$/.test(words[k])) k++;
    // (`command` runs a builtin in this shell — `command cd /` would move it — unless it only looks a name up)
    if (words[k] === 'command') return /^-[vV]$/.test(words[k + 1] ?? '');
    return k === words.length || PLAIN_HEADS.test(words[k]);
  });
}

/** The lane's command line: runs `commands` in order, each framed by its start and end markers. */
export function laneCommand(nonce: string, commands: string[]): string {
  if (!/^[0-9a-f]{8,32}$/.test(nonce)) throw new Error('lane nonce must be hex');
  const own = (c: string) => (plainCommand(c) ? c : `( ${c}\n)`);
  return (
    `n=${nonce}; i=0; for c in ${commands.map((c) => shq(own(c))).join(' ')}; do ` +
    `printf '\\036ILS%s %s\\n' "$n" "$i"; eval "$c"; r=$?; ` +
    `printf '\\n\\036ILX%s %s %s\\n' "$n" "$i" "$r" >&2; printf '\\n\\036ILX%s %s %s\\n' "$n" "$i" "$r"; i=$((i+1)); done`
  );
}

/** Longest lane command line (sshd and the kernel take one argument up to 128 KiB; quoting adds more on the way). */
export const MAX_LANE_CHARS = 48 * 1024;
