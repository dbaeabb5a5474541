// Default names for backup files: `<context>-<namespace>-<UTC timestamp>.backup.yaml`.

/** Context names may be ARNs or URLs; keep them readable but safe as one file-name segment. */
function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || '_';
}

/** `20240501T100000Z` */
export function utcStamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

export function defaultBackupFileName(context: string, namespace: string, date: Date = new Date()): string {
  return `${fileSafe(context)}-${fileSafe(namespace)}-${utcStamp(date)}.backup.yaml`;
}
