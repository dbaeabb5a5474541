// Which windows of a project are in force now, and what that means for its applications, following Argo CD:
// an active deny window blocks; when allow windows exist, applications they match sync only inside one.
import { isOurWindow, recordedWindows, windowsOf, type AppProject, type SyncWindow } from './model';
import { windowTiming } from './schedule';

export interface WindowStatus {
  window: SyncWindow;
  active: boolean;
  ours: boolean;
  /** The window cannot be evaluated (bad schedule or duration). */
  invalid?: string;
  note?: string;
}

/** 'blocked': no application of the project syncs now; 'partly': some may be blocked; 'allowed': none is. */
export type ProjectSyncState = 'allowed' | 'partly' | 'blocked';

export interface ProjectWindows {
  project: string;
  windows: WindowStatus[];
  state: ProjectSyncState;
  /** Manual syncs are still possible while automatic syncs are blocked. */
  manualSyncAllowed: boolean;
}

/** Whether a window's selectors match every application (OR of lists, or AND with andOperator). */
function matchesEverything(w: SyncWindow): boolean {
  const lists = [w.applications, w.namespaces, w.clusters].filter((l): l is string[] => Array.isArray(l) && l.length > 0);
  if (lists.length === 0) return false;
  return w.andOperator ? lists.every((l) => l.includes('*')) : lists.some((l) => l.includes('*'));
}

export function evaluateProject(project: AppProject, now: Date): ProjectWindows {
  const recorded = recordedWindows(project);
  const windows: WindowStatus[] = windowsOf(project).map((w) => {
    const timing = windowTiming(w, now);
    return { window: w, active: timing.active, ours: isOurWindow(w, recorded), ...(timing.invalid ? { invalid: timing.invalid } : {}), ...(timing.note ? { note: timing.note } : {}) };
  });
  const deny = windows.filter((s) => s.window.kind === 'deny');
  const allow = windows.filter((s) => s.window.kind === 'allow');
  const activeDeny = deny.filter((s) => s.active);
  let state: ProjectSyncState = 'allowed';
  if (activeDeny.some((s) => matchesEverything(s.window))) state = 'blocked';
  else if (activeDeny.length > 0) state = 'partly';
  else if (allow.length > 0) {
    if (allow.some((s) => s.active && matchesEverything(s.window))) state = 'allowed';
    else if (allow.some((s) => !s.active && matchesEverything(s.window)) && !allow.some((s) => s.active)) state = 'blocked';
    else state = 'partly';
  }
  const manualSyncAllowed = activeDeny.every((s) => s.window.manualSync === true) && allow.filter((s) => !s.active).every((s) => s.window.manualSync === true);
  return { project: project.metadata?.name ?? '', windows, state, manualSyncAllowed };
}

/** One line per window, for logs and the CLI: "deny * * * * * for 24h (applications *) ACTIVE, ours". */
export function describeWindow(s: WindowStatus): string {
  const w = s.window;
  const targets = [
    w.applications?.length ? `applications ${w.applications.join(',')}` : '',
    w.namespaces?.length ? `namespaces ${w.namespaces.join(',')}` : '',
    w.clusters?.length ? `clusters ${w.clusters.join(',')}` : '',
  ].filter((t) => t).join(w.andOperator ? ' and ' : '; ');
  const flags = [s.invalid ? `INVALID: ${s.invalid}` : s.active ? 'in force now' : 'not in force now', s.ours ? 'added by gitops-dr' : '', w.manualSync ? 'manual sync allowed' : '', s.note ?? ''].filter((f) => f);
  return `${w.kind ?? '?'} "${w.schedule ?? ''}" for ${w.duration ?? '?'}${w.timeZone ? ` (${w.timeZone})` : ''}${targets ? ` [${targets}]` : ''}: ${flags.join(', ')}`;
}
