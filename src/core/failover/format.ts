// Plain-text rendering of a failover for the CLI and the log channel. Everything here is already secret-free.
import { describeHeldBack, type ApplicationsAfterFailover } from './applications';
import type { FailoverReport, FailoverStep, PreflightReport, StepResult } from './model';

const CHECK_MARK: Record<string, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };
const STEP_MARK: Record<string, string> = { ok: 'OK', warn: 'WARN', manual: 'MANUAL', failed: 'FAILED', skipped: 'SKIPPED', notRun: 'NOT RUN' };

function indent(text: string, prefix: string): string {
  return text.split('\n').map((l) => prefix + l).join('\n');
}

export function formatPreflight(r: PreflightReport): string {
  const lines = [
    `Pre-flight: fail over agent ${r.agent} to ${r.to.drIdentifier ?? '(no DR identifier)'} (${r.to.id})${r.from ? ` from ${r.from.drIdentifier ?? '(no DR identifier)'} (${r.from.id})` : ''}`,
    ...r.checks.map((c) => `  [${CHECK_MARK[c.status]}] ${c.title}: ${indent(c.detail, '         ').trimStart()}`),
    r.ok ? '  pre-flight passed' : '  pre-flight FAILED: nothing will be changed',
  ];
  return lines.join('\n');
}

export function formatStepPlan(steps: readonly FailoverStep[]): string {
  return ['Steps:', ...steps.map((s, i) => `  ${i + 1}. ${s.title}\n${indent(s.description, '       ')}`)].join('\n');
}

export function formatStepResult(r: StepResult, index?: number): string {
  const head = `${index !== undefined ? `${index + 1}. ` : ''}[${STEP_MARK[r.status]}] ${r.title}: ${r.summary}`;
  return [head, ...r.details.map((d) => `     ${d}`)].join('\n');
}

export function formatReport(report: FailoverReport): string {
  const outcome: Record<string, string> = {
    completed: 'Failover completed.',
    completedWithManualStep: 'Failover done on the cluster side; a manual step is left:',
    failed: 'Failover FAILED:',
    stopped: 'Failover stopped:',
    refused: 'Failover refused by the pre-flight:',
  };
  return [...report.steps.map((s, i) => formatStepResult(s, i)), ...(report.applications ? formatApplications(report.applications) : []), outcome[report.outcome], ...report.next.map((n) => `  ${n}`)].join('\n');
}

/** The new primary's Applications: every one held back while syncs were denied, and what the refresh asked. */
export function formatApplications(a: ApplicationsAfterFailover): string[] {
  if (a.readError) return [`Applications of ${a.member}: cannot be read (${a.readError}); none asked to refresh`];
  return [
    `Applications of ${a.member}: ${a.refreshed} of ${a.total} asked to refresh${a.refreshFailed.length ? `; not asked: ${a.refreshFailed.map((f) => `${f.namespace}/${f.name} (${f.reason})`).join(', ')}` : ''}`,
    a.heldBack.length ? `  OutOfSync or with an operation pending while syncs were denied (${a.heldBack.length}):` : '  none was OutOfSync or had an operation pending while syncs were denied',
    ...a.heldBack.map((h) => `    ${describeHeldBack(h)}`),
  ];
}
