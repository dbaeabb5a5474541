// A backup file chosen as the failover's source (when the current primary cannot be exported live). Read and
// checked before any cluster is touched; problems carry file:line:col.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ParsedBackup } from '../yaml/readBackup';
import { gateBackup } from '../restore/gate';
import { formatProblem } from '../restore/input';
import { FailoverError } from './model';

export interface BackupFileSource {
  parsed: ParsedBackup;
  /** The path as given, for messages and the step description. */
  label: string;
}

/** Larger than any Argo CD export we expect; a guard against reading something that is not a backup. */
const MAX_BACKUP_BYTES = 512 * 1024 * 1024;

/** Reads and checks a backup file; throws FailoverError with file:line:col on anything wrong. */
export function readBackupFile(file: string, cwd: string): BackupFileSource {
  const full = path.resolve(cwd, file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch (e) {
    throw new FailoverError(`cannot read the backup ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (!stat.isFile()) throw new FailoverError(`the backup ${file} is not a file`);
  if (stat.size > MAX_BACKUP_BYTES) throw new FailoverError(`the backup ${file} is ${Math.round(stat.size / 1048576)} MiB: larger than any Argo CD export this tool accepts (${MAX_BACKUP_BYTES / 1048576} MiB)`);
  // The same gate the restore runs (again, against the target's namespaces, when the step plans).
  const { parsed, problems } = gateBackup(fs.readFileSync(full));
  if (problems.length > 0) throw new FailoverError(`the backup cannot be restored:\n${problems.slice(0, 20).map((p) => `  ${formatProblem(p, file)}`).join('\n')}`);
  return { parsed, label: file };
}
