// Run in Terminal: an ssh terminal to the same host, with the same key and known_hosts, host keys strictly
// checked, and the source's exact command (with sudo when it needed root) waiting at a prompt, not executed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { prefilled, terminalCommand } from '../../../src/ui/terminalCommand';
import { api, seedDiagnosis, testHostSettings, waitFor } from './helpers';
import { Commands } from '../../../src/shared/commands';

suite('Run in Terminal', () => {
  test('opens ssh to the diagnosed host with its key, known_hosts and strict host-key checking', async () => {
    const a = await api();
    const d = await seedDiagnosis(a);
    const s = testHostSettings();
    const source = d.sources.find((x) => x.id === 'nginx_error')!;
    const before = new Set(vscode.window.terminals);
    await vscode.commands.executeCommand(Commands.runInTerminal, { source: source.id });
    const t = await waitFor('the new terminal', () => vscode.window.terminals.find((x) => !before.has(x) && x.name.startsWith('Incident Lens: ')));
    try {
      assert.equal(t.name, `Incident Lens: ${s.target}`);
      const o = t.creationOptions as vscode.TerminalOptions;
      assert.equal(o.shellPath, 'ssh');
      const args = (o.shellArgs ?? []) as string[];
      const m = /^(.+)@(.+):(\d+)$/.exec(s.target)!;
      assert.deepEqual(args.slice(args.indexOf('-p'), args.indexOf('-p') + 2), ['-p', m[3]]);
      assert.deepEqual(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2), ['-i', s.identityFile]);
      assert.ok(args.includes(`UserKnownHostsFile=${s.knownHostsFile}`));
      assert.ok(args.includes('StrictHostKeyChecking=yes'), 'a terminal never accepts an unknown key silently');
      assert.ok(args.includes('-t'), 'a tty for the prompt');
      assert.equal(args[args.length - 2], `${m[1]}@${m[2]}`);
      // the command waits pre-filled at its own prompt (test/engine/terminal.test.ts runs that line for real)
      assert.equal(args[args.length - 1], prefilled(terminalCommand(source)));
      assert.ok(source.sudo, 'nginx_error is root-only on the host: the typed command uses sudo');
      assert.match(terminalCommand(source), /^sudo sh -c '/);
    } finally {
      t.dispose();
    }
  });
});
