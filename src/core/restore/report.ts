// Machine-readable plan and result (CLI `-o json`, command results in VS Code): refs, actions, reasons and redacted
// diffs only. The objects themselves are left out: a Secret's data must never reach a report.
import type { ObjectRef } from '../objects/kubeObject';
import type { EffectiveRestoreOptions, FieldChange, PlanAction, PlanCounts, RestorePlan, RestoreResult, RestoreTarget } from './types';

export interface PlanReportEntry {
  ref: ObjectRef;
  action: PlanAction;
  reason?: string;
  diff?: FieldChange[];
  /** 1-based document number and line in the backup. */
  document?: number;
  line?: number;
}

export interface PlanReport {
  target: RestoreTarget;
  source: string;
  options: EffectiveRestoreOptions;
  counts: PlanCounts;
  errors: string[];
  warnings: string[];
  fence?: RestorePlan['fence'];
  missingNamespaces?: string[];
  createdAt: string;
  durationMs: number;
  entries: PlanReportEntry[];
}

export function planReport(plan: RestorePlan): PlanReport {
  return {
    target: plan.target,
    source: plan.sourceLabel,
    options: plan.options,
    counts: plan.counts,
    errors: plan.errors,
    warnings: plan.warnings,
    ...(plan.fence ? { fence: plan.fence } : {}),
    ...(plan.missingNamespaces ? { missingNamespaces: plan.missingNamespaces } : {}),
    createdAt: plan.createdAt,
    durationMs: plan.durationMs,
    entries: plan.entries.map((e) => ({
      ref: e.ref,
      action: e.action,
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.diff ? { diff: e.diff } : {}),
      ...(e.source ? { document: e.source.index + 1, ...(e.source.range ? { line: e.source.range.start.line + 1 } : {}) } : {}),
    })),
  };
}

/** A result holds refs, outcomes, reasons and lines only: it is a report as it is. */
export function resultReport(result: RestoreResult): RestoreResult {
  return result;
}
