/**
 * Writing to the test host's logs while a follow runs, as root over the host's own `ssh` helper. The
 * fixture logs are an overlayfs with a writable upper layer (test/host/testhost.sh), so appends and
 * rotations land in the host's run folder and vanish on stop.
 *
 * The journal: there is no journald in the test host. A live entry is written as a NEW journal file
 * next to the fixture's (`systemd-journal-remote -o /var/log/journal/<machine-id>/live-N.journal -`,
 * fed the export format); `journalctl -f` watches that folder and shows the new file's entries.
 */
import type { TestHost } from '../host/testHost';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Wall-clock parts of `d` in `tz`, and its UTC offset as +HHMM. */
export function wallIn(d: Date, tz: string): { y: number; mo: number; d: number; h: number; mi: number; s: number; off: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const w = { y: +parts.year, mo: +parts.month, d: +parts.day, h: +parts.hour, mi: +parts.minute, s: +parts.second };
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  const offMin = Math.round((asUtc - Math.floor(d.getTime() / 1000) * 1000) / 60000);
  const off = `${offMin < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offMin) / 60))}${pad(Math.abs(offMin) % 60)}`;
  return { ...w, off };
}

/** Line makers in each log's own format, at instant `d` in the host zone `tz`. */
export const line = {
  nginxError: (d: Date, tz: string, msg: string) => {
    const w = wallIn(d, tz);
    return `${w.y}/${pad(w.mo)}/${pad(w.d)} ${pad(w.h)}:${pad(w.mi)}:${pad(w.s)} [error] 812#812: *${48000 + w.s} ${msg}`;
  },
  nginxAccess: (d: Date, tz: string, request: string, status: number, client = '203.0.113.50') => {
    const w = wallIn(d, tz);
    return `${client} - - [${pad(w.d)}/${MONTHS[w.mo - 1]}/${w.y}:${pad(w.h)}:${pad(w.mi)}:${pad(w.s)} ${w.off}] "${request} HTTP/1.1" ${status} 157 "https://aquademie.example.fr/adherents/communiquer/" "Mozilla/5.0"`;
  },
  syslog: (d: Date, tz: string, ident: string, msg: string) => {
    const w = wallIn(d, tz);
    return `${MONTHS[w.mo - 1]} ${String(w.d).padStart(2, ' ')} ${pad(w.h)}:${pad(w.mi)}:${pad(w.s)} aquademie-prod ${ident}: ${msg}`;
  },
  gunicorn: (d: Date, tz: string, level: string, msg: string, pid = 1187) => {
    const w = wallIn(d, tz);
    return `[${w.y}-${pad(w.mo)}-${pad(w.d)} ${pad(w.h)}:${pad(w.mi)}:${pad(w.s)} ${w.off}] [${pid}] [${level}] ${msg}`;
  },
};

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Appends lines to a log file on the host, as root, in one write. */
export function appendLog(host: Pick<TestHost, 'ssh'>, path: string, lines: string[]): void {
  host.ssh(`echo ${b64(lines.join('\n') + '\n')} | base64 -d | sudo tee -a '${path}' >/dev/null`);
}

export interface JournalEntry {
  time: Date;
  message: string;
  unit?: string;
  ident?: string;
  pid?: number;
  priority?: number;
}

let journalFiles = 0;

/** Writes journal entries (unit aquademie by default) as a new journal file the follow picks up. */
export function appendJournal(host: Pick<TestHost, 'ssh'>, entries: JournalEntry[]): void {
  const body = entries
    .map((e) =>
      [
        `__REALTIME_TIMESTAMP=${e.time.getTime() * 1000}`,
        '_BOOT_ID=@BOOT@',
        '_MACHINE_ID=@MID@',
        '_HOSTNAME=aquademie-prod',
        `PRIORITY=${e.priority ?? 6}`,
        `SYSLOG_IDENTIFIER=${e.ident ?? 'gunicorn'}`,
        `_PID=${e.pid ?? 1187}`,
        `_COMM=${e.ident ?? 'gunicorn'}`,
        '_TRANSPORT=stdout',
        `_SYSTEMD_UNIT=${e.unit ?? 'aquademie.service'}`,
        `MESSAGE=${e.message}`,
        '',
        '',
      ].join('\n'),
    )
    .join('');
  const n = ++journalFiles;
  host.ssh(
    `MID=$(cat /etc/machine-id); BOOT=$(tr -d - < /proc/sys/kernel/random/boot_id); ` +
      `echo ${b64(body)} | base64 -d | sed -e "s/@MID@/$MID/" -e "s/@BOOT@/$BOOT/" | ` +
      `sudo /lib/systemd/systemd-journal-remote -o "/var/log/journal/$MID/live-$$-${n}.journal" - 2>/dev/null`,
  );
}

/** Rotates a log like logrotate without copytruncate: rename, then a new file with `lines`. */
export function rotateLog(host: Pick<TestHost, 'ssh'>, path: string, lines: string[]): void {
  host.ssh(`sudo mv '${path}' '${path}.1' && echo ${b64(lines.join('\n') + '\n')} | base64 -d | sudo tee '${path}' >/dev/null`);
}

/** The follow's processes on the host (journalctl -f, tail -F), seen with ps inside it. */
export function followProcesses(host: Pick<TestHost, 'ssh'>): string[] {
  return host
    .ssh('ps -eo pid=,user=,args=')
    .split('\n')
    .filter((l) => /\b(tail -F|journalctl .*-f)\b/.test(l) && !/ps -eo/.test(l));
}
