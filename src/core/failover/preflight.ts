// The pre-flight report: every check a person would want before a failover, read fresh, nothing changed.
import type { AgentsSnapshot, DiscoveredAgent } from '../agents/model';
import { checkDrRules } from '../agents/rules';
import type { NodeRole } from '../harness/roles';
import type { RestorePlan } from '../restore/types';
import { formatCounts } from '../restore/format';
import type { ProjectWindows } from '../syncWindows/evaluate';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../argo/argoFacts';
import { inClusterApplications, listNames } from './applications';
import { checkDuplicateAgentHazard } from './hazard';
import { memberSummary, type PreflightCheck, type PreflightReport, type ResolvedFailover } from './model';
import type { FailoverPorts, MemberState } from './ports';

export interface PreflightInput {
  resolved: ResolvedFailover;
  snapshot: AgentsSnapshot;
  /** The DR nodes Harness reported (with a key). */
  harnessNodes?: readonly NodeRole[];
  /** Why Harness could not be read (with a key). */
  harnessError?: string;
  signal?: AbortSignal;
}

/** What the pre-flight learnt that the steps reuse. */
export interface PreflightResult {
  report: PreflightReport;
  toState: MemberState;
  fromState?: MemberState;
  plan?: RestorePlan;
  /** Application namespaces the restore step creates on the target first. */
  missingNamespaces?: string[];
}

const where = (a: DiscoveredAgent): string => `${a.context}/${a.namespace}`;

function summarizeWindows(label: string, projects: ProjectWindows[]): string {
  if (projects.length === 0) return `${label}: no AppProjects`;
  const parts = projects.map((p) => {
    const inForce = p.windows.filter((w) => w.active);
    const ours = inForce.filter((w) => w.ours).length;
    const notes = inForce.length ? ` (${inForce.length} window${inForce.length > 1 ? 's' : ''} in force${ours ? `, ${ours} ours` : ''})` : '';
    return `${p.project} ${p.state}${notes}`;
  });
  return `${label}: ${parts.join(', ')}`;
}

/**
 * The backup's Applications whose destination is the cluster Argo CD runs in: on the old primary that was its own
 * cluster, after the failover it is the target's. Worth a look before, never a refusal (it may be intended).
 */
function inClusterCheck(plan: RestorePlan, to: DiscoveredAgent, from: DiscoveredAgent | undefined): [PreflightCheck['status'], string] {
  const objects = plan.entries
    .filter((e) => e.action !== 'prune' && (e.ref.kind === 'Application' || e.ref.kind === 'ApplicationSet'))
    .map((e) => e.backup ?? e.desired)
    .filter((o): o is NonNullable<typeof o> => o !== undefined);
  const inCluster = inClusterApplications(objects, to.namespace);
  if (inCluster.length === 0) return ['pass', `no Application of the backup deploys to the in-cluster server (${IN_CLUSTER_SERVER} or ${IN_CLUSTER_NAME})`];
  return [
    'warn',
    `${inCluster.length} of the backup's Applications deploy to the in-cluster server (${IN_CLUSTER_SERVER} or ${IN_CLUSTER_NAME}): ` +
      `after the failover they deploy into ${to.context}'s own cluster${from ? `, not into ${from.context}'s` : ''}: ${listNames(inCluster, 20)}`,
  ];
}

export async function runPreflight(input: PreflightInput, ports: FailoverPorts): Promise<PreflightResult> {
  const { resolved, snapshot, signal } = input;
  const { to, from, identity } = resolved;
  const checks: PreflightCheck[] = [];
  const add = (id: string, title: string, status: PreflightCheck['status'], detail: string): void => void checks.push({ id, title, status, detail });

  // 1. Harness roles.
  if (!ports.harness) {
    const guess = from ? `${where(from)} is taken to be the current primary (${resolved.fromSource === 'request' ? 'as given' : 'the other member'})` : 'the current primary is unknown';
    // Without Harness, entities are the best hint of which member is active: failing over to the one that holds
    // them while the other holds none is most likely a mistake (a fail back that already happened).
    const suspicious = from && (to.counts.applications ?? 0) > 0 && from.counts.applications === 0;
    const hint = suspicious ? ` Note: ${where(to)} holds ${to.counts.applications} Applications and ${where(from)} none: ${where(to)} may already be the active member.` : '';
    add('harness', 'Harness roles', 'warn', `no Harness API key: roles unknown, ${guess}; the switch of the primary node will be a manual step in Harness.${hint}`);
  } else if (input.harnessError) {
    add('harness', 'Harness roles', 'fail', `cannot read agent ${identity.agent} from Harness: ${input.harnessError}`);
  } else {
    const nodes = input.harnessNodes ?? [];
    const target = nodes.find((n) => n.drIdentifier === (to.drIdentifier ?? ''));
    const primary = nodes.find((n) => n.role === 'PRIMARY');
    if (!target) add('harness', 'Harness roles', 'fail', `Harness knows no DR node "${to.drIdentifier ?? ''}" of agent ${identity.agent} (it knows: ${nodes.map((n) => `${n.drIdentifier || '(none)'} ${n.role}`).join(', ') || 'nothing'})`);
    else if (target.role === 'PRIMARY') add('harness', 'Harness roles', 'fail', `${to.drIdentifier} is already the primary of agent ${identity.agent}: nothing to fail over (to fail back, run this on the other member)`);
    else add('harness', 'Harness roles', 'pass', `primary: ${primary ? primary.drIdentifier : 'none'}; ${to.drIdentifier} is ${target.role}${target.connection ? `, ${target.connection.toLowerCase()}` : ''}`);
  }

  // 2. The seed's pair rules. A member without entities is expected here: the restore step fills it.
  const findings = checkDrRules(resolved.group);
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning' && f.code !== 'DR008');
  const restoreNote = findings.some((f) => f.code === 'DR008') ? ' (a member without entities is expected: the restore step fills it)' : '';
  if (errors.length) add('pair-rules', 'Pair rules', 'fail', errors.map((f) => `${f.code}: ${f.message}`).join('\n'));
  else if (warnings.length) add('pair-rules', 'Pair rules', 'warn', warnings.map((f) => `${f.code}: ${f.message}`).join('\n') + restoreNote);
  else add('pair-rules', 'Pair rules', 'pass', `same namespace, separate clusters, same type${restoreNote}`);

  // 3. Hazard guard and DR identifiers.
  const hazards = [to, ...(from ? [from] : [])].map((m) => checkDuplicateAgentHazard(snapshot, m.id, 'running')).filter((v) => v.refuse);
  if (!to.drIdentifier) {
    const intent = to.agent.ready > 0 ? 'running' : 'scaleUp';
    add('dr-identifiers', 'Disaster recovery identifiers', 'fail', `${where(to)} has no disaster recovery identifier (GITOPS_DISASTER_RECOVERY_IDENTIFIER): it cannot be made primary. ${checkDuplicateAgentHazard(snapshot, to.id, intent).message}`.trim());
  }
  else if (hazards.length) add('dr-identifiers', 'Disaster recovery identifiers', 'fail', hazards[0]!.message);
  else add('dr-identifiers', 'Disaster recovery identifiers', 'pass', `${where(to)} is ${to.drIdentifier}${from ? `, ${where(from)} is ${from.drIdentifier ?? '(none)'}` : ''}`);

  // 4-5. The target, read again now.
  const toState = await ports.probe.refresh(to, signal);
  if (!toState.reachable) add('target-reachable', 'Target reachable', 'fail', `${where(to)} does not answer: ${toState.reason ?? 'unreachable'}`);
  else add('target-reachable', 'Target reachable', 'pass', `${to.context} answers`);
  if (toState.reachable) {
    const fresh = toState.agent;
    if (!fresh) add('target-ready', 'Target agent ready', 'fail', `no gitops-agent found in ${where(to)} any more`);
    else if (fresh.agent.ready < 1) {
      const guard = checkDuplicateAgentHazard(snapshot, to.id, 'scaleUp');
      add('target-ready', 'Target agent ready', 'fail', `gitops-agent in ${where(to)} has ${fresh.agent.ready}/${fresh.agent.desired} ready replicas. ${guard.refuse ? guard.message : `Scale it up and wait until it is ready, then run the pre-flight again.`}`);
    } else {
      const notReady = fresh.argoComponents.filter((c) => c.readiness.ready < c.readiness.desired);
      if (notReady.length) add('target-ready', 'Target agent ready', 'warn', `gitops-agent ready ${fresh.agent.ready}/${fresh.agent.desired}; not ready: ${notReady.map((c) => `${c.name} ${c.readiness.ready}/${c.readiness.desired}`).join(', ')}`);
      else add('target-ready', 'Target agent ready', 'pass', `gitops-agent ready ${fresh.agent.ready}/${fresh.agent.desired}; Argo CD components ready`);
    }
  }

  // 6. The current primary.
  let fromState: MemberState | undefined;
  const alreadyPrimary = resolved.fromSource === 'harness' && resolved.fromDrIdentifier === (to.drIdentifier ?? '');
  if (alreadyPrimary) {
    add('current-primary', 'Current primary', 'fail', `${where(to)} (${to.drIdentifier}) is itself the current primary`);
  } else if (from) {
    fromState = await ports.probe.refresh(from, signal);
    if (fromState.reachable) add('current-primary', 'Current primary', 'pass', `${where(from)} answers: its syncs will be blocked with a deny window on each AppProject`);
    else add('current-primary', 'Current primary', 'warn', `${where(from)} does not answer (${fromState.reason ?? 'unreachable'}): its AppProjects cannot be changed now${ports.harness ? '; Harness blocks its syncs' : ''}. Block it before it comes back: gitops-dr sync-windows block --context ${from.context} -n ${from.namespace}`);
  } else {
    add('current-primary', 'Current primary', 'warn', resolved.fromDrIdentifier ? `the current primary (${resolved.fromDrIdentifier}) is in no context of the kubeconfig: only Harness can block its syncs` : 'the current primary is unknown: name it (--from DR_ID)');
  }

  // 7-8. The latest backup and its drift against the target.
  let plan: RestorePlan | undefined;
  let drift: Record<string, number> | undefined;
  let missingNamespaces: string[] | undefined;
  if (alreadyPrimary) {
    // Nothing to restore from: the target is the primary already (reported above).
  } else if (!ports.restore) {
    add('backup', 'Latest backup', 'fail', `no backup to restore: ${from ? `${where(from)} is unreachable` : 'the current primary is unknown'} and no backup file was given (CLI: --backup FILE; VS Code: pick one when asked)`);
  } else {
    add('backup', 'Latest backup', 'pass', ports.restore.sourceLabel);
    if (toState.reachable) {
      try {
        plan = await ports.restore.plan(to, signal);
        drift = { ...plan.counts };
        missingNamespaces = await ports.restore.missingNamespaces(to, plan, signal);
        const missing = new Set(missingNamespaces);
        // Objects whose only problem is a namespace the restore step creates first are not errors of the plan.
        const entryErrors = plan.entries.filter((e) => e.action === 'error' && !missing.has(e.ref.namespace));
        const waiting = plan.entries.filter((e) => e.action === 'error' && missing.has(e.ref.namespace));
        const lines = [
          `restore into ${where(to)} with stop-operation: ${formatCounts(plan)}`,
          ...plan.errors,
          ...entryErrors.slice(0, 10).map((e) => `error: ${e.ref.kind} ${e.ref.namespace}/${e.ref.name}: ${e.reason ?? 'cannot be restored'}`),
          ...(entryErrors.length > 10 ? [`... and ${entryErrors.length - 10} more errors`] : []),
          ...(missingNamespaces.length ? [`the restore step first creates namespace${missingNamespaces.length > 1 ? 's' : ''} ${missingNamespaces.join(', ')} on ${to.context} (${waiting.length} object${waiting.length === 1 ? '' : 's'} of the backup live there)`] : []),
          ...plan.warnings,
        ];
        const failed = plan.errors.length > 0 || entryErrors.length > 0;
        add('drift', 'Drift (backup vs target)', failed ? 'fail' : plan.warnings.length || missingNamespaces.length ? 'warn' : 'pass', lines.join('\n'));
        add('in-cluster', 'In-cluster destinations', ...inClusterCheck(plan, to, from));
      } catch (e) {
        add('drift', 'Drift (backup vs target)', 'fail', `cannot plan the restore: ${(e as Error).message}`);
      }
    }
  }

  // 9. Sync windows in force on both sides.
  const windowLines: string[] = [];
  let windowStatus: PreflightCheck['status'] = 'pass';
  for (const [member, state] of [[from, fromState], [to, toState]] as const) {
    if (!member || !state?.reachable) continue;
    try {
      const projects = await ports.syncWindows.list(member, signal);
      windowLines.push(summarizeWindows(where(member), projects));
      const foreign = projects.flatMap((p) => p.windows.filter((w) => w.active && !w.ours && w.window.kind === 'deny').map(() => p.project));
      if (member === from && foreign.length) {
        windowStatus = 'warn';
        windowLines.push(`  deny windows not added by gitops-dr are in force on ${[...new Set(foreign)].join(', ')} of ${where(member)}: the restore copies them to ${where(to)}`);
      }
      const invalid = projects.flatMap((p) => p.windows.filter((w) => w.invalid).map((w) => `${p.project}: ${w.invalid}`));
      if (invalid.length) {
        windowStatus = 'warn';
        windowLines.push(...invalid.map((l) => `  invalid window ${l}`));
      }
    } catch (e) {
      windowStatus = 'warn';
      windowLines.push(`${where(member)}: cannot read AppProjects: ${(e as Error).message}`);
    }
  }
  if (windowLines.length) add('sync-windows', 'Sync windows in force', windowStatus, windowLines.join('\n'));

  const report: PreflightReport = {
    agent: identity.agent,
    to: memberSummary(to),
    ...(from ? { from: memberSummary(from) } : {}),
    harness: ports.harness ? 'key' : 'noKey',
    ...(ports.restore ? { backupSource: ports.restore.sourceLabel } : {}),
    checks,
    ...(drift ? { drift } : {}),
    ok: checks.every((c) => c.status !== 'fail'),
  };
  return { report, toState, ...(fromState ? { fromState } : {}), ...(plan ? { plan } : {}), ...(missingNamespaces?.length ? { missingNamespaces } : {}) };
}
