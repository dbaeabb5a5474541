// An S3 location whose client (the AWS SDK: about 600 KB of the extension's 2.1 MB bundle) is loaded on the first
// request, not when the extension or the CLI starts: most sessions never touch a bucket. The label needs no SDK.
import type { Readable } from 'node:stream';
import type { BlobInfo, BlobStore } from './blobStore';
import { formatLocation, type S3Location } from './location';
import type { S3StoreOptions } from './s3Store';

export class LazyS3Store implements BlobStore {
  readonly label: string;
  private loaded: Promise<BlobStore> | undefined;
  private closed = false;

  constructor(private readonly loc: S3Location, private readonly options: S3StoreOptions = {}) {
    this.label = formatLocation(loc);
  }

  private store(): Promise<BlobStore> {
    // A bundler turns this import into a lazily run part of the same bundle; tsc output imports the module file.
    this.loaded ??= import('./s3Store.js').then(({ S3Store }) => {
      const s = new S3Store(this.loc, this.options);
      if (this.closed) s.close();
      return s;
    });
    return this.loaded;
  }

  async put(key: string, body: Readable, signal?: AbortSignal): Promise<void> {
    return (await this.store()).put(key, body, signal);
  }

  async putText(key: string, text: string, signal?: AbortSignal): Promise<void> {
    return (await this.store()).putText(key, text, signal);
  }

  async get(key: string, signal?: AbortSignal): Promise<Readable> {
    return (await this.store()).get(key, signal);
  }

  async getText(key: string, maxBytes: number, signal?: AbortSignal): Promise<string> {
    return (await this.store()).getText(key, maxBytes, signal);
  }

  async list(prefix: string, signal?: AbortSignal): Promise<BlobInfo[]> {
    return (await this.store()).list(prefix, signal);
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    return (await this.store()).delete(key, signal);
  }

  close(): void {
    this.closed = true;
    void this.loaded?.then((s) => s.close(), () => undefined);
  }
}
