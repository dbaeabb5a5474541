// A local directory as a backup location. Files are written to a temporary name (mode 0600: backups hold Secret
// data), flushed, then renamed, so a reader never sees half a file under its final name.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { BACKUP_FILE_MODE } from '../backup/backupFile';
import { readAll, StoreError, type BlobInfo, type BlobStore } from './blobStore';

export class DirectoryStore implements BlobStore {
  readonly label: string;
  constructor(private readonly root: string) {
    this.label = root;
  }

  private file(key: string): string {
    const f = path.resolve(this.root, ...key.split('/'));
    if (!f.startsWith(path.resolve(this.root) + path.sep)) throw new StoreError('other', `key ${key} leaves the directory ${this.root}`);
    return f;
  }

  private async rootExists(): Promise<void> {
    try {
      if (!(await fsp.stat(this.root)).isDirectory()) throw new StoreError('noBucket', `${this.root} is not a directory`);
    } catch (e) {
      if (e instanceof StoreError) throw e;
      throw new StoreError('noBucket', `the backup directory ${this.root} does not exist`);
    }
  }

  async put(key: string, body: Readable, signal?: AbortSignal): Promise<void> {
    await this.rootExists();
    const target = this.file(key);
    await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    const fh = await fsp.open(temp, 'wx', BACKUP_FILE_MODE);
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        if (signal?.aborted) throw new StoreError('aborted', `cancelled: ${target}`);
        let off = 0;
        while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
      }
      await fh.sync();
      await fh.close();
      await fsp.chmod(temp, BACKUP_FILE_MODE);
      await fsp.rename(temp, target);
    } catch (e) {
      await fh.close().catch(() => undefined);
      await fsp.rm(temp, { force: true });
      throw e;
    }
  }

  putText(key: string, text: string, signal?: AbortSignal): Promise<void> {
    return this.put(key, Readable.from([Buffer.from(text, 'utf8')]), signal);
  }

  async get(key: string): Promise<Readable> {
    const f = this.file(key);
    try {
      const fh = await fsp.open(f, 'r');
      return fh.createReadStream();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreError('notFound', `${key} is not in ${this.root}`);
      throw e;
    }
  }

  async getText(key: string, maxBytes: number): Promise<string> {
    return (await readAll(await this.get(key), maxBytes, key)).toString('utf8');
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    await this.rootExists();
    const out: BlobInfo[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries: fs.Dirent[];
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.name.startsWith('.')) continue; // temporary files of writes in progress
        const key = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(path.join(dir, e.name), key);
        } else if (e.isFile() && key.startsWith(prefix)) {
          const st = await fsp.stat(path.join(dir, e.name));
          out.push({ key, size: st.size, lastModified: st.mtime });
        }
      }
    };
    await walk(this.root, '');
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.file(key), { force: true });
  }

  close(): void {}
}
