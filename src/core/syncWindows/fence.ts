// The fence of a DR secondary: the deny windows on its AppProjects that keep it from syncing while the primary
// runs. A restore of the primary's projects would replace them (Argo CD's import replaces the whole spec) and un-fence
// the secondary, so a restore keeps them unless told to drop them. A window is part of the fence when it
//   - was added by gitops-dr (its description prefix, or listed in its annotation),
//   - is marked by the user: description starting with `dr-fence:`,
//   - or denies every application (`applications`, `namespaces` or `clusters` is `*`): how Harness fences a node
//     for `sync-allowed = false` (deny windows on the mapped AppProjects).
import { isOurWindow, OUR_WINDOWS_ANNOTATION, recordedWindows, windowSignature, windowsOf, type AppProject, type SyncWindow } from './model';

/** Description prefix a person puts on a window to make it part of the fence. */
const FENCE_DESCRIPTION_PREFIX = 'dr-fence:';

export type FenceKind = 'gitops-dr' | 'marked' | 'deny-all';

function fenceKindOf(w: SyncWindow, recorded: readonly SyncWindow[]): FenceKind | undefined {
  if (w.kind !== 'deny') return undefined;
  if (isOurWindow(w, recorded)) return 'gitops-dr';
  if (typeof w.description === 'string' && w.description.startsWith(FENCE_DESCRIPTION_PREFIX)) return 'marked';
  const all = (list: unknown): boolean => Array.isArray(list) && list.includes('*');
  if (all(w.applications) || all(w.namespaces) || all(w.clusters)) return 'deny-all';
  return undefined;
}

export interface FenceWindow {
  kind: FenceKind;
  window: SyncWindow;
}

/** The fence windows of a live AppProject. */
export function fenceOf(project: AppProject): FenceWindow[] {
  const recorded = recordedWindows(project);
  const out: FenceWindow[] = [];
  for (const w of windowsOf(project)) {
    const kind = fenceKindOf(w, recorded);
    if (kind) out.push({ kind, window: w });
  }
  return out;
}

export function describeFenceWindow(f: FenceWindow): string {
  const who = f.kind === 'gitops-dr' ? 'added by gitops-dr' : f.kind === 'marked' ? `marked ${FENCE_DESCRIPTION_PREFIX}` : 'denies every application (Harness sync-allowed = false)';
  return `deny ${f.window.schedule ?? '?'} for ${f.window.duration ?? '?'} (${who})`;
}

function sameWindows(a: readonly SyncWindow[], b: readonly SyncWindow[]): boolean {
  if (a.length !== b.length) return false;
  const count = new Map<string, number>();
  for (const w of a) count.set(windowSignature(w), (count.get(windowSignature(w)) ?? 0) + 1);
  for (const w of b) {
    const n = count.get(windowSignature(w)) ?? 0;
    if (n === 0) return false;
    count.set(windowSignature(w), n - 1);
  }
  return true;
}

/**
 * The backup's AppProject with the live target's fence kept beside the backup's own windows (and gitops-dr's
 * annotation carrying the windows it recorded). `kept` is empty when the backup holds every fence window already.
 */
export function withTargetFence(backup: AppProject, live: AppProject): { project: AppProject; kept: FenceWindow[] } {
  const fence = fenceOf(live);
  const backupWindows = windowsOf(backup);
  const inBackup = new Set(backupWindows.map(windowSignature));
  const kept = fence.filter((f) => !inBackup.has(windowSignature(f.window)));
  if (kept.length === 0) return { project: backup, kept };
  const merged = [...backupWindows, ...kept.map((f) => f.window)];
  const liveWindows = windowsOf(live);
  const syncWindows = sameWindows(merged, liveWindows) ? liveWindows : merged; // keep the live order: no spurious update
  const out: AppProject = { ...backup, spec: { ...(backup.spec ?? {}), syncWindows } };
  if (kept.some((f) => f.kind === 'gitops-dr')) {
    const liveAnnotation = live.metadata?.annotations?.[OUR_WINDOWS_ANNOTATION];
    const recordedInBackup = recordedWindows(backup);
    const have = new Set(recordedInBackup.map(windowSignature));
    const record = [...recordedInBackup, ...recordedWindows(live).filter((w) => !have.has(windowSignature(w)))];
    const annotation = recordedInBackup.length === 0 && liveAnnotation !== undefined ? liveAnnotation : JSON.stringify(record);
    if (record.length > 0 || liveAnnotation !== undefined) out.metadata = { ...(backup.metadata ?? {}), annotations: { ...(backup.metadata?.annotations ?? {}), [OUR_WINDOWS_ANNOTATION]: annotation } };
  }
  return { project: out, kept };
}

/**
 * The fence of a whole target namespace, as one AppProject holding every fence window found on its AppProjects
 * (once each) and gitops-dr's record of its own: a project the restore creates there is fenced like the others.
 */
export function namespaceFence(projects: readonly AppProject[]): AppProject | undefined {
  const windows = new Map<string, SyncWindow>();
  const recorded = new Map<string, SyncWindow>();
  for (const p of projects) {
    for (const f of fenceOf(p)) windows.set(windowSignature(f.window), f.window);
    for (const r of recordedWindows(p)) recorded.set(windowSignature(r), r);
  }
  if (windows.size === 0) return undefined;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: recorded.size ? { annotations: { [OUR_WINDOWS_ANNOTATION]: JSON.stringify([...recorded.values()]) } } : {},
    spec: { syncWindows: [...windows.values()] },
  };
}
