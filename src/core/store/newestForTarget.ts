// The stored backup a restore or a drill into one member of a pair takes when the user says "the newest stored
// one": the newest backup of the agent that verifies (size + SHA-256, the same rule as `--from-store`), taken on
// another cluster than the target's when there is one (the primary's backup, not the secondary's own, nearly empty
// one), else the newest of any member. Backups that cannot be read without a key are skipped when no key is given.
import type { BlobStore } from './blobStore';
import type { DecryptionKeys } from './encryption';
import { listBackups, newestVerified, type StoredBackup } from './readStored';

export interface NewestForTarget {
  backup?: StoredBackup;
  text?: string;
  /** Newer backups passed over, and why (refused by verification, encrypted without a key). */
  warnings: string[];
}

export async function newestBackupForTarget(
  store: BlobStore,
  agentKey: string,
  opts: { targetClusterId?: string; keys?: DecryptionKeys; signal?: AbortSignal } = {},
): Promise<NewestForTarget> {
  const all = await listBackups(store, { agentKey, ...(opts.signal ? { signal: opts.signal } : {}) });
  const hasKey = Boolean(opts.keys?.identities?.length || opts.keys?.passphrase);
  const warnings: string[] = [];
  const readable = all.backups.filter((b) => {
    if (!b.manifest.encrypted || hasKey) return true;
    warnings.push(`skipped ${b.manifest.id}: age-encrypted, and no key was given`);
    return false;
  });
  const fromOthers = readable.filter((b) => opts.targetClusterId && b.manifest.clusterId !== opts.targetClusterId);
  for (const candidates of fromOthers.length && fromOthers.length < readable.length ? [fromOthers, readable] : [readable]) {
    const r = await newestVerified(store, { ...all, backups: candidates }, { read: true, ...(opts.keys ? { keys: opts.keys } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    for (const p of r.refused) warnings.push(`skipped a newer backup that does not verify: ${p.message}`);
    if (r.backup) return { backup: r.backup, text: r.text!, warnings: [...new Set(warnings)] };
  }
  return { warnings: [...new Set(warnings)] };
}
