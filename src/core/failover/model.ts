// The plain data of a failover: which member becomes primary, the pre-flight report, the steps and their results.
import type { ApplicationsAfterFailover } from './applications';
import type { AgentGroup, AgentIdentity, DiscoveredAgent } from '../agents/model';

/** A failover request is wrong or cannot be resolved (unknown agent, ambiguous member): says what to give instead. */
export class FailoverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FailoverError';
  }
}

/** Who fails over to whom. `from` is the current primary as discovered (absent when it is in no known context). */
export interface ResolvedFailover {
  identity: AgentIdentity;
  group: AgentGroup;
  to: DiscoveredAgent;
  from?: DiscoveredAgent;
  /** The current primary's DR identifier (from Harness, or the other member). */
  fromDrIdentifier?: string;
  /** How `from` was decided. */
  fromSource: 'harness' | 'request' | 'otherMember' | 'unknown';
}

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface PreflightCheck {
  id: string;
  title: string;
  status: CheckStatus;
  /** One or more secret-free lines. */
  detail: string;
}

export interface PreflightReport {
  agent: string;
  to: MemberSummary;
  from?: MemberSummary;
  /** 'key': Harness was read with the key; 'noKey': roles unknown, the switch will be a manual step. */
  harness: 'key' | 'noKey';
  backupSource?: string;
  checks: PreflightCheck[];
  /** Restore plan counts of the latest backup against the target (drift). */
  drift?: Record<string, number>;
  /** True when no check failed: the steps may run. */
  ok: boolean;
}

export interface MemberSummary {
  id: string;
  context: string;
  namespace: string;
  drIdentifier?: string;
}

export function memberSummary(a: DiscoveredAgent): MemberSummary {
  return { id: a.id, context: a.context, namespace: a.namespace, ...(a.drIdentifier ? { drIdentifier: a.drIdentifier } : {}) };
}

export type StepId = 'block-old' | 'restore' | 'switch-primary' | 'allow-new' | 'verify';

/** What a step's run reports: 'warn' continues but is worth reading; 'manual' means a person must act. */
export interface StepOutcome {
  status: 'ok' | 'warn' | 'manual';
  summary: string;
  details?: string[];
  /** The allow step: the new primary's Applications held back while denied, and the refresh it asked for. */
  applications?: ApplicationsAfterFailover;
}

export interface FailoverStep {
  id: StepId;
  title: string;
  /** What the step will do, shown before it is confirmed. */
  description: string;
  run(signal?: AbortSignal): Promise<StepOutcome>;
  /** How to undo this step once it has run. */
  undoHint: string;
}

export type StepStatus = 'ok' | 'warn' | 'manual' | 'failed' | 'skipped' | 'notRun';

export interface StepResult {
  id: StepId;
  title: string;
  status: StepStatus;
  summary: string;
  details: string[];
  durationMs: number;
  applications?: ApplicationsAfterFailover;
}

export type RunOutcome = 'completed' | 'completedWithManualStep' | 'failed' | 'stopped' | 'refused';

export interface FailoverReport {
  preflight: PreflightReport;
  steps: StepResult[];
  outcome: RunOutcome;
  /** How to continue or undo (after a failure or a stop), or the manual step left. */
  next: string[];
  /** The new primary's Applications: held back while syncs were denied, and asked to refresh (when that step ran). */
  applications?: ApplicationsAfterFailover;
}
