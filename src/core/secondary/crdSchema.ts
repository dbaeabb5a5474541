// Is an Argo CD CRD already on the target the version the primary's Argo CD needs? Argo CD serves one API version
// (v1alpha1) and grows its schema release by release, so the schema is what tells versions apart: the install
// keeps CRDs that are already there, and the API server silently drops every field its CRD schema lacks from the
// objects written to it (structural pruning). A target CRD without fields of the primary's CRD would therefore
// make a restore lose data: `spec.sources` of multi-source Applications on an Argo CD < 2.6 CRD, for example.
import type { KubeObject } from '../objects/kubeObject';

interface Schema {
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

export interface CrdObject extends KubeObject {
  spec?: { versions?: Array<{ name?: string; served?: boolean; schema?: { openAPIV3Schema?: Schema } }> };
}

export const ARGO_API_VERSION = 'v1alpha1';

/** The served versions of a CRD. */
export function servedVersions(crd: CrdObject): string[] {
  return (crd.spec?.versions ?? []).filter((v) => v.served).map((v) => v.name ?? '');
}

function schemaOf(crd: CrdObject): Schema | undefined {
  return crd.spec?.versions?.find((v) => v.name === ARGO_API_VERSION)?.schema?.openAPIV3Schema;
}

/** Every field path a schema defines: `spec.sources[].helm.valueFiles[]`, `metadata`, ... */
function fieldPaths(schema: Schema, prefix: string, out: Map<string, boolean>): void {
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    // true: the schema keeps anything below this field, so nothing under it is pruned.
    out.set(path, Boolean(child['x-kubernetes-preserve-unknown-fields']));
    fieldPaths(child, path, out);
  }
  if (schema.items) fieldPaths(schema.items, `${prefix}[]`, out);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') fieldPaths(schema.additionalProperties, `${prefix}{}`, out);
}

function paths(crd: CrdObject): Map<string, boolean> | undefined {
  const schema = schemaOf(crd);
  if (!schema) return undefined;
  const out = new Map<string, boolean>();
  fieldPaths(schema, '', out);
  return out;
}

function parentOf(path: string): string {
  const i = Math.max(path.lastIndexOf('.'), path.lastIndexOf('[]'), path.lastIndexOf('{}'));
  return i <= 0 ? '' : path.slice(0, i).replace(/(\[\]|\{\})+$/, '');
}

function keptUnder(path: string, target: Map<string, boolean>): boolean {
  for (let p = parentOf(path); p; p = parentOf(p)) if (target.get(p) === true) return true;
  return false;
}

export interface SchemaComparison {
  /** Fields the reference CRD defines and the target's would prune (outermost only: `spec.sources`, not its children). */
  missing: string[];
  /** Fields only the target's CRD defines (a newer Argo CD's), outermost only. */
  extra: string[];
  /** One side has no v1alpha1 schema to compare. */
  incomparable?: string;
}

function outermost(list: string[]): string[] {
  const set = new Set(list);
  return list.filter((p) => {
    for (let q = parentOf(p); q; q = parentOf(q)) if (set.has(q)) return false;
    return true;
  });
}

/** The target CRD against the reference (the primary's): what it would prune, and what it has in addition. */
export function compareCrdSchemas(reference: CrdObject, target: CrdObject): SchemaComparison {
  const want = paths(reference);
  const have = paths(target);
  if (!want || !have) return { missing: [], extra: [], incomparable: `${!want ? 'the primary\'s' : 'the target\'s'} CRD has no ${ARGO_API_VERSION} schema` };
  const missing = [...want.keys()].filter((p) => !have.has(p) && !keptUnder(p, have));
  const extra = [...have.keys()].filter((p) => !want.has(p) && !keptUnder(p, want));
  return { missing: outermost(missing), extra: outermost(extra) };
}
