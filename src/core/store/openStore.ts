// One entry point from a location to its BlobStore. S3 goes through LazyS3Store: the AWS SDK loads on first use.
import { DirectoryStore } from './dirStore';
import type { BlobStore } from './blobStore';
import type { BackupLocation } from './location';
import { LazyS3Store } from './lazyS3Store';
import type { S3StoreOptions } from './s3Store';

export function openStore(loc: BackupLocation, options: S3StoreOptions = {}): BlobStore {
  return loc.kind === 'dir' ? new DirectoryStore(loc.path) : new LazyS3Store(loc, options);
}
