// The plain data of setting up a secondary DR agent: the pre-check report, the install plan and its progress.
import type { AgentIdentity } from '../agents/model';

export type SecondaryCheckStatus = 'pass' | 'warn' | 'fail';

export interface SecondaryCheck {
  id: SecondaryCheckId;
  title: string;
  status: SecondaryCheckStatus;
  /** What was found; secret-free. */
  detail: string;
  /** What to do about a WARN or FAIL; empty on PASS. */
  action?: string;
}

export type SecondaryCheckId = 'target' | 'namespace' | 'type' | 'hazard' | 'drIdentifier' | 'permissions' | 'versions';

/** The primary (or single agent) the secondary is for, as discovery read it. */
export interface PrimarySummary {
  id: string;
  context: string;
  namespace: string;
  identity: AgentIdentity;
  drIdentifier?: string;
  availability: string;
  byoa: boolean;
  agentVersion?: string;
  argoCdVersion?: string;
  clusterId: string;
}

export interface SecondaryTarget {
  context: string;
  namespace: string;
  /** The DR identifier the secondary gets. */
  drIdentifier: string;
  server?: string;
  kubernetesVersion?: string;
  clusterId?: string;
}

export interface SecondaryCheckReport {
  primary: PrimarySummary;
  target: SecondaryTarget;
  checks: SecondaryCheck[];
  /** No check failed: the install may go ahead. */
  ok: boolean;
}

/** A request that cannot be resolved (unknown agent, unknown context, a bad DR identifier): says what to give. */
export class SecondaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecondaryError';
  }
}
