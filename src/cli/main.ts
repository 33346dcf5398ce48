// incident-lens command line: dispatches to the subcommands (one file each).
import { runAnalyze } from './analyze';
import { runCollect } from './collect';
import { runDiagnose } from './diagnose';
import { runFix } from './fix';
import { installSignalHandlers, interruptedExit } from './interrupt';
import { drained, quietOnEpipe } from './stdout';
import { runFollow } from './follow';
import { t } from '../core/l10n';
import { CLI_LANG } from './lang';
import { errorText } from './common';

const USAGE = t(CLI_LANG, `usage: incident-lens <command> [options]

  diagnose   diagnose an interrupted send on a host (--host/--ssh) or a collected bundle (--root)
  collect    copy the window's logs from a host into a bundle folder
  follow     follow the host's logs live (journalctl -f, tail -F), classified as lines arrive
  analyze    list the send calls of batch loops in Python files
  fix        patch a Python file (try-except | logging | progress)

incident-lens <command> --help for its options.`);

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  diagnose: runDiagnose,
  collect: runCollect,
  analyze: runAnalyze,
  fix: runFix,
  follow: runFollow,
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const run = cmd ? commands[cmd] : undefined;
  if (run) return run(rest);
  process.stderr.write(USAGE + '\n');
  return cmd === 'help' || cmd === '--help' || cmd === '-h' ? 0 : 2;
}

quietOnEpipe();
installSignalHandlers((signal) => t(CLI_LANG, 'incident-lens: {0}: stopping the commands on the host', signal));
// exit only once stdout reached its reader: a pipe gets the whole report, however slow the reader
main(process.argv.slice(2)).then(
  (code) => drained().then(() => process.exit(interruptedExit() ?? code)),
  (e) => {
    process.stderr.write(`incident-lens: ${errorText(e)}\n`);
    void drained().then(() => process.exit(1));
  },
);
