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
export { S3Store, type S3Credentials, type S3StoreOptions } from './s3Store';
export { DirectoryStore } from './dirStore';
export * from './backupSource';
export * from './newestForTarget';
