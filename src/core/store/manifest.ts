// What a stored backup is: the export bytes (exactly `argocd admin export`, optionally age-encrypted) plus this
// manifest. The manifest is written after the data, so a backup without one is an unfinished upload and is ignored.
import type { BackupCounts } from '../backup/exportBackup';
import type { AgentIdentity } from '../agents/model';

export const MANIFEST_SCHEMA = 'gitops-dr.backup-manifest/v1';

export interface BackupManifest {
  schema: typeof MANIFEST_SCHEMA;
  /** `<agentKey>/<stamp>`: unique within a location, sorts by time within an agent. */
  id: string;
  agentKey: string;
  identity: AgentIdentity;
  drIdentifier?: string;
  context: string;
  /** kube-system namespace UID (or `server:<url>`): which member of a pair the backup is of. */
  clusterId: string;
  namespace: string;
  argocdVersion?: string;
  counts: BackupCounts;
  /** ISO-8601 UTC time the backup finished. */
  created: string;
  toolVersion: string;
  /** The object holding the data, relative to the location (its key or file name). */
  dataKey: string;
  /** Size and SHA-256 (hex) of the stored bytes: what `verify` checks without any key. */
  size: number;
  sha256: string;
  encrypted: boolean;
  /** Size and SHA-256 of the export itself (equal to the stored bytes unless encrypted). */
  exportSize: number;
  exportSha256: string;
}

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Parses and checks a manifest's shape; a broken one is refused with the name of the object and what is wrong. */
export function parseManifest(text: string, where: string): BackupManifest {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(`${where}: the manifest is not JSON (${(e as Error).message})`);
  }
  const bad = (what: string): never => {
    throw new ManifestError(`${where}: the manifest ${what}`);
  };
  if (!m || typeof m !== 'object' || Array.isArray(m)) bad('is not an object');
  const o = m as Record<string, unknown>;
  if (o.schema !== MANIFEST_SCHEMA) bad(`has schema ${JSON.stringify(o.schema)}, expected ${MANIFEST_SCHEMA}`);
  for (const k of ['id', 'agentKey', 'context', 'clusterId', 'namespace', 'created', 'toolVersion', 'dataKey']) {
    if (typeof o[k] !== 'string' || o[k] === '') bad(`has no ${k}`);
  }
  for (const k of ['size', 'exportSize']) if (!Number.isSafeInteger(o[k]) || (o[k] as number) < 0) bad(`has no valid ${k}`);
  for (const k of ['sha256', 'exportSha256']) if (typeof o[k] !== 'string' || !HEX64.test(o[k] as string)) bad(`has no valid ${k}`);
  if (typeof o.encrypted !== 'boolean') bad('does not say whether the data is encrypted');
  if (Number.isNaN(Date.parse(o.created as string))) bad(`has an invalid creation time ${JSON.stringify(o.created)}`);
  const ident = o.identity as Record<string, unknown> | undefined;
  if (!ident || typeof ident !== 'object' || typeof ident.account !== 'string' || typeof ident.agent !== 'string') bad('has no agent identity');
  if (!o.counts || typeof o.counts !== 'object') bad('has no counts');
  const dataKey = o.dataKey as string;
  if (dataKey.includes('..') || dataKey.startsWith('/')) bad(`names a data object outside the location: ${dataKey}`);
  return m as BackupManifest;
}
