// The two sides of "Diff Stored Backups" as read-only in-memory documents (`gitops-dr-stored-diff:`). They hold the
// masked view only (Secret values replaced per key by whether they differ), so nothing secret is in a document.
import * as vscode from 'vscode';

export const STORED_DIFF_SCHEME = 'gitops-dr-stored-diff';
const KEEP = 10;

export class StoredDiffDocuments implements vscode.TextDocumentContentProvider {
  private readonly sides = new Map<string, { left: string; right: string }>();
  private next = 1;

  /** Keeps a pair of sides; their URIs, named after the backups' stamps. */
  add(left: string, right: string, names: { left: string; right: string }): { left: vscode.Uri; right: vscode.Uri } {
    const id = `d${this.next++}`;
    this.sides.set(id, { left, right });
    while (this.sides.size > KEEP) this.sides.delete(this.sides.keys().next().value!);
    const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_');
    return {
      left: vscode.Uri.from({ scheme: STORED_DIFF_SCHEME, path: `/${id}/left/${safe(names.left)}.yaml` }),
      right: vscode.Uri.from({ scheme: STORED_DIFF_SCHEME, path: `/${id}/right/${safe(names.right)}.yaml` }),
    };
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const [, id, side] = uri.path.split('/');
    const pair = this.sides.get(id ?? '');
    if (!pair) return '# This comparison is no longer kept in memory; run "Diff Stored Backups…" again.\n';
    return side === 'left' ? pair.left : pair.right;
  }

  dispose(): void {
    this.sides.clear();
  }
}
