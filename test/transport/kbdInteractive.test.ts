// keyboard-interactive (PAM) authentication against a real sshd with KbdInteractiveAuthentication yes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { connectSsh } from '../../src/transport/index';
import { hostOptions, logOffset, logSince, rejectsWith, useTestHost } from './helpers';


const ssh = useTestHost({ env: { TESTHOST_KBD_INTERACTIVE: 'yes' } });

test('keyboard-interactive: the server prompts reach the injected prompt and the answer logs in', async () => {
  const seen: { prompt: string; echo: boolean }[][] = [];
  const logs: string[] = [];
  const offset = logOffset(ssh.host);
  const r = await connectSsh(
    hostOptions(ssh.host, ssh.dir, 'auditor', {
      identityFile: join(ssh.dir, 'no-such-key'),
      log: (l) => logs.push(l),
      prompts: {
        confirmHostKey: async () => false,
        keyboardInteractive: async (_name, _instructions, prompts) => {
          seen.push(prompts);
          return prompts.map(() => ssh.host.passwordSudoUser.password);
        },
      },
    }),
  );
  try {
    assert.equal((await r.run('id -un')).stdout, 'auditor\n');
  } finally {
    await r.close();
  }
  assert.ok(seen.length >= 1);
  assert.match(seen[0][0].prompt, /password/i);
  assert.equal(seen[0][0].echo, false);
  assert.match(logSince(ssh.host, offset), /Accepted keyboard-interactive\/pam for auditor/);
  assert.ok(!logs.join('\n').includes(ssh.host.passwordSudoUser.password));
});

test('keyboard-interactive with a wrong answer → AUTH_FAILED', async () => {
  const o = hostOptions(ssh.host, ssh.dir, 'auditor', {
    identityFile: join(ssh.dir, 'no-such-key'),
    prompts: { confirmHostKey: async () => false, keyboardInteractive: async (_n, _i, prompts) => prompts.map(() => 'wrong') },
  });
  await rejectsWith(connectSsh(o), 'AUTH_FAILED');
});
