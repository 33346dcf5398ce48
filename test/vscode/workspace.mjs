// Writes a workspace for the VS Code host: a COPY of samples/aquademie (the repo's sample is never touched) with
// .vscode/settings.json pointing Incident Lens at a test host, or (no --host) a README on diagnosing the seed
// incident as a collected bundle.
//   node test/vscode/workspace.mjs DEST [--host user@127.0.0.1:PORT --identity KEY --known-hosts FILE] [--bundle DIR]
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function writeWorkspace(dest, { host = '', identity = '', knownHosts = '', bundle = join(root, 'test', 'fixtures', 'hosts', 'seed-incident') } = {}) {
  mkdirSync(dest, { recursive: true });
  cpSync(join(root, 'samples', 'aquademie'), dest, { recursive: true, filter: (src) => !/(^|\/)__pycache__(\/|$)|\.pyc$/.test(src) });
  const settings = {
    // code-server's "application running on port … is available" toasts (sshd of the test host) are noise here
    'remote.autoForwardPorts': false,
    'incidentLens.host': host,
    'incidentLens.identityFile': identity,
    'incidentLens.knownHostsFile': knownHosts,
    // no test host: the same incident as a collected bundle, read through the local transport; a bundle has no
    // host to ask its zone: the seed incident's
    ...(host ? {} : { 'incidentLens.bundleFolder': bundle, 'incidentLens.timezone': 'Europe/Paris' }),
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'telemetry.telemetryLevel': 'off',
  };
  mkdirSync(join(dest, '.vscode'), { recursive: true });
  writeFileSync(join(dest, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  if (!host) {
    writeFileSync(join(dest, 'INCIDENT-LENS.md'), [
      '# Incident Lens: the seed incident without a test host',
      '',
      'The test host (OpenSSH in private namespaces) could not start here, so no SSH target is configured:',
      `the workspace reads the same incident as a collected bundle instead (\`incidentLens.bundleFolder\` = \`${bundle}\`).`,
      '',
      '1. Command palette → **Incident Lens: Diagnose Mail Incident** (no host step: the bundle is used)',
      '2. Date `2025-01-15`, time `22:20` (Europe/Paris), default window.',
      '',
    ].join('\n'));
  }
  return dest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values: o, positionals } = parseArgs({
    allowPositionals: true,
    options: { host: { type: 'string' }, identity: { type: 'string' }, 'known-hosts': { type: 'string' }, bundle: { type: 'string' } },
  });
  if (positionals.length !== 1) {
    console.error('usage: workspace.mjs DEST [--host user@host:port --identity KEY --known-hosts FILE] [--bundle DIR]');
    process.exit(2);
  }
  console.log(writeWorkspace(resolve(positionals[0]), { host: o.host, identity: o.identity, knownHosts: o['known-hosts'], ...(o.bundle ? { bundle: o.bundle } : {}) }));
}
