// The "Log Sources" tree: fed by the store, refreshed on every change (source by source while running).
import * as vscode from 'vscode';
import type { TreeNodeInfo } from '../api';
import { redactEnabled } from '../settings';
import type { DiagnosisStore } from '../store';
import { childNodes, findSourceNode, rootNodes, type Node } from './nodes';
import { treeItem } from './items';

export class SourcesTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subs: vscode.Disposable[];
  private roots: Node[] = [];
  /** incidentLens.report.redact, read when it changes rather than for every item. */
  private redact = redactEnabled();

  constructor(private readonly store: DiagnosisStore) {
    this.subs = [
      this.changed,
      store.onDidChange(() => this.changed.fire(undefined)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('incidentLens.report.redact')) return;
        this.redact = redactEnabled();
        this.changed.fire(undefined);
      }),
    ];
  }

  getTreeItem(n: Node): vscode.TreeItem {
    const tz = this.store.state === 'running' ? this.store.run?.tz : this.store.diagnosis?.window.tz;
    return treeItem(n, { redact: this.redact, tz: tz ?? 'UTC', since: this.store.diagnosis?.window.since });
  }

  getChildren(n?: Node): Node[] {
    if (!n) {
      this.roots = rootNodes(this.store);
      return this.roots;
    }
    return childNodes(n);
  }

  getParent(n: Node): Node | undefined {
    return 'parent' in n ? n.parent : undefined;
  }

  sourceNode(sourceId: string): Node | undefined {
    return findSourceNode(this.roots.length ? this.roots : rootNodes(this.store), sourceId);
  }

  describe(n: unknown): TreeNodeInfo {
    const node = n as Node;
    const label = this.getTreeItem(node).label;
    const text = typeof label === 'string' ? label : (label?.label ?? '');
    const kind = node.kind;
    const source = node.kind === 'source' || node.kind === 'event' || node.kind === 'group' ? node.source.id : node.kind === 'evidence' ? node.ref.source : node.kind === 'fleetEvidence' ? node.ev.source : undefined;
    return { kind, label: text, ...(source ? { source } : {}) };
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
  }
}
