// The background job's code: the moved loop as a function (with per-batch try/except and progress logs added by
// the same fixes the editor offers), the management command that runs queued jobs, and its systemd units.
import type { Node } from 'web-tree-sitter';
import { findSends } from './analyze';
import type { AppLang } from './appLanguage';
import { applyOffsetEdits } from './edits';
import { progressBlocker, progressEdits } from './fixProgress';
import { tryExceptEdits } from './fixTryExcept';
import { indentOf, lineStartOf } from './layout';
import type { PythonParser } from './parser';
import { t } from '../core/l10n';

export interface JobPlan {
  args: string[];
  copies: Node[];
  imports: Node[];
  fromView: string[];
}

export interface JobSpec {
  text: string;
  plan: JobPlan;
  region: Node;
  name: string;
  unit: string;
  view: string;
  lang: AppLang;
  /** Package depth of the job module below the view's package: 1 = same package (tasks.py), 3 = management/commands. */
  depth: number;
  /** The project function the loop calls to send (kind helper), analysed as sending. */
  helper?: string;
  /** Where the job module will be: its imports of the app's modules (`from ... import mailing`) resolve from there. */
  file?: string;
}

export interface Job {
  /** Import lines the job needs at module level. */
  imports: string[];
  /** The job function (def ... to its end). */
  def: string;
}

/** The node's lines, re-indented from its own indent to `indent`. */
function moved(text: string, n: Node, indent: string): string {
  const own = indentOf(text, n);
  return text
    .slice(lineStartOf(text, n.startIndex), n.endIndex)
    .split('\n')
    .map((l) => (l.startsWith(own) ? indent + l.slice(own.length) : l))
    .join('\n');
}

function importLine(n: Node, depth: number): string {
  const one = n.text.split('\n').map((l) => l.trim()).join(' ');
  // `from .models import X` in the view's package: as many more dots as the job module is deeper.
  return one.replace(/^from (\.+)/, (_m, dots: string) => `from ${dots}${'.'.repeat(depth - 1)}`);
}

/** The job function with per-batch error handling and progress lines; undefined when the result does not parse. */
export function jobFunction(parser: PythonParser, s: JobSpec): Job | undefined {
  const u = s.unit;
  const imports = s.plan.imports.map((n) => importLine(n, s.depth));
  const body: string[] = [`${u}"""${t(s.lang, 'Bulk send moved out of the view {0} (Incident Lens): batches sent one by one, each failure logged, "batch k/n" progress.', s.view)}"""`];
  if (s.plan.fromView.length) body.push(`${u}from ${'.'.repeat(s.depth)}views import ${s.plan.fromView.join(', ')}`);
  for (const c of s.plan.copies) body.push(moved(s.text, c, u));
  body.push(moved(s.text, s.region, u));
  const def = `def ${s.name}(${s.plan.args.join(', ')}):\n${body.join('\n')}\n`;
  const head = `import logging\nimport smtplib\n${imports.join('\n')}\n\nlogger = logging.getLogger(__name__)\n\n\n`;
  // A stub lets the analysis see the project helper the loop calls as sending (cut off afterwards).
  const stub = s.helper && /^\w+$/.test(s.helper) ? `\n\ndef ${s.helper}(*args):\n${u}send_mail(*args)\n` : '';
  let module = head + def;
  for (let round = 0; round < 10; round++) {
    const next = fixOnce(parser, module + stub, s.lang, s.file ?? '');
    if (next === undefined) break;
    module = next.slice(0, next.length - stub.length);
  }
  const at = module.indexOf(`def ${s.name}(`);
  let fn = module.slice(at).replace(/\s*$/, '\n');
  const failed = /^\s*(failed_batches\w*) = \[\]/m.exec(fn)?.[1];
  if (failed) fn += `${u}return ${failed}\n`;
  const extra = module.slice(0, at).split('\n').filter((l) => /^(import|from) /.test(l));
  const parsed = parser.parse(`${extra.join('\n')}\n\n${fn}`);
  const bad = parsed.rootNode.hasError;
  parsed.delete();
  return bad ? undefined : { imports: extra, def: fn };
}

/** One fix step on the job module: try/except on an unprotected send, else a progress line; undefined when done. */
function fixOnce(parser: PythonParser, module: string, lang: AppLang, file: string): string | undefined {
  const tree = parser.parse(module);
  try {
    const sends = findSends(parser, tree, file);
    const open = sends.find((x) => !x.call.protected);
    if (open) return applyOffsetEdits(module, tryExceptEdits(module, tree, open, { lang }));
    const prog = sends.find((x) => !progressBlocker(x, tree));
    return prog ? applyOffsetEdits(module, progressEdits(module, tree, prog)) : undefined;
  } finally {
    tree.delete();
  }
}

/** The management command module: enqueue() for the view, the job, and a Command that runs the queued jobs. */
export function commandModule(job: Job, name: string, view: string, unitName: string): string {
  const std = ['json', 'logging', 'os', 'smtplib', 'time', 'uuid'];
  const imports = [...new Set([...std.map((m) => `import ${m}`), ...job.imports])];
  const plain = imports.filter((l) => l.startsWith('import ')).sort();
  const from = ['from django.conf import settings', 'from django.core.management.base import BaseCommand', ...imports.filter((l) => l.startsWith('from '))];
  return `"""Sends the bulk e-mails the view ${view} queued (written by Incident Lens).

The view records each send as a JSON file in MAIL_JOBS_DIR and answers at once; the systemd path unit
deploy/systemd/${unitName}.path starts this command when a file arrives (or run it by hand:
python manage.py ${name}). Each job sends its batches with per-batch error handling and "batch k/n" progress
logs; a job with failed batches is kept in MAIL_JOBS_DIR + "_incomplete" with the failed batch numbers.
"""
${plain.join('\n')}

${[...new Set(from)].join('\n')}

logger = logging.getLogger(__name__)

PROJECT_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
JOBS_DIR = getattr(settings, "MAIL_JOBS_DIR", os.path.join(PROJECT_DIR, "mail_jobs"))
KEPT_DIR = JOBS_DIR + "_incomplete"


def enqueue(*args):
    """Records one send (called by the view); the command started by systemd sends it."""
    os.makedirs(JOBS_DIR, exist_ok=True)
    job_id = "%s-%s" % (time.strftime("%Y%m%d-%H%M%S"), uuid.uuid4().hex[:8])
    tmp = os.path.join(JOBS_DIR, "." + job_id + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"args": list(args)}, fh)
    os.replace(tmp, os.path.join(JOBS_DIR, job_id + ".json"))
    logger.info("mail job %s queued", job_id)
    return job_id


${job.def}

def keep(job_id, job):
    """A job that did not fully go out is kept (outside JOBS_DIR, so that systemd does not start again and again)."""
    os.makedirs(KEPT_DIR, exist_ok=True)
    path = os.path.join(KEPT_DIR, job_id + ".json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(job, fh)
    return path


class Command(BaseCommand):
    help = "Sends the bulk e-mails queued by the view ${view}, one job file at a time."

    def handle(self, *args, **options):
        if not os.path.isdir(JOBS_DIR):
            return
        for entry in sorted(os.listdir(JOBS_DIR)):
            if not entry.endswith(".json"):
                continue
            job_id = entry[: -len(".json")]
            path = os.path.join(JOBS_DIR, entry)
            running = os.path.join(JOBS_DIR, "." + job_id + ".running")
            try:
                os.replace(path, running)  # claim the job: a second run skips it
            except FileNotFoundError:
                continue
            with open(running, encoding="utf-8") as fh:
                job = json.load(fh)
            logger.info("mail job %s started", job_id)
            try:
                failed = ${name}(*job["args"])
            except Exception:
                logger.exception("mail job %s stopped; kept in %s", job_id, keep(job_id, job))
                os.remove(running)
                continue
            if failed:
                job["failed"] = failed
                logger.warning("mail job %s: batches %s not sent; kept in %s", job_id, ", ".join(map(str, failed)), keep(job_id, job))
            else:
                logger.info("mail job %s done", job_id)
            os.remove(running)
`;
}

/** The systemd service (oneshot: runs the command) and the path unit that starts it when a job file arrives. */
export function systemdUnits(o: { project: string; command: string; view: string; appDir: string }): { name: string; text: string }[] {
  const base = `${o.project}-${o.command.split('_').join('-')}`;
  const service = `# Written by Incident Lens for review: nothing was installed on the host.
# Install: copy to /etc/systemd/system/, check User, WorkingDirectory and the app's Python, then
#   systemctl daemon-reload && systemctl enable --now ${base}.path
[Unit]
Description=${o.project}: bulk e-mail jobs queued by the view ${o.view}

[Service]
Type=oneshot
User=www-data
WorkingDirectory=${o.appDir}
ExecStart=${o.appDir}/venv/bin/python manage.py ${o.command}
`;
  const path = `# Written by Incident Lens for review: starts ${base}.service when the view queues a job.
[Unit]
Description=${o.project}: watch for bulk e-mail jobs (${o.view})

[Path]
DirectoryNotEmpty=${o.appDir}/mail_jobs
Unit=${base}.service

[Install]
WantedBy=multi-user.target
`;
  return [
    { name: `${base}.service`, text: service },
    { name: `${base}.path`, text: path },
  ];
}
