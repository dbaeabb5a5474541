// Field-level differences between the live object and what a restore writes, over the compared fields only.
// Secret values never appear: a changed Secret key shows SECRET_PLACEHOLDER on each side that has a value.
import type { KubeObject } from '../objects/kubeObject';
import { comparedShape, withoutNulls } from './equality';
import { SECRET_PLACEHOLDER, type FieldChange } from './types';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENT.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Differences between two JSON values, as leaf paths. Stops after `max` changes, adding a final count entry. */
export function diffValues(before: unknown, after: unknown, basePath = '', max = 1000): FieldChange[] {
  const changes: FieldChange[] = [];
  let more = 0;
  const push = (c: FieldChange): void => {
    if (changes.length < max) changes.push(c);
    else more++;
  };
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (a === b) return;
    if (isMap(a) && isMap(b)) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const k of [...keys].sort()) {
        const p = child(path, k);
        if (!(k in b)) push({ path: p, before: a[k] });
        else if (!(k in a)) push({ path: p, after: b[k] });
        else walk(a[k], b[k], p);
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n; i++) {
        const p = child(path, i);
        if (i >= b.length) push({ path: p, before: a[i] });
        else if (i >= a.length) push({ path: p, after: b[i] });
        else walk(a[i], b[i], p);
      }
      return;
    }
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    const c: FieldChange = { path };
    if (a !== undefined) c.before = a;
    if (b !== undefined) c.after = b;
    push(c);
  };
  walk(before, after, basePath);
  if (more > 0) changes.push({ path: '…', after: `${more} more change${more === 1 ? '' : 's'}` });
  return changes;
}

function isSecretValuePath(path: string): boolean {
  return path === 'data' || path.startsWith('data.') || path.startsWith('data[') || path.startsWith('stringData');
}

/** Replaces Secret values in changes by the placeholder. */
export function redactSecretChanges(changes: FieldChange[]): FieldChange[] {
  return changes.map((c) => {
    if (!isSecretValuePath(c.path)) return c;
    const r: FieldChange = { path: c.path };
    if ('before' in c) r.before = SECRET_PLACEHOLDER;
    if ('after' in c) r.after = SECRET_PLACEHOLDER;
    return r;
  });
}

/**
 * What an update changes, over the fields equality compares (plus `operation` when it is cleared).
 * `compareStatus` mirrors equality: false when the backup holds no Application status.
 */
export function diffForUpdate(live: KubeObject, desired: KubeObject, compareStatus = true): FieldChange[] {
  const before = withoutNulls(comparedShape(live, compareStatus)) as Record<string, unknown>;
  const after = withoutNulls(comparedShape(desired, compareStatus)) as Record<string, unknown>;
  if (live.operation !== undefined && live.operation !== null && (desired.operation === undefined || desired.operation === null)) {
    before.operation = live.operation;
  }
  const changes = diffValues(before, after);
  return live.kind === 'Secret' ? redactSecretChanges(changes) : changes;
}
