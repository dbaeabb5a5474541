// The plain data of a restore: the plan a person reviews, and the per-object result of applying it.
// No object here is ever printed whole: Secret values stay inside `live` / `desired` / `backup` and every
// printable part (reasons, diffs, lines) is secret-free.
import type { KubeObject, ObjectRef } from '../objects/kubeObject';

/** Positions are 0-based, as the backup reader reports them. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** What the plan will do with one object. */
export type PlanAction = 'create' | 'update' | 'unchanged' | 'prune' | 'skip' | 'error';

/** One changed field of an update: a dotted path (`spec.source.targetRevision`, `data["policy.csv"]`). */
export interface FieldChange {
  path: string;
  /** Absent when the field is added. Secret values are replaced by SECRET_PLACEHOLDER. */
  before?: unknown;
  /** Absent when the field is removed. */
  after?: unknown;
}

/** Shown instead of a Secret value in every diff. */
export const SECRET_PLACEHOLDER = '<changed>';

export interface PlanEntry {
  ref: ObjectRef;
  action: PlanAction;
  /** Why it is skipped / in error / a prune candidate, or a note a person should read (finalizers, stop operation). */
  reason?: string;
  /** Field-level changes of an update (compared fields only). */
  diff?: FieldChange[];
  /** The live object as read while planning (update, unchanged, prune). */
  live?: KubeObject;
  /** What apply writes: the object to create, or the updated live object. */
  desired?: KubeObject;
  /** The backup's object, namespace defaulted; kept to re-check equality after a conflict. */
  backup?: KubeObject;
  /** Where the object is in the backup (0-based document index and range), when it came from a file. */
  source?: { index: number; range?: Range };
  /** AppProject: the target's fence windows this restore keeps (or, with drop-fence, removes). Secret-free text. */
  fence?: { kept: boolean; windows: string[] };
}

export type PlanCounts = Record<PlanAction, number>;

export interface RestoreTarget {
  context: string;
  server: string;
  namespace: string;
}

/** The options a plan was computed with; apply reads them back. */
export interface EffectiveRestoreOptions {
  namespace: string;
  applicationNamespaces: string[];
  applicationSetNamespaces: string[];
  stopOperation: boolean;
  skipResourcesWithLabel?: string;
  ignoreTracking: boolean;
  overrideOnConflict: boolean;
  /** Keep the deny windows that fence the target (default); false: the backup's windows replace them. */
  keepTargetFence: boolean;
}

export interface RestorePlan {
  target: RestoreTarget;
  options: EffectiveRestoreOptions;
  /** Entries from backup documents in document order, then prune candidates in prune order. */
  entries: PlanEntry[];
  counts: PlanCounts;
  /** Plan-level errors (e.g. a kind the identity may not list); entries with action 'error' also count as errors. */
  errors: string[];
  /** Things a person should know that do not stop the restore (e.g. prune limited to some namespaces). */
  warnings: string[];
  /** Namespaces of objects to restore (enabled for their kind) that do not exist on the target. */
  missingNamespaces?: string[];
  /** The target's fence: AppProjects whose deny windows the restore keeps (or drops, when told to). */
  fence?: { kept: boolean; projects: string[]; windows: number };
  /** What the plan was computed from: a file name, `-`, or `context/namespace` of a live source. */
  sourceLabel: string;
  createdAt: string;
  durationMs: number;
}

export type ObjectOutcome = 'created' | 'updated' | 'unchanged' | 'pruned' | 'needsPruning' | 'skipped' | 'failed';

export interface ObjectResult {
  ref: ObjectRef;
  action: PlanAction;
  outcome: ObjectOutcome;
  /** Failure reason, or a note (e.g. "already present", "finalizers kept: deletion pending"). Secret-free. */
  error?: string;
  note?: string;
  /** The Argo CD style line: `/ConfigMap argocd-cm in namespace argocd created`. */
  line: string;
}

export type ResultCounts = Record<ObjectOutcome, number>;

export interface RestoreResult {
  target: RestoreTarget;
  dryRun: boolean;
  pruneRequested: boolean;
  /** Why prune candidates were left in place although prune was requested. */
  pruneWithheld?: string;
  results: ObjectResult[];
  counts: ResultCounts;
  startedAt: string;
  durationMs: number;
  /** Requests in flight: fixed (the caller's concurrency) or adaptive, with the range it moved in. */
  concurrency?: { adaptive: boolean; lowest: number; highest: number; last: number };
}

export function emptyPlanCounts(): PlanCounts {
  return { create: 0, update: 0, unchanged: 0, prune: 0, skip: 0, error: 0 };
}

export function emptyResultCounts(): ResultCounts {
  return { created: 0, updated: 0, unchanged: 0, pruned: 0, needsPruning: 0, skipped: 0, failed: 0 };
}

export function planHasErrors(plan: RestorePlan): boolean {
  return plan.errors.length > 0 || plan.counts.error > 0;
}
