// End to end in French: the second code-server instance (locale fr, French display language installed by
// test/vscode/french/index.ts) driven by Debian's chromium. The palette's French "Diagnostiquer l'incident d'envoi de
// mails" against the real test host fills the "Sources de logs" view with "Verdict : …". Expected strings come from
// the project's own French files (package.nls.fr.json, l10n/bundle.l10n.fr.json). Screenshot: tree-verdict-fr.png.
// Writes $INCIDENT_LENS_TAP_DIR/vscode-e2e-french.tap. Every wait polls a condition.
//   node test/vscode/e2e-french.mjs --url http://127.0.0.1:PORT --folder WORKSPACE [--shots DIR]
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { e2eSession, T, workbench } from './workbenchPage.mjs';

const session = await e2eSession('e2e-french', 'e2e-french.mjs --url http://127.0.0.1:PORT --folder WORKSPACE [--shots DIR]');
const { o, page, shot, tap } = session;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const nls = JSON.parse(readFileSync(join(root, 'package.nls.fr.json'), 'utf8'));
const l10n = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.fr.json'), 'utf8'));
const fr = (en) => {
  if (!l10n[en]) throw new Error(`no French for "${en}" in l10n/bundle.l10n.fr.json`);
  return l10n[en];
};
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
  await session.close();
}
session.done();
