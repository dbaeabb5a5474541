// Applying a retention policy to one agent's backups (or every agent's): find each source's newest verified
// backup first (reading its bytes), then remove what the policy lets go, the manifest before the data, so an
// interrupted prune never leaves a manifest whose data is gone.
import type { CliIO } from '../io';
import { listBackups, newestVerified, planRetention, sourceOf, type BlobStore, type RetentionDecision, type RetentionPolicy } from '../../core/store';

/** Leftover data of failed uploads is removed once it is older than this (an upload in progress is younger). */
const ORPHAN_AGE_MS = 24 * 3_600_000;

export async function applyRetention(
  store: BlobStore,
  agentKey: string | undefined,
  policy: RetentionPolicy,
  opts: { dryRun: boolean; io: CliIO; signal?: AbortSignal; now?: Date },
): Promise<RetentionDecision[]> {
  const now = opts.now ?? new Date();
  const listing = await listBackups(store, { ...(agentKey ? { agentKey } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  const verified = new Map<string, string | undefined>();
  for (const source of new Set(listing.backups.map(sourceOf))) {
    const mine = { ...listing, backups: listing.backups.filter((b) => sourceOf(b) === source) };
    const found = await newestVerified(store, mine, opts.signal ? { signal: opts.signal } : {});
    verified.set(source, found.backup?.manifestKey);
    for (const r of found.refused) opts.io.stderr.write(`warning: ${r.message}\n`);
  }
  const decisions = planRetention(listing.backups, policy, verified, now);
  const verb = opts.dryRun ? 'would remove' : 'removed';
  for (const d of decisions.filter((x) => !x.keep)) {
    if (!opts.dryRun) {
      await store.delete(d.backup.manifestKey, opts.signal);
      await store.delete(d.backup.manifest.dataKey, opts.signal);
    }
    opts.io.stderr.write(`${verb} ${d.backup.manifest.id} (${d.backup.manifest.created}; ${d.reason})\n`);
  }
  for (const o of listing.orphans) {
    if (o.lastModified && now.getTime() - o.lastModified.getTime() > ORPHAN_AGE_MS) {
      if (!opts.dryRun) await store.delete(o.key, opts.signal);
      opts.io.stderr.write(`${verb} ${o.key} (data of an unfinished upload: it has no manifest)\n`);
    }
  }
  return decisions;
}
