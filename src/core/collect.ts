/**
 * `collect`: the window's logs as a bundle that `--root` can read back. Pure: returns the files to write
 * (host paths, journal.export, kernel.export, incident-lens/<check>.txt, manifest.json); the CLI writes them.
 */
import type { CommandRunner } from './exec';
import { DiagnoseHooks, DiagnoseRequest, pool, prepare } from './diagnose';
import { splitByFile } from './parse/text';
import { runSource } from './source-run';
import { isoInZone } from './time';
import type { PlaybookSource } from './catalogue';

export interface BundleFile {
  /** Relative path inside the bundle folder (no leading slash). */
  path: string;
  content: string;
}

export interface Bundle {
  files: BundleFile[];
  manifest: {
    tool: 'incident-lens';
    version: 1;
    target: string;
    createdAt: string;
    window: { since: string; until: string; tz: string };
    profile: object;
    commands: { id: string; command: string; status: string; files: string[] }[];
  };
}

function filesOf(src: PlaybookSource, output: string): BundleFile[] {
  if (src.bundle === 'files') {
    const out: BundleFile[] = [];
    for (const [path, lines] of splitByFile(output)) {
      const rel = path.replace(/^\/+/, '').replace(/\.gz$/, '');
      if (!rel || rel.split('/').includes('..')) continue;
      out.push({ path: rel, content: lines.join('\n').replace(/\n*$/, '\n') });
    }
    return out;
  }
  return [{ path: src.bundleFile ?? `incident-lens/${src.id}.txt`, content: output }];
}

export async function collectBundle(runner: CommandRunner, req: DiagnoseRequest, hooks: DiagnoseHooks = {}): Promise<Bundle> {
  const prep = await prepare(runner, req, hooks);
  const pw = { window: prep.window, requestSlackMs: 0, isSendPost: () => false };
  const files: BundleFile[] = [];
  const commands: Bundle['manifest']['commands'] = [];
  const record = (src: PlaybookSource, command: string, status: string, output: string | undefined) => {
    const fs = output !== undefined && status !== 'missing' && status !== 'denied' ? filesOf(src, output) : [];
    files.push(...fs);
    commands.push({ id: src.id, command, status, files: fs.map((f) => f.path) });
  };
  const all = [...prep.sources];
  for (const p of prep.probes) {
    const def = { id: p.result.id, bundle: p.result.id === 'host_tz' ? 'raw' : 'files', bundleFile: `incident-lens/${p.result.id}.txt` } as PlaybookSource;
    record(def, p.result.command, p.result.status, p.output);
  }
  await pool(all, hooks.maxParallel ?? 8, async (src) => {
    const s = src.collectCommand ? { ...src, command: src.collectCommand, format: 'check' as const } : src;
    const r = await runSource(runner, s, pw, hooks.signal, true);
    hooks.onSource?.(r.result);
    record(src, s.command, r.result.status, r.output);
  });
  // several sources may name the same file (e.g. syslog rotations): keep the longest content
  const byPath = new Map<string, BundleFile>();
  for (const f of files) {
    const prev = byPath.get(f.path);
    if (!prev || f.content.length > prev.content.length) byPath.set(f.path, f);
  }
  const manifest: Bundle['manifest'] = {
    tool: 'incident-lens',
    version: 1,
    target: runner.describe(),
    createdAt: new Date().toISOString(),
    window: { since: isoInZone(prep.window.since, prep.window.tz), until: isoInZone(prep.window.until, prep.window.tz), tz: prep.window.tz },
    profile: prep.profile,
    commands,
  };
  return { files: [...byPath.values(), { path: 'manifest.json', content: JSON.stringify(manifest, null, 2) + '\n' }], manifest };
}
