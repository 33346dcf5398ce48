// Maps a path on the host (/var/www/aquademie/gestion/views.py, or wherever the unit says the app lives)
// to the workspace file that holds the same code: by the app folder setting, else by the longest trailing
// path that exists in a workspace folder, else by a search for the last two segments.
import * as vscode from 'vscode';
import { LIBRARY_PATH } from '../core/parse/traceback';
import { pathCandidates } from './inputRules';
import { profileSettings, workspaceAppFolder } from './settings';

const cache = new Map<string, vscode.Uri | null>();

export function clearPathCache(): void {
  cache.clear();
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File) !== 0;
  } catch {
    return false;
  }
}

export async function toWorkspace(hostPath: string): Promise<vscode.Uri | undefined> {
  if (cache.has(hostPath)) return cache.get(hostPath) ?? undefined;
  const found = await lookup(hostPath);
  cache.set(hostPath, found ?? null);
  return found;
}

async function lookup(hostPath: string): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!folders.length) return undefined;
  let appDir = '/var/www/aquademie';
  try {
    appDir = profileSettings().appDir;
  } catch {
    /* invalid settings are reported by the diagnosis */
  }
  const sub = workspaceAppFolder();
  // never a one-segment name on its own (views.py exists in every Django app)
  const usable = pathCandidates(hostPath, appDir);
  for (const rel of usable) {
    for (const f of folders) {
      const uri = vscode.Uri.joinPath(f.uri, ...(sub ? [sub] : []), rel);
      if (await exists(uri)) return uri;
    }
  }
  const tail = usable[usable.length - 1];
  if (!tail || LIBRARY_PATH.test(hostPath)) return undefined;
  const hits = await vscode.workspace.findFiles(`**/${tail}`, '**/{node_modules,.venv,venv,env,site-packages,.git}/**', 2);
  return hits.length === 1 ? hits[0] : undefined;
}

/** `file.py#L52`: VS Code opens the file with line 52 selected. */
export function withLine(uri: vscode.Uri, line: number): vscode.Uri {
  return uri.with({ fragment: `L${line}` });
}
