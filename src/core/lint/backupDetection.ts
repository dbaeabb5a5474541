// Which files are backups: a name that matches the configured globs AND content that looks like an Argo CD export,
// so that ordinary YAML files are never flagged.
import type { ParsedBackup } from '../yaml/readBackup';
import { compileGlobs, type GlobMatcher } from '../util/glob';

export const DEFAULT_BACKUP_GLOBS = ['**/*.backup.yaml', '**/*backup*.y?(a)ml'];

const ARGO_API = /^[ \t]*(?:-[ \t]+)?apiVersion:[ \t]*["']?argoproj\.io\//gm;
const ANY_API = /^[ \t]*(?:-[ \t]+)?apiVersion:/gm;
const ARGOCD_CM = /^[ \t]*name:[ \t]*["']?argocd-cm["']?[ \t]*(?:#.*)?$/m;
const CONFIG_MAP = /^kind:[ \t]*["']?ConfigMap["']?[ \t]*$/m;
const JSON_ARGO_API = /"apiVersion"\s*:\s*"argoproj\.io\//g;
const JSON_ANY_API = /"apiVersion"\s*:/g;
const JSON_ARGOCD_CM = /"name"\s*:\s*"argocd-cm"/;

function count(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text)) n++;
  return n;
}

/**
 * Cheap content check without parsing: an argocd-cm ConfigMap, or at least half of the objects are argoproj.io
 * kinds. Works on text with syntax errors too (the file is being edited).
 */
export function isBackupText(text: string): boolean {
  const json = /^\s*[[{]/.test(text);
  if (json ? JSON_ARGOCD_CM.test(text) && text.includes('"ConfigMap"') : ARGOCD_CM.test(text) && CONFIG_MAP.test(text)) return true;
  const argo = count(json ? JSON_ARGO_API : ARGO_API, text);
  if (argo === 0) return false;
  const all = count(json ? JSON_ANY_API : ANY_API, text);
  return argo * 2 >= all;
}

/** The same check over parsed documents. */
export function looksLikeBackup(parsed: ParsedBackup): boolean {
  let objects = 0;
  let argo = 0;
  for (const d of parsed.documents) {
    const o = d.object;
    if (!o || typeof o.kind !== 'string') continue;
    objects++;
    if (o.kind === 'ConfigMap' && o.metadata?.name === 'argocd-cm' && (o.apiVersion === 'v1' || o.apiVersion === undefined)) return true;
    if (typeof o.apiVersion === 'string' && o.apiVersion.startsWith('argoproj.io/')) argo++;
  }
  return argo > 0 && argo * 2 >= objects;
}

// ---------------------------------------------------------------------------------------------- globs

/**
 * True when the file matches one of the globs. Each glob is tried on the workspace-relative path (so `dr/*.yaml`
 * means the `dr` folder of the workspace, as in VS Code settings), on the absolute path and on the base name.
 */
export function matchesBackupGlobs(filePath: string, globs: readonly string[] | GlobMatcher = DEFAULT_BACKUP_GLOBS, relativePath?: string): boolean {
  const matcher = 'matches' in globs ? globs : compileGlobs(globs);
  const p = filePath.replace(/\\/g, '/');
  const candidates = [p, p.replace(/^\/+/, ''), p.slice(p.lastIndexOf('/') + 1)];
  if (relativePath) candidates.unshift(relativePath.replace(/\\/g, '/'));
  return candidates.some((c) => matcher.matches(c));
}
