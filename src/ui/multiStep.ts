// A small multi-step input (quick pick / input box with "Step k/n", Back button, Escape cancels),
// after the VS Code extension samples' MultiStepInput.
import * as vscode from 'vscode';

export class Back extends Error {}
export class Cancelled extends Error {}

export interface PickStep<T extends vscode.QuickPickItem> {
  title: string;
  step: number;
  total: number;
  placeholder: string;
  items: T[];
  /** When the user types something matching none of the items, accept it as a value (e.g. a new host). */
  acceptTyped?: (value: string) => T | undefined;
}

export interface InputStep {
  title: string;
  step: number;
  total: number;
  prompt: string;
  value: string;
  placeholder?: string;
  validate(value: string): string | undefined;
}

export async function pick<T extends vscode.QuickPickItem>(s: PickStep<T>, canGoBack: boolean): Promise<T> {
  const qp = vscode.window.createQuickPick<T>();
  const subs: vscode.Disposable[] = [qp];
  try {
    qp.title = s.title;
    qp.step = s.step;
    qp.totalSteps = s.total;
    qp.placeholder = s.placeholder;
    qp.items = s.items;
    qp.ignoreFocusOut = true;
    qp.buttons = canGoBack ? [vscode.QuickInputButtons.Back] : [];
    return await new Promise<T>((resolve, reject) => {
      subs.push(
        qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && reject(new Back())),
        qp.onDidAccept(() => {
          const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
          const typed = qp.value.trim();
          if (typed && s.acceptTyped && (!chosen || !matches(chosen, typed))) {
            const t = s.acceptTyped(typed);
            if (t) return resolve(t);
          }
          if (chosen) resolve(chosen);
        }),
        qp.onDidHide(() => reject(new Cancelled())),
      );
      qp.show();
    });
  } finally {
    subs.forEach((d) => d.dispose());
  }
}

function matches(item: vscode.QuickPickItem, typed: string): boolean {
  const t = typed.toLowerCase();
  return item.label.toLowerCase().includes(t) || (item.description ?? '').toLowerCase().includes(t);
}

export async function input(s: InputStep, canGoBack: boolean): Promise<string> {
  const box = vscode.window.createInputBox();
  const subs: vscode.Disposable[] = [box];
  try {
    box.title = s.title;
    box.step = s.step;
    box.totalSteps = s.total;
    box.prompt = s.prompt;
    box.value = s.value;
    box.placeholder = s.placeholder;
    box.ignoreFocusOut = true;
    box.buttons = canGoBack ? [vscode.QuickInputButtons.Back] : [];
    return await new Promise<string>((resolve, reject) => {
      subs.push(
        box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && reject(new Back())),
        box.onDidChangeValue((v) => {
          box.validationMessage = v.trim() ? s.validate(v.trim()) : undefined;
        }),
        box.onDidAccept(() => {
          const v = box.value.trim();
          const err = s.validate(v);
          box.validationMessage = err;
          if (!err) resolve(v);
        }),
        box.onDidHide(() => reject(new Cancelled())),
      );
      box.show();
    });
  } finally {
    subs.forEach((d) => d.dispose());
  }
}

/** One question; `n` of `total` is what the title bar shows (steps that are not asked are not counted). */
export type Step = (canGoBack: boolean, n: number, total: number) => Promise<void>;

/** Runs steps in order; Back returns to the previous one. Resolves false when the user cancels. */
export async function runSteps(steps: Step[]): Promise<boolean> {
  let i = 0;
  while (i < steps.length) {
    try {
      await steps[i](i > 0, i + 1, steps.length);
      i++;
    } catch (e) {
      if (e instanceof Back) i = Math.max(0, i - 1);
      else if (e instanceof Cancelled) return false;
      else throw e;
    }
  }
  return true;
}
