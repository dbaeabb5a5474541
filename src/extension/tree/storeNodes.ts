// The backup store in the agents tree, as plain data: the stored backups listed under an agent and the RPO of a
// DR pair. No 'vscode' import and no fetching: the store controller fills a StoreLookup, these map it to rows.
import type { AgentGroup, DiscoveredAgent } from '../../core/agents/model';
import { agentKey } from '../../core/store/layout';
import type { StoredBackup } from '../../core/store/readStored';
import { listedProblem } from '../../core/store/readStored';
import { formatAge, rpoStatus } from '../../core/store/rpo';
import type { IconSpec, TreeNode } from './nodes';

/** What the store said about one agent folder (`agentKey`), or why it could not say. */
export type StoreListingState =
  | { state: 'loading' }
  | { state: 'unreachable'; reason: string }
  | {
      state: 'ready';
      /** Newest first. */
      backups: StoredBackup[];
      /** Manifest ids whose stored bytes were read and matched size and SHA-256. */
      verified: ReadonlySet<string>;
      /** Manifest id -> why the bytes were refused. */
      refused: ReadonlyMap<string, string>;
    };

export interface StoreLookup {
  /** The configured location as shown (no credentials); undefined: no `gitopsDr.backupLocation`. */
  location?: string;
  rpoMinutes: number;
  now(): Date;
  listingOf(agentKey: string): StoreListingState | undefined;
}

export const NO_STORE: StoreLookup = { rpoMinutes: 0, now: () => new Date(), listingOf: () => undefined };

/** What a stored-backup row carries for its commands. */
export interface StoredBackupRef {
  agentKey: string;
  id: string;
}

const ICON = {
  verified: { id: 'pass', color: 'testing.iconPassed' },
  unverified: { id: 'archive' },
  refused: { id: 'error', color: 'list.errorForeground' },
  folder: { id: 'database' },
  loading: { id: 'loading~spin' },
  unreachable: { id: 'debug-disconnect', color: 'list.warningForeground' },
  rpoExceeded: { id: 'warning', color: 'list.warningForeground' },
  noBackup: { id: 'error', color: 'list.errorForeground' },
} satisfies Record<string, IconSpec>;

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1048576).toFixed(1)} MiB`;
}

/** The backups of this member of the folder: a pair's members share the folder, the cluster tells them apart. */
function backupsOf(agent: DiscoveredAgent, listing: StoreListingState | undefined): StoredBackup[] {
  if (listing?.state !== 'ready') return [];
  return listing.backups.filter((b) => b.manifest.clusterId === agent.clusterId && b.manifest.namespace === agent.namespace);
}

function backupRow(parentId: string, b: StoredBackup, listing: Extract<StoreListingState, { state: 'ready' }>, now: Date): TreeNode {
  const m = b.manifest;
  const age = formatAge(Math.max(0, (now.getTime() - Date.parse(m.created)) / 60_000));
  const refused = listing.refused.get(m.id) ?? listedProblem(b);
  const verified = !refused && listing.verified.has(m.id);
  const c = m.counts;
  const status = refused ? 'refused' : verified ? 'verified' : 'size checked';
  return {
    id: `${parentId}/${m.id}`,
    label: `${age} ago`,
    description: [formatSize(m.size), `${c.Application} apps · ${c.AppProject} projects · ${c.ApplicationSet} appsets`, status, m.encrypted ? 'encrypted' : undefined].filter(Boolean).join(' · '),
    tooltip: [
      `**Stored backup** \`${m.id}\``,
      '',
      `- Created: ${m.created} (${age} ago) by gitops-dr ${m.toolVersion}`,
      `- Of: \`${m.context}\` / \`${m.namespace}\`${m.argocdVersion ? ` · Argo CD ${m.argocdVersion}` : ''}`,
      `- Size: ${formatSize(m.size)} · SHA-256 \`${m.sha256.slice(0, 16)}…\`${m.encrypted ? ' · age-encrypted' : ''}`,
      `- Integrity: ${refused ? `refused: ${refused}` : verified ? 'size and SHA-256 verified' : 'size matches the manifest; the SHA-256 is checked when it is read'}`,
    ].join('\n'),
    icon: refused ? ICON.refused : verified ? ICON.verified : ICON.unverified,
    contextValue: refused ? 'storedBackup.refused' : m.encrypted ? 'storedBackup.encrypted' : 'storedBackup',
    storedBackup: { agentKey: m.agentKey, id: m.id },
  };
}

/** The "Stored backups" folder under an agent; undefined when no location is configured. */
export function storedBackupsNode(agent: DiscoveredAgent, store: StoreLookup): TreeNode | undefined {
  if (!store.location) return undefined;
  const id = `agent:${agent.id}#stored`;
  const listing = store.listingOf(agentKey(agent.identity));
  const base = { id, label: 'Stored backups', contextValue: 'storedBackups', tooltip: `Backups of this agent in ${store.location}`, agent };
  if (!listing || listing.state === 'loading') return { ...base, description: 'listing…', icon: ICON.loading };
  if (listing.state === 'unreachable') return { ...base, description: `store unreachable: ${listing.reason}`, icon: ICON.unreachable, tooltip: `${store.location}: ${listing.reason}` };
  const rows = backupsOf(agent, listing).map((b) => backupRow(id, b, listing, store.now()));
  return { ...base, description: rows.length ? String(rows.length) : 'none', icon: ICON.folder, collapsed: true, children: rows };
}

export interface PairRpo {
  /** Short text for the pair row's description. */
  text: string;
  /** Markdown line for the tooltip. */
  detail: string;
  severity?: 'warning' | 'error';
  icon?: IconSpec;
}

/** The RPO of a pair: the newest verified backup of its primary (`primary`: Harness's answer, else the guess). */
export function pairRpo(group: AgentGroup, primary: DiscoveredAgent, store: StoreLookup): PairRpo | undefined {
  if (!store.location) return undefined;
  const listing = store.listingOf(agentKey(group.identity));
  const objective = formatAge(store.rpoMinutes);
  if (!listing || listing.state === 'loading') return { text: 'RPO …', detail: `- RPO: listing ${store.location}…` };
  if (listing.state === 'unreachable') return { text: 'store unreachable', detail: `- RPO unknown: ${store.location}: ${listing.reason}`, severity: 'warning', icon: ICON.unreachable };
  const newest = backupsOf(primary, listing).find((b) => listing.verified.has(b.manifest.id) && !listing.refused.has(b.manifest.id));
  const rpo = rpoStatus(newest?.manifest.created, store.rpoMinutes, store.now());
  const of = `${primary.context}/${primary.namespace}`;
  if (rpo.state === 'noBackup') return { text: 'no backup', detail: `- RPO: **no verified backup** of ${of} in ${store.location} (objective ${objective})`, severity: 'error', icon: ICON.noBackup };
  const age = formatAge(rpo.ageMinutes!);
  if (rpo.state === 'exceeded') return { text: `RPO ${age} > ${objective}`, detail: `- RPO: the newest verified backup of ${of} is **${age}** old, over the objective of ${objective}`, severity: 'warning', icon: ICON.rpoExceeded };
  return { text: `RPO ${age}`, detail: `- RPO: the newest verified backup of ${of} is ${age} old (objective ${objective})` };
}
