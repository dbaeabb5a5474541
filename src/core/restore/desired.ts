// What a restore writes. Create: the backup object with metadata cut to what a backup carries (no uid,
// resourceVersion or ownerReferences survive from another cluster) and, with stop-operation, no `.operation`
// (Argo CD's import creates the in-flight operation and so starts the sync on the restored side).
// Update (Argo CD's updateLive): the live object with the backup's labels, annotations, finalizers and payload;
// everything else stays as it is live. Application status is copied only when the backup has one.
import { INSTANCE_LABEL, TRACKING_ID_ANNOTATION } from '../argo/argoFacts';
import type { KubeObject, ObjectMeta } from '../objects/kubeObject';
import { payloadFields } from './equality';

// Objects here are shallow copies that share nested values with the backup or live object: nothing in a restore
// mutates an object after planning, and a plan of thousands of objects must not copy each one deeply.

/** The backup object with its namespace defaulted, and a Secret's `stringData` folded into `data` (base64). */
export function normalizeBackupObject(obj: KubeObject, namespace: string): KubeObject {
  const out = { ...obj };
  out.metadata = { ...(out.metadata ?? {}) };
  if (!out.metadata.namespace) out.metadata.namespace = namespace;
  if (out.kind === 'Secret' && out.stringData && typeof out.stringData === 'object') {
    const data = { ...((out.data as Record<string, string> | undefined) ?? {}) };
    for (const [k, v] of Object.entries(out.stringData as Record<string, unknown>)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    out.data = data;
    delete out.stringData;
  }
  return out;
}

/**
 * `--ignore-tracking`: when both the backup and the live object carry the tracking annotation (or the instance
 * label), keep the live value, so an Argo CD that manages this Argo CD does not see its own objects re-owned.
 */
export function keepLiveTracking(backup: KubeObject, live: KubeObject): KubeObject {
  const out = { ...backup };
  const meta = (out.metadata = { ...(backup.metadata ?? {}) });
  const liveAnn = live.metadata?.annotations;
  if (liveAnn && meta.annotations && TRACKING_ID_ANNOTATION in liveAnn && TRACKING_ID_ANNOTATION in meta.annotations) {
    meta.annotations = { ...meta.annotations, [TRACKING_ID_ANNOTATION]: liveAnn[TRACKING_ID_ANNOTATION]! };
  }
  const liveLabels = live.metadata?.labels;
  if (liveLabels && meta.labels && INSTANCE_LABEL in liveLabels && INSTANCE_LABEL in meta.labels) {
    meta.labels = { ...meta.labels, [INSTANCE_LABEL]: liveLabels[INSTANCE_LABEL]! };
  }
  return out;
}

const KEPT_METADATA = ['name', 'namespace', 'labels', 'annotations', 'finalizers'] as const;

/** The object to POST for a backup object that is not live. ApplicationSet status goes through /status afterwards. */
export function objectToCreate(backup: KubeObject, stopOperation: boolean): KubeObject {
  const out = { ...backup };
  const meta: ObjectMeta = {};
  for (const key of KEPT_METADATA) if (backup.metadata?.[key] !== undefined && backup.metadata?.[key] !== null) meta[key] = backup.metadata[key] as never;
  out.metadata = meta;
  if (stopOperation && out.kind === 'Application') delete out.operation;
  if (out.kind === 'ApplicationSet') delete out.status;
  return out;
}

/** The live object updated from the backup (PUT body: carries the live resourceVersion). */
export function objectToUpdate(backup: KubeObject, live: KubeObject, stopOperation: boolean): KubeObject {
  const out = { ...live };
  const meta = (out.metadata = { ...(live.metadata ?? {}) });
  delete meta.managedFields; // omitted in an update, the server keeps its own
  for (const key of ['labels', 'annotations', 'finalizers'] as const) {
    const v = backup.metadata?.[key];
    if (v === undefined || v === null) delete meta[key];
    else meta[key] = v as never;
  }
  for (const field of payloadFields(live.kind)) {
    if (field === 'status' && backup.status === undefined) continue; // nothing to restore: keep live status
    if (backup[field] === undefined) delete out[field];
    else out[field] = backup[field];
  }
  if (stopOperation && out.kind === 'Application') delete out.operation;
  return out;
}
