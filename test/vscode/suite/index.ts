// Loaded by the extension host through extensionTestsPath (code-server's workbench payload, or @vscode/test-electron):
// runs every *.test.js next to it with mocha (TDD) and writes $INCIDENT_LENS_TAP_DIR/vscode-integration.tap.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface Outcome {
  title: string;
  ok: boolean;
  skipped?: boolean;
  error?: string;
  ms?: number;
}

function tap(outcomes: Outcome[]): string {
  const lines = ['TAP version 13'];
  outcomes.forEach((o, i) => {
    const title = o.title.replace(/#/g, '\\#');
    lines.push(`${o.ok ? 'ok' : 'not ok'} ${i + 1} - ${title}${o.skipped ? ' # SKIP' : ''}`);
    if (o.ms !== undefined || o.error) {
      lines.push('  ---');
      if (o.ms !== undefined) lines.push(`  duration_ms: ${o.ms}`);
      if (o.error) lines.push('  error: |', ...o.error.split('\n').map((l) => `    ${l}`));
      lines.push('  ...');
    }
  });
  const pass = outcomes.filter((o) => o.ok && !o.skipped).length;
  const skip = outcomes.filter((o) => o.skipped).length;
  lines.push(`1..${outcomes.length}`, `# tests ${outcomes.length}`, `# pass ${pass}`, `# fail ${outcomes.length - pass - skip}`, `# skip ${skip}`);
  return lines.join('\n') + '\n';
}

export function run(): Promise<void> {
  return runSuites(__dirname, 'vscode-integration');
}

/** Runs every *.test.js of `dir` with mocha (TDD) and writes $INCIDENT_LENS_TAP_DIR/<tapName>.tap. */
export function runSuites(dir: string, tapName: string): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000, reporter: 'spec' });
  if (process.env.INCIDENT_LENS_VSCODE_GREP) mocha.grep(process.env.INCIDENT_LENS_VSCODE_GREP);
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));

  const outcomes: Outcome[] = [];
  const tapDir = process.env.INCIDENT_LENS_TAP_DIR;
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (tapDir) {
        fs.mkdirSync(tapDir, { recursive: true });
        fs.writeFileSync(path.join(tapDir, `${tapName}.tap`), tap(outcomes));
      }
      if (failures) reject(new Error(`${failures} VS Code integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => outcomes.push({ title: t.fullTitle(), ok: true, ms: t.duration }));
    runner.on('pending', (t) => outcomes.push({ title: t.fullTitle(), ok: true, skipped: true }));
    runner.on('fail', (t, err: Error) => outcomes.push({ title: t.fullTitle(), ok: false, error: err?.stack ?? String(err) }));
  });
}
