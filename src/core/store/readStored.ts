// Reading a location: list the backups (manifests) of one agent or of all, verify a backup's stored bytes
// (size + SHA-256, no key needed), and read one, verified, decrypted, and only then handed over. A truncated,
// altered or unmanifested object is refused with a message that names it.
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { BlobInfo, BlobStore } from './blobStore';
import { StoreError } from './blobStore';
import { decryptStream, EncryptionError, type DecryptionKeys } from './encryption';
import { DATA_SUFFIX, ENCRYPTED_SUFFIX, MANIFEST_SUFFIX } from './layout';
import { ManifestError, parseManifest, type BackupManifest } from './manifest';

const MAX_MANIFEST_BYTES = 1 << 20;

export interface StoredBackup {
  manifest: BackupManifest;
  manifestKey: string;
  /** The data object as listed, undefined when it is missing. */
  data?: BlobInfo;
}

export interface ListProblem {
  key: string;
  message: string;
}

export interface BackupListing {
  /** Newest first. */
  backups: StoredBackup[];
  /** Manifests that cannot be read, and data objects without a manifest (unfinished or failed uploads). */
  problems: ListProblem[];
  orphans: BlobInfo[];
}

export class IntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntegrityError';
  }
}

/** Backups of one agent (one prefix listing) or of every agent of the location. */
export async function listBackups(store: BlobStore, opts: { agentKey?: string; signal?: AbortSignal } = {}): Promise<BackupListing> {
  const blobs = await store.list(opts.agentKey ? `${opts.agentKey}/` : '', opts.signal);
  const byKey = new Map(blobs.map((b) => [b.key, b]));
  const manifests = blobs.filter((b) => b.key.endsWith(MANIFEST_SUFFIX));
  const problems: ListProblem[] = [];
  const backups: StoredBackup[] = [];
  const referenced = new Set<string>();
  // A few at a time: a location may hold thousands of backups.
  for (let i = 0; i < manifests.length; i += 16) {
    const batch = manifests.slice(i, i + 16);
    const read = await Promise.all(batch.map(async (m) => {
      try {
        const manifest = parseManifest(await store.getText(m.key, MAX_MANIFEST_BYTES, opts.signal), `${store.label}: ${m.key}`);
        return { m, manifest };
      } catch (e) {
        if (e instanceof ManifestError || (e instanceof StoreError && e.reason === 'tooLarge')) return { m, error: e.message };
        throw e;
      }
    }));
    for (const r of read) {
      if (r.error !== undefined) {
        problems.push({ key: r.m.key, message: r.error });
        continue;
      }
      const manifest = r.manifest!;
      referenced.add(manifest.dataKey);
      const data = byKey.get(manifest.dataKey);
      backups.push({ manifest, manifestKey: r.m.key, ...(data ? { data } : {}) });
    }
  }
  const orphans = blobs.filter((b) => (b.key.endsWith(DATA_SUFFIX) || b.key.endsWith(DATA_SUFFIX + ENCRYPTED_SUFFIX)) && !referenced.has(b.key));
  backups.sort((a, b) => b.manifest.created.localeCompare(a.manifest.created) || b.manifestKey.localeCompare(a.manifestKey));
  return { backups, problems, orphans };
}

/** What the listing alone can tell: the data object is there with the manifest's size. */
export function listedProblem(b: StoredBackup): string | undefined {
  if (!b.data) return `${b.manifest.dataKey} is missing (the manifest ${b.manifestKey} names it)`;
  if (b.data.size !== b.manifest.size) return `${b.manifest.dataKey} is ${b.data.size} bytes, the manifest says ${b.manifest.size}: truncated or replaced`;
  return undefined;
}

class Hasher extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  override _transform(chunk: Buffer, _e: BufferEncoding, done: (e?: Error | null, d?: Buffer) => void): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    done(null, chunk);
  }
}

function checkDigest(where: string, what: string, size: number, sha: string, wantSize: number, wantSha: string): void {
  if (size !== wantSize) throw new IntegrityError(`${where}: ${what} is ${size} bytes, the manifest says ${wantSize}: truncated or altered; refused`);
  if (sha !== wantSha) throw new IntegrityError(`${where}: the SHA-256 of ${what} is ${sha}, the manifest says ${wantSha}: altered; refused`);
}

/** Reads the stored bytes and checks size and SHA-256 (no key needed). */
export async function verifyBackup(store: BlobStore, b: StoredBackup, signal?: AbortSignal): Promise<void> {
  const where = `${store.label}: ${b.manifest.dataKey}`;
  const listed = listedProblem(b);
  if (listed) throw new IntegrityError(`${store.label}: ${listed}; refused`);
  const h = new Hasher();
  const body = await store.get(b.manifest.dataKey, signal);
  for await (const c of body.pipe(h) as AsyncIterable<Buffer>) void c;
  checkDigest(where, 'the stored object', h.size, h.hash.digest('hex'), b.manifest.size, b.manifest.sha256);
}

/**
 * Streams a backup's export to `sink` while checking it; resolves only when the stored bytes and the export both
 * match the manifest. The caller must not use what it received before this resolves (a file writer commits after).
 */
export async function readBackupTo(
  store: BlobStore,
  b: StoredBackup,
  sink: (chunk: Buffer) => void | Promise<void>,
  keys: DecryptionKeys = {},
  signal?: AbortSignal,
): Promise<void> {
  const where = `${store.label}: ${b.manifest.dataKey}`;
  const listed = listedProblem(b);
  if (listed) throw new IntegrityError(`${store.label}: ${listed}; refused`);
  const storedHash = new Hasher();
  const body = (await store.get(b.manifest.dataKey, signal)).pipe(storedHash);
  let plain: Readable = body;
  if (b.manifest.encrypted) plain = await decryptStream(body, keys, where);
  const exportHash = new Hasher();
  try {
    for await (const c of plain.pipe(exportHash) as AsyncIterable<Buffer>) await sink(c);
  } catch (e) {
    if (e instanceof StoreError || e instanceof EncryptionError) throw e;
    // age authenticates every 64 KiB chunk: an altered or cut ciphertext fails here.
    if (b.manifest.encrypted) throw new IntegrityError(`${where}: the encrypted data does not decrypt cleanly (${(e as Error).message}): altered or truncated; refused`);
    throw e;
  }
  checkDigest(where, 'the stored object', storedHash.size, storedHash.hash.digest('hex'), b.manifest.size, b.manifest.sha256);
  checkDigest(where, 'the decrypted export', exportHash.size, exportHash.hash.digest('hex'), b.manifest.exportSize, b.manifest.exportSha256);
}

/** The verified export as text (what restore and compare read). */
export async function readBackupText(store: BlobStore, b: StoredBackup, keys: DecryptionKeys = {}, signal?: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  await readBackupTo(store, b, (c) => void chunks.push(c), keys, signal);
  return Buffer.concat(chunks).toString('utf8');
}

/** Finds a backup by its id (`<agentKey>/<stamp>`), its manifest key, or a unique stamp prefix. */
export function findBackup(listing: BackupListing, ref: string): StoredBackup {
  const hits = listing.backups.filter((b) => b.manifest.id === ref || b.manifestKey === ref || b.manifest.id.split('/').pop()!.startsWith(ref));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw new StoreError('notFound', `no stored backup "${ref}" (list them with: gitops-dr backups list LOCATION)`);
  throw new StoreError('other', `"${ref}" names ${hits.length} backups; give the full id`);
}

export interface NewestVerified {
  backup?: StoredBackup;
  text?: string;
  /** Newer backups that were refused on the way, with why. */
  refused: ListProblem[];
}

/**
 * The newest backup of an agent whose bytes verify (and, when it is read, decrypt): newer ones that fail are
 * reported, never used. With `clusterId`, only backups of that cluster (one member of a pair).
 */
export async function newestVerified(
  store: BlobStore,
  listing: BackupListing,
  opts: { clusterId?: string; keys?: DecryptionKeys; read?: boolean; signal?: AbortSignal } = {},
): Promise<NewestVerified> {
  const refused: ListProblem[] = [];
  for (const b of listing.backups) {
    if (opts.clusterId && b.manifest.clusterId !== opts.clusterId) continue;
    try {
      if (opts.read) return { backup: b, text: await readBackupText(store, b, opts.keys, opts.signal), refused };
      await verifyBackup(store, b, opts.signal);
      return { backup: b, refused };
    } catch (e) {
      if (e instanceof IntegrityError) refused.push({ key: b.manifest.dataKey, message: e.message });
      else throw e;
    }
  }
  return { refused };
}
