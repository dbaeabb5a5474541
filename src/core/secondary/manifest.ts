// An agent's install manifest (Harness `deploy.yaml`): read it strictly, put it in a safe apply order, and render
// it for a person with every Secret value masked.
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '../objects/kubeObject';
import { SecondaryError } from './model';

/** Apply order: what others depend on first, workloads last (so they start with their config in place). */
const ORDER: Record<string, number> = {
  Namespace: 0,
  CustomResourceDefinition: 1,
  ServiceAccount: 2,
  ClusterRole: 3,
  Role: 3,
  ClusterRoleBinding: 4,
  RoleBinding: 4,
  ConfigMap: 5,
  Secret: 5,
  Service: 6,
  Deployment: 8,
  StatefulSet: 8,
  DaemonSet: 8,
  CronJob: 8,
  Job: 8,
  HorizontalPodAutoscaler: 9,
  PodDisruptionBudget: 9,
};
const OTHER = 7;

function applyRank(kind: string | undefined): number {
  return ORDER[kind ?? ''] ?? OTHER;
}

export interface ManifestObject extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: NonNullable<KubeObject['metadata']> & { name: string };
}

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/**
 * Parses a multi-document manifest. Refuses (naming the document and line) anything that is not a Kubernetes
 * object, and objects placed in a namespace other than the agent's.
 */
export function parseManifest(text: string, namespace: string, source = 'the manifest'): ManifestObject[] {
  if (Buffer.byteLength(text) > MAX_MANIFEST_BYTES) throw new SecondaryError(`${source} is larger than 16 MiB: not an agent install manifest`);
  const docs = parseAllDocuments(text);
  const objects: ManifestObject[] = [];
  const problems: string[] = [];
  const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
  docs.forEach((doc, i) => {
    const at = `document ${i + 1} (line ${lineOf(doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0)})`;
    if (doc.errors.length > 0) {
      problems.push(`${at}: ${doc.errors[0]!.message.split('\n')[0]}`);
      return;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return; // an empty document between separators
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${at}: not a Kubernetes object (a mapping with apiVersion, kind, metadata.name)`);
      return;
    }
    const o = value as KubeObject;
    if (o.kind === 'List' && Array.isArray((o as { items?: unknown }).items)) {
      problems.push(`${at}: a List; give the objects as separate documents`);
      return;
    }
    if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string' || o.metadata.name === '') {
      problems.push(`${at}: missing apiVersion, kind or metadata.name`);
      return;
    }
    const ns = o.metadata.namespace;
    if (typeof ns === 'string' && ns !== '' && ns !== namespace && o.kind !== 'Namespace') {
      problems.push(`${at}: ${o.kind} ${o.metadata.name} is for namespace "${ns}", not the agent namespace "${namespace}"`);
      return;
    }
    if (o.kind === 'Namespace' && o.metadata.name !== namespace) {
      problems.push(`${at}: creates namespace "${o.metadata.name}", not the agent namespace "${namespace}"`);
      return;
    }
    objects.push(o as ManifestObject);
  });
  if (problems.length > 0) throw new SecondaryError(`${source} cannot be installed:\n  ${problems.join('\n  ')}`);
  if (objects.length === 0) throw new SecondaryError(`${source} holds no Kubernetes objects`);
  return objects;
}

/** Stable apply order: by kind rank, then in the manifest's own order. */
export function inApplyOrder(objects: readonly ManifestObject[]): ManifestObject[] {
  return objects
    .map((o, i) => ({ o, i }))
    .sort((a, b) => applyRank(a.o.kind) - applyRank(b.o.kind) || a.i - b.i)
    .map((x) => x.o);
}

export const MASK = '********';

/** A copy safe to show: every Secret `data` / `stringData` value replaced by the mask. */
export function maskSecrets(obj: ManifestObject): ManifestObject {
  if (obj.kind !== 'Secret') return obj;
  const copy = { ...obj } as ManifestObject & { data?: Record<string, unknown>; stringData?: Record<string, unknown> };
  for (const field of ['data', 'stringData'] as const) {
    const values = copy[field];
    if (values && typeof values === 'object') copy[field] = Object.fromEntries(Object.keys(values).map((k) => [k, MASK]));
  }
  return copy;
}

/** The manifest as YAML text, secrets masked, in apply order: what a person reviews before the apply. */
export function renderMasked(objects: readonly ManifestObject[]): string {
  return inApplyOrder(objects)
    .map((o) => stringify(maskSecrets(o), { lineWidth: 0 }))
    .join('---\n');
}

export function describeObject(o: ManifestObject): string {
  return `${o.kind} ${o.metadata.name}`;
}
