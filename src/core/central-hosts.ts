/** Which app hosts a central log host holds (journal `_HOSTNAME`s and per-host folders of the syslog tree). */
import { centralHostsSource, DEFAULT_JOURNAL_DIR, DEFAULT_TREE_LAYOUT, parseCentralHosts, type CentralHostsListing, type PlaybookSource } from './catalogue';
import type { CommandRunner } from './exec';
import type { SourceResult } from './model';
import { runSource } from './source-run';
import { assertSafe, PATH_RE } from './shell';
import { msg } from './l10n';


export interface CentralHosts extends CentralHostsListing {
  /** The probe's own result (status, advice when the store could not be read). */
  result: SourceResult;
}

/** With `detect`, the usual tree roots are looked at too, and `treeRoot` says which one holds the hosts' folders. */
export async function listCentralHosts(runner: CommandRunner, c: { journalDir?: string; treeLayout?: string; detect?: boolean } = {}, signal?: AbortSignal): Promise<CentralHosts> {
  const journalDir = assertSafe(msg('journal folder'), c.journalDir ?? DEFAULT_JOURNAL_DIR, PATH_RE);
  const treeLayout = c.treeLayout ?? DEFAULT_TREE_LAYOUT;
  assertSafe(msg('tree layout'), treeLayout.replace('{host}', 'h'), PATH_RE);
  const src: PlaybookSource = { ...centralHostsSource({ journalDir, treeLayout }, !!c.detect), parse: () => [] };
  const run = await runSource(runner, src, { window: { since: new Date(0), until: new Date(1000), tz: 'UTC' }, requestSlackMs: 0, isSendPost: () => false }, signal);
  return { ...parseCentralHosts(run.output ?? ''), result: run.result };
}
