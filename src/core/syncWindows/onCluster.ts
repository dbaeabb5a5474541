// Sync windows on a live Argo CD: block syncs (our deny window on every AppProject of its namespace), allow them
// again (remove only ours), and list the windows in force. Each AppProject is changed with a merge patch that
// carries the resourceVersion it was computed from, so a concurrent edit is re-read, never overwritten.
import type { KubeClient } from '../kube/client';
import { KubeError } from '../kube/errors';
import { APP_PROJECT } from '../objects/resources';
import { OUR_WINDOWS_ANNOTATION, withOurDenyWindow, withoutOurWindows, type AppProject, type DenyWindowOptions, type ProjectChange } from './model';
import { evaluateProject, type ProjectWindows } from './evaluate';

export interface ProjectOutcome {
  project: string;
  action: 'added' | 'alreadyBlocked' | 'removed' | 'nothingToRemove' | 'failed';
  /** Windows removed (allow). */
  removed?: number;
  error?: string;
}

export interface SyncWindowsResult {
  context: string;
  namespace: string;
  projects: ProjectOutcome[];
  /** True when every project got what was asked. */
  ok: boolean;
}

export interface SyncWindowsOptions {
  signal?: AbortSignal;
  /** Only these AppProjects (default: every AppProject of the namespace). */
  projects?: readonly string[];
}

const CONFLICT_RETRIES = 5;

async function listProjects(client: KubeClient, namespace: string, options: SyncWindowsOptions): Promise<AppProject[]> {
  const all = await client.listAll<AppProject>(APP_PROJECT, namespace, options.signal ? { signal: options.signal } : {});
  if (!options.projects) return all;
  const wanted = new Set(options.projects);
  const found = all.filter((p) => wanted.has(p.metadata?.name ?? ''));
  const missing = [...wanted].filter((n) => !found.some((p) => p.metadata?.name === n));
  if (missing.length) throw new KubeError('notFound', `AppProject ${missing.join(', ')} not found in namespace ${namespace} (${client.context})`);
  return found;
}

/** Applies `change` computed from a fresh read; on 409 re-reads and recomputes. */
async function updateProject(
  client: KubeClient,
  namespace: string,
  first: AppProject,
  compute: (p: AppProject) => (ProjectChange & { removed?: number }) | undefined,
  signal: AbortSignal | undefined,
): Promise<{ changed: boolean; removed?: number }> {
  let project: AppProject | undefined = first;
  const name = first.metadata?.name ?? '';
  for (let attempt = 0; ; attempt++) {
    if (!project) throw new KubeError('notFound', `AppProject ${name} disappeared from namespace ${namespace} (${client.context})`);
    const change = compute(project);
    if (!change) return { changed: false };
    const patch = {
      metadata: { resourceVersion: project.metadata?.resourceVersion, annotations: { [OUR_WINDOWS_ANNOTATION]: change.annotation } },
      spec: { syncWindows: change.syncWindows.length > 0 ? change.syncWindows : null },
    };
    try {
      await client.patchMerge(APP_PROJECT, namespace, name, patch, signal ? { signal } : {});
      return { changed: true, ...(change.removed !== undefined ? { removed: change.removed } : {}) };
    } catch (e) {
      if (!(e instanceof KubeError && e.reason === 'conflict') || attempt >= CONFLICT_RETRIES) throw e;
      project = await client.get<AppProject>(APP_PROJECT, namespace, name, signal);
    }
  }
}

async function forEachProject(
  client: KubeClient,
  namespace: string,
  options: SyncWindowsOptions,
  one: (p: AppProject) => Promise<ProjectOutcome>,
): Promise<SyncWindowsResult> {
  const projects = await listProjects(client, namespace, options);
  const outcomes: ProjectOutcome[] = [];
  // One at a time: a handful of projects, and a partial failure stays easy to read.
  for (const p of projects) {
    try {
      outcomes.push(await one(p));
    } catch (e) {
      if (e instanceof KubeError && e.reason === 'cancelled') throw e;
      outcomes.push({ project: p.metadata?.name ?? '', action: 'failed', error: (e as Error).message });
    }
  }
  return { context: client.context, namespace, projects: outcomes, ok: outcomes.every((o) => o.action !== 'failed') };
}

/** Adds our deny window to every AppProject of the Argo CD in `namespace` (idempotent). */
export function blockSyncs(client: KubeClient, namespace: string, options: SyncWindowsOptions & DenyWindowOptions = {}): Promise<SyncWindowsResult> {
  return forEachProject(client, namespace, options, async (p) => {
    const r = await updateProject(client, namespace, p, (fresh) => withOurDenyWindow(fresh, options), options.signal);
    return { project: p.metadata?.name ?? '', action: r.changed ? 'added' : 'alreadyBlocked' };
  });
}

/** Removes every window this product added from the AppProjects in `namespace`; windows of others stay. */
export function allowSyncs(client: KubeClient, namespace: string, options: SyncWindowsOptions = {}): Promise<SyncWindowsResult> {
  return forEachProject(client, namespace, options, async (p) => {
    const r = await updateProject(client, namespace, p, withoutOurWindows, options.signal);
    return { project: p.metadata?.name ?? '', action: r.changed ? 'removed' : 'nothingToRemove', ...(r.changed ? { removed: r.removed ?? 0 } : {}) };
  });
}

/** The windows of every AppProject in `namespace` with what is in force at `now`. */
export async function listSyncWindows(client: KubeClient, namespace: string, options: SyncWindowsOptions & { now?: Date } = {}): Promise<ProjectWindows[]> {
  const projects = await listProjects(client, namespace, options);
  const now = options.now ?? new Date();
  return projects.map((p) => evaluateProject(p, now)).sort((a, b) => a.project.localeCompare(b.project));
}

export function describeOutcomes(r: SyncWindowsResult): string {
  const by = (a: ProjectOutcome['action']): string[] => r.projects.filter((p) => p.action === a).map((p) => p.project);
  const parts = [
    by('added').length ? `deny window added to ${by('added').join(', ')}` : '',
    by('alreadyBlocked').length ? `already blocked: ${by('alreadyBlocked').join(', ')}` : '',
    by('removed').length ? `our windows removed from ${by('removed').join(', ')}` : '',
    by('nothingToRemove').length ? `nothing of ours on ${by('nothingToRemove').join(', ')}` : '',
    ...r.projects.filter((p) => p.action === 'failed').map((p) => `FAILED on ${p.project}: ${p.error}`),
  ].filter((s) => s);
  if (r.projects.length === 0) return `${r.context}/${r.namespace}: no AppProjects`;
  return `${r.context}/${r.namespace}: ${parts.join('; ')}`;
}
