// Argo CD's "apps in any namespace" matching: a comma-separated list of globs, or /regex/ entries.
import { globMatcher } from '../util/glob';

/** Splits Argo CD's comma-separated namespace list, dropping blanks. */
export function parseNamespaceList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** True when `namespace` is the control-plane namespace or matches one of the patterns. */
export function isNamespaceEnabled(namespace: string, controlPlaneNamespace: string, patterns: readonly string[]): boolean {
  if (namespace === controlPlaneNamespace) return true;
  return patterns.some((p) => {
    if (p.length > 2 && p.startsWith('/') && p.endsWith('/')) {
      try {
        return new RegExp(p.slice(1, -1)).test(namespace);
      } catch {
        return false; // an invalid regex matches nothing, as in Argo CD's glob.MatchStringInList
      }
    }
    return globMatcher(p).matches(namespace); // an invalid glob matches nothing, as in Argo CD
  });
}
