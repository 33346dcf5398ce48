// Placeholder entry point; the VS Code experience (src/ui) replaces this.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
