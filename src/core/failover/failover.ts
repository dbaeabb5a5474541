// A failover from request to report: resolve the pair, read Harness (with a key), run the pre-flight, build the
// steps; then, only when the pre-flight passed, run them. "Fail back" is the same call towards the other member.
import type { AgentsSnapshot } from '../agents/model';
import { HarnessError } from '../harness/errors';
import type { NodeRole } from '../harness/roles';
import { resolveFailover, resolveTarget, type FailoverRequest } from './resolve';
import { runPreflight, type PreflightResult } from './preflight';
import { buildSteps } from './steps';
import { runSteps, type RunOptions } from './runner';
import type { FailoverReport, FailoverStep, ResolvedFailover } from './model';
import type { FailoverPorts } from './ports';

export interface PreparedFailover {
  resolved: ResolvedFailover;
  preflight: PreflightResult;
  steps: FailoverStep[];
}

/**
 * Resolves and checks; changes nothing. `portsFor` receives the resolved pair so the caller can choose the backup
 * source (live export of the current primary when it answers, else a file) before the pre-flight plans it.
 */
export async function prepareFailover(
  snapshot: AgentsSnapshot,
  request: FailoverRequest,
  portsFor: (resolved: ResolvedFailover) => Promise<FailoverPorts> | FailoverPorts,
  options: { signal?: AbortSignal; harness?: FailoverPorts['harness'] } = {},
): Promise<PreparedFailover> {
  const { group } = resolveTarget(snapshot, request);
  let harnessNodes: NodeRole[] | undefined;
  let harnessError: string | undefined;
  if (options.harness) {
    try {
      harnessNodes = await options.harness.nodes(group.identity, options.signal);
    } catch (e) {
      if (e instanceof HarnessError && e.reason === 'cancelled') throw e;
      harnessError = (e as Error).message;
    }
  }
  const resolved = resolveFailover(snapshot, request, harnessNodes);
  const ports = await portsFor(resolved);
  const preflight = await runPreflight(
    { resolved, snapshot, ...(harnessNodes ? { harnessNodes } : {}), ...(harnessError ? { harnessError } : {}), ...(options.signal ? { signal: options.signal } : {}) },
    ports,
  );
  return { resolved, preflight, steps: buildSteps(resolved, ports, preflight) };
}

/** Runs the steps of a prepared failover; refuses (runs nothing) when a pre-flight check failed. */
export async function executeFailover(prepared: PreparedFailover, options: RunOptions = {}): Promise<FailoverReport> {
  const report = prepared.preflight.report;
  if (!report.ok) {
    return {
      preflight: report,
      steps: prepared.steps.map((s) => ({ id: s.id, title: s.title, status: 'notRun', summary: 'not run: the pre-flight failed', details: [], durationMs: 0 })),
      outcome: 'refused',
      next: report.checks.filter((c) => c.status === 'fail').map((c) => `fix "${c.title}": ${c.detail}`),
    };
  }
  const run = await runSteps(prepared.steps, options);
  const applications = run.steps.find((s) => s.applications)?.applications;
  return { preflight: report, ...run, ...(applications ? { applications } : {}) };
}
