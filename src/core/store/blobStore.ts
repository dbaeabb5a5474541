// The small interface both kinds of location implement: put a stream, get a stream, list a prefix, delete.
import type { Readable } from 'node:stream';

export interface BlobInfo {
  /** Key relative to the location root. */
  key: string;
  size: number;
  lastModified?: Date;
}

export interface BlobStore {
  /** How the location is shown in messages (never with credentials). */
  readonly label: string;
  /** Writes a stream under key; nothing is visible under key until the whole stream is stored. */
  put(key: string, body: Readable, signal?: AbortSignal): Promise<void>;
  putText(key: string, text: string, signal?: AbortSignal): Promise<void>;
  /** Streams an object; throws StoreError notFound when there is none. */
  get(key: string, signal?: AbortSignal): Promise<Readable>;
  getText(key: string, maxBytes: number, signal?: AbortSignal): Promise<string>;
  /** Every object whose key starts with prefix (recursive). */
  list(prefix: string, signal?: AbortSignal): Promise<BlobInfo[]>;
  delete(key: string, signal?: AbortSignal): Promise<void>;
  close(): void;
}

export type StoreErrorReason = 'notFound' | 'noBucket' | 'forbidden' | 'unreachable' | 'aborted' | 'tooLarge' | 'other';

/** A storage failure with a reason and a message that says what and where (never a secret). */
export class StoreError extends Error {
  constructor(readonly reason: StoreErrorReason, message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

export async function readAll(stream: Readable, maxBytes: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new StoreError('tooLarge', `${what} is larger than ${maxBytes} bytes: refused`);
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}
