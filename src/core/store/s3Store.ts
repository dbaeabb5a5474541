// An S3-compatible bucket as a backup location, through the AWS SDK (v3). Credentials come from the SDK's default
// chain, which is what the AWS CLI reads: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY(/AWS_SESSION_TOKEN), then the
// shared config and credentials files (AWS_PROFILE or the location's profile), SSO, web identity, instance roles.
// Explicit credentials (VS Code SecretStorage) override the chain. Uploads stream in parts: memory holds at most
// queueSize parts whatever the backup's size, and an interrupted multipart upload never becomes an object.
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { readAll, StoreError, type BlobInfo, type BlobStore } from './blobStore';
import { formatLocation, type S3Location } from './location';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3StoreOptions {
  credentials?: S3Credentials;
  timeoutMs?: number;
  /** Bytes per multipart part (S3 minimum 5 MiB). */
  partSize?: number;
}

const PART_SIZE = 8 * 1024 * 1024;

export class S3Store implements BlobStore {
  readonly label: string;
  private readonly client: S3Client;

  constructor(private readonly loc: S3Location, private readonly options: S3StoreOptions = {}) {
    this.label = formatLocation(loc);
    const timeoutMs = options.timeoutMs ?? 30_000;
    const config: S3ClientConfig = {
      forcePathStyle: loc.forcePathStyle,
      maxAttempts: 3,
      requestHandler: new NodeHttpHandler({ connectionTimeout: Math.min(timeoutMs, 10_000), requestTimeout: timeoutMs }),
      // A S3-compatible server rarely cares about the region, but SigV4 needs one.
      ...(loc.region ? { region: loc.region } : loc.endpoint ? { region: 'us-east-1' } : {}),
      ...(loc.endpoint ? { endpoint: loc.endpoint } : {}),
      ...(loc.profile ? { profile: loc.profile } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Checksums on every request are on by default in newer SDKs; keep the SDK's default (CRC) behaviour.
    };
    this.client = new S3Client(config);
  }

  private key(key: string): string {
    return this.loc.prefix ? `${this.loc.prefix}/${key}` : key;
  }

  private where(key?: string): string {
    return key === undefined ? this.label : `s3://${this.loc.bucket}/${this.key(key)}`;
  }

  async put(key: string, body: Readable, signal?: AbortSignal): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.loc.bucket, Key: this.key(key), Body: body },
      queueSize: 2,
      partSize: this.options.partSize ?? PART_SIZE,
      leavePartsOnError: false,
    });
    const onAbort = (): void => void upload.abort().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await upload.done();
    } catch (e) {
      body.destroy();
      throw this.translate(e, key, signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async putText(key: string, text: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.loc.bucket, Key: this.key(key), Body: text, ContentType: 'application/json' }),
        signal ? { abortSignal: signal } : {},
      );
    } catch (e) {
      throw this.translate(e, key, signal);
    }
  }

  async get(key: string, signal?: AbortSignal): Promise<Readable> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.loc.bucket, Key: this.key(key) }), signal ? { abortSignal: signal } : {});
      if (!out.Body) throw new StoreError('other', `${this.where(key)} came back without a body`);
      return out.Body as Readable;
    } catch (e) {
      throw this.translate(e, key, signal);
    }
  }

  async getText(key: string, maxBytes: number, signal?: AbortSignal): Promise<string> {
    return (await readAll(await this.get(key, signal), maxBytes, this.where(key))).toString('utf8');
  }

  async list(prefix: string, signal?: AbortSignal): Promise<BlobInfo[]> {
    const out: BlobInfo[] = [];
    const strip = this.loc.prefix ? this.loc.prefix.length + 1 : 0;
    let token: string | undefined;
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.loc.bucket, Prefix: this.key(prefix), ...(token ? { ContinuationToken: token } : {}) }),
          signal ? { abortSignal: signal } : {},
        );
      } catch (e) {
        throw this.translate(e, undefined, signal);
      }
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        out.push({ key: o.Key.slice(strip), size: o.Size ?? 0, ...(o.LastModified ? { lastModified: o.LastModified } : {}) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.loc.bucket, Key: this.key(key) }), signal ? { abortSignal: signal } : {});
    } catch (e) {
      throw this.translate(e, key, signal);
    }
  }

  close(): void {
    this.client.destroy();
  }

  /** SDK errors -> StoreError with a message naming the location; never the credentials. */
  private translate(e: unknown, key: string | undefined, signal?: AbortSignal): StoreError {
    if (e instanceof StoreError) return e;
    const err = e as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; Code?: string };
    const name = err.name ?? err.Code ?? '';
    const status = err.$metadata?.httpStatusCode;
    const where = this.where(key);
    if (signal?.aborted || name === 'AbortError') return new StoreError('aborted', `cancelled: ${where}`);
    if (name === 'NoSuchBucket') return new StoreError('noBucket', `the bucket "${this.loc.bucket}" does not exist (${this.label})`);
    if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) return new StoreError('notFound', `${where} does not exist`);
    if (name === 'SignatureDoesNotMatch') return new StoreError('forbidden', `${this.label} refused the request (403 SignatureDoesNotMatch): the secret access key is wrong`);
    if (name === 'InvalidAccessKeyId') return new StoreError('forbidden', `${this.label} refused the request (403 InvalidAccessKeyId): the access key id is unknown to the server`);
    if (name === 'AccessDenied' || status === 403) return new StoreError('forbidden', `${this.label} refused the request (403 ${name || 'Forbidden'}) on ${where}: check the credentials and the bucket policy`);
    if (name === 'CredentialsProviderError') return new StoreError('forbidden', `no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with a shared credentials file (${err.message ?? ''})`);
    const netCode = err.code ?? (e as { cause?: { code?: string } }).cause?.code;
    if (netCode && /^(ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)$/.test(netCode)) {
      return new StoreError('unreachable', `${this.label} is unreachable (${netCode}) while writing or reading ${where}`);
    }
    if (name === 'TimeoutError' || name === 'RequestTimeout') return new StoreError('unreachable', `${this.label} timed out on ${where}`);
    return new StoreError('other', `${where}: ${name ? `${name}: ` : ''}${err.message ?? String(e)}`);
  }
}
