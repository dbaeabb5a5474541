// The "Restore Plan" view: the newest plan as a tree, target and source at the top, errors and warnings first, then
// the objects grouped by action with counts; each object opens its diff (live ↔ after restore, Secret values
// masked). The view's title holds Dry Run (its per-object answers from the API server shown in place), Apply
// (enabled only when the plan has no errors and something to change; a prune asks to type the target) and Export.
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { formatRef, formatResultCounts } from '../../core/restore/format';
import { refKey } from '../../core/objects/kubeObject';
import { createNamespaces } from '../../core/restore/namespaces';
import { planHasErrors, type PlanAction, type PlanEntry, type RestoreResult } from '../../core/restore/types';
import { withOperation, type ExtensionServices } from '../services';
import type { PlanStore, Stored } from './planStore';
import { applyWithProgress } from './restoreCommand';
import { refreshTouched } from '../tree/refreshTouched';

export const PLAN_VIEW = 'gitopsDr.restorePlan';

type PlanNode =
  | { kind: 'header'; planId: string }
  | { kind: 'problems'; planId: string; severity: 'error' | 'warning'; lines: string[] }
  | { kind: 'problem'; severity: 'error' | 'warning'; text: string }
  | { kind: 'group'; planId: string; action: PlanAction; indexes: number[] }
  | { kind: 'object'; planId: string; index: number };

const GROUPS: Array<{ action: PlanAction; label: string; icon: string; expanded: boolean }> = [
  { action: 'error', label: 'Errors', icon: 'error', expanded: true },
  { action: 'prune', label: 'Delete (prune)', icon: 'trash', expanded: true },
  { action: 'create', label: 'Create', icon: 'add', expanded: true },
  { action: 'update', label: 'Update', icon: 'diff-modified', expanded: true },
  { action: 'skip', label: 'Skip', icon: 'circle-slash', expanded: false },
  { action: 'unchanged', label: 'Unchanged', icon: 'check', expanded: false },
];

function isDrift(s: Stored): boolean {
  return s.title.startsWith('Drift');
}

/** What apply would change: creates, updates, and prune candidates when prune is on. */
export function changesOf(s: Stored): number {
  const c = s.plan.counts;
  return c.create + c.update + (s.prune ? c.prune : 0);
}

/** Errors that stop an apply: all of them, except a missing namespace that the "create namespaces" choice creates first. */
export function blockingErrors(s: Stored): boolean {
  if (!planHasErrors(s.plan)) return false;
  const creates = new Set(s.createNamespaces ? s.plan.missingNamespaces ?? [] : []);
  if (!creates.size || s.plan.errors.length) return true;
  return s.plan.entries.some((e) => e.action === 'error' && !creates.has(e.ref.namespace ?? ''));
}

function canApply(s: Stored | undefined): boolean {
  return Boolean(s && !isDrift(s) && !blockingErrors(s) && (changesOf(s) > 0 || (s.createNamespaces && s.plan.missingNamespaces?.length)));
}

function outcomeOf(result: RestoreResult | undefined, entry: PlanEntry): string | undefined {
  if (!result) return undefined;
  const key = refKey(entry.ref);
  const r = result.results.find((x) => refKey(x.ref) === key);
  return r ? `${result.dryRun ? 'dry run: ' : ''}${r.outcome}${r.error ? ` (${r.error})` : r.note ? ` (${r.note})` : ''}` : undefined;
}

class PlanViewProvider implements vscode.TreeDataProvider<PlanNode> {
  private readonly changed = new vscode.EventEmitter<PlanNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  planId: string | undefined;

  constructor(private readonly store: PlanStore) {}

  show(planId: string): void {
    this.planId = planId;
    this.changed.fire(undefined);
    const s = this.store.get(planId);
    void vscode.commands.executeCommand('setContext', 'gitopsDr.plan.present', Boolean(s));
    void vscode.commands.executeCommand('setContext', 'gitopsDr.plan.canApply', canApply(s));
  }

  get current(): Stored | undefined {
    return this.planId ? this.store.get(this.planId) : undefined;
  }

  getChildren(node?: PlanNode): PlanNode[] {
    const id = this.planId;
    const s = id ? this.store.get(id) : undefined;
    if (!id || !s) return [];
    if (!node) {
      const out: PlanNode[] = [{ kind: 'header', planId: id }];
      const errors = [...s.plan.errors];
      if (errors.length) out.push({ kind: 'problems', planId: id, severity: 'error', lines: errors });
      if (s.plan.warnings.length) out.push({ kind: 'problems', planId: id, severity: 'warning', lines: s.plan.warnings });
      for (const g of GROUPS) {
        const indexes = s.plan.entries.map((e, i) => (e.action === g.action ? i : -1)).filter((i) => i >= 0);
        if (indexes.length) out.push({ kind: 'group', planId: id, action: g.action, indexes });
      }
      return out;
    }
    if (node.kind === 'problems') return node.lines.map((text) => ({ kind: 'problem', severity: node.severity, text }));
    if (node.kind === 'group') return node.indexes.map((index) => ({ kind: 'object', planId: node.planId, index }));
    return [];
  }

  getTreeItem(node: PlanNode): vscode.TreeItem {
    const s = 'planId' in node ? this.store.get(node.planId) : undefined;
    switch (node.kind) {
      case 'header': {
        const t = s!.plan.target;
        const item = new vscode.TreeItem(`${isDrift(s!) ? 'Drift of' : 'Into'} ${t.context}/${t.namespace}`);
        item.description = s!.source ? `from ${s!.source}` : s!.plan.sourceLabel;
        item.iconPath = new vscode.ThemeIcon('target');
        const result = s!.result ? `\n${s!.result.dryRun ? 'Dry run' : 'Applied'}: ${formatResultCounts(s!.result)}` : '';
        item.tooltip = `Target: context ${t.context} (${t.server}), namespace ${t.namespace}\nSource: ${s!.source ?? s!.plan.sourceLabel}\nPrune: ${s!.prune ? 'on' : 'off'}${result}`;
        item.contextValue = 'plan.header';
        return item;
      }
      case 'problems': {
        const item = new vscode.TreeItem(node.severity === 'error' ? 'Plan errors' : 'Warnings', vscode.TreeItemCollapsibleState.Expanded);
        item.description = String(node.lines.length);
        item.iconPath = new vscode.ThemeIcon(node.severity === 'error' ? 'error' : 'warning', new vscode.ThemeColor(node.severity === 'error' ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground'));
        return item;
      }
      case 'problem': {
        // "Application x: namespace y not found": the subject as the label, the rest beside it (all in the tooltip).
        const colon = node.text.indexOf(': ');
        const short = colon > 0 && colon <= 48;
        const item = new vscode.TreeItem(short ? node.text.slice(0, colon) : node.text);
        if (short) item.description = node.text.slice(colon + 2);
        item.tooltip = node.text;
        item.iconPath = new vscode.ThemeIcon(node.severity === 'error' ? 'error' : 'warning');
        return item;
      }
      case 'group': {
        const g = GROUPS.find((x) => x.action === node.action)!;
        const pruneOff = node.action === 'prune' && !s?.prune;
        const item = new vscode.TreeItem(pruneOff ? 'Prune candidates (kept: prune is off)' : g.label, g.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.description = String(node.indexes.length);
        item.iconPath = new vscode.ThemeIcon(g.icon);
        item.contextValue = `plan.group.${node.action}`;
        return item;
      }
      case 'object': {
        const e = s!.plan.entries[node.index]!;
        // The name alone fits the sidebar; the kind (also told by the icon) leads the description.
        const item = new vscode.TreeItem(e.ref.name);
        const fields = e.diff?.length ? `${e.diff.length} field${e.diff.length === 1 ? '' : 's'}` : '';
        const outcome = outcomeOf(s!.result, e);
        item.description = [e.ref.kind, outcome, fields, e.reason].filter(Boolean).join(' · ');
        item.tooltip = new vscode.MarkdownString(
          [`**${formatRef(e.ref)}**`, `action: ${e.action}`, e.reason ? `reason: ${e.reason}` : '', outcome ? `server: ${outcome}` : '', ...(e.diff ?? []).slice(0, 12).map((c) => `- \`${c.path}\``)].filter(Boolean).join('\n\n'),
        );
        item.iconPath = new vscode.ThemeIcon(outcome?.includes('failed') ? 'error' : e.ref.kind === 'Secret' ? 'lock' : 'symbol-object');
        item.command = { command: 'gitopsDr.showPlanDiff', title: 'Show diff', arguments: [{ planId: node.planId, index: node.index }] };
        item.contextValue = 'plan.object';
        return item;
      }
    }
  }

  refresh(): void {
    if (this.planId) this.show(this.planId);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export interface PlanActionArgs {
  planId?: string;
  /** Automation and tests: no modal, and for a prune the typed target given here. */
  confirm?: false;
  typedTarget?: string;
}

export function registerPlanView(services: ExtensionServices, store: PlanStore): PlanViewProvider {
  const provider = new PlanViewProvider(store);
  const view = vscode.window.createTreeView(PLAN_VIEW, { treeDataProvider: provider });
  const { context } = services;
  const stored = (arg?: PlanActionArgs): { id: string; s: Stored } | undefined => {
    const id = arg?.planId ?? provider.planId;
    const s = id ? store.get(id) : undefined;
    if (!id || !s) {
      void vscode.window.showWarningMessage('GitOps DR: no restore plan: run "Restore Backup…" first.');
      return undefined;
    }
    return { id, s };
  };
  const run = async (arg: PlanActionArgs | undefined, dryRun: boolean): Promise<RestoreResult | undefined> => {
    const got = stored(arg);
    if (!got) return undefined;
    const { id, s } = got;
    const where = `${s.plan.target.context}/${s.plan.target.namespace}`;
    if (!dryRun) {
      if (!canApply(s)) {
        void vscode.window.showWarningMessage(blockingErrors(s) ? `GitOps DR: the plan for ${where} has errors; fix them (see the plan view) and plan again.` : `GitOps DR: nothing to restore into ${where}.`);
        return undefined;
      }
      const pruning = s.prune && s.plan.counts.prune > 0;
      if (pruning) {
        const typed =
          arg?.confirm === false
            ? arg.typedTarget
            : await vscode.window.showInputBox({
                title: `Prune deletes ${s.plan.counts.prune} object${s.plan.counts.prune === 1 ? '' : 's'} in ${where}`,
                prompt: `Type ${where} to apply the restore with prune`,
                validateInput: (v) => (v === where || v === '' ? undefined : `type exactly ${where}`),
                ignoreFocusOut: true,
              });
        if (typed !== where) return undefined;
      } else if (arg?.confirm !== false) {
        const c = s.plan.counts;
        const ok = await vscode.window.showWarningMessage(`Restore into ${where}?`, { modal: true, detail: `${c.create} to create, ${c.update} to update, from ${s.source ?? s.plan.sourceLabel}.` }, 'Apply');
        if (ok !== 'Apply') return undefined;
      }
    }
    try {
      // Its own clients, as every long operation: a refresh of the tree (which closes discovery's) cannot cut it off.
      return await withOperation(services, 'restore', (scoped) => applyPlan(scoped, id, s, dryRun));
    } catch (e) {
      if (arg?.confirm === false) throw e;
      services.log.error(`restore into ${where} failed: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(`GitOps DR: restore into ${where} failed: ${(e as Error).message}. Nothing more was written; see the GitOps DR log, fix the cause and run the plan again.`, 'Show Log').then((a) => a && services.log.show());
      return undefined;
    }
  };
  const applyPlan = async (scoped: ExtensionServices, id: string, s: Stored, dryRun: boolean): Promise<RestoreResult | undefined> => {
    const where = `${s.plan.target.context}/${s.plan.target.namespace}`;
    const client = await scoped.kube.client(s.plan.target.context);
    let plan = s.plan;
    if (!dryRun && s.createNamespaces && plan.missingNamespaces?.length && s.replan) {
      const created = await createNamespaces(client, plan.missingNamespaces, 'restore');
      services.log.info(`restore: created namespace${created.length === 1 ? '' : 's'} ${created.join(', ')} on ${plan.target.context}`);
      plan = await s.replan();
      if (planHasErrors(plan)) {
        store.replacePlan(id, plan);
        provider.show(id);
        void vscode.window.showWarningMessage(`GitOps DR: after creating ${created.join(', ')} the plan for ${where} still has errors; nothing else was written (see the plan view).`);
        return undefined;
      }
      store.replacePlan(id, plan);
    }
    const result = await applyWithProgress(scoped, client, plan, { dryRun, prune: s.prune ?? false, allowFinalizerStrip: s.allowFinalizerStrip ?? false });
    store.setResult(id, result);
    provider.show(id);
    if (!dryRun) await refreshTouched(services, [s.plan.target.context]);
    return result;
  };
  context.subscriptions.push(
    provider,
    view,
    store.onDidPlan((id) => {
      provider.show(id);
      const s = store.get(id);
      view.title = s && isDrift(s) ? 'Drift' : 'Restore Plan';
      view.description = s ? `${s.plan.target.context}/${s.plan.target.namespace}` : undefined;
    }),
    vscode.commands.registerCommand('gitopsDr.plan.dryRun', (arg?: PlanActionArgs) => run(arg, true)),
    vscode.commands.registerCommand('gitopsDr.plan.apply', (arg?: PlanActionArgs) => run(arg, false)),
    vscode.commands.registerCommand('gitopsDr.plan.exportMarkdown', async (arg?: PlanActionArgs & { path?: string }) => {
      const got = stored(arg);
      if (!got) return undefined;
      const text = await vscode.workspace.openTextDocument(store.planUri(got.id)).then((d) => d.getText());
      let file = arg?.path;
      if (!file) {
        const picked = await vscode.window.showSaveDialog({ title: 'Export the restore plan (Markdown; no Secret values)', filters: { Markdown: ['md'] }, defaultUri: vscode.Uri.file(`${vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd()}/${store.planUri(got.id).path.split('/').pop()}`) });
        if (!picked) return undefined;
        file = picked.fsPath;
      }
      try {
        await fs.writeFile(file, text);
      } catch (e) {
        void vscode.window.showErrorMessage(`GitOps DR: could not export the plan to ${file}: ${(e as Error).message}`);
        return undefined;
      }
      return { path: file };
    }),
    vscode.commands.registerCommand('gitopsDr.plan.openMarkdown', async (arg?: PlanActionArgs) => {
      const got = stored(arg);
      if (got) await vscode.window.showTextDocument(store.planUri(got.id), { preview: true });
    }),
  );
  return provider;
}
