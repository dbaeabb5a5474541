// The recovery point of a DR pair: how old the newest verified backup of its primary is, against the objective.
export type RpoState = 'ok' | 'exceeded' | 'noBackup' | 'unknown';

export interface RpoStatus {
  state: RpoState;
  /** Age of the newest verified backup, in minutes. */
  ageMinutes?: number;
  objectiveMinutes: number;
  newestCreated?: string;
}

export function rpoStatus(newestCreated: string | undefined, objectiveMinutes: number, now: Date): RpoStatus {
  if (!newestCreated) return { state: 'noBackup', objectiveMinutes };
  const ageMinutes = Math.max(0, (now.getTime() - Date.parse(newestCreated)) / 60_000);
  return { state: ageMinutes > objectiveMinutes ? 'exceeded' : 'ok', ageMinutes, objectiveMinutes, newestCreated };
}

/** 42 s, 12 min, 3 h 5 min, 2 d 4 h. */
export function formatAge(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 60) return `${Math.floor(minutes)} min`;
  const h = Math.floor(minutes / 60);
  if (h < 48) return `${h} h${minutes % 60 >= 1 ? ` ${Math.floor(minutes % 60)} min` : ''}`;
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ''}`;
}
