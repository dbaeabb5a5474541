// Retention: keep the newest N and/or everything younger than D, per source (agent + cluster: the two members of a
// DR pair are counted apart). It never removes the newest verified backup of a source, whatever N and D say.
import type { StoredBackup } from './readStored';

export interface RetentionPolicy {
  keepLast?: number;
  /** Milliseconds. */
  keepWithinMs?: number;
}

export interface RetentionDecision {
  backup: StoredBackup;
  keep: boolean;
  reason: string;
}

class RetentionError extends Error {}

/** `30m`, `12h`, `7d`, `2w` (or combinations such as `1d12h`) in milliseconds. */
export function parseDuration(text: string): number {
  const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
  const t = text.trim();
  if (!/^(\d+[mhdw])+$/.test(t)) throw new RetentionError(`"${text}" is not a duration: use e.g. 30m, 12h, 7d, 2w`);
  let ms = 0;
  for (const [, n, u] of t.matchAll(/(\d+)([mhdw])/g)) ms += Number(n) * units[u!]!;
  if (ms <= 0) throw new RetentionError(`"${text}" is not a positive duration`);
  return ms;
}

export function sourceOf(b: StoredBackup): string {
  return `${b.manifest.agentKey}@${b.manifest.clusterId}`;
}

/**
 * Decides every backup's fate. `newestVerified` holds, per source, the manifest key of the newest backup that was
 * verified (see newestVerified()); a source with none keeps everything (nothing can be shown to be good, so
 * nothing is thrown away).
 */
export function planRetention(backups: readonly StoredBackup[], policy: RetentionPolicy, newestVerified: ReadonlyMap<string, string | undefined>, now: Date): RetentionDecision[] {
  if (policy.keepLast === undefined && policy.keepWithinMs === undefined) throw new RetentionError('give --keep-last N and/or --keep-within D');
  if (policy.keepLast !== undefined && (!Number.isInteger(policy.keepLast) || policy.keepLast < 1)) throw new RetentionError('--keep-last must be a whole number of at least 1');
  const bySource = new Map<string, StoredBackup[]>();
  for (const b of backups) bySource.set(sourceOf(b), [...(bySource.get(sourceOf(b)) ?? []), b]);
  const out: RetentionDecision[] = [];
  for (const [source, list] of bySource) {
    const sorted = [...list].sort((a, b) => b.manifest.created.localeCompare(a.manifest.created));
    const verified = newestVerified.get(source);
    sorted.forEach((b, i) => {
      const age = now.getTime() - Date.parse(b.manifest.created);
      if (verified === undefined) return out.push({ backup: b, keep: true, reason: 'no verified backup of this source: nothing is removed' });
      if (b.manifestKey === verified) return out.push({ backup: b, keep: true, reason: 'newest verified backup' });
      if (policy.keepLast !== undefined && i < policy.keepLast) return out.push({ backup: b, keep: true, reason: `among the newest ${policy.keepLast}` });
      if (policy.keepWithinMs !== undefined && age < policy.keepWithinMs) return out.push({ backup: b, keep: true, reason: 'younger than --keep-within' });
      return out.push({ backup: b, keep: false, reason: policy.keepLast !== undefined && policy.keepWithinMs === undefined ? `older than the newest ${policy.keepLast}` : 'outside the retention policy' });
    });
  }
  return out;
}
