// The transport bundles with esbuild exactly as scripts/build.mjs does (ssh2's native parts external)
// and the bundle, loaded by plain node, connects to the real test host and runs a command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { emptySshConfig, useTestHost } from './helpers';


const ssh = useTestHost();

test('esbuild bundle of src/transport loads in node and connects (pure-JS ssh2)', async () => {
  const out = join(ssh.dir, 'transport.js');
  await esbuild.build({
    entryPoints: [resolve(__dirname, '../../src/transport/index.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    external: ['vscode', 'cpu-features', '*.node'],
  });
  const script = join(ssh.dir, 'use.js');
  writeFileSync(
    script,
    `const t = require(${JSON.stringify(out)});
     t.connectSsh(${JSON.stringify({
       target: `deploy@127.0.0.1:${ssh.host.port}`,
       identityFile: ssh.host.sudoUser.privateKey,
       knownHostsFiles: [ssh.host.knownHosts],
       sshConfigFile: emptySshConfig(ssh.dir),
       useAgent: false,
     })}).then(async (r) => { const res = await r.run('echo bundled-ok'); await r.close(); process.stdout.write(res.stdout); })
       .catch((e) => { console.error(e.code, e.message); process.exit(1); });`,
  );
  // run from the temp dir so nothing resolves through the repo's node_modules except what was bundled
  const stdout = execFileSync(process.execPath, [script], { cwd: ssh.dir, encoding: 'utf8', timeout: 20000 });
  assert.equal(stdout, 'bundled-ok\n');
});
