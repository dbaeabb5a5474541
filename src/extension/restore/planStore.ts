// The plans and results of this session, and the read-only documents that show them: the plan (Markdown), the
// result (text), and the two sides of an update's diff. Secret values never reach a document: both sides of a
// Secret show only whether each value differs.
import * as vscode from 'vscode';
import { writeArgoYaml } from '../../core/yaml/argoYaml';
import { displayObject } from '../../core/restore/redact';
import { formatPlanMarkdown, formatRef, formatResultText } from '../../core/restore/format';
import type { RestorePlan, RestoreResult } from '../../core/restore/types';

export const PLAN_SCHEME = 'gitops-dr-plan';
export const LIVE_SCHEME = 'gitops-dr-live';
const KEEP = 20;

export interface Stored {
  plan: RestorePlan;
  title: string;
  /** The backup the plan was made from, as the user knows it. */
  source?: string;
  /** Apply options chosen with the plan. */
  prune?: boolean;
  allowFinalizerStrip?: boolean;
  /** Create the missing application namespaces before applying, then plan again (`replan`). */
  createNamespaces?: boolean;
  replan?: () => Promise<RestorePlan>;
  result?: RestoreResult;
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export class PlanStore implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider {
  private readonly plans = new Map<string, Stored>();
  private next = 1;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  lastPlanId: string | undefined;

  /** One plan per title (target): planning the same target again replaces it, and its open tab shows the new one. */
  add(plan: RestorePlan, title: string, source?: string, apply: Pick<Stored, 'prune' | 'allowFinalizerStrip' | 'createNamespaces' | 'replan'> = {}): string {
    const existing = [...this.plans].find(([, s]) => s.title === title)?.[0];
    const id = existing ?? `p${this.next++}`;
    if (existing) this.plans.delete(existing); // re-inserted last: the newest
    this.plans.set(id, { plan, title, ...(source ? { source } : {}), ...apply });
    this.lastPlanId = id;
    while (this.plans.size > KEEP) this.plans.delete(this.plans.keys().next().value!);
    if (existing) {
      this.changed.fire(this.planUri(id));
      this.changed.fire(this.resultUri(id));
    }
    this.planned.fire(id);
    return id;
  }

  private readonly planned = new vscode.EventEmitter<string>();
  /** A plan was added or replaced (its id). */
  readonly onDidPlan = this.planned.event;

  get(id: string): Stored | undefined {
    return this.plans.get(id);
  }

  /** The plan made again (after the namespaces it needed were created); the view and the document follow. */
  replacePlan(id: string, plan: RestorePlan): void {
    const s = this.plans.get(id);
    if (!s) return;
    s.plan = plan;
    delete s.result;
    this.changed.fire(this.planUri(id));
    this.planned.fire(id);
  }

  setResult(id: string, result: RestoreResult): void {
    const s = this.plans.get(id);
    if (s) s.result = result;
    this.changed.fire(this.resultUri(id));
  }

  planUri(id: string): vscode.Uri {
    return vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${id}/${safeName(this.plans.get(id)?.title ?? 'plan')}.md` });
  }

  resultUri(id: string): vscode.Uri {
    return vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${id}/result.log` });
  }

  /** Left (live) and right (what the restore writes) of one entry. */
  diffUris(id: string, index: number): { left: vscode.Uri; right: vscode.Uri; title: string } {
    const entry = this.plans.get(id)?.plan.entries[index];
    if (!entry) throw new Error(`no entry ${index} in plan ${id}`);
    const name = safeName(`${entry.ref.kind}-${entry.ref.name}`);
    return {
      left: vscode.Uri.from({ scheme: LIVE_SCHEME, path: `/${id}/${index}/${name}.yaml` }),
      right: vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${id}/${index}/${name}.yaml` }),
      title: `${formatRef(entry.ref)}: live ↔ after restore`,
    };
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const [, id, part] = uri.path.split('/');
    const stored = this.plans.get(id ?? '');
    if (!stored) return '# This plan is no longer kept in memory; plan the restore again.\n';
    if (uri.scheme === PLAN_SCHEME && part?.endsWith('.md')) {
      const title = stored.title.startsWith('Drift') ? 'Drift (what a restore would change)' : stored.source ? `Restore plan: ${stored.source} → ${stored.plan.target.context}/${stored.plan.target.namespace}` : undefined;
      return formatPlanMarkdown(stored.plan, { diffLink: (i) => diffCommandUri(id!, i).toString(), ...(title ? { title } : {}) });
    }
    if (uri.scheme === PLAN_SCHEME && part === 'result.log') return stored.result ? formatResultText(stored.result) : 'Not applied yet.\n';
    const entry = stored.plan.entries[Number(part)];
    if (!entry) return '';
    if (uri.scheme === LIVE_SCHEME) {
      return entry.live ? writeArgoYaml(displayObject(entry.live, entry.desired, 'live')) : '# not in the live namespace\n';
    }
    if (entry.action === 'prune') return '# deleted by prune\n';
    const after = entry.desired ?? (entry.action === 'unchanged' ? entry.live : entry.backup);
    return after ? writeArgoYaml(displayObject(after, entry.live, 'restore')) : '# nothing\n';
  }

  /** Makes the "(diff)" marks of the plan document clickable. */
  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const links: vscode.DocumentLink[] = [];
    const re = /\[diff\]\((command:[^)]+)\)/g;
    for (let line = 0; line < doc.lineCount; line++) {
      const text = doc.lineAt(line).text;
      for (const m of text.matchAll(re)) {
        const start = m.index!;
        links.push(new vscode.DocumentLink(new vscode.Range(line, start, line, start + m[0].length), vscode.Uri.parse(m[1]!)));
      }
    }
    return links;
  }

  dispose(): void {
    this.changed.dispose();
    this.planned.dispose();
    this.plans.clear();
  }
}

function diffCommandUri(planId: string, index: number): vscode.Uri {
  return vscode.Uri.parse(`command:gitopsDr.showPlanDiff?${encodeURIComponent(JSON.stringify([{ planId, index }]))}`);
}
