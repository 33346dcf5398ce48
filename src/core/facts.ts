/** Facts read from the probes: host zone, the unit's gunicorn options, nginx's proxy timeouts. */
import { splitByFile } from './parse/text';
import { accessLogs } from './parse/nginxFormat';
import type { Localized } from './l10n';

export interface HostFacts {
  tz?: string;
  /** The zone the logs' zone-less lines are written in, when it is not the host's (an app host's lines on a log host). */
  logTz?: string;
  tzAbbrev?: string;
  tzOffset?: string;
  workingDirectory?: string;
  gunicornTimeout?: number;
  gunicornLogFile?: string;
  gunicornAccessLog?: string;
  execStart?: string;
  proxyReadTimeout?: number;
  /** nginx.conf and the sites as read (log_format / access_log decide how the access log is parsed). */
  nginxConf?: string;
  /** access_log paths the sites declare (not nginx.conf's default). */
  siteAccessLogs?: string[];
  /** Program names of the app's unit (ExecStart's program, gunicorn/uwsgi/uvicorn it runs): its syslog identifiers. */
  appPrograms?: string[];
  /** The app's sender address (DEFAULT_FROM_EMAIL / SERVER_EMAIL in its settings). */
  appSender?: string;
  /** Postfix's relayhost (/etc/postfix/main.cf), without brackets and port. */
  postfixRelayhost?: string;
  /** The relay the app's mail goes through, and why the engine believes so. */
  relay?: { host: string; port?: number; ssl?: boolean; why: Localized; localPostfix?: boolean };
  /** Where each fact came from, for the report. */
  notes: Localized[];
}

/** `timedatectl show -p Timezone --value` || /etc/timezone || readlink /etc/localtime; then `date '+%Z %z'`. */
export function parseHostTz(out: string): { zone?: string; abbrev?: string; offset?: string } {
  const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
  const res: { zone?: string; abbrev?: string; offset?: string } = {};
  const last = lines[lines.length - 1];
  const d = last ? /^([A-Za-z+\-0-9]+) ([+-]\d{4})$/.exec(last) : null;
  if (d) {
    res.abbrev = d[1];
    res.offset = d[2];
    lines.pop();
  }
  for (const l of lines) {
    const z = l.replace(/^.*\/zoneinfo\//, '').replace(/^posix\/|^right\//, '');
    if (/^[A-Za-z0-9_+\-/]+$/.test(z) && z !== 'localtime') {
      res.zone = z;
      break;
    }
  }
  return res;
}

/** A zone name Intl can use for a fixed offset (Etc/GMT-1 is UTC+1). */
export function zoneForOffset(offset: string): string | undefined {
  const m = /^([+-])(\d\d)(\d\d)$/.exec(offset);
  if (!m || m[3] !== '00') return undefined;
  const h = Number(m[2]);
  if (h === 0) return 'UTC';
  return `Etc/GMT${m[1] === '+' ? '-' : '+'}${h}`;
}

/** gunicorn options from an ExecStart/ps command line. */
export function gunicornOptions(cmd: string): { timeout?: number; chdir?: string; errorLog?: string; accessLog?: string } {
  const opt = (names: string[]) => {
    for (const n of names) {
      const m = new RegExp(`(?:^|\\s)${n}(?:=|\\s+)(\\S+)`).exec(cmd);
      if (m) return m[1].replace(/^["']|["']$/g, '');
    }
    return undefined;
  };
  const t = opt(['--timeout', '-t']);
  return {
    timeout: t && /^\d+$/.test(t) ? Number(t) : undefined,
    chdir: opt(['--chdir']),
    errorLog: opt(['--error-logfile', '--log-file']),
    accessLog: opt(['--access-logfile']),
  };
}

/** The programs a start command runs: its own name (wsgi.sh, start.sh) and the app server it names. */
export function programsOf(exec: string): string[] {
  const words = exec.replace(/^[-@:+!]+/, '').split(/\s+/).filter(Boolean);
  const out = new Set<string>();
  const first = words[0]?.replace(/^.*\//, '');
  if (first && !/^(env|sudo|exec|nice|ionice|bash|sh|dash)$/.test(first)) out.add(first);
  for (const w of words.slice(0, 6)) {
    const b = w.replace(/^.*\//, '');
    if (/^(gunicorn|uwsgi|uvicorn|daphne|hypercorn|waitress-serve|python\d*(\.\d+)?)$/.test(b)) out.add(b);
    if (/\.(sh|py)$/.test(b)) out.add(b);
  }
  return [...out].filter((x) => /^[\w.@+-]{1,40}$/.test(x));
}

export function parseUnitFile(out: string, facts: HostFacts): void {
  const files = splitByFile(out);
  const text = files.size ? [...files.values()].map((l) => l.join('\n')).join('\n') : out;
  const wd = /^\s*WorkingDirectory\s*=\s*-?(\S+)\s*$/m.exec(text);
  if (wd) facts.workingDirectory = wd[1];
  const exec = [...text.matchAll(/^\s*ExecStart\s*=\s*(.*(?:\\\n.*)*)$/gm)].map((m) => m[1].replace(/\\\n/g, ' ')).filter(Boolean).pop();
  if (exec) {
    facts.execStart = exec;
    facts.appPrograms = programsOf(exec);
    const g = gunicornOptions(exec);
    if (g.timeout !== undefined) facts.gunicornTimeout = g.timeout;
    if (g.chdir) facts.workingDirectory = g.chdir;
    if (g.errorLog && g.errorLog !== '-') facts.gunicornLogFile = g.errorLog;
    if (g.accessLog && g.accessLog !== '-') facts.gunicornAccessLog = g.accessLog;
  }
  const env = /GUNICORN_CMD_ARGS\s*=\s*"?([^"\n]*)/.exec(text);
  if (env && facts.gunicornTimeout === undefined) facts.gunicornTimeout = gunicornOptions(env[1]).timeout;
}

/** proxy_read_timeout that applies to `urlPath`: the longest matching `location` prefix, else the server's. */
export function parseNginxSite(out: string, urlPath: string, facts: HostFacts): void {
  const files = splitByFile(out);
  const text = [...files.values()].map((l) => l.join('\n')).join('\n') || out;
  facts.nginxConf = text;
  const sites = [...files.entries()].filter(([f]) => !/\/nginx\.conf$/.test(f)).map(([, l]) => l.join('\n')).join('\n');
  const declared = accessLogs(sites).map((d) => d.path).filter((x) => x.startsWith('/'));
  if (declared.length) facts.siteAccessLogs = [...new Set(declared)];
  let best: { len: number; value: number } | undefined;
  const stack: { loc?: string }[] = [];
  let fallback: number | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '');
    const loc = /^\s*location\s+(?:[=^~*]+\s+)?(\S+)\s*\{/.exec(line);
    const t = /\bproxy_read_timeout\s+(\d+)(ms|s|m|h)?\s*;/.exec(line);
    if (t) {
      const n = Number(t[1]);
      const secs = t[2] === 'ms' ? n / 1000 : t[2] === 'm' ? n * 60 : t[2] === 'h' ? n * 3600 : n;
      const current = [...stack].reverse().find((s) => s.loc)?.loc;
      if (current !== undefined) {
        if (urlPath.startsWith(current) && (!best || current.length >= best.len)) best = { len: current.length, value: secs };
      } else if (fallback === undefined) fallback = secs;
    }
    for (const ch of line) {
      if (ch === '{') stack.push(loc && stack.every((s) => !s.loc) ? { loc: loc[1] } : {});
      else if (ch === '}') stack.pop();
    }
  }
  const v = best?.value ?? fallback;
  if (v !== undefined) facts.proxyReadTimeout = v;
}
