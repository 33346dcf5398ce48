// keyboard-interactive (PAM) authentication against a real sshd with KbdInteractiveAuthentication yes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { connectSsh } from '../../src/transport/index';
import { startTestHost, type TestHost } from '../host/testHost';
import { hostOptions, logOffset, logSince, rejectsWith, tempDir } from './helpers';

let host: TestHost;
let dir: string;

before(() => {
  host = startTestHost({ env: { TESTHOST_KBD_INTERACTIVE: 'yes' } });
  dir = tempDir();
});
after(() => host?.stop());

test('keyboard-interactive: the server prompts reach the injected prompt and the answer logs in', async () => {
  const seen: { prompt: string; echo: boolean }[][] = [];
  const logs: string[] = [];
  const offset = logOffset(host);
  const r = await connectSsh(
    hostOptions(host, dir, 'auditor', {
      identityFile: join(dir, 'no-such-key'),
      log: (l) => logs.push(l),
      prompts: {
        confirmHostKey: async () => false,
        keyboardInteractive: async (_name, _instructions, prompts) => {
          seen.push(prompts);
          return prompts.map(() => host.passwordSudoUser.password);
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
  assert.match(logSince(host, offset), /Accepted keyboard-interactive\/pam for auditor/);
  assert.ok(!logs.join('\n').includes(host.passwordSudoUser.password));
});

test('keyboard-interactive with a wrong answer → AUTH_FAILED', async () => {
  const o = hostOptions(host, dir, 'auditor', {
    identityFile: join(dir, 'no-such-key'),
    prompts: { confirmHostKey: async () => false, keyboardInteractive: async (_n, _i, prompts) => prompts.map(() => 'wrong') },
  });
  await rejectsWith(connectSsh(o), 'AUTH_FAILED');
});
