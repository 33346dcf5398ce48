/**
 * A strict checker of catalogue commands: only read-only programs, no output redirection to a file,
 * no command substitution, no writing options. Used by catalogue-readonly.test.ts.
 */

export const ALLOWED = new Set(['journalctl', 'find', 'xargs', 'zgrep', 'grep', 'awk', 'cat', 'test', 'ls', 'echo', 'dmesg', 'systemctl', 'free', 'df', 'ps', 'ss', 'netstat', 'timedatectl', 'readlink', 'date', 'tail', 'uname', 'getent']);

interface Segment {
  words: string[];
}

/** Splits a command line into pipeline/list segments of words; throws on anything not allowed. */
export function segments(cmd: string): Segment[] {
  const segs: Segment[] = [];
  let words: string[] = [];
  let cur = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(cur);
    cur = '';
    inWord = false;
  };
  const endSeg = () => {
    endWord();
    if (words.length) segs.push({ words });
    words = [];
  };
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (c === "'") {
      const j = cmd.indexOf("'", i + 1);
      if (j < 0) throw new Error('unterminated quote');
      cur += cmd.slice(i + 1, j);
      inWord = true;
      i = j;
      continue;
    }
    if (c === '"' || c === '`' || c === '\\') throw new Error(`character ${c} outside single quotes`);
    if (c === '$') throw new Error('$ outside single quotes (expansion or substitution)');
    if (c === '>') {
      const rest = cmd.slice(i + 1);
      const prev = cur;
      if (/^\/dev\/null(\s|$|;)/.test(rest) && (prev === '2' || prev === '')) {
        cur = '';
        inWord = false;
        i += '/dev/null'.length;
        continue;
      }
      if ((/^&2(\s|$|;)/.test(rest) && prev === '1') || (/^&1(\s|$|;)/.test(rest) && prev === '2')) {
        cur = '';
        inWord = false;
        i += 2;
        continue;
      }
      throw new Error(`output redirection ${prev}>${rest.slice(0, 12)}`);
    }
    if (c === '<') throw new Error('input redirection');
    if (c === '|' || c === ';' || c === '&') {
      if (c === '&' && cmd[i + 1] !== '&') throw new Error('background job');
      endSeg();
      if ((c === '|' || c === '&') && cmd[i + 1] === c) i++;
      continue;
    }
    if (c === '(' || c === ')' || c === '{' || c === '}') throw new Error(`unquoted ${c}`);
    if (/\s/.test(c)) {
      endWord();
      continue;
    }
    cur += c;
    inWord = true;
  }
  endSeg();
  return segs;
}

/** Shell keywords of `if A; then B; else C; fi` (the perl-or-full-scan choice): the words after them are checked. */
const KEYWORDS = new Set(['if', 'then', 'else', 'fi']);

/**
 * The window reader's Perl program: only reads (open '<' or the list-form pipe from `gzip -dc`), prints to
 * stdout/stderr, never writes a file, runs a shell or evaluates code.
 */
function checkPerl(args: string[]): void {
  if (args[0] !== '-e') throw new Error('perl without -e PROGRAM');
  const prog = args[1];
  if (/\b(system|exec|unlink|rename|mkdir|rmdir|chmod|chown|truncate|syswrite|kill|qx|eval|require|do|fork|link|symlink|utime|sysopen)\b|`/.test(prog)) throw new Error('perl program can write or run commands');
  for (const m of prog.matchAll(/\bopen\(([^;]*?)\)/g)) {
    if (!/^\$fh, "<", \$f$/.test(m[1]) && !/^\$fh, "-\|", "gzip", "-dc", "--", \$f$/.test(m[1])) throw new Error(`perl open ${m[1]}`);
  }
  if (/print\s*\{|print\s+\$\w+\s+[^\s;,.]|print\s+(?!STDERR\b)[A-Z]+\s/.test(prog)) throw new Error('perl prints to a handle other than stdout/stderr');
}

/**
 * find's `-exec PROG … {} +`: as xargs, only grep/zgrep (checked as themselves), the found names as their last words.
 * Each -exec ends where find ends it: at the first `;`, or at a `+` right after `{}` (so `-exec grep x ';' -exec rm {} +`
 * is two commands, the second one rm).
 */
function checkFindExec(args: string[]): void {
  for (let i = args.indexOf('-exec'); i >= 0; i = args.indexOf('-exec', i + 1)) {
    let end = i + 1;
    while (end < args.length && args[end] !== ';' && !(args[end] === '+' && args[end - 1] === '{}')) end++;
    if (end >= args.length || args[end] !== '+') throw new Error('find -exec without {} +');
    const words = args.slice(i + 1, end - 1);
    if (!['grep', 'zgrep'].includes(words[0])) throw new Error(`find -exec runs ${words[0]}`);
    if (words.includes('{}')) throw new Error('find -exec with {} inside its arguments');
    checkProgram(words);
    i = end;
  }
}

function checkProgram(words: string[]): void {
  if (KEYWORDS.has(words[0])) {
    if (words.length > 1) checkProgram(words.slice(1));
    return;
  }
  if (words[0] === 'command') {
    if (words[1] !== '-v' || words.length !== 3) throw new Error('command other than command -v NAME');
    return;
  }
  if (words[0] === 'perl') return checkPerl(words.slice(1));
  const prog = words[0].replace(/^.*\//, '');
  if (!ALLOWED.has(prog)) throw new Error(`program not allowed: ${prog}`);
  const args = words.slice(1);
  const has = (re: RegExp) => args.some((a) => re.test(a));
  switch (prog) {
    case 'find':
      if (has(/^-(delete|execdir|ok|okdir|fprint|fprint0|fprintf|fls)$/)) throw new Error('find with a writing/executing action');
      checkFindExec(args);
      break;
    case 'xargs': {
      const k = args.findIndex((a) => !a.startsWith('-'));
      if (k < 0 || !['zgrep', 'grep', 'cat', 'zcat', 'tail'].includes(args[k])) throw new Error(`xargs runs ${args[k]}`);
      checkProgram(args.slice(k));
      break;
    }
    case 'awk': {
      const progText = args.filter((a, i) => !a.startsWith('-v') && args[i - 1] !== '-v' && !/^[a-z]+=/.test(a)).join(' ');
      if (/system|getline|fflush|close\(|>|\|/.test(progText.replace(/\|\|/g, ' or '))) throw new Error('awk program can write or run commands');
      break;
    }
    case 'journalctl':
      if (has(/^--(rotate|vacuum|flush|sync|relinquish|smart-relinquish|setup-keys|update-catalog|new-id128)/)) throw new Error('journalctl maintenance option');
      break;
    case 'systemctl':
      if (!['status', 'cat', 'show', 'is-active'].includes(args[0])) throw new Error(`systemctl ${args[0]}`);
      break;
    case 'date':
      if (has(/^(-s|--set)/)) throw new Error('date --set');
      break;
    case 'dmesg':
      if (has(/^(-c|-C|-D|-E|-n|--clear|--read-clear|--console)/)) throw new Error('dmesg writing option');
      break;
    case 'grep':
    case 'zgrep':
      break;
    default:
  }
}

/** Throws with the reason when `cmd` is not provably read-only. */
export function assertReadOnly(cmd: string): void {
  const segs = segments(cmd);
  if (!segs.length) throw new Error('empty command');
  for (const s of segs) checkProgram(s.words);
}
