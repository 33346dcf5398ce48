// Events link into the code too: a log line holding a traceback frame of the app gets "Open in Workspace",
// which opens the workspace's copy of the file at that line.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, children, seedDiagnosis, SEED, tracebackSource, waitFor } from './helpers';
import { Commands } from '../../../src/shared/commands';

suite('Links from events', () => {
  test('the traceback frame event of the seed opens gestion/views.py at line 52', async () => {
    const a = await api();
    const d = await seedDiagnosis(a);
    const src = tracebackSource(d);
    const roots = await children(a);
    const node = roots.find((r) => r.info.kind === 'source' && r.info.source === src.id) ?? (await children(a, roots.find((r) => r.info.kind === 'checks')?.node)).find((r) => r.info.source === src.id);
    assert.ok(node, `the ${src.id} node`);
    const kids = await children(a, node.node);
    const events = (await Promise.all(kids.map(async (k) => (k.info.kind === 'group' ? children(a, k.node) : [k])))).flat();
    const frame = events.find((e) => /\bcodelink\b/.test(e.item.contextValue ?? '') && /views\.py", line 52/.test(String(e.item.tooltip)));
    assert.ok(frame, `an event with the views.py frame offers Open in Workspace: ${events.map((e) => e.item.contextValue).join(' | ')}`);
    assert.ok(!events.some((e) => /site-packages/.test(e.info.label) && /\bcodelink\b/.test(e.item.contextValue ?? '')), 'library frames do not');
    await vscode.commands.executeCommand(Commands.openCodeLink, frame.node);
    const editor = await waitFor('views.py in the editor', () => (vscode.window.activeTextEditor?.document.uri.path.endsWith(`/${SEED.frameFile}`) ? vscode.window.activeTextEditor : undefined));
    assert.equal(editor.selection.active.line + 1, SEED.frameLine);
  });
});
