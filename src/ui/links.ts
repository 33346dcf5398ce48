// Links from excerpts into the code: each traceback frame `File "/var/www/app/x.py", line N` of an
// incident-log document opens the workspace's copy of that file at line N.
import * as vscode from 'vscode';
import { LANGUAGE_ID } from './excerpts';
import { FRAME_IN_LINE } from '../core/parse/traceback';
import { toWorkspace, withLine } from './workspacePaths';

export class TracebackLinks implements vscode.DocumentLinkProvider {
  async provideDocumentLinks(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentLink[]> {
    const links: vscode.DocumentLink[] = [];
    const text = doc.getText();
    for (const m of text.matchAll(FRAME_IN_LINE)) {
      if (token.isCancellationRequested) break;
      const target = await toWorkspace(m[1]);
      if (!target) continue;
      const start = doc.positionAt(m.index! + 'File "'.length);
      // the link covers the path and `line N`, not the function name
      const end = doc.positionAt(m.index! + m[0].length - (m[3] ? `, in ${m[3]}`.length : 0));
      const link = new vscode.DocumentLink(new vscode.Range(start, end), withLine(target, Number(m[2])));
      link.tooltip = vscode.l10n.t('Open {0} at line {1}', vscode.workspace.asRelativePath(target), m[2]);
      links.push(link);
    }
    return links;
  }
}

export const LINK_SELECTOR: vscode.DocumentSelector = [{ language: LANGUAGE_ID }];
