// Loaded by the extension host of the French code-server instance (test/vscode/run.sh starts it with `locale: fr`).
// VS Code only takes a display language that a language pack provides: the first load installs the test's own pack
// (test/vscode/frenchPack.mjs, $INCIDENT_LENS_FR_PACK) through VS Code's installer and reloads the window; after the
// reload the display language is French and the French suites run (TAP: vscode-french.tap).
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { runSuites } from '../suite/index';

export async function run(): Promise<void> {
  if (!vscode.env.language.startsWith('fr')) {
    const vsix = process.env.INCIDENT_LENS_FR_PACK;
    if (!vsix || !fs.existsSync(vsix)) throw new Error(`no French language pack to install (INCIDENT_LENS_FR_PACK=${vsix ?? ''})`);
    const marker = `${vsix}.installed`;
    if (fs.existsSync(marker)) throw new Error(`the French language pack is installed but VS Code's display language is still ${vscode.env.language}`);
    await vscode.commands.executeCommand('workbench.extensions.installExtension', vscode.Uri.file(vsix));
    fs.writeFileSync(marker, new Date().toISOString());
    console.log(`French display language installed from ${vsix}; reloading the window`);
    await vscode.commands.executeCommand('workbench.action.reloadWindow');
    return new Promise<void>(() => undefined); // this extension host ends with the reload; the next one runs the suites
  }
  return runSuites(__dirname, 'vscode-french');
}
