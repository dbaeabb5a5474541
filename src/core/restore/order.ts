// The orders a restore writes in. Apply: what others refer to first (ConfigMaps and Secrets, AppProjects,
// Applications, then ApplicationSets, which would otherwise generate Applications the backup also holds).
// Prune: the reverse, deterministic (Argo CD walks a Go map, so its order is random: issue 22152).
import type { ObjectRef } from '../objects/kubeObject';

const APPLY_PHASE: Record<string, number> = { ConfigMap: 0, Secret: 0, AppProject: 1, Application: 2, ApplicationSet: 3 };
const PRUNE_RANK: Record<string, number> = { ApplicationSet: 0, Application: 1, AppProject: 2, Secret: 3, ConfigMap: 4 };

export function applyPhase(kind: string): number {
  return APPLY_PHASE[kind] ?? 4;
}

function byNamespaceName(a: ObjectRef, b: ObjectRef): number {
  return a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Groups of entries to apply one after the other; within a group, order is the input order. */
export function applyPhases<T extends { ref: ObjectRef }>(entries: readonly T[]): T[][] {
  const phases: T[][] = [[], [], [], [], []];
  for (const e of entries) phases[applyPhase(e.ref.kind)]!.push(e);
  return phases.filter((p) => p.length > 0);
}

/** Prune candidates sorted: ApplicationSets, Applications, AppProjects, Secrets (ConfigMaps last), then namespace/name. */
export function pruneOrder<T extends { ref: ObjectRef }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => (PRUNE_RANK[a.ref.kind] ?? 9) - (PRUNE_RANK[b.ref.kind] ?? 9) || byNamespaceName(a.ref, b.ref));
}
