// The extension under a French VS Code (code-server with `locale: fr` and a French display-language pack): it sees
// vscode.env.language 'fr', its contributions come from package.nls.fr.json, the tree and the report are French.
import * as assert from 'node:assert/strict';
import { RECOMMENDATIONS } from '../../../src/core/recommendations';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, children, diagnoseSeed, EXTENSION_ID, REPO_ROOT, SEED, testHostSettings } from '../suite/helpers';
import { closedPort } from '../suite/testHostInfo';
import { Commands } from '../../../src/shared/commands';
import { Views } from '../../../src/shared/ids';
import { render } from '../../../src/core/l10n';

const nlsFr = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.nls.fr.json'), 'utf8')) as Record<string, string>;
const l10nFr = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'l10n', 'bundle.l10n.fr.json'), 'utf8')) as Record<string, string>;

suite('French display language', () => {
  test("vscode.env.language is 'fr' in the extension host", () => {
    assert.equal(vscode.env.language, 'fr');
  });

  test('the contributions are French (package.nls.fr.json): view "Sources de logs", the Diagnose command', async () => {
    await api();
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { views: Record<string, { id: string; name: string }[]>; commands: { command: string; title: string | { value: string } }[] };
    };
    const view = Object.values(pkg.contributes.views).flat().find((v) => v.id === Views.sources);
    assert.equal(view?.name, nlsFr['view.sources']);
    assert.equal(view?.name, 'Sources de logs');
    const title = pkg.contributes.commands.find((c) => c.command === Commands.diagnose)?.title;
    assert.equal(typeof title === 'object' ? title.value : title, nlsFr['command.diagnose'], 'localized title (VS Code keeps {original, value})');
  });

  test('a diagnosis of the seed incident: "Verdict : …" first, French host checks, a French report', async () => {
    const a = await api();
    const d = await diagnoseSeed();
    assert.equal(d.verdict, SEED.verdict);
    const roots = await children(a);
    const verdictPrefix = l10nFr['Verdict: {0}'].replace('{0}', '');
    assert.equal(verdictPrefix, 'Verdict : ');
    assert.ok(roots[0].info.label.startsWith(verdictPrefix), roots[0].info.label);
    assert.equal(roots.find((r) => r.info.kind === 'checks')?.info.label, l10nFr['Host checks']);
    // sources by their French catalogue label, recommendations in French too
    const nginx = roots.find((r) => r.info.kind === 'source' && r.info.source === 'nginx_access');
    const fr = d.sources.find((x) => x.id === 'nginx_access')!;
    // count first ("3 lignes · …"), then the French name without its path
    assert.equal(nginx?.info.label, `${fr.events.length} lignes · ${render(fr.label, 'fr').replace(/\s+\/[^\s)]*/g, '')}`);
    assert.match(nginx!.info.label, /^\d+ lignes · journal d'accès nginx/);
    const recs = roots.find((r) => r.info.kind === 'recommendations');
    assert.equal(recs?.info.label, l10nFr['Recommendations']);
    const recItems = await children(a, recs!.node);
    assert.ok(recItems.length > 0);
    // the runbook's number is a reference after the text, not the list's numbering
    const french = RECOMMENDATIONS.map((x) => `${l10nFr[x.en]} (${l10nFr['runbook step {0}'].replace('{0}', String(x.id))})`);
    for (const r of recItems) assert.ok(french.includes(r.info.label), `not the runbook's French recommendation: ${r.info.label}`);

    const uri = await vscode.commands.executeCommand<vscode.Uri>(Commands.exportReport, { to: 'untitled' });
    const doc = vscode.workspace.textDocuments.find((x) => x.uri.toString() === uri.toString());
    assert.ok(doc, 'the untitled report is open');
    assert.match(doc.getText(), /^- \*\*Fenêtre\*\*: /m, 'the report follows the display language');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a transport error is French too: an unreachable host\'s error node and its advice', async () => {
    const a = await api();
    await vscode.commands.executeCommand(Commands.clear);
    const port = await closedPort();
    const hostArgs = testHostSettings();
    const target = hostArgs.target.replace(/:\d+$/, `:${port}`);
    const d = await vscode.commands.executeCommand(Commands.diagnose, { date: SEED.date, time: SEED.time, ...hostArgs, target });
    assert.equal(d, undefined);
    const [err] = await children(a);
    assert.equal(err.info.kind, 'message');
    assert.equal(err.info.label, l10nFr['connection refused by {0}:{1}'].replace('{0}', '127.0.0.1').replace('{1}', String(port)));
    assert.match(err.info.label, /^connexion refusée par 127\.0\.0\.1:/);
    assert.equal(err.item.description, l10nFr['Check the port and that sshd is running on the host.']);
    await vscode.commands.executeCommand(Commands.clear);
  });
});
