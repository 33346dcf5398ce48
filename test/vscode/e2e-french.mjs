// End to end in French: the second code-server instance (locale fr, French display language installed by
// test/vscode/french/index.ts) driven by Debian's chromium. The palette's French "Diagnostiquer l'incident d'envoi de
// mails" against the real test host fills the "Sources de logs" view with "Verdict : …". Expected strings come from
// the project's own French files (package.nls.fr.json, l10n/bundle.l10n.fr.json). Screenshot: tree-verdict-fr.png.
// Writes $INCIDENT_LENS_TAP_DIR/vscode-e2e-french.tap. Every wait polls a condition.
//   node test/vscode/e2e-french.mjs --url http://127.0.0.1:PORT --folder WORKSPACE [--shots DIR]
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from './browser.mjs';
import { TapSteps } from './tapSteps.mjs';
import { T, workbench } from './workbenchPage.mjs';

const { values: o } = parseArgs({
  options: {
    url: { type: 'string' },
    folder: { type: 'string' },
    shots: { type: 'string', default: process.env.INCIDENT_LENS_SCREENSHOTS },
    date: { type: 'string', default: '2025-01-15' },
    time: { type: 'string', default: '22:20' },
  },
});
if (!o.url || !o.folder) {
  console.error('usage: e2e-french.mjs --url http://127.0.0.1:PORT --folder WORKSPACE [--shots DIR]');
  process.exit(2);
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const nls = JSON.parse(readFileSync(join(root, 'package.nls.fr.json'), 'utf8'));
const l10n = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.fr.json'), 'utf8'));
const fr = (en) => {
  if (!l10n[en]) throw new Error(`no French for "${en}" in l10n/bundle.l10n.fr.json`);
  return l10n[en];
};
const shots = resolve(o.shots ?? join(process.env.INCIDENT_LENS_TAP_DIR ?? tmpdir(), 'screenshots'));
mkdirSync(shots, { recursive: true });

const profile = mkdtempSync(join(tmpdir(), 'incident-lens-chromium-'));
const ctx = await launchChromium(profile, { width: 1600, height: 900 });
const page = ctx.pages()[0] ?? (await ctx.newPage());
page.on('pageerror', (e) => console.log('[page error]', e.message.slice(0, 300)));
const shot = (name) => page.screenshot({ path: join(shots, name) });
const tap = new TapSteps('vscode-e2e-french', () => shot('e2e-french-failure.png'));
const wb = workbench(page, { viewName: nls['view.sources'] });

try {
  await tap.step(`the French workbench shows the "${nls['view.sources']}" view`, async () => {
    await wb.open(o.url, o.folder);
    await wb.widenSidebar(560);
  });

  await tap.step(`"${nls['command.diagnose']}" from the palette: 4 French steps`, async () => {
    await wb.diagnoseSteps(nls['command.diagnose'], { host: /deploy@127\.0\.0\.1:\d+/, date: o.date, time: o.time });
  });

  await tap.step('the tree fills in French: "Verdict : Timeout HTTP …" first, then the sources and the host checks', async () => {
    const verdict = fr('Verdict: {0}').replace('{0}', fr('HTTP timeout (worker or proxy killed the long request)'));
    await wb.view.locator('.monaco-list-row').first().filter({ hasText: verdict }).waitFor({ timeout: T(2) });
    await wb.row(fr('Host checks')).waitFor({ timeout: T(0.25) });
    await wb.row('journald').waitFor({ timeout: T(0.25) });
    await page.locator('.notification-toast', { hasText: 'Incident Lens —' }).waitFor({ state: 'detached', timeout: T(1) });
    await shot('tree-verdict-fr.png');
  });
} finally {
  await ctx.close().catch(() => undefined);
  rmSync(profile, { recursive: true, force: true });
}
tap.write();
console.log(`screenshots in ${shots}`);
process.exit(tap.failed ? 1 : 0);
