// The restore core: plan (compare a backup with the live target), then apply a plan the user accepted.
export * from './types';
export { type RestoreOptions, parseSkipLabel } from './options';
export { formatProblem, RestoreRefusedError, MAX_OBJECT_DEPTH, type BackupObject, type InputProblem } from './input';
export { gateBackup, planBackupRestore, planRestore, type BackupInput, type GatedBackup, type GatedPlan, type GateTarget } from './gate';
export { planRestoreObjects, planEntryFor, pruneEntriesFor, buildPlan, type PlanCallOptions } from './plan';
export { applyRestore, type ApplyOptions } from './apply';
export { objectsEqual, comparedShape, jsonEqual } from './equality';
export { diffForUpdate, diffValues } from './diff';
export { formatArgoLine, formatRef, formatPlanText, formatPlanMarkdown, formatResultText, formatResultCounts, formatCounts, formatChange } from './format';
export { planReport, resultReport, type PlanReport, type PlanReportEntry } from './report';
export { displayObject } from './redact';
export { createNamespaces, missingNamespacesOf, CREATED_BY_LABEL } from './namespaces';
