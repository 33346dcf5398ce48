/**
 * The combined access line read by hand, the fast path of parseNginxAccess (nginx.ts). A busy window is thousands
 * of these lines: one pass over the line's characters, no match array, only the substrings the record keeps, the
 * date of a timestamp seen on the line before reused. It says exactly what the ACCESS pattern says: it returns a
 * record, `undefined` only where the pattern certainly fails (so a syslog line costs a few characters), and `null`
 * for anything unusual (non-ASCII in a bare field, an escape before a line break, a broken quoted field…), which
 * the pattern then decides.
 */

/** The pieces of one line, as positions in it. */
export interface AccessScan {
  /** End of $remote_addr (from 0). */
  client: number;
  /** $time_local between the brackets: [stampFrom, stampTo). */
  stampFrom: number;
  stampTo: number;
  /** The stamp is the one the caller knew. */
  known: boolean;
  /** $request between its quotes. */
  reqFrom: number;
  reqTo: number;
  status: number;
  /** $body_bytes_sent as a number ('-' = 0). */
  bytes: number;
  /** Referer and user agent between their quotes; refFrom < 0 when the line has neither. */
  refFrom: number;
  refTo: number;
  uaFrom: number;
  uaTo: number;
  /** Start of what follows (the log_format's extra fields, `rt=…`), up to the end of the line. */
  tail: number;
  /** Set by scanRequest: the end of the method (the path follows its space) and of the path. */
  methodTo: number;
  pathTo: number;
}

/** The one scan, filled again for each line (nothing allocated per line). */
const scan: AccessScan = { client: 0, stampFrom: 0, stampTo: 0, known: false, reqFrom: 0, reqTo: 0, status: 0, bytes: 0, refFrom: -1, refTo: -1, uaFrom: -1, uaTo: -1, tail: 0, methodTo: 0, pathTo: 0 };

const SPACE = 32;
const QUOTE = 34;

/**
 * End of a bare (\S+) field starting at `p`, which must be followed by one space: the index of that space;
 * undefined when the pattern certainly fails there, null when it must decide (a character outside printable ASCII).
 */
function bareField(line: string, p: number): number | undefined | null {
  let i = p;
  let c = line.charCodeAt(i);
  while (c > SPACE && c < 127) c = line.charCodeAt(++i);
  if (c === SPACE) return i > p ? i : undefined;
  // the end of the line or an ASCII blank (tab, CR…) ends \S+ without the space the pattern wants
  if (i >= line.length || (c >= 9 && c <= 13)) return undefined;
  return null;
}

/** `.` in a pattern: any character but a line terminator. */
function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * Index of the quote closing a quoted field that starts at `p` (after its opening quote): `"([^"\\]*(?:\\.[^"\\]*)*)"`.
 * `bs` is the first backslash at or after `p` (-1: none); -1 when the field is not closed the way the pattern closes it.
 */
function closingQuote(line: string, p: number, bs: number): number {
  let at = p;
  let b = bs;
  for (;;) {
    const q = line.indexOf('"', at);
    if (q < 0) return -1;
    if (b < 0 || b > q) return q;
    const c = line.charCodeAt(b + 1);
    if (b + 1 >= line.length || isLineBreak(c)) return -1;
    at = b + 2;
    b = line.indexOf('\\', at);
  }
}

/** The first backslash at or after `p`, knowing `bs`, the first one after an earlier index (-1: none). */
function backslashFrom(line: string, p: number, bs: number): number {
  return bs < 0 || bs >= p ? bs : line.indexOf('\\', p);
}

/** `line.startsWith(text, at)` for a short text. */
export function sameAt(line: string, at: number, text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && line.charCodeAt(at + i) === text.charCodeAt(i)) i--;
  return i < 0;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Length of `dd/Mon/yyyy:HH:MM:SS[.f] +zzzz` at `p` (followed by `]`), 0 when the stamp is not that. */
function stampLength(line: string, p: number): number {
  const shape = '00/A/0000:00:00:00';
  let i = 0;
  for (let k = 0; k < shape.length; k++, i++) {
    const c = line.charCodeAt(p + i);
    const s = shape.charCodeAt(k);
    if (s === 65) {
      // the month: three letters
      for (let j = 0; j < 3; j++) {
        const l = line.charCodeAt(p + i + j) | 32;
        if (l < 97 || l > 122) return 0;
      }
      i += 2;
    } else if (s === 48 ? !isDigit(c) : c !== s) return 0;
  }
  if (line.charCodeAt(p + i) === 46 && isDigit(line.charCodeAt(p + i + 1))) {
    i++;
    while (isDigit(line.charCodeAt(p + i))) i++;
  }
  const sign = line.charCodeAt(p + i + 1);
  if (line.charCodeAt(p + i) !== SPACE || (sign !== 43 && sign !== 45)) return 0;
  for (let j = 2; j < 6; j++) if (!isDigit(line.charCodeAt(p + i + j))) return 0;
  return line.charCodeAt(p + i + 6) === 93 ? i + 6 : 0;
}

/** Status, bytes, and the optional quoted referer and user agent after the request's closing quote at `q`. */
function afterRequest(line: string, q: number, s: AccessScan, bs: number): AccessScan | null {
  let p = q + 1;
  if (line.charCodeAt(p) !== SPACE || line.charCodeAt(p + 4) !== SPACE) return null;
  const d0 = line.charCodeAt(p + 1) - 48;
  const d1 = line.charCodeAt(p + 2) - 48;
  const d2 = line.charCodeAt(p + 3) - 48;
  if (!(d0 >= 0 && d0 <= 9 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9)) return null;
  s.status = d0 * 100 + d1 * 10 + d2;
  p += 5;
  if (line.charCodeAt(p) === 45) p++;
  else {
    const from = p;
    let n = 0;
    while (isDigit(line.charCodeAt(p))) n = n * 10 + line.charCodeAt(p++) - 48;
    if (p === from) return null;
    s.bytes = p - from > 15 ? Number(line.slice(from, p)) : n;
  }
  if (line.charCodeAt(p) === SPACE && line.charCodeAt(p + 1) === QUOTE) {
    s.refFrom = p + 2;
    s.refTo = closingQuote(line, s.refFrom, backslashFrom(line, s.refFrom, bs));
    if (s.refTo < 0 || line.charCodeAt(s.refTo + 1) !== SPACE || line.charCodeAt(s.refTo + 2) !== QUOTE) return null;
    s.uaFrom = s.refTo + 3;
    s.uaTo = closingQuote(line, s.uaFrom, backslashFrom(line, s.uaFrom, bs));
    if (s.uaTo < 0) return null;
    p = s.uaTo + 1;
  }
  // `(.*)$`: the rest of the line holds no line terminator
  for (let i = p; i < line.length; i++) if (isLineBreak(line.charCodeAt(i))) return null;
  s.tail = p;
  return s;
}

/**
 * The positions of a combined access line; see the file's comment for undefined and null. `known` is a stamp
 * already read (the line before's): when the line has it, it is not read again. The scan returned is filled
 * again by the next call.
 */
export function scanAccess(line: string, known: string): AccessScan | undefined | null {
  const client = bareField(line, 0);
  if (typeof client !== 'number') return client;
  const ident = bareField(line, client + 1);
  if (typeof ident !== 'number') return ident;
  const user = bareField(line, ident + 1);
  if (typeof user !== 'number') return user;
  if (line.charCodeAt(user + 1) !== 91) return undefined; // ' [' must follow the user
  const stampFrom = user + 2;
  // (cut out and compared whole: faster than character by character on a line that is itself a slice)
  const same = !!known && line.charCodeAt(stampFrom + known.length) === 93 && line.slice(stampFrom, stampFrom + known.length) === known;
  const len = same ? known.length : stampLength(line, stampFrom);
  if (!len || line.charCodeAt(stampFrom + len + 1) !== SPACE || line.charCodeAt(stampFrom + len + 2) !== QUOTE) return null;
  const reqFrom = stampFrom + len + 3;
  const bs = line.indexOf('\\', reqFrom);
  const reqTo = closingQuote(line, reqFrom, bs);
  if (reqTo < 0) return null;
  const s = scan;
  s.client = client;
  s.stampFrom = stampFrom;
  s.stampTo = stampFrom + len;
  s.known = same;
  s.reqFrom = reqFrom;
  s.reqTo = reqTo;
  s.bytes = 0;
  s.refFrom = s.refTo = s.uaFrom = s.uaTo = -1;
  return afterRequest(line, reqTo, s, bs);
}

/**
 * `^([A-Z]+) (\S+)(?: (HTTP\/[\d.]+))?$` on the scanned request: true with the ends of the method and of the path
 * set in the scan; undefined when the pattern certainly fails, null when it must decide.
 */
export function scanRequest(line: string, s: AccessScan): true | undefined | null {
  const from = s.reqFrom;
  const to = s.reqTo;
  let i = from;
  let c = line.charCodeAt(i);
  while (i < to && c >= 65 && c <= 90) c = line.charCodeAt(++i);
  if (i === from || i >= to || c !== SPACE) return undefined;
  const method = i;
  let j = i + 1;
  c = line.charCodeAt(j);
  while (j < to && c > SPACE && c < 127) c = line.charCodeAt(++j);
  s.methodTo = method;
  s.pathTo = j;
  if (j === to) return j > method + 1 ? true : undefined;
  if (c !== SPACE || j === method + 1) return c === SPACE ? undefined : null;
  // ` HTTP/[\d.]+` up to the end of the request
  if (!sameAt(line, j + 1, 'HTTP/') || j + 6 >= to) return undefined;
  for (let k = j + 6; k < to; k++) {
    const v = line.charCodeAt(k);
    if (!isDigit(v) && v !== 46) return undefined;
  }
  return true;
}
