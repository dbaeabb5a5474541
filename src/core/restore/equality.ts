// Argo CD's import equality (cmd/argocd/commands/admin/admin.go specsEqual), learnt and fixed:
// labels, annotations (minus kubectl's last-applied-configuration), finalizers and the kind's payload decide
// "unchanged". Payload: ConfigMap data (+binaryData), Secret data, AppProject spec, Application spec and status
// minus reconciledAt/observedAt, ApplicationSet spec (Argo CD has no case for it and reports it "updated" forever).
// Fixes: an absent and an empty map are equal (the API server never stores an empty label map), null equals absent,
// and an Application backup without `status` does not compare status (a restore could never make it equal).
import { LAST_APPLIED_ANNOTATION } from '../argo/argoFacts';
import type { KubeObject } from '../objects/kubeObject';

/** Status fields Argo CD ignores: they change on every reconcile. */
const VOLATILE_STATUS_FIELDS = ['reconciledAt', 'observedAt'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Drops null / undefined members of maps (the API server prunes them), recursively. Input depth is bounded by the input checks. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
    return out;
  }
  return value;
}

function nonEmptyMap(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.keys(value).length > 0 ? (value as Record<string, unknown>) : undefined;
}

function nonEmptyList(value: unknown): unknown[] | undefined {
  return Array.isArray(value) && value.length > 0 ? value : undefined;
}

/** The payload fields a kind's equality compares and an update copies. */
export function payloadFields(kind: string | undefined): string[] {
  switch (kind) {
    case 'ConfigMap':
      return ['data', 'binaryData'];
    case 'Secret':
      return ['data'];
    case 'AppProject':
    case 'ApplicationSet':
      return ['spec'];
    case 'Application':
      return ['spec', 'status'];
    default:
      return [];
  }
}

export interface ComparedShape {
  metadata: { labels?: Record<string, unknown>; annotations?: Record<string, unknown>; finalizers?: unknown[] };
  [field: string]: unknown;
}

/**
 * The parts of an object equality looks at, shaped like the object (so diff paths read naturally).
 * `compareStatus` is false when the backup holds no Application status. Values are shared with `obj`, not copied
 * (a plan compares thousands of objects); null members are left for jsonEqual, which treats them as absent.
 */
export function comparedShape(obj: KubeObject, compareStatus = true): ComparedShape {
  const meta = obj.metadata ?? {};
  const shape: ComparedShape = { metadata: {} };
  const labels = nonEmptyMap(meta.labels);
  if (labels) shape.metadata.labels = labels;
  let annotations = nonEmptyMap(meta.annotations);
  if (annotations && LAST_APPLIED_ANNOTATION in annotations) {
    annotations = { ...annotations };
    delete annotations[LAST_APPLIED_ANNOTATION];
    annotations = nonEmptyMap(annotations);
  }
  if (annotations) shape.metadata.annotations = annotations;
  const finalizers = nonEmptyList(meta.finalizers);
  if (finalizers) shape.metadata.finalizers = finalizers;
  for (const field of payloadFields(obj.kind)) {
    if (field === 'status' && !compareStatus) continue;
    let value = obj[field];
    if (field === 'status' && value && typeof value === 'object' && !Array.isArray(value) && VOLATILE_STATUS_FIELDS.some((f) => f in (value as object))) {
      const status = { ...(value as Record<string, unknown>) };
      for (const f of VOLATILE_STATUS_FIELDS) delete status[f];
      value = status;
    }
    // An empty top-level payload equals an absent one (`data: {}` is not stored by the API server).
    if (value !== undefined && value !== null && !(typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)) {
      shape[field] = value;
    }
  }
  return shape;
}

const absent = (v: unknown): boolean => v === null || v === undefined;

/**
 * Structural equality of JSON values: map key order does not matter, and a map member that is null counts as
 * absent (the API server prunes nulls). List order matters.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k in ao) {
    const av = ao[k];
    if (absent(av)) {
      if (!absent(bo[k])) return false;
    } else if (!jsonEqual(av, bo[k])) return false;
  }
  for (const k in bo) if (!(k in ao) && !absent(bo[k])) return false;
  return true;
}

/** Whether the backup object needs no write to the live one (Argo CD's specsEqual, with the fixes above). */
export function objectsEqual(backup: KubeObject, live: KubeObject): boolean {
  const compareStatus = backup.kind !== 'Application' || backup.status !== undefined;
  return jsonEqual(comparedShape(backup, compareStatus), comparedShape(live, compareStatus));
}

/** True when stop-operation must clear an in-flight operation on the live Application. */
export function needsOperationStop(live: KubeObject, stopOperation: boolean): boolean {
  return stopOperation && live.kind === 'Application' && live.operation !== undefined && live.operation !== null;
}

export type { Json };
