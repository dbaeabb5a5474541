// Argo CD sync windows (AppProject `spec.syncWindows`) and how this product marks the deny windows it adds, so that
// "allow" removes exactly those and never a window someone else wrote.
import type { KubeObject } from '../objects/kubeObject';

export interface SyncWindow {
  kind?: string; // 'allow' | 'deny'
  schedule?: string;
  duration?: string;
  applications?: string[];
  namespaces?: string[];
  clusters?: string[];
  manualSync?: boolean;
  timeZone?: string;
  andOperator?: boolean;
  description?: string;
  syncOverrun?: boolean;
  [key: string]: unknown;
}

export type AppProject = KubeObject & { spec?: { syncWindows?: SyncWindow[] | null; [key: string]: unknown } };

/** Our windows say so in their description (kept by Argo CD >= 2.13)... */
const OUR_DESCRIPTION_PREFIX = 'gitops-dr:';
/** ...and are listed in this annotation on the AppProject, for Argo CD versions whose CRD prunes `description`. */
export const OUR_WINDOWS_ANNOTATION = 'gitops-agent-dr/added-sync-windows';

export interface DenyWindowOptions {
  /** Default ['*']: every application of the project. */
  applications?: string[];
  namespaces?: string[];
  clusters?: string[];
  /** Why; goes into the description after the prefix. */
  reason?: string;
}

/** A deny window that is in force at every minute (a new 24 h window opens each minute) and blocks manual syncs too. */
export function ourDenyWindow(options: DenyWindowOptions = {}): SyncWindow {
  return {
    kind: 'deny',
    schedule: '* * * * *',
    duration: '24h',
    applications: options.applications ?? ['*'],
    ...(options.namespaces?.length ? { namespaces: options.namespaces } : {}),
    ...(options.clusters?.length ? { clusters: options.clusters } : {}),
    manualSync: false,
    description: `${OUR_DESCRIPTION_PREFIX} ${options.reason ?? 'syncs blocked for a disaster recovery failover'}`,
  };
}

/** The windows recorded in our annotation; a broken annotation counts as none (then the description decides). */
export function recordedWindows(project: AppProject): SyncWindow[] {
  const raw = project.metadata?.annotations?.[OUR_WINDOWS_ANNOTATION];
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed.filter((w) => typeof w === 'object' && w !== null) as SyncWindow[]) : [];
  } catch {
    return [];
  }
}

/** Fields that identify a window, without `description` (a CRD may have pruned it). */
export function windowSignature(w: SyncWindow): string {
  const { description: _d, ...rest } = w;
  const sorted = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify(sorted);
}

export function isOurWindow(w: SyncWindow, recorded: readonly SyncWindow[]): boolean {
  if (typeof w.description === 'string' && w.description.startsWith(OUR_DESCRIPTION_PREFIX)) return true;
  const sig = windowSignature(w);
  return recorded.some((r) => windowSignature(r) === sig);
}

export function windowsOf(project: AppProject): SyncWindow[] {
  const list = project.spec?.syncWindows;
  return Array.isArray(list) ? list : [];
}

export interface ProjectChange {
  syncWindows: SyncWindow[];
  /** The new value of our annotation; null removes it. */
  annotation: string | null;
}

/** Adds our deny window unless one of ours (for the same applications) is already there; undefined = no change. */
export function withOurDenyWindow(project: AppProject, options: DenyWindowOptions = {}): ProjectChange | undefined {
  const recorded = recordedWindows(project);
  const windows = windowsOf(project);
  const wanted = ourDenyWindow(options);
  const present = windows.some((w) => isOurWindow(w, recorded) && w.kind === 'deny' && windowSignature(w) === windowSignature(wanted));
  if (present) return undefined;
  const { description: _d, ...record } = wanted;
  return { syncWindows: [...windows, wanted], annotation: JSON.stringify([...recorded, record]) };
}

/** Removes every window of ours; undefined = nothing of ours was there. */
export function withoutOurWindows(project: AppProject): (ProjectChange & { removed: number }) | undefined {
  const recorded = recordedWindows(project);
  const windows = windowsOf(project);
  const kept = windows.filter((w) => !isOurWindow(w, recorded));
  const hasAnnotation = project.metadata?.annotations?.[OUR_WINDOWS_ANNOTATION] !== undefined;
  if (kept.length === windows.length && !hasAnnotation) return undefined;
  return { syncWindows: kept, annotation: null, removed: windows.length - kept.length };
}
