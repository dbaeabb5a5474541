// Argo CD's "apps in any namespace" matching: a comma-separated list of globs, or /regex/ entries.

/** Splits Argo CD's comma-separated namespace list, dropping blanks. */
export function parseNamespaceList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.').replace(/\[!/g, '[^');
  return new RegExp(`^${escaped}$`);
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
    return globToRegExp(p).test(namespace);
  });
}
