// Backup store: the public surface (locations, writing, listing, verifying, reading, retention, RPO).
export * from './location';
export * from './blobStore';
export * from './manifest';
export * from './layout';
export * from './encryption';
export * from './storeBackup';
export * from './readStored';
export * from './retention';
export * from './rpo';
export { openStore } from './openStore';
// Types only: the S3 client loads on first use (LazyS3Store); import S3Store from './s3Store' to use it directly.
export type { S3Credentials, S3StoreOptions } from './s3Store';
export { LazyS3Store } from './lazyS3Store';
export { DirectoryStore } from './dirStore';
export * from './backupSource';
export * from './newestForTarget';
