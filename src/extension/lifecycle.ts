// Small lifecycle helpers: a set of disposables released together, and a VS Code cancellation token as the
// AbortSignal the core functions take.
import type * as vscode from 'vscode';

export class Disposables implements vscode.Disposable {
  private readonly items: vscode.Disposable[] = [];

  add<T extends vscode.Disposable>(...items: T[]): T {
    this.items.push(...items);
    return items[0]!;
  }

  dispose(): void {
    for (const d of this.items.splice(0).reverse()) d.dispose();
  }
}

/** Aborts when the token is cancelled (a progress notification's Cancel button). */
export function signalOf(token: vscode.CancellationToken): AbortSignal {
  const abort = new AbortController();
  if (token.isCancellationRequested) abort.abort();
  else token.onCancellationRequested(() => abort.abort());
  return abort.signal;
}
