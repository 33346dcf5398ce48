// The same integration suite through @vscode/test-electron, for machines that can download VS Code (desktop CI):
// it downloads VS Code into .vscode-test/ (git-ignored) and runs out/vscode-test/suite/index.js in its extension
// host with this repo as the extension under development. Not used by default: this box cannot download VS Code,
// so test/vscode/run.sh runs the suite inside code-server (runExtTests.mjs). Select it with
// INCIDENT_LENS_VSCODE_RUNNER=electron bash test/vscode/run.sh   (which starts the test host and writes the workspace)
//   node test/vscode/electron.mjs --folder WORKSPACE [--version 1.100.3]
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: o } = parseArgs({ options: { folder: { type: 'string' }, version: { type: 'string', default: process.env.INCIDENT_LENS_VSCODE_VERSION ?? '1.100.3' } } });
if (!o.folder) {
  console.error('usage: electron.mjs --folder WORKSPACE [--version X.Y.Z]');
  process.exit(2);
}
try {
  await runTests({
    version: o.version,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out', 'vscode-test', 'suite', 'index.js'),
    launchArgs: [resolve(o.folder), '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    extensionTestsEnv: { INCIDENT_LENS_TAP_DIR: process.env.INCIDENT_LENS_TAP_DIR ?? '' },
  });
} catch (e) {
  console.error('integration tests failed:', e instanceof Error ? e.message : e);
  process.exit(1);
}
