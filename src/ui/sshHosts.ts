// Host aliases from ~/.ssh/config (or incidentLens.sshConfigFile), for the host step. Read-only, best effort.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `Host` names without wildcards, in file order (Include is not followed). */
export function sshConfigAliases(file = join(homedir(), '.ssh', 'config')): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*Host\s+(.+?)\s*$/i.exec(line);
    if (!m) continue;
    for (const name of m[1].split(/\s+/)) {
      if (!/[*?!]/.test(name) && !out.includes(name)) out.push(name);
    }
  }
  return out;
}
