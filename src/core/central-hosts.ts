/** Which app hosts a central log host holds (journal `_HOSTNAME`s and per-host folders of the syslog tree). */
import { centralHostsSource, DEFAULT_JOURNAL_DIR, DEFAULT_TREE_LAYOUT, parseCentralHosts, type PlaybookSource } from './catalogue';
import type { CommandRunner } from './exec';
import type { SourceResult } from './model';
import { runSource } from './source-run';
import { assertSafe, PATH_RE } from './shell';


export interface CentralHosts {
  hosts: { host: string; in: ('journal' | 'tree')[] }[];
  /** The probe's own result (status, advice when the store could not be read). */
  result: SourceResult;
}

export async function listCentralHosts(runner: CommandRunner, c: { journalDir?: string; treeLayout?: string } = {}, signal?: AbortSignal): Promise<CentralHosts> {
  const journalDir = assertSafe('journal folder', c.journalDir ?? DEFAULT_JOURNAL_DIR, PATH_RE);
  const treeLayout = c.treeLayout ?? DEFAULT_TREE_LAYOUT;
  assertSafe('tree layout', treeLayout.replace('{host}', 'h'), PATH_RE);
  const src: PlaybookSource = { ...centralHostsSource({ journalDir, treeLayout }), parse: () => [] };
  const run = await runSource(runner, src, { window: { since: new Date(0), until: new Date(1000), tz: 'UTC' }, requestSlackMs: 0, isSendPost: () => false }, signal);
  return { hosts: parseCentralHosts(run.output ?? ''), result: run.result };
}
