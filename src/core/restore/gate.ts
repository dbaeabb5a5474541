// The one gate in front of every restore of a backup (CLI restore and compare, VS Code restore and compare, the
// failover's backup source, the drill): read the bytes, lint them against the target namespace, refuse on any
// error finding, then plan. The lint findings are the refusals:
// the restore adds only what no lint rule says (nesting beyond any walk's bound, a namespace that is no string, an
// input with nothing in it).
import type { KubeClient } from '../kube/client';
import type { KubeObject } from '../objects/kubeObject';
import { lintBackup } from '../lint/lintBackup';
import type { LintFinding } from '../lint/findings';
import { readBackup, type ParsedBackup } from '../yaml/readBackup';
import { RestoreRefusedError, type BackupObject, type InputProblem, MAX_OBJECT_DEPTH } from './input';
import type { RestoreOptions } from './options';
import { planRestoreObjects, type PlanCallOptions } from './plan';
import type { RestorePlan } from './types';

export interface GateTarget {
  /** The target Argo CD namespace (unknown before a target is chosen: then objects without one are not placed). */
  namespace?: string;
  /** The target's enabled application namespaces (DRL009). */
  applicationNamespaces?: string[];
}

export interface GatedBackup {
  parsed: ParsedBackup;
  /** The reader's problems (warnings too) and the rules' error findings for this target. */
  findings: LintFinding[];
  /** What refuses the restore, in text order: the error findings and the restore's own checks. */
  problems: InputProblem[];
  /** The objects to plan with (empty when there are problems). */
  objects: BackupObject[];
}

export type BackupInput = string | Uint8Array | ParsedBackup;

function depthExceeds(value: unknown, limit: number): boolean {
  // Iterative, so a hostile depth cannot overflow the stack here.
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > limit) return true;
    if (v !== null && typeof v === 'object') for (const child of Object.values(v as object)) stack.push([child, d + 1]);
  }
  return false;
}

function byPosition(a: InputProblem, b: InputProblem): number {
  const la = a.range?.start.line ?? Number.MAX_SAFE_INTEGER;
  const lb = b.range?.start.line ?? Number.MAX_SAFE_INTEGER;
  return la - lb || (a.range?.start.character ?? 0) - (b.range?.start.character ?? 0);
}

/** Reads (when given text or bytes) and checks a backup for a target; plans nothing. */
export function gateBackup(input: BackupInput, target: GateTarget = {}): GatedBackup {
  const parsed = typeof input === 'string' || input instanceof Uint8Array ? readBackup(input) : input;
  // Suppression comments hide findings in the editor; they never let a file through the gate.
  // Errors only: a rule's warning or info refuses nothing, and each one costs the exact range of a field, i.e. a
  // positioned parse of its document (DRL012 alone re-parsed 4,714 of the scale backup's documents).
  const findings = lintBackup(parsed, { ...(target.namespace ? { argoNamespace: target.namespace } : {}), ...(target.applicationNamespaces ? { enabledNamespaces: target.applicationNamespaces } : {}), suppressions: false, errorsOnly: true });
  const problems: InputProblem[] = [];
  const refusedDocs = new Set<number>();
  for (const f of findings) {
    if (f.severity !== 'error') continue;
    problems.push({ code: f.code, message: `${f.message} [${f.code}]`, range: f.range, ...(f.documentIndex !== undefined ? { documentIndex: f.documentIndex } : {}) });
    if (f.documentIndex !== undefined) refusedDocs.add(f.documentIndex);
  }
  const objects: BackupObject[] = [];
  for (const doc of parsed.documents) {
    const value = doc.object;
    if (doc.hasErrors || refusedDocs.has(doc.index) || value === undefined || value === null) continue;
    const at = { documentIndex: doc.index, range: doc.range };
    if (depthExceeds(value, MAX_OBJECT_DEPTH)) {
      problems.push({ ...at, message: `document ${doc.index + 1} nests deeper than ${MAX_OBJECT_DEPTH} levels` });
      continue;
    }
    const obj = value as KubeObject;
    if (obj.metadata?.namespace !== undefined && typeof obj.metadata.namespace !== 'string') {
      problems.push({ ...at, range: doc.rangeOf(['metadata', 'namespace']) ?? doc.range, message: `${obj.kind} ${obj.metadata.name}: metadata.namespace must be a string` });
      continue;
    }
    objects.push({ index: doc.index, range: doc.range, object: obj });
  }
  if (objects.length === 0 && problems.length === 0) {
    problems.push({ message: 'the backup is empty: no object to restore (an empty input never means "prune everything")' });
  }
  return { parsed, findings, problems: problems.sort(byPosition), objects: problems.length > 0 ? [] : objects };
}

export interface GatedPlan {
  plan: RestorePlan;
}

/**
 * The gate and the plan: every restore of a backup goes through here. Throws RestoreRefusedError (with every
 * problem and its position) when the backup cannot be restored faithfully into this target.
 */
export async function planBackupRestore(client: KubeClient, input: BackupInput, options: RestoreOptions, call: PlanCallOptions = {}): Promise<GatedPlan> {
  // Refused before any request: no lint error depends on the target's enabled namespaces (the plan reads them, and
  // says per object what a namespace that is not enabled means, with a warning when they cannot be read).
  // Only the objects are kept past the gate: the parsed documents (text positions of every node) and the lint
  // findings are about 4x the objects' size (~160 of ~200 MB on 5,726 objects) and the plan needs neither, so they
  // are garbage before the lists are read instead of held for the length of the plan.
  const { problems, objects } = gateBackup(input, { namespace: options.namespace, ...(options.applicationNamespaces?.length ? { applicationNamespaces: options.applicationNamespaces } : {}) });
  if (problems.length > 0) throw new RestoreRefusedError(problems);
  return { plan: await planRestoreObjects(client, objects, options, call) };
}

/** The plan alone (tests, benchmarks and callers that show no findings). */
export async function planRestore(client: KubeClient, input: BackupInput, options: RestoreOptions, call: PlanCallOptions = {}): Promise<RestorePlan> {
  return (await planBackupRestore(client, input, options, call)).plan;
}
