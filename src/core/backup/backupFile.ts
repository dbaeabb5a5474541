// Writing a backup file so that nothing half-written ever carries the final name: the text goes to a temporary
// file in the same directory (mode 0600: it holds Secret data), is flushed to disk, then renamed over the target.
// On any failure or cancellation the temporary file is removed.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export const BACKUP_FILE_MODE = 0o600;

export interface BackupFileWriter {
  readonly path: string;
  readonly tempPath: string;
  write(chunk: string): Promise<void>;
  /** Flush, close and rename to the final name. */
  commit(): Promise<void>;
  /** Close and remove the temporary file; the final name is left untouched. */
  abort(): Promise<void>;
}

export async function openBackupFile(finalPath: string): Promise<BackupFileWriter> {
  const target = path.resolve(finalPath);
  const tempPath = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fs.open(tempPath, 'wx', BACKUP_FILE_MODE);
  let closed = false;
  const close = async (): Promise<void> => {
    if (!closed) {
      closed = true;
      await fh.close();
    }
  };
  return {
    path: target,
    tempPath,
    async write(chunk: string): Promise<void> {
      const buf = Buffer.from(chunk, 'utf8');
      let off = 0;
      while (off < buf.length) off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
    },
    async commit(): Promise<void> {
      await fh.sync();
      await close();
      await fs.chmod(tempPath, BACKUP_FILE_MODE); // whatever the umask did
      await fs.rename(tempPath, target);
    },
    async abort(): Promise<void> {
      await close().catch(() => undefined);
      await fs.rm(tempPath, { force: true });
    },
  };
}

/**
 * Runs `produce` with a sink into a new backup file; commits when it resolves, removes the temporary file when it
 * throws (the error is rethrown).
 */
export async function saveBackupFile<T>(finalPath: string, produce: (sink: (chunk: string) => Promise<void>) => Promise<T>): Promise<T> {
  const file = await openBackupFile(finalPath);
  try {
    const result = await produce((chunk) => file.write(chunk));
    await file.commit();
    return result;
  } catch (e) {
    await file.abort();
    throw e;
  }
}

/** Writes text already in memory (the editor's "Save as") with the same guarantees. */
export function writeBackupFile(finalPath: string, text: string): Promise<void> {
  return saveBackupFile(finalPath, (sink) => sink(text));
}
