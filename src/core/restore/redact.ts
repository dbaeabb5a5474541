// An object as a person may see it in a diff editor: server bookkeeping removed, Secret values hidden. For a
// Secret, each value shows only whether it differs from the other side, never the value. Given the side, a value
// that differs reads differently on each side (`live value` / `changed by the restore`; for two backups `before` /
// `changed`), so a diff editor marks exactly the keys that change.
import type { KubeObject } from '../objects/kubeObject';
import { LAST_APPLIED_ANNOTATION } from '../argo/argoFacts';

const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink'];

/** live/restore: a restore plan's diff; before/after: two backups side by side (older, newer). */
export type DisplaySide = 'live' | 'restore' | 'before' | 'after';

const DIFFERS: Record<DisplaySide, (added: boolean) => string> = {
  live: () => '<hidden, live value>',
  restore: (added) => `<hidden, ${added ? 'added' : 'changed'} by the restore>`,
  before: () => '<hidden, before>',
  after: (added) => `<hidden, ${added ? 'added' : 'changed'}>`,
};

export function displayObject(obj: KubeObject | undefined, other?: KubeObject, side?: DisplaySide): KubeObject | undefined {
  if (!obj) return undefined;
  const out = structuredClone(obj);
  if (out.metadata) {
    out.metadata = { ...out.metadata };
    for (const k of SERVER_METADATA) delete out.metadata[k];
  }
  if (out.kind === 'Secret') {
    // kubectl apply keeps the whole Secret, values included, in this annotation.
    const annotations = out.metadata?.annotations as Record<string, string> | undefined;
    if (annotations && LAST_APPLIED_ANNOTATION in annotations) {
      const otherValue = (other?.metadata?.annotations as Record<string, string> | undefined)?.[LAST_APPLIED_ANNOTATION];
      out.metadata!.annotations = {
        ...annotations,
        [LAST_APPLIED_ANNOTATION]: other === undefined ? '<hidden>' : otherValue === annotations[LAST_APPLIED_ANNOTATION] ? '<hidden, same on both sides>' : '<hidden, differs>',
      };
    }
    const otherData = (other?.data ?? {}) as Record<string, unknown>;
    for (const field of ['data', 'stringData'] as const) {
      const data = out[field] as Record<string, unknown> | undefined;
      if (!data || typeof data !== 'object') continue;
      const hidden: Record<string, string> = {};
      for (const [k, v] of Object.entries(data)) {
        hidden[k] =
          other === undefined
            ? '<hidden>'
            : otherData[k] === v
              ? '<hidden, same on both sides>'
              : side
                ? DIFFERS[side](!(k in otherData))
                : '<hidden, differs>';
      }
      out[field] = hidden;
    }
  }
  return out;
}
