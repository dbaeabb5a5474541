// Pruning an ApplicationSet with the default delete lets the garbage collector delete the Applications it
// generated (they carry an ownerReference to it) and, through their resources finalizer, their workloads in the
// destination clusters. A restore's prune never does that: it deletes an ApplicationSet with orphan propagation,
// and the plan names the Applications left behind.
import type { KubeObject } from '../objects/kubeObject';

/** DeleteOptions.propagationPolicy for a pruned object: Orphan for an ApplicationSet, the server's default else. */
export function prunePropagation(kind: string): 'Orphan' | undefined {
  return kind === 'ApplicationSet' ? 'Orphan' : undefined;
}

/** The live Applications an ApplicationSet owns (by ownerReference uid, or by name and kind when uids are missing). */
type OwnerRef = { kind?: string; name?: string; uid?: string };

function generatedApplications(appSet: KubeObject, live: readonly KubeObject[]): KubeObject[] {
  const uid = appSet.metadata?.uid;
  const owners = (o: KubeObject): OwnerRef[] => (Array.isArray(o.metadata?.ownerReferences) ? (o.metadata.ownerReferences as OwnerRef[]) : []);
  return live.filter(
    (o) =>
      o.kind === 'Application' &&
      o.metadata?.namespace === appSet.metadata?.namespace &&
      owners(o).some((r) => r.kind === 'ApplicationSet' && (uid ? r.uid === uid : r.name === appSet.metadata?.name)),
  );
}

export function orphanNote(appSet: KubeObject, live: readonly KubeObject[]): string {
  const apps = generatedApplications(appSet, live).map((a) => a.metadata!.name!);
  const shown = apps.slice(0, 10).join(', ') + (apps.length > 10 ? `, … ${apps.length - 10} more` : '');
  return `not in the backup; deleted with orphan propagation: ${apps.length ? `its ${apps.length} generated Application${apps.length === 1 ? '' : 's'} (${shown}) stay, and so do their workloads` : 'no Application it generated is live'}`;
}

/** The ApplicationSet that owns an Application (its ownerReference), if any. */
export function generatedBy(app: KubeObject): string | undefined {
  if (app.kind !== 'Application' || !Array.isArray(app.metadata?.ownerReferences)) return undefined;
  return (app.metadata.ownerReferences as OwnerRef[]).find((r) => r.kind === 'ApplicationSet')?.name;
}
