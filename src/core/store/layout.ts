// Object layout of a location: one folder per agent, one pair of objects per backup, names that sort by time.
//   <prefix>/<agentKey>/<stamp>.backup.yaml[.age]   the data, written first
//   <prefix>/<agentKey>/<stamp>.manifest.json       the manifest, written last: its presence makes the backup exist
// Listing `<prefix>/<agentKey>/` once gives every backup of an agent; the newest has the greatest stamp.
import { randomBytes } from 'node:crypto';
import type { AgentIdentity } from '../agents/model';

export const MANIFEST_SUFFIX = '.manifest.json';
export const DATA_SUFFIX = '.backup.yaml';
export const ENCRYPTED_SUFFIX = '.age';

/** A DR pair's members share the identity, so they share the folder; the manifest says which cluster it came from. */
export function agentKey(identity: AgentIdentity): string {
  const part = (s: string | undefined): string => (s && s !== '' ? s.replace(/[^A-Za-z0-9_-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : '_');
  return [identity.account, identity.org, identity.project, identity.agent].map(part).join('.');
}

/** 20261202T041800.123Z-1a2b3c: time to the millisecond, then randomness so two runs never collide. */
export function backupStamp(at: Date): string {
  const iso = at.toISOString().replace(/[-:]/g, '');
  return `${iso}-${randomBytes(3).toString('hex')}`;
}

export function join(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}
