// Lists the backup store for the agents tree: one prefix listing per agent folder, the newest backup of each member
// verified (size + SHA-256), all under a timeout so the tree never waits on the store ("store unreachable").
// No 'vscode' import: the tree model is handed a StoreLookup, and this is unit-tested against a directory store.
import type { AgentsSnapshot, DiscoveredAgent } from '../../core/agents/model';
import type { BlobStore } from '../../core/store/blobStore';
import { agentKey } from '../../core/store/layout';
import { listBackups, newestVerified, type StoredBackup } from '../../core/store/readStored';
import type { StoreListingState, StoreLookup } from '../tree/storeNodes';

export interface StoreConfig {
  /** The location as shown (no credentials); undefined when none is configured. */
  label?: string;
  rpoMinutes: number;
  timeoutMs: number;
}

export class StoreController {
  private listings = new Map<string, StoreListingState>();
  private inFlight = new Map<string, Promise<void>>();
  private readonly listeners = new Set<() => void>();
  private generation = 0;

  constructor(
    private readonly config: () => StoreConfig,
    /** Opens the configured store (credentials resolved); undefined when none is configured. */
    private readonly open: () => Promise<BlobStore | undefined>,
    private readonly log: (message: string) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  lookup(): StoreLookup {
    const c = this.config();
    return { ...(c.label ? { location: c.label } : {}), rpoMinutes: c.rpoMinutes, now: this.now, listingOf: (key) => this.listings.get(key) };
  }

  /** Forgets every listing (the location or credentials changed, or the user asked for a refresh). */
  reset(): void {
    this.generation++;
    this.listings.clear();
    this.inFlight.clear();
    this.changed();
  }

  /** Lists the folders of the snapshot's agents that were not listed yet; resolves when they answered or timed out. */
  async ensure(snapshot: AgentsSnapshot): Promise<void> {
    if (!this.config().label) return;
    const byKey = new Map<string, DiscoveredAgent[]>();
    for (const a of [...snapshot.groups.flatMap((g) => g.members), ...snapshot.singles]) {
      const key = agentKey(a.identity);
      byKey.set(key, [...(byKey.get(key) ?? []), a]);
    }
    await Promise.all([...byKey].filter(([key]) => !this.listings.has(key)).map(([key, members]) => this.list(key, members)));
  }

  /** Lists one folder again (after "Back Up Now"). */
  relist(key: string, members: DiscoveredAgent[]): Promise<void> {
    this.listings.delete(key);
    this.inFlight.delete(key);
    return this.list(key, members);
  }

  /** A stored backup as the last listing knows it. */
  find(key: string, id: string): StoredBackup | undefined {
    const l = this.listings.get(key);
    return l?.state === 'ready' ? l.backups.find((b) => b.manifest.id === id) : undefined;
  }

  private list(key: string, members: DiscoveredAgent[]): Promise<void> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const generation = this.generation;
    this.listings.set(key, { state: 'loading' });
    this.changed();
    const done = this.fetch(key, members).then((state) => {
      if (generation !== this.generation) return;
      this.listings.set(key, state);
      this.inFlight.delete(key);
      this.changed();
    });
    this.inFlight.set(key, done);
    return done;
  }

  private async fetch(key: string, members: DiscoveredAgent[]): Promise<StoreListingState> {
    const { timeoutMs } = this.config();
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error(`no answer in ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
    });
    let store: BlobStore | undefined;
    try {
      const work = (async (): Promise<StoreListingState> => {
        store = await this.open();
        if (!store) return { state: 'unreachable', reason: 'no backup location configured' };
        const listing = await listBackups(store, { agentKey: key, signal: abort.signal });
        const verified = new Set<string>();
        const refused = new Map<string, string>();
        // The newest verified backup of each member: what its RPO and a restore would use.
        for (const clusterId of new Set(members.map((m) => m.clusterId))) {
          const r = await newestVerified(store, listing, { clusterId, signal: abort.signal });
          if (r.backup) verified.add(r.backup.manifest.id);
          for (const p of r.refused) {
            const b = listing.backups.find((x) => x.manifest.dataKey === p.key);
            if (b) refused.set(b.manifest.id, p.message);
          }
        }
        return { state: 'ready', backups: listing.backups, verified, refused };
      })();
      work.catch(() => undefined);
      return await Promise.race([work, timeout]);
    } catch (e) {
      const reason = (e as Error).message;
      this.log(`backup store: listing ${key} failed: ${reason}`);
      return { state: 'unreachable', reason };
    } finally {
      clearTimeout(timer);
      (store as BlobStore | undefined)?.close();
    }
  }
}
