/** Host checks (runbook "Commandes utiles") and the probes that refine the profile. */
import { unitName } from '../profile';
import { shq } from '../shell';
import { dumpFiles } from './filter';
import type { CatalogueInput, SourceDef } from './types';
import { msg, type Localized } from '../l10n';

interface CheckDef {
  id: string;
  label: Localized;
  command: string;
  runbookCommand: string;
  sudo?: boolean;
  phase?: 'probe' | 'main';
  format?: 'check' | 'text';
}

const SETTINGS_RE = '^[[:space:]]*(EMAIL_(HOST|PORT|USE_SSL|USE_TLS|BACKEND)|DEFAULT_FROM_EMAIL|SERVER_EMAIL)[[:space:]]*=';
const MAINCF_RE = '^[[:space:]]*(relayhost|myhostname)[[:space:]]*=';

export function checkSources(i: CatalogueInput): SourceDef[] {
  const p = i.profile;
  const unit = unitName(p);
  const root = i.options.root;
  const port = String(p.smtpPort);
  const defs: CheckDef[] = [
    {
      id: 'host_tz', label: msg('host time zone'), phase: 'probe',
      command: `timedatectl show -p Timezone --value 2>/dev/null || cat /etc/timezone 2>/dev/null || readlink /etc/localtime; date '+%Z %z'`,
      runbookCommand: 'timedatectl',
    },
    {
      id: 'dmesg', label: msg('kernel ring buffer (dmesg): OOM kills'), sudo: true, format: 'text',
      command: `dmesg --time-format iso | grep -i -E 'killed process|out of memory|oom'`,
      runbookCommand: 'sudo dmesg | grep -i "killed\\|oom"',
    },
    {
      id: 'host_systemctl', label: msg('systemctl status {0}', unit), format: 'text',
      command: `systemctl status ${shq(unit)} --no-pager -l --lines=20`,
      runbookCommand: `sudo systemctl status ${p.unit}`,
    },
    { id: 'host_free', label: msg('memory (free -h)'), command: 'free -h', runbookCommand: 'free -h' },
    { id: 'host_df', label: msg('disk space (df -h)'), command: 'df -h', runbookCommand: 'df -h' },
    {
      id: 'host_ps', label: msg('gunicorn processes'),
      // the processes whose program (args' first word) is gunicorn (`gunicorn: worker [app]` once retitled) or a python
      // (pypy too): not every line naming them (an editor or tail on gunicorn.conf, a gunicorn_exporter, and this
      // diagnosis's own commands running beside ps, whose filters name both)
      command: `ps -eo user,pid,ppid,etime,rss,args | awk '$6 ~ "gunicorn[]:]*$" || $6 ~ "python[0-9.]*$" || $6 ~ "pypy[0-9.]*$"'`,
      runbookCommand: 'ps aux | grep python | grep gunicorn',
    },
    {
      id: 'host_smtp_conn', label: msg('connections to SMTP port {0}', port),
      // netstat only where ss is missing (not when ss found no connection: listing the sockets again costs as much);
      // `command -v`, a builtin, asks that without starting `ss -V`; where ss answered, the status is 0 as before
      command: `if command -v ss >/dev/null 2>&1; then ss -tan 2>/dev/null | grep -F -e ${shq(':' + port)} || test -n ss; else netstat -an 2>/dev/null | grep -F -e ${shq(':' + port)}; fi`,
      runbookCommand: `netstat -an | grep :${port}`,
    },
  ];
  const out: SourceDef[] = defs.map((d) => ({
    id: d.id, label: d.label,
    command: root ? `cat -- ${shq(`${root}/incident-lens/${d.id}.txt`)}` : d.command,
    runbookCommand: d.runbookCommand, sudo: !root && !!d.sudo, format: d.format ?? 'check', phase: d.phase ?? 'main',
    bundle: 'raw', bundleFile: `incident-lens/${d.id}.txt`, timeoutMs: Math.min(p.commandTimeoutMs, 20_000), maxBytes: 1024 * 1024,
    optional: d.id === 'host_smtp_conn',
  }));
  const r = root ?? '';
  const unitDirs = [p.unitDir, '/lib/systemd/system', '/usr/lib/systemd/system'].filter((d, k, a) => a.indexOf(d) === k);
  out.push({
    id: 'unit_file', label: msg('unit file {0} (WorkingDirectory, --timeout, log files)', unit),
    // names ending .service / .conf: never compressed (plain: grep, not zgrep)
    command: dumpFiles({ find: `${unitDirs.map((d) => shq(r + d)).join(' ')} -maxdepth 2 -type f '(' -name ${shq(unit)} -o -path ${shq(`*/${unit}.d/*.conf`)} ')'`, strip: r, plain: !/\.gz$/i.test(unit) }) + ' 2>/dev/null',
    runbookCommand: `systemctl cat ${p.unit}`, sudo: false, format: 'check', phase: 'probe', bundle: 'files',
    timeoutMs: 20_000, maxBytes: 256 * 1024,
  });
  // the app's mail settings (only these names: never EMAIL_HOST_PASSWORD) and Postfix's relay, read-only
  const settingsFind =
    `${shq(r + p.appDir)} -maxdepth 3 -type f '(' -name 'settings*.py' -o -path '*/settings/*.py' ')' -not -path '*/venv/*' -not -path '*/.venv/*' -not -path '*/site-packages/*'`;
  out.push({
    id: 'app_settings', label: msg("the app's mail settings (EMAIL_HOST, DEFAULT_FROM_EMAIL) and Postfix relayhost"),
    // a bundle: what collect stored, then what a folder laid out by hand holds at the host paths
    command:
      (root ? `cat -- ${shq(`${root}/incident-lens/app_settings.txt`)} 2>/dev/null; ` : '') +
      `find ${settingsFind} -print0 2>/dev/null | xargs -0 -r grep -H -E ${shq(SETTINGS_RE)} --; grep -H -E ${shq(MAINCF_RE)} ${shq(r + '/etc/postfix/main.cf')} 2>/dev/null; echo`,
    runbookCommand: `grep -R "EMAIL_" ${p.appDir}/*/settings*.py; postconf relayhost`,
    sudo: !root, format: 'check', phase: 'main', bundle: 'raw', bundleFile: 'incident-lens/app_settings.txt',
    timeoutMs: 20_000, maxBytes: 256 * 1024, optional: true,
  });
  out.push({
    id: 'nginx_site', label: msg('nginx site (proxy timeouts)'),
    // nginx.conf too: its log_format / access_log say how the access log is written
    // (a probe: it delays every source; site files are plain text, whatever their names: grep, zgrep only for a .gz)
    command: dumpFiles({ find: `-L ${[...p.nginxSiteDirs, '/etc/nginx/nginx.conf'].map((d) => shq(r + d)).join(' ')} -maxdepth 1 -type f`, strip: r, gzByName: true }),
    runbookCommand: 'grep -R "proxy_read_timeout\\|proxy_pass" /etc/nginx/sites-enabled/', sudo: false, format: 'check', phase: 'probe', bundle: 'files',
    timeoutMs: 20_000, maxBytes: 1024 * 1024, optional: true,
  });
  return out;
}
