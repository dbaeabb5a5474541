// The five steps of a failover, in the order that keeps two Argo CDs from syncing at once: block the old primary,
// restore the latest backup into the target (stop-operation), switch the primary node, allow the new primary,
// verify by reading everything back.
import type { DiscoveredAgent } from '../agents/model';
import { formatResultCounts } from '../restore/format';
import { planHasErrors } from '../restore/types';
import { describeOutcomes } from '../syncWindows/onCluster';
import { ourDenyWindow } from '../syncWindows/model';
import type { KubeObject } from '../objects/kubeObject';
import { mapLimit } from '../restore/concurrency';
import { describeError } from '../kube/errors';
import { REFRESH_ANNOTATION, heldBackApplications, listNames, type ApplicationsAfterFailover, type RefreshFailure } from './applications';
import type { FailoverStep, ResolvedFailover, StepOutcome } from './model';
import type { FailoverPorts } from './ports';
import type { PreflightResult } from './preflight';

const where = (a: DiscoveredAgent): string => `${a.context}/${a.namespace}`;

/** The manual step of the seed document, for when no Harness API key is set. */
function manualSwitchInstructions(agent: string, drIdentifier: string): string[] {
  return [
    `In Harness, open GitOps > Settings > Agents and open the details page of the primary agent ${agent}.`,
    `In the list box that shows the disaster recovery IDs, select "${drIdentifier}" and save: that makes ${drIdentifier} the active agent.`,
    `Or set a Harness API key (VS Code: "GitOps DR: Set Harness API Key"; CLI: HARNESS_API_KEY) and run this step again.`,
  ];
}

/** Refresh requests in flight at once: each is one small PATCH. */
const REFRESH_CONCURRENCY = 8;

/** The target's Applications, or why they cannot be read (that never stops the failover: syncs must be allowed). */
async function readApplications(ports: FailoverPorts, to: DiscoveredAgent, signal?: AbortSignal): Promise<{ apps: KubeObject[]; error?: string }> {
  try {
    return { apps: await ports.applications.list(to, signal) };
  } catch (e) {
    if (signal?.aborted) throw e;
    return { apps: [], error: describeError(e) };
  }
}

async function refreshApplications(ports: FailoverPorts, to: DiscoveredAgent, read: { apps: KubeObject[]; error?: string }, signal?: AbortSignal): Promise<ApplicationsAfterFailover> {
  const heldBack = heldBackApplications(read.apps, to.namespace);
  const failures: RefreshFailure[] = [];
  await mapLimit(read.apps, REFRESH_CONCURRENCY, async (app) => {
    const name = { namespace: app.metadata?.namespace || to.namespace, name: app.metadata?.name ?? '' };
    try {
      await ports.applications.refresh(to, name, signal);
    } catch (e) {
      if (signal?.aborted) throw e;
      failures.push({ ...name, reason: describeError(e) });
    }
  });
  return {
    member: where(to),
    total: read.apps.length,
    heldBack,
    refreshed: read.apps.length - failures.length,
    refreshFailed: failures.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name)),
    ...(read.error ? { readError: read.error } : {}),
  };
}

/** The step's detail lines; the full list of held-back Applications is in the report. */
function describeApplications(a: ApplicationsAfterFailover): string[] {
  if (a.readError) return [`cannot read the Applications of ${a.member} (${a.readError}): none asked to refresh; refresh them in Argo CD`];
  return [
    `${a.refreshed} of ${a.total} Applications of ${a.member} asked to refresh (${REFRESH_ANNOTATION}: normal)`,
    ...(a.refreshFailed.length ? [`refresh not asked of ${a.refreshFailed.length}: ${a.refreshFailed.slice(0, 5).map((f) => `${f.namespace}/${f.name} (${f.reason})`).join('; ')}`] : []),
    a.heldBack.length ? `${a.heldBack.length} were OutOfSync or had an operation pending while syncs were denied: ${listNames(a.heldBack, 5)}` : 'none was OutOfSync or had an operation pending while syncs were denied',
  ];
}

export function buildSteps(resolved: ResolvedFailover, ports: FailoverPorts, pre: PreflightResult): FailoverStep[] {
  const { to, from, identity } = resolved;
  const fromDr = resolved.fromDrIdentifier;
  const toDr = to.drIdentifier ?? '';
  const harness = ports.harness;
  const fromReachable = Boolean(from && pre.fromState?.reachable);
  const windowText = (() => {
    const w = ourDenyWindow();
    return `{kind: ${w.kind}, schedule: '${w.schedule}', duration: ${w.duration}, applications: ['*'], manualSync: false}`;
  })();
  const failover = `gitops-dr failover --agent ${identity.agent}`;

  const blockOld: FailoverStep = {
    id: 'block-old',
    title: `Block syncs on the current primary${from ? ` ${where(from)}` : fromDr ? ` ${fromDr}` : ''}`,
    description: [
      harness && fromDr ? `Harness: set sync-allowed = false for DR node ${fromDr}.` : '',
      fromReachable ? `Kubernetes: add the deny window ${windowText} to every AppProject in ${where(from!)}.` : from ? `${where(from)} is unreachable: its AppProjects cannot be changed now.` : '',
      !harness && !fromReachable ? 'Nothing can block the old primary now (no Harness key and the cluster is unreachable).' : '',
    ].filter((s) => s).join('\n'),
    undoHint: [
      from ? `gitops-dr sync-windows allow --context ${from.context} -n ${from.namespace}` : '',
      harness && fromDr ? `in Harness, allow syncs of DR node ${fromDr} again (sync-allowed = true)` : '',
    ].filter((s) => s).join('; and ') || 'nothing to undo',
    async run(signal) {
      const details: string[] = [];
      let status: StepOutcome['status'] = 'ok';
      if (harness && fromDr) {
        const allowed = await harness.setSyncAllowed(identity, fromDr, false, signal);
        if (allowed) throw new Error(`Harness still reports sync-allowed = true for DR node ${fromDr} after blocking it`);
        details.push(`Harness: syncs of DR node ${fromDr} blocked (sync-allowed = false)`);
      }
      if (from && fromReachable) {
        const r = await ports.syncWindows.block(from, signal);
        details.push(describeOutcomes(r));
        if (!r.ok) throw new Error(`could not block every AppProject: ${describeOutcomes(r)}`);
        if (r.projects.length === 0) {
          status = 'warn';
          details.push(`${where(from)} has no AppProjects: nothing to block on the cluster`);
        }
      } else if (from) {
        status = 'warn';
        details.push(`not blocked on the cluster: ${where(from)} is unreachable. Before it comes back, run: gitops-dr sync-windows block --context ${from.context} -n ${from.namespace}`);
      }
      if (!harness && !fromReachable) {
        status = 'warn';
        details.push('WARNING: the old primary is not blocked anywhere; if it comes back it syncs together with the new primary.');
      }
      return { status, summary: status === 'ok' ? `syncs of ${from ? where(from) : fromDr} blocked` : 'syncs of the old primary only partly blocked', details };
    },
  };

  const plannedCounts = pre.plan ? ` (pre-flight plan: ${pre.plan.counts.create} to create, ${pre.plan.counts.update} to update, ${pre.plan.counts.unchanged} unchanged)` : '';
  const namespacesNote = pre.missingNamespaces?.length ? ` First creates the namespace${pre.missingNamespaces.length > 1 ? 's' : ''} ${pre.missingNamespaces.join(', ')} on ${to.context}, where Applications of the backup live.` : '';
  const restore: FailoverStep = {
    id: 'restore',
    title: `Restore the latest backup into ${where(to)}`,
    description: `Restore ${ports.restore?.sourceLabel ?? '(no backup)'} into ${where(to)} with stop-operation (in-flight sync operations are not carried over), planned again against the live target now; nothing is pruned${plannedCounts}.${namespacesNote}`,
    undoHint: `${where(to)} keeps the restored objects (created or updated; nothing was pruned)${pre.missingNamespaces?.length ? ` and the namespaces ${pre.missingNamespaces.join(', ')}` : ''}. To put it back as it was, restore a backup of ${where(to)} taken before the failover, with prune.`,
    async run(signal) {
      if (!ports.restore) throw new Error('no backup to restore (see the pre-flight report)');
      const details: string[] = [];
      let plan = await ports.restore.plan(to, signal);
      const missing = await ports.restore.missingNamespaces(to, plan, signal);
      if (missing.length) {
        await ports.restore.createNamespaces(to, missing, signal);
        details.push(`created namespace${missing.length > 1 ? 's' : ''} ${missing.join(', ')} on ${to.context}`);
        plan = await ports.restore.plan(to, signal);
      }
      if (planHasErrors(plan)) throw new Error(`the restore plan has errors: ${[...plan.errors, ...plan.entries.filter((e) => e.action === 'error').map((e) => `${e.ref.kind} ${e.ref.name}: ${e.reason ?? 'error'}`)].slice(0, 5).join('; ')}`);
      const result = await ports.restore.apply(to, plan, signal);
      const failed = result.results.filter((r) => r.outcome === 'failed');
      if (failed.length) throw new Error(`${failed.length} object(s) failed to restore: ${failed.slice(0, 5).map((r) => r.line).join('; ')}`);
      return { status: plan.warnings.length ? 'warn' : 'ok', summary: formatResultCounts(result), details: [...details, ...plan.warnings] };
    },
  };

  const switchPrimary: FailoverStep = {
    id: 'switch-primary',
    title: `Make ${toDr || where(to)} the primary of agent ${identity.agent}`,
    description: harness
      ? `Harness: PATCH primaryNode of agent ${identity.agent} to DR node ${toDr}${fromDr ? ` (${fromDr} becomes secondary)` : ''}.`
      : `No Harness API key: this is a manual step in Harness (the instructions are shown when the step runs).`,
    undoHint: harness && fromDr ? `${failover} --to ${fromDr} (fail back), or make ${fromDr} primary again in Harness` : fromDr ? `in Harness, select "${fromDr}" again on the primary agent's page and save` : 'switch back in Harness',
    async run(signal) {
      if (!harness) return { status: 'manual', summary: `switch the primary to ${toDr} in Harness by hand`, details: manualSwitchInstructions(identity.agent, toDr) };
      const role = await harness.setPrimary(identity, toDr, signal);
      if (role.role !== 'PRIMARY') throw new Error(`Harness answered the switch with DR node ${role.drIdentifier || toDr} as ${role.role}, not PRIMARY`);
      return { status: 'ok', summary: `Harness: ${toDr} is now the primary of agent ${identity.agent}` };
    },
  };

  const allowNew: FailoverStep = {
    id: 'allow-new',
    title: `Allow syncs on the new primary ${where(to)}`,
    description: [harness ? `Harness: set sync-allowed = true for DR node ${toDr}.` : '', `Kubernetes: remove the deny windows gitops-dr added (for example copied with the backup) from the AppProjects in ${where(to)}; other windows stay.`, `Then ask every Application of ${where(to)} to refresh (${REFRESH_ANNOTATION}: normal), and list those that were OutOfSync or had an operation pending while syncs were denied.`]
      .filter((s) => s)
      .join('\n'),
    undoHint: `gitops-dr sync-windows block --context ${to.context} -n ${to.namespace}${harness ? `; and in Harness block syncs of DR node ${toDr}` : ''}`,
    async run(signal) {
      const details: string[] = [];
      // Read while syncs are still denied: what Argo CD would have synced but could not.
      const apps = await readApplications(ports, to, signal);
      if (harness) {
        const allowed = await harness.setSyncAllowed(identity, toDr, true, signal);
        if (!allowed) throw new Error(`Harness still reports sync-allowed = false for DR node ${toDr}`);
        details.push(`Harness: syncs of DR node ${toDr} allowed`);
      }
      const r = await ports.syncWindows.allow(to, signal);
      details.push(describeOutcomes(r));
      if (!r.ok) throw new Error(`could not remove our windows everywhere: ${describeOutcomes(r)}`);
      const applications = await refreshApplications(ports, to, apps, signal);
      details.push(...describeApplications(applications));
      const status = applications.readError || applications.refreshFailed.length ? 'warn' : 'ok';
      return { status, summary: `syncs of ${where(to)} allowed; ${applications.refreshed} Application${applications.refreshed === 1 ? '' : 's'} asked to refresh`, details, applications };
    },
  };

  const verify: FailoverStep = {
    id: 'verify',
    title: 'Verify: read the agents back',
    description: [
      harness ? `Harness: ${toDr} must be PRIMARY${fromDr ? ` and ${fromDr} SECONDARY` : ''}; sync-allowed true for ${toDr}${fromDr ? `, false for ${fromDr}` : ''}.` : 'Harness: not checked (no API key).',
      `Kubernetes: no gitops-dr deny window on ${where(to)}${fromReachable ? `; every AppProject of ${where(from!)} blocked` : ''}; every Application and ApplicationSet of the backup present on ${where(to)}.`,
    ].join('\n'),
    undoHint: 'nothing to undo (read only)',
    async run(signal) {
      const problems: string[] = [];
      const details: string[] = [];
      if (harness) {
        const nodes = await harness.nodes(identity, signal);
        const roleOf = (dr: string): string => nodes.find((n) => n.drIdentifier === dr)?.role ?? 'missing';
        if (roleOf(toDr) !== 'PRIMARY') problems.push(`Harness reports ${toDr} as ${roleOf(toDr)}, not PRIMARY`);
        else details.push(`Harness: ${toDr} PRIMARY`);
        if (fromDr) {
          if (roleOf(fromDr) !== 'SECONDARY') problems.push(`Harness reports ${fromDr} as ${roleOf(fromDr)}, not SECONDARY`);
          else details.push(`Harness: ${fromDr} SECONDARY`);
        }
        if (!(await harness.getSyncAllowed(identity, toDr, signal))) problems.push(`Harness: syncs of ${toDr} are not allowed`);
        if (fromDr && (await harness.getSyncAllowed(identity, fromDr, signal))) problems.push(`Harness: syncs of ${fromDr} are still allowed`);
      }
      const toProjects = await ports.syncWindows.list(to, signal);
      const oursOnTarget = toProjects.filter((p) => p.windows.some((w) => w.ours));
      if (oursOnTarget.length) problems.push(`gitops-dr deny windows still on ${where(to)}: ${oursOnTarget.map((p) => p.project).join(', ')}`);
      const blockedOnTarget = toProjects.filter((p) => p.state !== 'allowed');
      details.push(`${where(to)}: ${toProjects.length} AppProjects${blockedOnTarget.length ? `; windows of others restrict ${blockedOnTarget.map((p) => `${p.project} (${p.state})`).join(', ')}` : ', all allow syncs now'}`);
      if (from && fromReachable) {
        const fromProjects = await ports.syncWindows.list(from, signal);
        const open = fromProjects.filter((p) => p.state !== 'blocked');
        if (open.length) problems.push(`AppProjects of ${where(from)} not blocked: ${open.map((p) => p.project).join(', ')}`);
        else details.push(`${where(from)}: all ${fromProjects.length} AppProjects blocked`);
      }
      if (ports.restore) {
        const plan = await ports.restore.plan(to, signal);
        const missing = plan.entries.filter((e) => e.action === 'create' && (e.ref.kind === 'Application' || e.ref.kind === 'ApplicationSet'));
        const present = plan.entries.filter((e) => e.action !== 'create' && e.action !== 'prune' && (e.ref.kind === 'Application' || e.ref.kind === 'ApplicationSet'));
        if (missing.length) problems.push(`${missing.length} Application(s)/ApplicationSet(s) of the backup missing on ${where(to)}: ${missing.slice(0, 5).map((e) => e.ref.name).join(', ')}`);
        else details.push(`${where(to)}: all ${present.length} Applications and ApplicationSets of the backup present`);
      }
      if (problems.length) throw new Error(problems.join('; '));
      if (!harness) return { status: 'manual', summary: `cluster side verified; Harness not checked (no API key): confirm in Harness that ${toDr} is the primary`, details };
      return { status: 'ok', summary: `${toDr} is the primary and syncs; ${fromDr ?? 'the old primary'} is blocked`, details };
    },
  };

  return [blockOld, restore, switchPrimary, allowNew, verify];
}
