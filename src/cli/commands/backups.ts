// gitops-dr backups list|verify|get|prune LOCATION: what a backup location holds, whether it is intact, one backup
// out of it (verified, decrypted) and retention.
import * as path from 'node:path';
import { boolFlag, parseArgs, stringFlag, UsageError } from '../args';
import { EXIT, type CliCommand, type CliIO } from '../io';
import { describeError } from '../../core/kube/errors';
import { openBackupFile } from '../../core/backup';
import { formatCounts } from '../../core/backup/summary';
import { findBackup, listBackups, listedProblem, newestVerified, readBackupTo, verifyBackup, IntegrityError, type BackupListing, type BlobStore } from '../../core/store';
import { DECRYPT_FLAGS, DECRYPT_USAGE, LOCATION_FLAGS, LOCATION_USAGE, decryptionKeysFromFlags, storeFromFlags } from '../store/storeFlags';
import { pickAgent } from '../store/storeSource';
import { retentionFromFlags } from '../store/backupToStore';
import { applyRetention } from '../store/prune';
import { formatTable } from '../table';

const USAGE = `usage: gitops-dr backups list LOCATION [--agent ID] [-o table|json]
       gitops-dr backups verify LOCATION [--agent ID] [--backup ID]
       gitops-dr backups get LOCATION [--agent ID] [--backup ID] -o FILE|- [-i FILE | --passphrase-env VAR]
       gitops-dr backups prune LOCATION [--agent ID] (--keep-last N | --keep-within D)... [--dry-run]
  list    every backup (newest first) with its agent, cluster, age, size, counts and whether it is encrypted
  verify  read each backup (or one) and check its size and SHA-256 against its manifest; no key needed
  get     write one backup's export (default: the newest verified of the agent), verified and decrypted, to FILE
          (mode 0600, renamed into place only once verified) or standard output
  prune   remove backups outside the policy, per agent and cluster; never the newest verified one; --dry-run lists
${LOCATION_USAGE}
${DECRYPT_USAGE}
  exit 0: done; 1: a backup failed verification; 2: bad usage; 3: the location failed`;

function ageOf(created: string, now: Date): string {
  const min = (now.getTime() - Date.parse(created)) / 60_000;
  if (min < 60) return `${Math.max(0, Math.floor(min))}m`;
  if (min < 48 * 60) return `${Math.floor(min / 60)}h`;
  return `${Math.floor(min / 1440)}d`;
}

function filterAgent(listing: BackupListing, agent: string | undefined): BackupListing {
  return agent === undefined ? listing : { ...listing, backups: listing.backups.filter((b) => b.manifest.agentKey === agent) };
}

export const backupsCommand: CliCommand = {
  summary: 'list, verify, get and prune the backups stored in a backup location',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args, [
      { name: 'agent', value: true },
      { name: 'backup', value: true },
      { name: 'output', short: 'o', value: true },
      { name: 'keep-last', value: true },
      { name: 'keep-within', value: true },
      { name: 'dry-run' },
      { name: 'timeout', value: true },
      ...LOCATION_FLAGS,
      ...DECRYPT_FLAGS,
    ]);
    const [verb, where, ...extra] = parsed.positional;
    if (!verb || !['list', 'verify', 'get', 'prune'].includes(verb)) throw new UsageError(`say list, verify, get or prune${verb ? `, not "${verb}"` : ''}`);
    if (!where) throw new UsageError('name the LOCATION (s3://bucket/prefix or a directory)');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const policy = verb === 'prune' ? retentionFromFlags(parsed) : undefined;
    if (verb === 'prune' && !policy) throw new UsageError('prune needs --keep-last N and/or --keep-within D');
    const output = stringFlag(parsed, 'output');
    if (verb === 'get' && !output) throw new UsageError('get needs -o FILE (or -o - for standard output)');
    const keys = verb === 'get' ? decryptionKeysFromFlags(parsed, io) : {};
    let store: BlobStore | undefined;
    try {
      store = storeFromFlags(where, parsed, io).store;
      const agent = stringFlag(parsed, 'agent');
      const listing = filterAgent(await listBackups(store, agent ? { agentKey: agent } : {}), agent);
      for (const p of listing.problems) io.stderr.write(`warning: ${p.message}\n`);
      if (verb === 'list') return list(listing, store, io, output ?? 'table');
      if (verb === 'verify') return await verify(listing, store, io, stringFlag(parsed, 'backup'));
      if (verb === 'prune') {
        await applyRetention(store, agent, policy!, { dryRun: boolFlag(parsed, 'dry-run'), io });
        return EXIT.ok;
      }
      // get
      const agentKey = pickAgent(listing, agent, store.label);
      const mine = filterAgent(listing, agentKey);
      const ref = stringFlag(parsed, 'backup');
      let b = ref !== undefined ? findBackup(mine, ref) : undefined;
      if (!b) {
        const found = await newestVerified(store, mine);
        for (const r of found.refused) io.stderr.write(`warning: skipped a newer backup that does not verify: ${r.message}\n`);
        if (!found.backup) throw new IntegrityError(`${store.label} holds no verified backup of agent ${agentKey}`);
        b = found.backup;
      }
      if (output === '-') {
        // Verified before a byte is written: stdout cannot be taken back.
        const chunks: Buffer[] = [];
        await readBackupTo(store, b, (c) => void chunks.push(c), keys);
        for (const c of chunks) io.stdout.write(c);
      } else {
        const file = await openBackupFile(path.resolve(io.cwd, output!));
        try {
          await readBackupTo(store, b, (c) => file.write(c.toString('utf8')), keys);
          await file.commit();
        } catch (e) {
          await file.abort();
          throw e;
        }
        io.stderr.write(`wrote ${file.path} from ${b.manifest.id} (verified; mode 0600, it holds Secret data)\n`);
      }
      return EXIT.ok;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      io.stderr.write(`gitops-dr backups ${verb}: ${describeError(e)}\n`);
      return e instanceof IntegrityError ? EXIT.findings : EXIT.failed;
    } finally {
      store?.close();
    }
  },
};

function list(listing: BackupListing, store: BlobStore, io: CliIO, format: string): number {
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ location: store.label, backups: listing.backups.map((b) => ({ ...b.manifest, manifestKey: b.manifestKey, problem: listedProblem(b) })), problems: listing.problems, unfinished: listing.orphans.map((o) => o.key) }, null, 2)}\n`);
    return EXIT.ok;
  }
  if (format !== 'table') throw new UsageError(`-o must be table or json, got "${format}"`);
  const now = new Date();
  const rows = listing.backups.map((b) => [
    b.manifest.id,
    b.manifest.context,
    b.manifest.namespace,
    ageOf(b.manifest.created, now),
    String(b.manifest.size),
    formatCounts(b.manifest.counts),
    b.manifest.encrypted ? 'age' : '-',
    listedProblem(b) ? 'BROKEN' : 'listed ok',
  ]);
  io.stdout.write(formatTable(['BACKUP', 'CONTEXT', 'NAMESPACE', 'AGE', 'BYTES', 'COUNTS', 'ENCRYPTED', 'STATE'], rows));
  if (listing.orphans.length) io.stderr.write(`${listing.orphans.length} data object(s) without a manifest (unfinished uploads; not backups)\n`);
  return EXIT.ok;
}

async function verify(listing: BackupListing, store: BlobStore, io: CliIO, ref: string | undefined): Promise<number> {
  const targets = ref !== undefined ? [findBackup(listing, ref)] : listing.backups;
  if (targets.length === 0) {
    io.stderr.write(`${store.label} holds no backup to verify\n`);
    return EXIT.findings;
  }
  let bad = 0;
  for (const b of targets) {
    try {
      await verifyBackup(store, b);
      io.stdout.write(`ok      ${b.manifest.id} (${b.manifest.size} bytes, sha256 ${b.manifest.sha256})\n`);
    } catch (e) {
      if (!(e instanceof IntegrityError)) throw e;
      bad++;
      io.stdout.write(`FAILED  ${b.manifest.id}: ${e.message}\n`);
    }
  }
  return bad > 0 || listing.problems.length > 0 ? EXIT.findings : EXIT.ok;
}
