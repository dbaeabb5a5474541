// A secret-free description of a finished backup, for the log channel, the CLI and notifications.
import { BACKUP_KIND_ORDER, type BackupCounts, type BackupResult } from './exportBackup';

export function totalObjects(counts: BackupCounts): number {
  return BACKUP_KIND_ORDER.reduce((n, k) => n + counts[k], 0);
}

export function formatCounts(counts: BackupCounts): string {
  return BACKUP_KIND_ORDER.map((k) => `${counts[k]} ${k}${counts[k] === 1 ? '' : 's'}`).join(', ');
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Lines such as `backup of argocd (native): 4 ConfigMaps, ... (62 objects, 120.3 KiB) in 0.4 s`. */
export function describeBackup(r: BackupResult, where = ''): string[] {
  const lines = [
    `backup of ${where ? `${where}/` : ''}${r.namespace} (${r.mode}): ${formatCounts(r.counts)} (${totalObjects(r.counts)} objects, ${formatBytes(r.bytes)}) in ${(r.durationMs / 1000).toFixed(1)} s`,
  ];
  if (r.applicationNamespaces.length > 0) lines.push(`Applications also from namespaces: ${r.applicationNamespaces.join(', ')}`);
  if (r.applicationSetNamespaces.length > 0) lines.push(`ApplicationSets also from namespaces: ${r.applicationSetNamespaces.join(', ')}`);
  if (r.missing.length > 0) lines.push(`missing: ${r.missing.join(', ')}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines;
}
