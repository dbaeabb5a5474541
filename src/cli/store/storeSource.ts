// A stored backup as the input of restore and compare: the newest verified backup of an agent (or the one named
// by --backup), read from its location, verified (size + SHA-256) and decrypted. The text then goes through exactly
// the checks a backup file goes through; `label` is its provenance in every message.
import { stringFlag, UsageError, type FlagSpec, type ParsedArgs } from '../args';
import type { CliIO } from '../io';
import { findBackup, listBackups, newestVerified, readBackupText, type BackupListing } from '../../core/store';
import { DECRYPT_FLAGS, LOCATION_FLAGS, decryptionKeysFromFlags, storeFromFlags } from './storeFlags';

export const STORED_SOURCE_FLAGS: FlagSpec[] = [
  { name: 'from-store', value: true },
  { name: 'agent', value: true },
  { name: 'backup', value: true },
  ...LOCATION_FLAGS,
  ...DECRYPT_FLAGS,
];

export const STORED_SOURCE_USAGE = `  --from-store LOCATION   read the backup from a backup location instead of FILE: the newest backup of --agent
                          that verifies (size and SHA-256 against its manifest), or the one named by --backup ID;
                          see "gitops-dr backups --help" for LOCATION, credentials, -i/--identity and --passphrase-env`;

export interface StoredInput {
  text: string;
  label: string;
  warnings: string[];
}

/** Which agent of a location: --agent, else the only one there is. */
export function pickAgent(listing: BackupListing, agent: string | undefined, label: string): string {
  const agents = [...new Set(listing.backups.map((b) => b.manifest.agentKey))].sort();
  if (agent !== undefined) {
    if (!agents.includes(agent)) throw new UsageError(`${label} holds no backup of agent "${agent}"${agents.length ? `; agents: ${agents.join(', ')}` : ''}`);
    return agent;
  }
  if (agents.length === 1) return agents[0]!;
  if (agents.length === 0) throw new UsageError(`${label} holds no backup`);
  throw new UsageError(`${label} holds backups of ${agents.length} agents: choose one with --agent (${agents.join(', ')})`);
}

/** undefined when the command was not given --from-store. */
export async function readStoredInput(parsed: ParsedArgs, io: CliIO, signal?: AbortSignal): Promise<StoredInput | undefined> {
  const from = stringFlag(parsed, 'from-store');
  if (from === undefined) {
    for (const f of ['agent', 'backup']) if (stringFlag(parsed, f) !== undefined) throw new UsageError(`--${f} only applies with --from-store`);
    return undefined;
  }
  if (parsed.positional.length > 0) throw new UsageError('give a FILE or --from-store, not both');
  const keys = decryptionKeysFromFlags(parsed, io);
  const { store } = storeFromFlags(from, parsed, io);
  try {
    const all = await listBackups(store, { signal });
    const agent = pickAgent(all, stringFlag(parsed, 'agent'), store.label);
    const listing = { ...all, backups: all.backups.filter((b) => b.manifest.agentKey === agent) };
    const ref = stringFlag(parsed, 'backup');
    if (ref !== undefined) {
      const b = findBackup(listing, ref);
      return { text: await readBackupText(store, b, keys, signal), label: `${store.label}: ${b.manifest.id}`, warnings: [] };
    }
    const newest = await newestVerified(store, listing, { keys, read: true, signal });
    const warnings = newest.refused.map((r) => `skipped a newer backup that does not verify: ${r.message}`);
    if (!newest.backup) throw new UsageError(`${store.label} holds no verified backup of agent ${agent}${warnings.length ? `:\n  ${warnings.join('\n  ')}` : ''}`);
    return { text: newest.text!, label: `${store.label}: ${newest.backup.manifest.id} (created ${newest.backup.manifest.created})`, warnings };
  } finally {
    store.close();
  }
}
