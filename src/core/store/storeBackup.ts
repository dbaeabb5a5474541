// Writing a backup to a location: the export streams through a SHA-256 of the export, optionally age encryption,
// a SHA-256 of the stored bytes, and the upload, chunk by chunk with backpressure, so memory holds a few parts
// whatever the backup's size (never the whole export, let alone twice). The manifest is written only after the
// data is stored; a failed or cancelled run leaves no manifest, so no backup appears.
import { createHash } from 'node:crypto';
import { PassThrough, pipeline, Transform, type Readable } from 'node:stream';
import type { BackupResult, BackupSink } from '../backup/exportBackup';
import type { BlobStore } from './blobStore';
import { encryptStream, hasEncryption, type EncryptionSpec } from './encryption';
import { agentKey, backupStamp, DATA_SUFFIX, ENCRYPTED_SUFFIX, join, MANIFEST_SUFFIX } from './layout';
import { MANIFEST_SCHEMA, type BackupManifest } from './manifest';

/** Where a backup comes from: the manifest's own fields, so the two cannot drift apart. */
export type BackupSource = Pick<BackupManifest, 'identity' | 'drIdentifier' | 'context' | 'clusterId' | 'namespace' | 'argocdVersion'>;

export interface StoreBackupInput {
  store: BlobStore;
  source: BackupSource;
  /** Runs the export into the sink (e.g. `(sink) => runBackup(client, options, sink)`). */
  produce: (sink: BackupSink) => Promise<BackupResult>;
  encryption?: EncryptionSpec;
  toolVersion: string;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface StoredBackupResult {
  manifest: BackupManifest;
  manifestKey: string;
  result: BackupResult;
}

/** Counts and hashes what flows through. (Not `size`: the S3 uploader reads `body.size` as the total length.) */
class Digest extends Transform {
  readonly hash = createHash('sha256');
  byteCount = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null, data?: Buffer) => void): void {
    this.hash.update(chunk);
    this.byteCount += chunk.length;
    done(null, chunk);
  }
}

export async function storeBackup(input: StoreBackupInput): Promise<StoredBackupResult> {
  const { store, source } = input;
  const now = input.now ?? (() => new Date());
  const key = agentKey(source.identity);
  const stamp = backupStamp(now());
  const encrypted = hasEncryption(input.encryption);
  const dataKey = join(key, `${stamp}${DATA_SUFFIX}${encrypted ? ENCRYPTED_SUFFIX : ''}`);
  const manifestKey = join(key, `${stamp}${MANIFEST_SUFFIX}`);

  const plain = new PassThrough({ highWaterMark: 1 << 20 });
  const plainDigest = new Digest();
  const storedDigest = new Digest();
  // pipeline(): an error or destroy anywhere tears the whole chain down (a plain pipe() would leave the upload waiting).
  const ignore = (): void => undefined;
  const exported = pipeline(plain, plainDigest, ignore);
  const stored: Readable = pipeline(encrypted ? await encryptStream(exported, input.encryption!) : exported, storedDigest, ignore);

  let failure: Error | undefined;
  const upload = store.put(dataKey, stored, input.signal).catch((e: Error) => {
    failure = e;
    plain.destroy(e);
    throw e;
  });
  upload.catch(() => undefined); // observed below; never an unhandled rejection

  const sink: BackupSink = (chunk) => {
    if (failure) return Promise.reject(failure);
    return new Promise<void>((resolve, reject) => {
      const settle = (): void => {
        plain.off('drain', settle);
        plain.off('close', settle);
        if (failure) reject(failure);
        else resolve();
      };
      if (plain.write(chunk, 'utf8')) resolve();
      else {
        plain.once('drain', settle);
        plain.once('close', settle);
      }
    });
  };

  let result: BackupResult;
  try {
    result = await input.produce(sink);
    plain.end();
    await upload;
  } catch (e) {
    const err = failure ?? (e as Error);
    plain.destroy(err);
    await upload.catch(() => undefined);
    // The data object may exist (the upload finished before the export failed, or the manifest write failed):
    // without a manifest it is no backup; remove it when we can, `backups prune` removes leftovers later.
    await store.delete(dataKey).catch(() => undefined);
    throw err;
  }

  const manifest: BackupManifest = {
    schema: MANIFEST_SCHEMA,
    id: join(key, stamp),
    agentKey: key,
    identity: source.identity,
    ...(source.drIdentifier ? { drIdentifier: source.drIdentifier } : {}),
    context: source.context,
    clusterId: source.clusterId,
    namespace: source.namespace,
    ...(source.argocdVersion ? { argocdVersion: source.argocdVersion } : {}),
    counts: result.counts,
    created: now().toISOString(),
    toolVersion: input.toolVersion,
    dataKey,
    size: storedDigest.byteCount,
    sha256: storedDigest.hash.digest('hex'),
    encrypted,
    exportSize: plainDigest.byteCount,
    exportSha256: plainDigest.hash.digest('hex'),
  };
  try {
    await store.putText(manifestKey, `${JSON.stringify(manifest, null, 2)}\n`, input.signal);
  } catch (e) {
    await store.delete(dataKey).catch(() => undefined);
    throw e;
  }
  return { manifest, manifestKey, result };
}
