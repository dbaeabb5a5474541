// One entry point from a location to its BlobStore.
import { DirectoryStore } from './dirStore';
import type { BlobStore } from './blobStore';
import type { BackupLocation } from './location';
import { S3Store, type S3StoreOptions } from './s3Store';

export function openStore(loc: BackupLocation, options: S3StoreOptions = {}): BlobStore {
  return loc.kind === 'dir' ? new DirectoryStore(loc.path) : new S3Store(loc, options);
}
