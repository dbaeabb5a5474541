// Two backups side by side (two stored backups of an agent, older on the left): each object paired with its
// namesake (kind, namespace, name) and shown as the restore plan's diff shows objects (displayObject: server
// bookkeeping removed, Secret values hidden, each Secret key saying only whether it differs from the other side),
// so a diff editor marks exactly the objects, fields and Secret keys that changed, and never shows a Secret value.
import type { KubeObject } from '../objects/kubeObject';
import { diffValues, redactSecretChanges } from '../restore/diff';
import { displayObject } from '../restore/redact';
import type { FieldChange } from '../restore/types';
import { writeArgoYaml } from '../yaml/argoYaml';
import { readBackup } from '../yaml/readBackup';

export type BackupDiffAction = 'added' | 'removed' | 'changed' | 'unchanged';

export interface BackupDiffEntry {
  kind: string;
  namespace?: string;
  name: string;
  action: BackupDiffAction;
  /** What changed (Secret values replaced by the placeholder, per key). */
  changes?: FieldChange[];
}

export interface BackupDiff {
  /** The older backup as shown (masked), object by object in the order of `entries`. */
  left: string;
  right: string;
  entries: BackupDiffEntry[];
  counts: Record<BackupDiffAction, number>;
}

/** `argocd admin export` order, so both sides read like a backup. */
const KIND_ORDER: Record<string, number> = { ConfigMap: 0, Secret: 1, AppProject: 2, Application: 3, ApplicationSet: 4 };

function objectsOf(text: string, label: string): Map<string, KubeObject> {
  const parsed = readBackup(text);
  const error = parsed.problems.find((p) => p.severity === 'error');
  if (error) throw new Error(`${label} cannot be read: line ${error.range.start.line + 1}: ${error.message}`);
  const out = new Map<string, KubeObject>();
  for (const doc of parsed.documents) {
    const o = doc.object;
    if (!o || typeof o !== 'object') continue;
    const base = `${o.kind ?? ''}\u0000${o.metadata?.namespace ?? ''}\u0000${o.metadata?.name ?? ''}`;
    let key = base;
    for (let n = 2; out.has(key); n++) key = `${base}\u0000${n}`; // a duplicate is shown, never dropped
    out.set(key, o);
  }
  return out;
}

function order(a: KubeObject, b: KubeObject): number {
  return (
    (KIND_ORDER[a.kind ?? ''] ?? 9) - (KIND_ORDER[b.kind ?? ''] ?? 9) ||
    (a.kind ?? '').localeCompare(b.kind ?? '') ||
    (a.metadata?.namespace ?? '').localeCompare(b.metadata?.namespace ?? '') ||
    (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '')
  );
}

function absent(o: KubeObject): string {
  return `# ${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}: not in this backup\n`;
}

/** `before` is the older backup (the left side), `after` the newer; labels name them in errors. */
export function diffBackups(before: string, after: string, labels: { before: string; after: string }): BackupDiff {
  const a = objectsOf(before, labels.before);
  const b = objectsOf(after, labels.after);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => order((a.get(x) ?? b.get(x))!, (a.get(y) ?? b.get(y))!) || x.localeCompare(y));
  const counts: Record<BackupDiffAction, number> = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  const entries: BackupDiffEntry[] = [];
  const left: string[] = [];
  const right: string[] = [];
  for (const key of keys) {
    const x = a.get(key);
    const y = b.get(key);
    const o = (x ?? y)!;
    const entry: BackupDiffEntry = { kind: o.kind ?? '', ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata?.name ?? '', action: 'unchanged' };
    if (!x) entry.action = 'added';
    else if (!y) entry.action = 'removed';
    else {
      const changes = diffValues(x, y);
      if (changes.length > 0) {
        entry.action = 'changed';
        entry.changes = o.kind === 'Secret' ? redactSecretChanges(changes) : changes;
      }
    }
    counts[entry.action]++;
    entries.push(entry);
    left.push(x ? writeArgoYaml(displayObject(x, y, 'before')) : absent(o));
    right.push(y ? writeArgoYaml(displayObject(y, x, 'after')) : absent(o));
  }
  return { left: left.join('---\n'), right: right.join('---\n'), entries, counts };
}
