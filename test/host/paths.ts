/**
 * Where test/host is, found from this file's folder by walking up to the repository: the same answer when the
 * helpers run from source (tsx: test/host) and when the VS Code suites bundle them (out/vscode-test/suite).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function hostDir(from: string): string {
  for (let d = resolve(from); ; d = dirname(d)) {
    if (existsSync(join(d, 'test', 'host', 'testhost.sh'))) return join(d, 'test', 'host');
    if (existsSync(join(d, 'testhost.sh'))) return d;
    if (dirname(d) === d) throw new Error(`test/host/testhost.sh not found above ${from}`);
  }
}

export const HOST_DIR = hostDir(__dirname);
