// Deterministic generator of a BIG host for `npm run bench` (never committed: written at bench time into /tmp).
// The seed incident (test/fixtures/hosts/seed-incident, 2025-01-15 22:20, the 6th day) buried in 10 days of
// realistic traffic: steady requests, a night lull, bursts, rotations (access.log.1, access.log.2.gz), a big
// syslog, a busy journal. Sizes scale with `mb` (the current access.log's size; the host: 1024).
import { copyFileSync, cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const OFF = 3600_000; // Europe/Paris in January: +01:00
const T = (s) => Date.parse(`${s}+01:00`);
const p2 = (n) => String(n).padStart(2, '0');

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const wall = (t) => new Date(t + OFF);
const nginxTime = (t) => {
  const d = wall(t);
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0100`;
};
const syslogTime = (t) => {
  const d = wall(t);
  return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
};
const isoLocal = (t) => wall(t).toISOString().slice(0, 23).replace('T', ' ');

/** Requests per hour of day (night lull, lunch and evening peaks). */
const HOURLY = [0.35, 0.2, 0.12, 0.08, 0.08, 0.12, 0.3, 0.6, 0.9, 1, 1, 1.1, 1.2, 1.1, 1, 1, 1, 1.1, 1.3, 1.4, 1.3, 1.1, 0.9, 0.6];
const PATHS = ['/', '/adherents/', '/adherents/?page=2', '/adherents/?page=3', '/evenements/', '/evenements/calendrier/', '/compte/profil/', '/static/css/app.3f9c.css', '/static/js/app.81d2.js', '/static/img/logo.svg', '/api/planning/?semaine=3', '/favicon.ico', '/robots.txt'];
const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:134.0) Gecko/20100101 Firefox/134.0',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
];
const NETS = ['192.0.2.', '198.51.100.', '203.0.113.'];

/** Seed lines of a file and its rotations, with their instants, in time order. */
function seedLines(dir, names, timeOf) {
  const out = [];
  for (const n of names) {
    const f = join(dir, n);
    if (!existsSync(f)) continue;
    const text = n.endsWith('.gz') ? gunzipSync(readFileSync(f)).toString('utf8') : readFileSync(f, 'utf8');
    let last = 0;
    for (const l of text.split('\n')) {
      if (!l) continue;
      const t = timeOf(l);
      if (t !== undefined) last = t;
      out.push({ t: t ?? last, l });
    }
  }
  return out.sort((a, b) => a.t - b.t);
}
const accessTime = (l) => {
  const m = /\[(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d\d)(\d\d)\]/.exec(l);
  return m ? Date.UTC(+m[3], MON.indexOf(m[2]), +m[1], +m[4], +m[5], +m[6]) - Number(m[7]) * 3600_000 : undefined;
};
const syslogTimeOf = (l) => {
  const m = /^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d)/.exec(l);
  return m ? Date.UTC(2025, MON.indexOf(m[1]), +m[2], +m[3], +m[4], +m[5]) - OFF : undefined;
};

/** Writes lines produced by `next(t)` from `from` to `to` (step by `rate`), merged in time with `seed`, to `file`. */
async function writeMerged(file, from, to, count, weight, make, seed) {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let buf = '';
  let k = 0;
  const flush = async () => {
    if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
    buf = '';
  };
  // hours of the span, each with its share of the lines
  const hours = [];
  let total = 0;
  for (let h = from; h < to; h += 3600_000) {
    const w = weight(h);
    hours.push([h, w]);
    total += w;
  }
  for (const [h, w] of hours) {
    const n = Math.max(0, Math.round((count * w) / total));
    const step = 3600_000 / Math.max(1, n);
    for (let i = 0; i < n; i++) {
      const t = h + Math.floor(i * step);
      while (k < seed.length && seed[k].t <= t) buf += seed[k++].l + '\n';
      buf += make(t) + '\n';
      if (buf.length > 1 << 20) await flush();
    }
  }
  while (k < seed.length && seed[k].t < to) buf += seed[k++].l + '\n';
  await flush();
  await new Promise((r) => out.end(r));
  const end = (to - 1000) / 1000;
  utimesSync(file, end, end);
}

export async function generate(seedDir, outDir, mb) {
  const stamp = join(outDir, `.generated-${mb}`);
  if (existsSync(stamp)) return;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'var/log/nginx'), { recursive: true });
  mkdirSync(join(outDir, 'var/log/postgresql'), { recursive: true });
  for (const d of ['etc', 'override', 'var/www']) if (existsSync(join(seedDir, d))) cpSync(join(seedDir, d), join(outDir, d), { recursive: true });
  for (const f of ['processes']) if (existsSync(join(seedDir, f))) copyFileSync(join(seedDir, f), join(outDir, f));
  const r = rng(20250115);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const bytes = mb * 1024 * 1024;
  const accessLine = (t) => {
    const path = pick(PATHS);
    const x = r();
    const status = x < 0.0004 ? 500 : x < 0.003 ? 404 : x < 0.05 ? 304 : path === '/compte/profil/' && x < 0.1 ? 302 : 200;
    return `${pick(NETS)}${1 + Math.floor(r() * 250)} - - [${nginxTime(t)}] "GET ${path} HTTP/1.1" ${status} ${status === 304 ? 0 : 800 + Math.floor(r() * 30000)} "https://aquademie.example.fr/" "${pick(UAS)}"`;
  };
  // bursts: a few hours each day run at three times the usual rate
  const burst = (h) => (Math.floor(h / 3600_000) * 2654435761) % 97 < 6 ? 3 : 1;
  const weight = (h) => HOURLY[wall(h).getUTCHours()] * burst(h);
  const perLine = 215;
  const seedNginx = join(seedDir, 'var/log/nginx');
  const accessSeed = seedLines(seedNginx, ['access.log.2.gz', 'access.log.1', 'access.log'], accessTime);
  // the current file: 10 days (the 10th to the 19th), the incident on the 6th
  await writeMerged(join(outDir, 'var/log/nginx/access.log'), T('2025-01-10T00:00:00'), T('2025-01-20T00:00:00'), Math.round(bytes / perLine), weight, accessLine, accessSeed.filter((s) => s.t >= T('2025-01-10T00:00:00')));
  // its rotations: the week before (plain), and the one before that (compressed)
  await writeMerged(join(outDir, 'var/log/nginx/access.log.1'), T('2025-01-03T00:00:00'), T('2025-01-10T00:00:00'), Math.round(bytes / 16 / perLine), weight, accessLine, []);
  const older = join(outDir, 'access.log.2');
  await writeMerged(older, T('2024-12-27T00:00:00'), T('2025-01-03T00:00:00'), Math.round(bytes / 64 / perLine), weight, accessLine, []);
  writeFileSync(join(outDir, 'var/log/nginx/access.log.2.gz'), gzipSync(readFileSync(older)));
  utimesSync(join(outDir, 'var/log/nginx/access.log.2.gz'), T('2025-01-03T00:00:00') / 1000, T('2025-01-03T00:00:00') / 1000);
  rmSync(older);
  // error log: the seed's lines plus the odd warning
  const errSeed = seedLines(seedNginx, ['error.log.1', 'error.log'], (l) => {
    const m = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)/.exec(l);
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - OFF : undefined;
  });
  await writeMerged(join(outDir, 'var/log/nginx/error.log'), T('2025-01-10T00:00:00'), T('2025-01-20T00:00:00'), 2000, weight,
    (t) => `${isoLocal(t).slice(0, 19).replace(/-/g, '/')} [warn] 811#811: *${Math.floor(r() * 99999)} a client request body is buffered to a temporary file /var/lib/nginx/body/00000${Math.floor(r() * 99999)}, client: ${pick(NETS)}${Math.floor(r() * 250)}, server: aquademie.example.fr, request: "POST /compte/profil/photo/ HTTP/1.1", host: "aquademie.example.fr"`, errSeed);
  // syslog: 210 MB for a 1 GiB access log
  const sysSeed = seedLines(join(seedDir, 'var/log'), ['syslog'], syslogTimeOf);
  const SYS = [
    () => `CRON[${40000 + Math.floor(r() * 20000)}]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)`,
    () => `CRON[${40000 + Math.floor(r() * 20000)}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`,
    () => `sshd[${30000 + Math.floor(r() * 9999)}]: Connection closed by authenticating user root ${pick(NETS)}${Math.floor(r() * 250)} port ${1024 + Math.floor(r() * 60000)} [preauth]`,
    () => `postfix/anvil[${2000 + Math.floor(r() * 999)}]: statistics: max connection rate 1/60s for (smtp:${pick(NETS)}${Math.floor(r() * 250)}) at Jan 15 03:14:07`,
    () => `rsyslogd: action 'action-8-builtin:omfile' resumed (module 'builtin:omfile') [v8.2302.0 try https://www.rsyslog.com/e/2359 ]`,
    () => `dhclient[512]: DHCPREQUEST for 10.0.0.12 on eth0 to 10.0.0.1 port 67`,
    () => `redis-server[733]: 733:M ${Math.floor(r() * 99)} Jan 2025 12:00:00.000 * 100 changes in 300 seconds. Saving...`,
  ];
  await writeMerged(join(outDir, 'var/log/syslog'), T('2025-01-10T00:00:00'), T('2025-01-20T00:00:00'), Math.round((bytes * 210) / 1024 / 118), () => 1,
    (t) => `${syslogTime(t)} aquademie-prod ${pick(SYS)()}`, sysSeed.filter((s) => s.t >= T('2025-01-10T00:00:00')));
  for (const f of ['mail.log', 'postgresql/postgresql-15-main.log']) copyFileSync(join(seedDir, 'var/log', f), join(outDir, 'var/log', f));
  // journal: the seed's entries plus 300,000 (for a 1 GiB access log) from the app and its neighbours
  mkdirSync(join(outDir, 'journal'), { recursive: true });
  for (const f of ['aquademie.tsv', 'kernel.tsv', 'system.tsv']) if (existsSync(join(seedDir, 'journal', f))) copyFileSync(join(seedDir, 'journal', f), join(outDir, 'journal', f));
  const n = Math.round((300_000 * mb) / 1024);
  const lines = [];
  const from = T('2025-01-10T00:00:00');
  for (let i = 0; i < n; i++) {
    const t = from + Math.floor((i * 10 * 86400_000) / n);
    // keep the incident's own minutes as the seed wrote them
    if (t > T('2025-01-15T22:00:00') && t < T('2025-01-15T22:45:00')) continue;
    const x = r();
    const ts = `${isoLocal(t)}000`;
    if (x < 0.3) lines.push(`${ts}\taquademie\tgunicorn\t1201\t6\t[${isoLocal(t).slice(0, 19)} +0100] [1201] [DEBUG] GET ${pick(PATHS)}`);
    else if (x < 0.6) lines.push(`${ts}\tcelery\tcelery\t944\t6\t[${isoLocal(t).slice(0, 19)},000: INFO/MainProcess] Task aquademie.tasks.nettoyage[${Math.floor(r() * 1e9).toString(16)}] succeeded in 0.0${Math.floor(r() * 99)}s: None`);
    else if (x < 0.85) lines.push(`${ts}\tredis-server\tredis-server\t733\t6\t733:M ${p2(wall(t).getUTCDate())} Jan 2025 ${isoLocal(t).slice(11, 19)}.000 * Background saving terminated with success`);
    else lines.push(`${ts}\tcron\tCRON\t${40000 + Math.floor(r() * 20000)}\t6\tpam_unix(cron:session): session closed for user root`);
  }
  writeFileSync(join(outDir, 'journal', 'background.tsv'), lines.join('\n') + '\n');
  writeFileSync(stamp, 'generated by scripts/bench/bighost/generate.mjs\n');
}
