// Writes and packages a French display-language pack for the tests: a VS Code language pack (contributes.localizations
// for `fr`) with no translation of its own, so the workbench keeps its English strings while VS Code's display
// language — and vscode.env.language in the extension host — becomes `fr`, as with Microsoft's French pack. Nothing
// is downloaded (the Marketplace is not reachable): @vscode/vsce packages it locally.
//   node test/vscode/frenchPack.mjs OUT_DIR     → prints OUT_DIR/display-language-fr.vsix
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createVSIX } from '@vscode/vsce';

const out = resolve(process.argv[2] ?? '');
if (!process.argv[2]) {
  console.error('usage: frenchPack.mjs OUT_DIR');
  process.exit(2);
}
const dir = join(out, 'display-language-fr');
mkdirSync(join(dir, 'translations'), { recursive: true });
writeFileSync(join(dir, 'package.json'), JSON.stringify({
  name: 'display-language-fr',
  displayName: 'Français (Incident Lens tests)',
  description: "Makes VS Code's display language French for the Incident Lens tests; no translation of VS Code itself.",
  publisher: 'incident-lens-tests',
  version: '0.0.1',
  license: 'MIT',
  engines: { vscode: '^1.100.0' },
  categories: ['Language Packs'],
  files: ['translations/**', 'README.md', 'LICENSE'],
  contributes: {
    localizations: [{ languageId: 'fr', languageName: 'French', localizedLanguageName: 'Français', translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }],
  },
}, null, 2));
writeFileSync(join(dir, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
writeFileSync(join(dir, 'README.md'), '# Français (Incident Lens tests)\n\nDisplay language `fr` without translations, for the tests.\n');
writeFileSync(join(dir, 'LICENSE'), 'MIT\n');
const vsix = join(out, 'display-language-fr.vsix');
const log = console.log;
console.log = () => undefined; // vsce's progress lines: only the path goes to stdout
try {
  await createVSIX({ cwd: dir, packagePath: vsix, dependencies: false, allowMissingRepository: true, skipLicense: true });
} finally {
  console.log = log;
}
console.log(vsix);
