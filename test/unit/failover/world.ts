// An in-memory world for failover tests: two clusters with AppProjects and Applications, and a Harness that keeps
// roles and sync-allowed. The ports below act on it the way the real ones act on clusters and Harness.
import type { AgentGroup, AgentsSnapshot, DiscoveredAgent } from '../../../src/core/agents/model';
import { buildSnapshot } from '../../../src/core/agents/pairing';
import type { NodeRole } from '../../../src/core/harness/roles';
import type { ApplicationsPort, FailoverPorts, HarnessPort, ProbePort, RestorePort, SyncWindowsPort } from '../../../src/core/failover/ports';
import type { KubeObject } from '../../../src/core/objects/kubeObject';
import { emptyPlanCounts, emptyResultCounts, type PlanEntry, type RestorePlan, type RestoreResult } from '../../../src/core/restore/types';
import { evaluateProject } from '../../../src/core/syncWindows/evaluate';
import { withOurDenyWindow, withoutOurWindows, OUR_WINDOWS_ANNOTATION, type AppProject, type SyncWindow } from '../../../src/core/syncWindows/model';

export interface Cluster {
  reachable: boolean;
  agentReady: number;
  projects: AppProject[];
  /** `name`, or `namespace/name` for an Application outside the Argo CD namespace. */
  apps: string[];
  namespaces: Set<string>;
  /** Application state by the `apps` key: status and destination, as a controller and the backup left them. */
  appState?: Map<string, AppState>;
  /** Keys of Applications asked to refresh, in order. */
  refreshed?: string[];
}

export interface AppState {
  sync?: string;
  phase?: string;
  operation?: boolean;
  destination?: { server?: string; name?: string };
}

/** The Application object of an `apps` key, with its state. */
export function appObject(key: string, state: AppState | undefined): KubeObject {
  const [ns, name] = key.includes('/') ? (key.split('/') as [string, string]) : ['argocd', key];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { namespace: ns, name },
    spec: { destination: state?.destination ?? { server: 'https://workloads.example:6443', namespace: 'apps' } },
    ...(state?.operation ? { operation: { sync: {} } } : {}),
    ...(state?.sync || state?.phase ? { status: { ...(state.sync ? { sync: { status: state.sync } } : {}), ...(state.phase ? { operationState: { phase: state.phase, message: 'waiting' } } : {}) } } : {}),
  };
}

export function agent(context: string, dr: string | undefined, apps: number, overrides: Partial<DiscoveredAgent> = {}): DiscoveredAgent {
  return {
    id: `${context}/argocd`,
    context,
    clusterId: `uid-${context}`,
    server: `https://${context}:6443`,
    namespace: 'argocd',
    identity: { account: 'acct1', org: 'default', project: 'dr', agent: 'gitopsagent' },
    ...(dr ? { drIdentifier: dr } : {}),
    availability: 'NON-HA',
    byoa: false,
    version: '0.98.1',
    agent: { ready: 1, desired: 1 },
    argoComponents: [{ name: 'argocd-application-controller', kind: 'StatefulSet', readiness: { ready: 1, desired: 1 } }],
    counts: { applications: apps, appProjects: 2 },
    alsoVia: [],
    ...overrides,
  };
}

export function snapshotOf(...agents: DiscoveredAgent[]): AgentsSnapshot {
  const byContext = new Map<string, DiscoveredAgent[]>();
  for (const a of agents) byContext.set(a.context, [...(byContext.get(a.context) ?? []), a]);
  return buildSnapshot([...byContext].map(([name, list]) => ({ name, isCurrent: false, state: 'reachable' as const, agents: list })));
}

export function project(name: string): AppProject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name }, spec: { sourceRepos: ['*'] } };
}

export class World {
  clusters = new Map<string, Cluster>();
  harness = new Map<string, { role: NodeRole['role']; syncAllowed: boolean }>();
  calls: string[] = [];
  failOn = new Set<string>();

  constructor() {
    this.clusters.set('east', { reachable: true, agentReady: 1, projects: [project('default'), project('team-a')], apps: Array.from({ length: 40 }, (_, i) => `app-${i}`), namespaces: new Set(['argocd']) });
    this.clusters.set('west', { reachable: true, agentReady: 1, projects: [], apps: [], namespaces: new Set(['argocd']) });
    this.harness.set('east', { role: 'PRIMARY', syncAllowed: true });
    this.harness.set('west', { role: 'SECONDARY', syncAllowed: false });
  }

  cluster(m: DiscoveredAgent): Cluster {
    const c = this.clusters.get(m.context)!;
    if (!c.reachable) throw new Error(`refused: connection refused (${m.server})`);
    return c;
  }

  private maybeFail(call: string): void {
    this.calls.push(call);
    if (this.failOn.has(call)) throw new Error(`injected failure in ${call}`);
  }

  harnessPort(): HarnessPort {
    return {
      nodes: async () => {
        this.maybeFail('harness.nodes');
        return [...this.harness].map(([dr, n]) => ({ drIdentifier: dr, role: n.role, unhealthy: [], healthy: true, connection: 'CONNECTED' as const }));
      },
      getSyncAllowed: async (_id, dr) => this.harness.get(dr)!.syncAllowed,
      setSyncAllowed: async (_id, dr, allowed) => {
        this.maybeFail(`harness.setSyncAllowed.${dr}.${allowed}`);
        this.harness.get(dr)!.syncAllowed = allowed;
        return allowed;
      },
      setPrimary: async (_id, dr) => {
        this.maybeFail(`harness.setPrimary.${dr}`);
        for (const [k, n] of this.harness) n.role = k === dr ? 'PRIMARY' : 'SECONDARY';
        return { drIdentifier: dr, role: 'PRIMARY', unhealthy: [] };
      },
    };
  }

  syncWindowsPort(): SyncWindowsPort {
    const apply = (c: Cluster, p: AppProject, change: { syncWindows: SyncWindow[]; annotation: string | null } | undefined): void => {
      if (!change) return;
      const annotations = { ...(p.metadata?.annotations ?? {}) };
      if (change.annotation === null) delete annotations[OUR_WINDOWS_ANNOTATION];
      else annotations[OUR_WINDOWS_ANNOTATION] = change.annotation;
      const i = c.projects.indexOf(p);
      c.projects[i] = { ...p, metadata: { ...p.metadata, annotations }, spec: { ...p.spec, syncWindows: change.syncWindows } };
    };
    const result = (m: DiscoveredAgent, action: 'added' | 'removed', c: Cluster) => ({ context: m.context, namespace: m.namespace, ok: true, projects: c.projects.map((p) => ({ project: p.metadata!.name!, action })) });
    return {
      block: async (m) => {
        this.maybeFail(`windows.block.${m.context}`);
        const c = this.cluster(m);
        for (const p of [...c.projects]) apply(c, p, withOurDenyWindow(p));
        return result(m, 'added', c);
      },
      allow: async (m) => {
        this.maybeFail(`windows.allow.${m.context}`);
        const c = this.cluster(m);
        for (const p of [...c.projects]) apply(c, p, withoutOurWindows(p));
        return result(m, 'removed', c);
      },
      list: async (m) => this.cluster(m).projects.map((p) => evaluateProject(p, new Date())),
    };
  }

  restorePort(from: DiscoveredAgent): RestorePort {
    const planFor = (target: DiscoveredAgent): RestorePlan => {
      const source = this.cluster(from);
      const dest = this.cluster(target);
      const entries: PlanEntry[] = [
        ...source.projects.map((p): PlanEntry => ({ ref: { group: 'argoproj.io', kind: 'AppProject', namespace: 'argocd', name: p.metadata!.name! }, action: dest.projects.some((d) => d.metadata!.name === p.metadata!.name) ? 'update' : 'create', backup: structuredClone(p) })),
        ...source.apps.map((a): PlanEntry => {
          const [ns, name] = a.includes('/') ? (a.split('/') as [string, string]) : ['argocd', a];
          if (!dest.namespaces.has(ns)) return { ref: { group: 'argoproj.io', kind: 'Application', namespace: ns, name }, action: 'error', reason: `namespace ${ns} does not exist on context ${target.context}: create it first` };
          return { ref: { group: 'argoproj.io', kind: 'Application', namespace: ns, name }, action: dest.apps.includes(a) ? 'unchanged' : 'create', backup: appObject(a, source.appState?.get(a)) };
        }),
      ];
      const counts = emptyPlanCounts();
      for (const e of entries) counts[e.action]++;
      return { target: { context: target.context, server: target.server, namespace: target.namespace }, options: { namespace: 'argocd', applicationNamespaces: [], applicationSetNamespaces: [], stopOperation: true, ignoreTracking: false, overrideOnConflict: false, keepTargetFence: true }, entries, counts, errors: [], warnings: [], sourceLabel: from.id, createdAt: new Date().toISOString(), durationMs: 1 };
    };
    return {
      sourceLabel: `live export of ${from.id}`,
      plan: async (target) => {
        this.maybeFail('restore.plan');
        return planFor(target);
      },
      apply: async (target, plan) => {
        this.maybeFail('restore.apply');
        const dest = this.cluster(target);
        const counts = emptyResultCounts();
        const results: RestoreResult['results'] = [];
        for (const e of plan.entries) {
          if (e.ref.kind === 'AppProject') {
            dest.projects = dest.projects.filter((p) => p.metadata!.name !== e.ref.name);
            dest.projects.push(structuredClone(e.backup!) as AppProject);
          } else {
            const key = e.ref.namespace === 'argocd' ? e.ref.name : `${e.ref.namespace}/${e.ref.name}`;
            if (!dest.apps.includes(key)) dest.apps.push(key);
            const state = this.cluster(from).appState?.get(key);
            if (state) (dest.appState ??= new Map()).set(key, { ...state, operation: false });
          }
          const outcome = e.action === 'create' ? 'created' : e.action === 'update' ? 'updated' : 'unchanged';
          counts[outcome]++;
          results.push({ ref: e.ref, action: e.action, outcome, line: `${e.ref.kind} ${e.ref.name} ${outcome}` });
        }
        return { target: plan.target, dryRun: false, pruneRequested: false, results, counts, startedAt: new Date().toISOString(), durationMs: 1 };
      },
      missingNamespaces: async (target, plan) => {
        const dest = this.cluster(target);
        return [...new Set(plan.entries.map((e) => e.ref.namespace))].filter((ns) => !dest.namespaces.has(ns)).sort();
      },
      createNamespaces: async (target, names) => {
        this.maybeFail(`namespaces.create.${names.join(',')}`);
        for (const n of names) this.cluster(target).namespaces.add(n);
      },
    };
  }

  applicationsPort(): ApplicationsPort {
    return {
      list: async (m) => {
        this.maybeFail(`apps.list.${m.context}`);
        const c = this.cluster(m);
        return c.apps.map((a) => appObject(a, c.appState?.get(a)));
      },
      refresh: async (m, app) => {
        const key = app.namespace === 'argocd' ? app.name : `${app.namespace}/${app.name}`;
        this.maybeFail(`apps.refresh.${key}`);
        (this.cluster(m).refreshed ??= []).push(key);
      },
    };
  }

  probePort(snapshot: AgentsSnapshot): ProbePort {
    return {
      refresh: async (m) => {
        const c = this.clusters.get(m.context)!;
        if (!c.reachable) return { reachable: false, reason: `refused: connection refused (${m.server})` };
        const known = [...snapshot.groups.flatMap((g: AgentGroup) => g.members), ...snapshot.singles].find((a) => a.id === m.id)!;
        return { reachable: true, agent: { ...known, agent: { ready: c.agentReady, desired: 1 }, counts: { applications: c.apps.length } } };
      },
    };
  }

  ports(snapshot: AgentsSnapshot, from: DiscoveredAgent | undefined, withHarness: boolean): FailoverPorts {
    const fromReachable = from ? this.clusters.get(from.context)!.reachable : false;
    return {
      ...(withHarness ? { harness: this.harnessPort() } : {}),
      syncWindows: this.syncWindowsPort(),
      ...(from && fromReachable ? { restore: this.restorePort(from) } : {}),
      probe: this.probePort(snapshot),
      applications: this.applicationsPort(),
    };
  }
}
