// What `argocd admin export` keeps of an object: metadata cut down to name, labels, annotations, finalizers and
// (only when it differs from the Argo CD namespace) namespace; apiVersion, kind and every other top-level field
// (spec, status, operation, data, stringData, binaryData, type, ...) exactly as the API returned them.
// Mirrors the accessor semantics Argo CD goes through (apimachinery's Unstructured getters and setters): an empty
// name or namespace is dropped, an empty label map or finalizer list is kept, a malformed one is dropped.
import type { KubeObject } from '../objects/kubeObject';

type Json = Record<string, unknown>;

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Unstructured.GetLabels/GetAnnotations: a string map (null values read as ""), or undefined. */
function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isPlainObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string') out[k] = x;
    else if (x === null) out[k] = '';
    else return undefined;
  }
  return out;
}

/** Unstructured.GetFinalizers: a list of strings, or undefined. */
function stringList(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.every((x) => typeof x === 'string') ? [...(v as string[])] : undefined;
}

function stringField(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The object as `argocd admin export` writes it for control-plane namespace `argoNamespace`. */
export function sanitiseForBackup(obj: KubeObject, argoNamespace: string): KubeObject {
  const meta: Json = isPlainObject(obj.metadata) ? obj.metadata : {};
  const name = stringField(meta.name);
  const namespace = stringField(meta.namespace);
  const labels = stringMap(meta.labels);
  const annotations = stringMap(meta.annotations);
  const finalizers = stringList(meta.finalizers);

  const out: KubeObject = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'metadata') out[k] = v;
  out.apiVersion = stringField(obj.apiVersion);
  out.kind = stringField(obj.kind);

  const m: Json = {};
  if (name) m.name = name;
  if (finalizers) m.finalizers = finalizers;
  if (labels) m.labels = labels;
  if (annotations) m.annotations = annotations;
  if (namespace && namespace !== argoNamespace) m.namespace = namespace;
  if (Object.keys(m).length > 0) out.metadata = m;
  return out;
}
