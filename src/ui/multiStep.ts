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

/**
 * Shows one step (title, "k/n", Back button when there is a previous step) and settles with what `wire` resolves;
 * Back rejects with Back, hiding (Escape) with Cancelled. The widget and its listeners are disposed after.
 */
type Widget = vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[]; readonly onDidTriggerButton: vscode.Event<vscode.QuickInputButton> };

async function present<R>(
  w: Widget,
  s: { title: string; step: number; total: number },
  canGoBack: boolean,
  wire: (resolve: (r: R) => void) => vscode.Disposable[],
): Promise<R> {
  const subs: vscode.Disposable[] = [w];
  try {
    w.title = s.title;
    w.step = s.step;
    w.totalSteps = s.total;
    w.ignoreFocusOut = true;
    w.buttons = canGoBack ? [vscode.QuickInputButtons.Back] : [];
    return await new Promise<R>((resolve, reject) => {
      subs.push(
        w.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && reject(new Back())),
        w.onDidHide(() => reject(new Cancelled())),
        ...wire(resolve),
      );
      w.show();
    });
  } finally {
    subs.forEach((d) => d.dispose());
  }
}

export function pick<T extends vscode.QuickPickItem>(s: PickStep<T>, canGoBack: boolean): Promise<T> {
  const qp = vscode.window.createQuickPick<T>();
  qp.placeholder = s.placeholder;
  qp.items = s.items;
  return present<T>(qp, s, canGoBack, (resolve) => [
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
      const typed = qp.value.trim();
      if (typed && s.acceptTyped && (!chosen || !matches(chosen, typed))) {
        const t = s.acceptTyped(typed);
        if (t) return resolve(t);
      }
      if (chosen) resolve(chosen);
    }),
  ]);
}

function matches(item: vscode.QuickPickItem, typed: string): boolean {
  const t = typed.toLowerCase();
  return item.label.toLowerCase().includes(t) || (item.description ?? '').toLowerCase().includes(t);
}

export function input(s: InputStep, canGoBack: boolean): Promise<string> {
  const box = vscode.window.createInputBox();
  box.prompt = s.prompt;
  box.value = s.value;
  box.placeholder = s.placeholder;
  return present<string>(box, s, canGoBack, (resolve) => [
    box.onDidChangeValue((v) => {
      box.validationMessage = v.trim() ? s.validate(v.trim()) : undefined;
    }),
    box.onDidAccept(() => {
      const v = box.value.trim();
      const err = s.validate(v);
      box.validationMessage = err;
      if (!err) resolve(v);
    }),
  ]);
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
