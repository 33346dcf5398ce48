// The real test host as the integration tests see it: its connection details (run/connection.json, written by
// test/host/testhost.sh), its sshd log, a port nothing listens on, tree-item helpers for failure statuses.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { testHostSettings } from './helpers';

export interface HostInfo {
  dir: string;
  host: string;
  port: number;
  hostKeyFingerprint: string;
  knownHosts: string;
  sshdLog: string;
  sudoUser: { username: string; privateKey: string };
  passwordSudoUser: { username: string; privateKey: string };
}

/** $TESTHOST_DIR, from the workspace's incidentLens.identityFile ($TESTHOST_DIR/state/keys/deploy_ed25519). */
export function testHostInfo(): HostInfo {
  const key = testHostSettings().identityFile;
  const dir = path.dirname(path.dirname(path.dirname(key)));
  const c = JSON.parse(fs.readFileSync(path.join(dir, 'run', 'connection.json'), 'utf8')) as Omit<HostInfo, 'dir' | 'sshdLog'>;
  return { ...c, dir, sshdLog: path.join(dir, 'run', 'sshd.log') };
}

export function logOffset(file: string): number {
  return fs.statSync(file).size;
}

export function logSince(file: string, offset: number): string {
  return fs.readFileSync(file).subarray(offset).toString('utf8');
}

/** A TCP port on 127.0.0.1 that was free a moment ago (nothing listens on it). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A tree item's tooltip as given (Markdown source: code blocks verbatim, text escaped). */
export function rawTooltip(item: vscode.TreeItem): string {
  const t = item.tooltip;
  return typeof t === 'string' ? t : (t?.value ?? '');
}

/** The plain text of a tree item's tooltip (Markdown escapes of the text removed). */
export function tooltipText(item: vscode.TreeItem): string {
  return rawTooltip(item).replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
}

export function iconId(item: vscode.TreeItem): string | undefined {
  const i = item.iconPath as { id?: string } | undefined;
  return i?.id;
}
