// Links from excerpts into the code: each traceback frame `File "/var/www/app/x.py", line N` of an
// incident-log document opens the workspace's copy of that file at line N.
import * as vscode from 'vscode';
import { LANGUAGE_ID } from './excerpts';
import { toWorkspace, withLine } from './workspacePaths';

const FRAME = /File "([^"\n]+\.py)", line (\d+)/g;

export class TracebackLinks implements vscode.DocumentLinkProvider {
  async provideDocumentLinks(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentLink[]> {
    const links: vscode.DocumentLink[] = [];
    const text = doc.getText();
    for (const m of text.matchAll(FRAME)) {
      if (token.isCancellationRequested) break;
      const target = await toWorkspace(m[1]);
      if (!target) continue;
      const start = doc.positionAt(m.index! + 'File "'.length);
      const end = doc.positionAt(m.index! + m[0].length);
      const link = new vscode.DocumentLink(new vscode.Range(start, end), withLine(target, Number(m[2])));
      link.tooltip = vscode.l10n.t('Open {0} at line {1}', vscode.workspace.asRelativePath(target), m[2]);
      links.push(link);
    }
    return links;
  }
}

export const LINK_SELECTOR: vscode.DocumentSelector = [{ language: LANGUAGE_ID }];
