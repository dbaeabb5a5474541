// The tree's model: context statuses streamed in by discovery, the paired snapshot, and change events. It knows
// nothing of VS Code, so it is unit-tested alone; the TreeDataProvider renders it and never fetches.
import type { AgentsSnapshot, ContextStatus } from '../../core/agents/model';
import type { KubeContextInfo } from '../../core/kube/kubeconfig';
import { buildSnapshot } from '../../core/agents/pairing';
import { buildTree, NO_ROLES, type RoleLookup, type TreeNode } from './nodes';
import { NO_STORE, type StoreLookup } from './storeNodes';

export type ModelState = 'loading' | 'noKubeconfig' | 'noAgents' | 'ready';

export class AgentsModel {
  private order: string[] = [];
  private statuses = new Map<string, ContextStatus>();
  private cachedSnapshot: AgentsSnapshot | undefined;
  private cachedRoots: TreeNode[] | undefined;
  private listeners = new Set<() => void>();
  private roleLookup: RoleLookup = NO_ROLES;
  private storeLookup: StoreLookup = NO_STORE;
  private kubeconfigProblem: string | undefined;
  private loaded = false;

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    this.cachedSnapshot = undefined;
    this.cachedRoots = undefined;
    for (const l of this.listeners) l();
  }

  /** A new discovery starts: every context shows as probing until it answers. */
  begin(contexts: readonly KubeContextInfo[], problem?: string): void {
    this.order = contexts.map((c) => c.name);
    const previous = this.statuses;
    this.statuses = new Map(
      contexts.map((c) => {
        const old = previous.get(c.name);
        // Keep what was known (the tree does not flicker); mark only unknown contexts as probing.
        return [c.name, old ? { ...old, isCurrent: c.isCurrent } : { name: c.name, isCurrent: c.isCurrent, file: c.file, ...(c.server ? { server: c.server } : {}), state: 'probing', agents: [] }];
      }),
    );
    this.kubeconfigProblem = problem;
    this.changed();
  }

  /** One context answered (or failed). */
  update(status: ContextStatus): void {
    if (!this.statuses.has(status.name)) return; // from a discovery that was superseded
    this.statuses.set(status.name, status);
    this.changed();
  }

  finish(): void {
    this.loaded = true;
    this.changed();
  }

  setRoles(roles: RoleLookup): void {
    this.roleLookup = roles;
    this.changed();
  }

  /** The backup store's listings (stored backups under agents, the RPO of pairs); the snapshot is unchanged. */
  setStore(store: StoreLookup): void {
    this.storeLookup = store;
    this.cachedRoots = undefined;
    for (const l of this.listeners) l();
  }

  get roles(): RoleLookup {
    return this.roleLookup;
  }

  get problem(): string | undefined {
    return this.kubeconfigProblem;
  }

  get snapshot(): AgentsSnapshot {
    this.cachedSnapshot ??= buildSnapshot(this.order.map((n) => this.statuses.get(n)!).filter(Boolean));
    return this.cachedSnapshot;
  }

  roots(): TreeNode[] {
    this.cachedRoots ??= buildTree(this.snapshot, this.roleLookup, this.storeLookup);
    return this.cachedRoots;
  }

  get state(): ModelState {
    if (this.order.length === 0) return this.loaded ? 'noKubeconfig' : 'loading';
    const s = this.snapshot;
    if (s.groups.length > 0 || s.singles.length > 0) return 'ready';
    return [...this.statuses.values()].some((c) => c.state === 'probing') ? 'loading' : 'noAgents';
  }

  /** Finds a node by id anywhere in the tree (for reveal and for commands given an id). */
  find(id: string): TreeNode | undefined {
    const walk = (nodes: TreeNode[]): TreeNode | undefined => {
      for (const n of nodes) {
        if (n.id === id) return n;
        const hit = n.children && walk(n.children);
        if (hit) return hit;
      }
      return undefined;
    };
    return walk(this.roots());
  }

  parentOf(id: string): TreeNode | undefined {
    const walk = (nodes: TreeNode[], parent: TreeNode | undefined): TreeNode | undefined => {
      for (const n of nodes) {
        if (n.id === id) return parent;
        const hit = n.children && walk(n.children, n);
        if (hit) return hit;
      }
      return undefined;
    };
    return walk(this.roots(), undefined);
  }
}
