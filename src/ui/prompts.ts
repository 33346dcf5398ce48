// The SSH transport's questions, asked the VS Code way: the host-key decision is a modal with the SHA256
// fingerprint; passphrases and passwords use password inputs and are stored in SecretStorage only when the
// user opted in (incidentLens.rememberPasswords). No secret is ever logged.
import * as vscode from 'vscode';
import type { Prompts } from '../transport/index';
import { StateKeys } from '../shared/ids';

const KEY = (kind: string, id: string) => `incidentLens.${kind}:${id}`;

export interface SecretPrompts extends Prompts {
  /** Secrets typed during this connection, stored once the connection succeeded (opt-in). */
  commit(): Promise<void>;
  /** Forgets what was stored for this connection (after an authentication failure). */
  forgetTyped(): Promise<void>;
}

const INDEX = StateKeys.storedSecrets;

export function vscodePrompts(secrets: vscode.SecretStorage, remember: boolean, index: vscode.Memento, signal?: AbortSignal): SecretPrompts {
  // a cancelled run closes its open password box (the box would otherwise keep the run waiting)
  const cts = new vscode.CancellationTokenSource();
  signal?.addEventListener('abort', () => cts.cancel(), { once: true });
  const typed = new Map<string, string>();
  const stored = new Set<string>();

  async function secret(kind: string, id: string, prompt: string): Promise<string | undefined> {
    const key = KEY(kind, id);
    if (remember) {
      if (stored.has(key)) {
        // asked again after the stored one was served: it was wrong (changed on the host) — forget it, ask
        await secrets.delete(key);
      } else {
        const s = await secrets.get(key);
        if (s !== undefined) {
          stored.add(key);
          return s;
        }
      }
    }
    const v = await vscode.window.showInputBox({ prompt, password: true, ignoreFocusOut: true, title: 'Incident Lens' }, cts.token);
    if (v !== undefined && remember) typed.set(key, v);
    return v;
  }

  return {
    async confirmHostKey(info) {
      const accept = vscode.l10n.t('Trust and Connect');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t("The authenticity of host '{0}' (port {1}) can't be established.", info.host, String(info.port)),
        {
          modal: true,
          detail: vscode.l10n.t(
            '{0} key fingerprint is {1}.\nCompare it with the one the host administrator gives you (ssh-keygen -lf /etc/ssh/ssh_host_{2}_key.pub on the host).\nTrusting adds it to {3}.',
            info.keyType,
            info.fingerprint,
            info.keyType.replace(/^ssh-/, '').replace(/^ecdsa-sha2-.*/, 'ecdsa'),
            info.knownHostsFile,
          ),
        },
        accept,
      );
      return answer === accept;
    },
    passphrase: (keyFile) => secret('passphrase', keyFile, vscode.l10n.t('Passphrase for the SSH key {0}', keyFile)),
    password: (userAtHost) => secret('password', userAtHost, vscode.l10n.t('SSH password for {0}', userAtHost)),
    async keyboardInteractive(_name, instructions, prompts) {
      const answers: string[] = [];
      for (const p of prompts) {
        const v = await vscode.window.showInputBox({ prompt: `${instructions ? instructions + ' — ' : ''}${p.prompt}`, password: !p.echo, ignoreFocusOut: true }, cts.token);
        if (v === undefined) return undefined;
        answers.push(v);
      }
      return answers;
    },
    sudoPassword: (userAtHost) =>
      secret('sudo', userAtHost, vscode.l10n.t('sudo password of {0} (root-only sources: dmesg, protected logs). Escape skips them.', userAtHost)),
    async commit() {
      if (!typed.size) return;
      for (const [k, v] of typed) await secrets.store(k, v);
      const keys = new Set(index.get<string[]>(INDEX) ?? []);
      typed.forEach((_v, k) => keys.add(k));
      await index.update(INDEX, [...keys]);
      typed.clear();
    },
    async forgetTyped() {
      for (const k of stored) await secrets.delete(k);
      typed.clear();
    },
  };
}

/** "Forget Stored Passwords": deletes every secret Incident Lens stored. Returns how many. */
export async function forgetAllSecrets(secrets: vscode.SecretStorage, index: vscode.Memento): Promise<number> {
  const keys = index.get<string[]>(INDEX) ?? [];
  for (const k of keys) await secrets.delete(k);
  await index.update(INDEX, []);
  return keys.length;
}
