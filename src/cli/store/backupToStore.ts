// `gitops-dr backup --to LOCATION`: the same export, streamed to a backup location with its manifest, then the
// retention policy applied to that agent's backups (never removing the newest verified one).
import { numberFlag, stringFlag, UsageError, type FlagSpec, type ParsedArgs } from '../args';
import { EXIT, type CliIO } from '../io';
import type { KubeClient } from '../../core/kube/client';
import { describeError } from '../../core/kube/errors';
import { runBackup, describeBackup, type RunBackupOptions } from '../../core/backup';
import { parseDuration, resolveBackupSource, storeBackup, TOOL_VERSION, type RetentionPolicy } from '../../core/store';
import { ENCRYPT_FLAGS, LOCATION_FLAGS, encryptionFromFlags, storeFromFlags } from './storeFlags';
import { applyRetention } from './prune';

export const BACKUP_TO_FLAGS: FlagSpec[] = [
  { name: 'to', value: true },
  { name: 'keep-last', value: true },
  { name: 'keep-within', value: true },
  ...ENCRYPT_FLAGS,
  ...LOCATION_FLAGS,
];

export const BACKUP_TO_USAGE = `  --to LOCATION           store the backup in a backup location (s3://bucket/prefix or a directory) with a manifest
                          (agent, cluster, counts, size, SHA-256); see "gitops-dr backups --help" for credentials
  --keep-last N, --keep-within D   then remove this agent's older backups (D: 30m, 12h, 7d, 2w); the newest
                          verified backup is never removed
  --encrypt-to R          encrypt with age to recipient R (age1…); repeatable
  --encrypt-passphrase-env VAR     encrypt with age to the passphrase in environment variable VAR`;

export function retentionFromFlags(parsed: ParsedArgs): RetentionPolicy | undefined {
  const keepLast = numberFlag(parsed, 'keep-last');
  const within = stringFlag(parsed, 'keep-within');
  if (keepLast !== undefined && !Number.isInteger(keepLast)) throw new UsageError('--keep-last must be a whole number');
  let keepWithinMs: number | undefined;
  if (within !== undefined) {
    try {
      keepWithinMs = parseDuration(within);
    } catch (e) {
      throw new UsageError(`--keep-within: ${(e as Error).message}`);
    }
  }
  if (keepLast === undefined && keepWithinMs === undefined) return undefined;
  return { ...(keepLast !== undefined ? { keepLast } : {}), ...(keepWithinMs !== undefined ? { keepWithinMs } : {}) };
}

export async function backupToStore(parsed: ParsedArgs, io: CliIO, client: KubeClient, context: string, options: RunBackupOptions): Promise<number> {
  for (const f of ['output']) if (parsed.flags[f] !== undefined) throw new UsageError(`--${f} and --to exclude each other`);
  const encryption = encryptionFromFlags(parsed, io);
  const retention = retentionFromFlags(parsed);
  const { store } = storeFromFlags(stringFlag(parsed, 'to')!, parsed, io);
  try {
    let stored;
    try {
      const source = await resolveBackupSource(client, context, options.namespace, options.signal);
      stored = await storeBackup({
        store,
        source,
        produce: (sink) => runBackup(client, options, sink),
        ...(encryption ? { encryption } : {}),
        toolVersion: TOOL_VERSION,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (e) {
      io.stderr.write(`gitops-dr backup: ${describeError(e)}\nno backup was stored in ${store.label}\n`);
      return EXIT.failed;
    }
    const m = stored.manifest;
    io.stderr.write(`stored ${m.id} in ${store.label} (${m.size} bytes${m.encrypted ? ', age-encrypted' : ''}, sha256 ${m.sha256.slice(0, 16)}…)\n`);
    for (const line of describeBackup(stored.result, context)) io.stderr.write(`${line}\n`);
    if (retention) {
      try {
        await applyRetention(store, m.agentKey, retention, { dryRun: false, io, ...(options.signal ? { signal: options.signal } : {}) });
      } catch (e) {
        io.stderr.write(`gitops-dr backup: the backup is stored, but retention failed: ${describeError(e)}\n`);
        return EXIT.failed;
      }
    }
    return stored.result.missing.length > 0 ? EXIT.findings : EXIT.ok;
  } finally {
    store.close();
  }
}
