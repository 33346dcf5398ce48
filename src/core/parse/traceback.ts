/**
 * Python tracebacks: multi-line, chained ("During handling of the above exception…", "The above exception
 * was the direct cause…"), in a text log (body lines have no timestamp) or one journal entry per line.
 */
import { isSmtpRateText } from './classify';

export const TB_START = 'Traceback (most recent call last):';
/** A frame anywhere in a log line (after a journal or syslog prefix): file, line, function. Use with matchAll. */
export const FRAME_IN_LINE = /File "([^"\n]+\.py)", line (\d+)(?:, in ([\w<>.]+))?/g;
/** Paths of installed libraries and virtualenvs: frames there are not the app's code. */
export const LIBRARY_PATH = /\/(site-packages|dist-packages|venv|\.venv|env|lib\/python\d[\d.]*)\//;
const CHAIN = /^(During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:)\s*$/;
const FRAME = /^\s+File "([^"]+)", line (\d+)(?:, in (.+))?$/;
const EXC = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/;

export interface Frame {
  file: string;
  line: number;
  function?: string;
  code?: string;
}

export interface ExceptionInfo {
  type: string;
  message: string;
}

export interface TracebackInfo {
  frames: Frame[];
  /** In order; the last one is what propagated. */
  exceptions: ExceptionInfo[];
}

export type TbState = 'frames' | 'exception' | 'chain';

/** Does `line` continue a traceback whose last line left it in `state`? Returns the new state, or undefined when it ends. */
export function continueTraceback(line: string, state: TbState): TbState | undefined {
  if (CHAIN.test(line)) return 'chain';
  if (line.startsWith(TB_START)) return state === 'chain' || state === 'exception' ? 'frames' : undefined;
  if (line.trim() === '') return state === 'frames' ? undefined : state;
  if (state === 'frames') {
    if (/^\s/.test(line)) return 'frames';
    if (EXC.test(line.trimEnd()) || /^[A-Za-z_][\w.]*: /.test(line)) return 'exception';
    return undefined;
  }
  if (state === 'exception') {
    // exception-group boxes and notes print indented lines after the exception line
    if (/^\s+[|+]/.test(line)) return 'exception';
    return undefined;
  }
  return state === 'chain' && /^\s/.test(line) ? 'chain' : undefined;
}

export function analyseTraceback(lines: string[]): TracebackInfo {
  const frames: Frame[] = [];
  const exceptions: ExceptionInfo[] = [];
  let inFrames = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith(TB_START)) {
      inFrames = true;
      continue;
    }
    const f = FRAME.exec(l);
    if (f) {
      const next = lines[i + 1];
      const code = next !== undefined && /^\s{4,}\S/.test(next) && !FRAME.test(next) ? next.trim() : undefined;
      frames.push({ file: f[1], line: Number(f[2]), function: f[3]?.trim(), code });
      continue;
    }
    if (inFrames && !/^\s/.test(l) && l.trim()) {
      const e = EXC.exec(l.trimEnd()) ?? /^([A-Za-z_][\w.]*): (.*)$/.exec(l);
      if (e) {
        exceptions.push({ type: e[1], message: (e[2] ?? '').trim() });
        inFrames = false;
      }
    }
  }
  return { frames, exceptions };
}

export type TracebackCategory = 'worker_abort' | 'smtp_rate_limit' | 'smtp_connection' | 'smtp_error' | 'exception';

const CONN_TYPES = /^(?:.*\.)?(ConnectionRefusedError|ConnectionResetError|ConnectionAbortedError|BrokenPipeError|TimeoutError|timeout|gaierror|herror|SSLError|SSLEOFError|SSLZeroReturnError|SSLCertVerificationError|OSError)$/;
const SMTP_CONN_TYPES = /^(?:.*\.)?(SMTPServerDisconnected|SMTPConnectError|SMTPHeloError|SMTPAuthenticationError|SMTPNotSupportedError)$/;
const SMTP_ANY = /^(?:.*\.)?SMTP\w*(Error|Exception|Refused|Disconnected)$/;
const CONN_MESSAGE = /Errno (101|104|110|111|113)|Network is unreachable|No route to host|Connection (refused|reset|timed out)|timed out|EOF occurred|WRONG_VERSION_NUMBER|CERTIFICATE_VERIFY_FAILED|Name or service not known|Temporary failure in name resolution/i;

/** Frames that mean "this happened while sending e-mail". */
export function isMailFrame(f: Frame): boolean {
  return /(^|\/)smtplib\.py$|\/django\/core\/mail\/|(^|\/)ssl\.py$|(^|\/)socket\.py$/.test(f.file) || /^(send_mail|send_mass_mail|send_messages|sendmail|send_message)$/.test(f.function ?? '');
}

export function categorise(tb: TracebackInfo): TracebackCategory {
  const last = tb.exceptions[tb.exceptions.length - 1];
  if (last && /(^|\.)SystemExit$/.test(last.type) && tb.frames.some((f) => f.function === 'handle_abort' || /gunicorn\/workers\//.test(f.file))) return 'worker_abort';
  const mailFrames = tb.frames.some(isMailFrame);
  for (const e of tb.exceptions) {
    if (SMTP_ANY.test(e.type) && isSmtpRateText(`${e.type}: ${e.message}`)) return 'smtp_rate_limit';
  }
  for (const e of tb.exceptions) {
    if (SMTP_CONN_TYPES.test(e.type)) return 'smtp_connection';
    if (mailFrames && CONN_TYPES.test(e.type) && (e.type !== 'OSError' || CONN_MESSAGE.test(e.message))) return 'smtp_connection';
  }
  if (tb.exceptions.some((e) => SMTP_ANY.test(e.type))) return 'smtp_error';
  return 'exception';
}
