// Realistic Diagnosis objects for the lens tests: produced by the project's own engine (dist/cli.js diagnose
// --root on the fixture hosts, unmasked as the extension holds it) when it runs, else the snapshot of that output saved in test/server/fixtures;
// either JSON read back into the model (its label/labelFr… texts as messages again: l10n.ts textsFromJson).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnosis } from '../../src/core/model';
import { textsFromJson } from '../../src/core/l10n';

const ROOT = join(__dirname, '..', '..');

const CASES = {
  'smtp-rate-limit': { host: 'cause-smtp-rate-limit', at: '2025-02-11 21:31' },
  'seed-incident': { host: 'seed-incident', at: '2025-01-15 22:20' },
  'rate-via-postfix': { host: 'real-rate-gmail-via-postfix', at: '2025-03-02 21:00' },
  'root-mail-after-302': { host: 'real-trap-root-mail-after-302', at: '2025-03-02 21:00' },
} as const;

export type DiagnosisCase = keyof typeof CASES;

export function loadDiagnosis(name: DiagnosisCase): { diagnosis: Diagnosis; from: 'engine' | 'snapshot' } {
  const c = CASES[name];
  const cli = join(ROOT, 'dist', 'cli.js');
  const root = join(ROOT, 'test', 'fixtures', 'hosts', c.host);
  if (existsSync(cli) && existsSync(root)) {
    const r = spawnSync(process.execPath, [cli, 'diagnose', '--root', root, '--at', c.at, '--before', '5m', '--after', '10m', '--tz', 'Europe/Paris', '--format', 'json', '--no-redact'], { encoding: 'utf8' });
    if (r.status === 0) {
      try {
        const d = textsFromJson(JSON.parse(r.stdout) as Diagnosis);
        if (d.sources?.length && d.causes) return { diagnosis: d, from: 'engine' };
      } catch {
        // fall back to the snapshot
      }
    }
  }
  return { diagnosis: textsFromJson(JSON.parse(readFileSync(join(__dirname, 'fixtures', `diagnosis-${name}.json`), 'utf8')) as Diagnosis), from: 'snapshot' };
}
