// The linter's settings (contributed in package.json).
import * as vscode from 'vscode';
import { DEFAULT_BACKUP_GLOBS } from '../../core/lint/backupDetection';
import type { LintOptions } from '../../core/lint/lintBackup';

export interface LintSettings {
  enabled: boolean;
  globs: string[];
  debounceMs: number;
  options: LintOptions;
}

export function readLintSettings(): LintSettings {
  const c = vscode.workspace.getConfiguration('gitopsDr');
  const options: LintOptions = {};
  const ns = c.get<string>('lint.argoNamespace', '').trim();
  if (ns) options.argoNamespace = ns;
  const appNs = c.get<string[] | null>('lint.applicationNamespaces', null);
  if (Array.isArray(appNs)) options.enabledNamespaces = appNs.filter((s) => typeof s === 'string' && s.trim() !== '');
  return {
    enabled: c.get<boolean>('lint.enabled', true),
    globs: c.get<string[]>('backupFileGlobs', DEFAULT_BACKUP_GLOBS),
    debounceMs: Math.max(0, c.get<number>('lint.debounceMilliseconds', 300)),
    options,
  };
}
