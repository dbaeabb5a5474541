// Whether an agent's Argo CD syncs now, read from the sync windows of its AppProjects: a DR secondary is kept
// fenced (every project blocked) until a failover allows it; the tree and the status bar show it.
import type { AppProject } from '../syncWindows/model';
import { evaluateProject } from '../syncWindows/evaluate';

/** 'fenced': no AppProject syncs now; 'partly': some are blocked or partly blocked; 'open': none is. */
export type FenceState = 'fenced' | 'partly' | 'open';

export interface SyncState {
  state: FenceState;
  /** AppProjects whose applications cannot sync now. */
  blocked: number;
  projects: number;
}

export function syncStateOf(projects: readonly AppProject[], now: Date): SyncState {
  const states = projects.map((p) => evaluateProject(p, now).state);
  const blocked = states.filter((s) => s === 'blocked').length;
  const partly = states.filter((s) => s === 'partly').length;
  // No AppProject: nothing can sync, but nothing was fenced either.
  const state: FenceState = projects.length > 0 && blocked === projects.length ? 'fenced' : blocked + partly > 0 ? 'partly' : 'open';
  return { state, blocked, projects: projects.length };
}
