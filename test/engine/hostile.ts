/**
 * Builds a hostile bundle at test/bench time under /tmp (never committed): many matching mail lines,
 * optionally one huge single line, terminal escape sequences, NUL, invalid UTF-8 and CRLF in log lines.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface HostileOptions {
  /** Matching postfix lines in the window (status=sent). */
  mailLines: number;
  /** Bytes of one single syslog line inside the window (0 = none). */
  hugeLineBytes?: number;
}

/** Lines that try to reach the user's terminal: OSC title, clear screen, NUL, invalid UTF-8, CRLF, C1 CSI. */
export const HOSTILE_LINES = [
  Buffer.from('Jan 15 22:20:03 aquademie-prod gunicorn[1187]: [CRITICAL] WORKER TIMEOUT (pid:1202) \x1b]0;pwned\x07\x1b[2J\n'),
  Buffer.from('Jan 15 22:20:04 aquademie-prod kernel: oom nul\x00byte here\r\n'),
  Buffer.concat([Buffer.from('Jan 15 22:20:04 aquademie-prod postfix/smtp[4242]: bad utf8 \xff\xfe end status=deferred\n', 'latin1')]),
  Buffer.from('Jan 15 22:20:05 aquademie-prod app: c1 csi \u009b31m red\n'),
];

export function hostileBundle(dir: string, o: HostileOptions): string {
  mkdirSync(join(dir, 'var/log'), { recursive: true });
  mkdirSync(join(dir, 'incident-lens'), { recursive: true });
  writeFileSync(join(dir, 'incident-lens/host_tz.txt'), 'Europe/Paris\n');
  const mail = openSync(join(dir, 'var/log/mail.log'), 'w');
  for (const l of HOSTILE_LINES) writeSync(mail, l);
  let chunk = '';
  for (let i = 0; i < o.mailLines; i++) {
    const s = String(10 + Math.floor((i / o.mailLines) * 49)).padStart(2, '0');
    chunk += `Jan 15 22:20:${s} aquademie-prod postfix/smtp[${3000 + (i % 900)}]: ${(0xa0000 + i).toString(16).toUpperCase()}: to=<member${i}@example.org>, relay=smtp.example.net[192.0.2.25]:465, delay=0.4, status=sent (250 2.0.0 Ok: queued)\n`;
    if (chunk.length > 1 << 20) {
      writeSync(mail, chunk);
      chunk = '';
    }
  }
  writeSync(mail, chunk);
  closeSync(mail);
  const syslog = openSync(join(dir, 'var/log/syslog'), 'w');
  writeSync(syslog, 'Jan 15 22:19:59 aquademie-prod systemd[1]: Started session.\n');
  for (const l of HOSTILE_LINES) writeSync(syslog, l);
  if (o.hugeLineBytes) {
    writeSync(syslog, 'Jan 15 22:20:06 aquademie-prod app: huge ');
    const block = Buffer.alloc(1 << 20, 'x');
    for (let left = o.hugeLineBytes; left > 0; left -= block.length) writeSync(syslog, left >= block.length ? block : block.subarray(0, left));
    writeSync(syslog, ' oom\n');
  }
  closeSync(syslog);
  return dir;
}
