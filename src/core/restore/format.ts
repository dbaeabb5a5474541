// Text a person or a script reads. Per-object lines use `argocd admin import`'s wording
// (`/ConfigMap argocd-cm in namespace argocd created`, `... (dry run)`), so what knows Argo CD's output
// recognises ours; unlike Argo CD, every line names the namespace (apps in any namespace make names ambiguous).
// Nothing here prints an object's values beyond what the diff already redacted.
import type { ObjectRef } from '../objects/kubeObject';
import type { FieldChange, ObjectOutcome, PlanAction, PlanEntry, RestorePlan, RestoreResult } from './types';
import { planHasErrors } from './types';

const VERB: Record<ObjectOutcome, string> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  pruned: 'pruned',
  needsPruning: 'needs pruning',
  skipped: 'skipped',
  failed: 'failed',
};

/** `group/Kind name in namespace ns`: the object part of an Argo CD import line (group empty for core kinds). */
export function formatRef(ref: ObjectRef): string {
  return `${ref.group}/${ref.kind} ${ref.name} in namespace ${ref.namespace}`;
}

/** One Argo CD style line; `detail` (a skip or failure reason) follows a colon. */
export function formatArgoLine(ref: ObjectRef, outcome: ObjectOutcome, dryRun: boolean, detail?: string): string {
  const dry = dryRun && outcome !== 'needsPruning' ? ' (dry run)' : '';
  return `${formatRef(ref)} ${VERB[outcome]}${dry}${detail ? `: ${detail}` : ''}`;
}

const ACTION_TITLES: Record<PlanAction, string> = {
  error: 'Errors',
  create: 'Create',
  update: 'Update',
  prune: 'Prune candidates',
  skip: 'Skipped',
  unchanged: 'Unchanged',
};
const ACTION_ORDER: readonly PlanAction[] = ['error', 'create', 'update', 'prune', 'skip', 'unchanged'];

function shortValue(v: unknown, max = 120): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function formatChange(c: FieldChange): string {
  if (!('before' in c)) return `+ ${c.path}: ${shortValue(c.after)}`;
  if (!('after' in c)) return `- ${c.path}: ${shortValue(c.before)}`;
  return `~ ${c.path}: ${shortValue(c.before)} -> ${shortValue(c.after)}`;
}

export function formatCounts(plan: RestorePlan): string {
  return ACTION_ORDER.map((a) => `${plan.counts[a]} ${a === 'prune' ? 'to prune' : a === 'skip' ? 'skipped' : a === 'error' ? (plan.counts[a] === 1 ? 'error' : 'errors') : a === 'unchanged' ? 'unchanged' : `to ${a}`}`).join(', ');
}

export interface FormatPlanOptions {
  /** Lines of field changes shown per update (the rest are counted). */
  maxChangesPerEntry?: number;
  /** List unchanged objects one by one (default: only their count). */
  listUnchanged?: boolean;
  /** Heading: "Restore plan" by default; "Drift" for a comparison. */
  title?: string;
}

/** The plan as plain text: header, then entries grouped by action with counts; updates with their changes. */
export function formatPlanText(plan: RestorePlan, options: FormatPlanOptions = {}): string {
  const maxChanges = options.maxChangesPerEntry ?? 20;
  const out: string[] = [];
  out.push(`${options.title ?? 'Restore plan'}: ${plan.sourceLabel || 'backup'} -> context ${plan.target.context} (${plan.target.server}), namespace ${plan.target.namespace}`);
  out.push(`  ${formatCounts(plan)}`);
  const o = plan.options;
  out.push(
    `  options: stop operation ${o.stopOperation ? 'on' : 'off'}, ignore tracking ${o.ignoreTracking ? 'on' : 'off'}, override on conflict ${o.overrideOnConflict ? 'on' : 'off'}` +
      `${o.skipResourcesWithLabel ? `, skip label ${o.skipResourcesWithLabel}` : ''}; app namespaces: ${o.applicationNamespaces.join(',') || '(target only)'}; appset namespaces: ${o.applicationSetNamespaces.join(',') || '(target only)'}`,
  );
  for (const e of plan.errors) out.push(`  error: ${e}`);
  for (const w of plan.warnings) out.push(`  warning: ${w}`);
  const fence = formatFence(plan);
  if (fence) out.push(`  ${fence}`);
  if (plan.missingNamespaces?.length) out.push(`  missing namespaces: ${plan.missingNamespaces.join(', ')} (create them first, or restore with create namespaces)`);
  for (const action of ACTION_ORDER) {
    const entries = plan.entries.filter((e) => e.action === action);
    if (entries.length === 0) continue;
    out.push('', `${ACTION_TITLES[action]} (${entries.length})`);
    if (action === 'unchanged' && !options.listUnchanged) continue;
    for (const e of entries) out.push(...formatEntry(e, maxChanges));
  }
  if (planHasErrors(plan)) out.push('', 'The plan has errors: nothing will be pruned.');
  return `${out.join('\n')}\n`;
}

/** One line about the target's fence, when the target has one. */
function formatFence(plan: RestorePlan): string | undefined {
  const f = plan.fence;
  if (!f) return undefined;
  const where = `${f.windows} deny window${f.windows === 1 ? '' : 's'} on ${f.projects.length} AppProject${f.projects.length === 1 ? '' : 's'} (${f.projects.join(', ')})`;
  return f.kept ? `fence kept: ${where} of the target stay; syncs remain blocked where they were` : `FENCE DROPPED: ${where} of the target are removed (drop-fence): syncs may start`;
}

function formatEntry(e: PlanEntry, maxChanges: number): string[] {
  const lines = [`  ${formatRef(e.ref)}${e.reason ? ` — ${e.reason}` : ''}`];
  if (e.diff) {
    for (const c of e.diff.slice(0, maxChanges)) lines.push(`      ${formatChange(c)}`);
    if (e.diff.length > maxChanges) lines.push(`      … ${e.diff.length - maxChanges} more`);
  }
  return lines;
}

/** The plan as a Markdown document (the VS Code plan view). */
export function formatPlanMarkdown(plan: RestorePlan, options: FormatPlanOptions & { diffLink?: (index: number) => string } = {}): string {
  const maxChanges = options.maxChangesPerEntry ?? 20;
  const out: string[] = [];
  out.push(`# ${options.title ?? 'Restore plan'}`, '');
  out.push(`- **Source:** ${plan.sourceLabel || 'backup'}`);
  out.push(`- **Target:** context \`${plan.target.context}\` (${plan.target.server}), namespace \`${plan.target.namespace}\``);
  out.push(`- **Counts:** ${formatCounts(plan)}`);
  out.push(`- **Options:** stop operation ${plan.options.stopOperation ? 'on' : 'off'}, ignore tracking ${plan.options.ignoreTracking ? 'on' : 'off'}, override on conflict ${plan.options.overrideOnConflict ? 'on' : 'off'}${plan.options.skipResourcesWithLabel ? `, skip label \`${plan.options.skipResourcesWithLabel}\`` : ''}`);
  out.push(`- **Planned** ${plan.createdAt} in ${plan.durationMs} ms`);
  for (const e of plan.errors) out.push(`- **Error:** ${e}`);
  for (const w of plan.warnings) out.push(`- **Warning:** ${w}`);
  if (planHasErrors(plan)) out.push('', '> The plan has errors: nothing will be pruned.');
  for (const action of ACTION_ORDER) {
    const indexed = plan.entries.map((e, i) => [e, i] as const).filter(([e]) => e.action === action);
    if (indexed.length === 0) continue;
    out.push('', `## ${ACTION_TITLES[action]} (${indexed.length})`, '');
    if (action === 'unchanged' && !options.listUnchanged && indexed.length > 50) {
      out.push(`${indexed.length} objects already equal the backup.`);
      continue;
    }
    for (const [e, i] of indexed) {
      const link = action === 'update' && options.diffLink ? ` ([diff](${options.diffLink(i)}))` : '';
      out.push(`- \`${formatRef(e.ref)}\`${e.reason ? ` — ${e.reason}` : ''}${link}`);
      if (e.diff) {
        for (const c of e.diff.slice(0, maxChanges)) out.push(`  - \`${formatChange(c).replace(/`/g, "'")}\``);
        if (e.diff.length > maxChanges) out.push(`  - … ${e.diff.length - maxChanges} more`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

export function formatResultCounts(result: RestoreResult): string {
  const c = result.counts;
  return `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.pruned} pruned, ${c.needsPruning} need pruning, ${c.skipped} skipped, ${c.failed} failed`;
}

/** The result: one line per object, then a summary. */
export function formatResultText(result: RestoreResult): string {
  const lines = result.results.map((r) => r.line);
  lines.push(
    `Restore ${result.dryRun ? 'dry run ' : ''}into context ${result.target.context}, namespace ${result.target.namespace}: ${formatResultCounts(result)} (${result.durationMs} ms)`,
  );
  if (result.pruneWithheld) lines.push(`Nothing pruned: ${result.pruneWithheld}`);
  return `${lines.join('\n')}\n`;
}
