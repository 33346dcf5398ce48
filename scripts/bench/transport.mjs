// Bench: SSH transport against the real test host (Debian sshd on 127.0.0.1): connect time, and
// 10 commands on one connection run sequentially vs in parallel (channels), plus the same on a
// MaxSessions=3 host (the limit is learnt from "open failed" and commands are queued, not failed).
import { tsImport } from 'tsx/esm/api';
import { require as tsRequire } from 'tsx/cjs/api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const load = (p) => tsImport(p, import.meta.url);
const { connectSsh } = await load('../../src/transport/index.ts');
// loaded as CommonJS so that testHost.ts finds testhost.sh through __dirname
const { startTestHost } = tsRequire('../../test/host/testHost.ts', import.meta.url);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;
const dir = mkdtempSync(join(tmpdir(), 'il-bench-transport-'));
const sshConfigFile = join(dir, 'ssh_config');
writeFileSync(sshConfigFile, '');
const optionsFor = (host) => ({
  target: `deploy@127.0.0.1:${host.port}`,
  identityFile: host.sudoUser.privateKey,
  knownHostsFiles: [host.knownHosts],
  sshConfigFile,
  useAgent: false,
});

async function timed(f) {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

async function seqVsPar(runner, command, rounds) {
  const seq = [];
  const par = [];
  for (let i = 0; i < rounds; i++) {
    seq.push(await timed(async () => { for (let j = 0; j < 10; j++) await runner.run(command); }));
    par.push(await timed(() => Promise.all(Array.from({ length: 10 }, () => runner.run(command)))));
  }
  return { seq: median(seq), par: median(par), seqRange: [Math.min(...seq), Math.max(...seq)], parRange: [Math.min(...par), Math.max(...par)] };
}

const host = startTestHost();
const small = startTestHost({ maxSessions: 3 });
try {
  const connects = [];
  for (let i = 0; i < 10; i++) {
    let r;
    connects.push(await timed(async () => { r = await connectSsh(optionsFor(host)); }));
    await r.close();
  }
  console.log(`connect (TCP + handshake + host key check + publickey auth), median of 10: ${ms(median(connects))} (min ${ms(Math.min(...connects))}, max ${ms(Math.max(...connects))})`);

  const runner = await connectSsh(optionsFor(host));
  for (const [label, cmd] of [
    ['trivial command (cat /etc/hostname)', 'cat /etc/hostname'],
    ['50 ms of remote work (sleep 0.05)', 'sleep 0.05'],
  ]) {
    const { seq, par, seqRange, parRange } = await seqVsPar(runner, cmd, 5);
    console.log(`10 x ${label} on one connection, median of 5: sequential ${ms(seq)} [${ms(seqRange[0])}–${ms(seqRange[1])}], parallel ${ms(par)} [${ms(parRange[0])}–${ms(parRange[1])}], ratio ${(seq / par).toFixed(2)}x`);
  }
  await runner.close();

  const limited = await connectSsh(optionsFor(small));
  const { seq, par } = await seqVsPar(limited, 'sleep 0.05', 3);
  console.log(`MaxSessions=3 host, 10 x sleep 0.05: sequential ${ms(seq)}, parallel (3 channels learnt) ${ms(par)}, ratio ${(seq / par).toFixed(2)}x`);
  await limited.close();
} finally {
  host.stop();
  small.stop();
  rmSync(dir, { recursive: true, force: true });
}
