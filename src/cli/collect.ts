// `incident-lens collect`: the window's logs from a host into a bundle folder that `diagnose --root` replays.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { collectBundle } from '../core/index';
import { COLLECT_USAGE, parseArgs } from './args';
import { EXIT_OK, failure, openRunner, progressPrinter, requestFrom } from './common';
import { interruptedExit, interruptSignal, onInterrupt } from './interrupt';
import { t } from '../core/l10n';
import { CLI_LANG } from './lang';

export async function runCollect(argv: string[]): Promise<number> {
  let runnerClose: (() => Promise<void>) | undefined;
  let unregister: (() => void) | undefined;
  try {
    const o = parseArgs(argv, 'collect');
    if (o.help) {
      process.stdout.write(COLLECT_USAGE + '\n');
      return EXIT_OK;
    }
    const req = requestFrom(o);
    const out = resolve(o.out!);
    const p = progressPrinter();
    const { runner, target } = await openRunner(o, p.stage);
    runnerClose = () => runner.close();
    unregister = onInterrupt(runnerClose);
    const bundle = await collectBundle(runner, req, { onStage: p.stage, onSource: p.source, signal: interruptSignal });
    const stopped = interruptedExit();
    if (stopped !== undefined) return stopped; // interrupted: no half bundle
    bundle.manifest.target = target;
    for (const f of bundle.files) {
      const path = join(out, f.path);
      if (!path.startsWith(out + '/')) continue;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.path === 'manifest.json' ? JSON.stringify(bundle.manifest, null, 2) + '\n' : f.content);
    }
    process.stderr.write(`${t(CLI_LANG, 'bundle written to {0} ({1} files)', out, bundle.files.length)}\n`);
    return EXIT_OK;
  } catch (e) {
    return failure(e, 'collect');
  } finally {
    unregister?.();
    await runnerClose?.().catch(() => undefined);
  }
}
