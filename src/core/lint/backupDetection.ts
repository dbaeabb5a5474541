// Which files are backups: a name that matches the configured globs AND content that looks like an Argo CD export,
// so that ordinary YAML files are never flagged.
import type { ParsedBackup } from '../yaml/readBackup';

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

function escapeRe(s: string): string {
  return s.replace(/[.+^${}()|\\/]/g, '\\$&');
}

/**
 * A glob as VS Code settings write them, with the extglob forms the default uses: `**`, `*`, `?`, `[...]`,
 * `{a,b}`, `?(a|b)`, `*(…)`, `+(…)`, `@(…)`, `!(…)`. Matches `/`-separated paths.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let i = 0;
  const groups: string[] = []; // closing suffix per open extglob / brace group
  while (i < glob.length) {
    const c = glob[i]!;
    const next = glob[i + 1];
    if ('?*+@!'.includes(c) && next === '(') {
      groups.push(c === '?' ? ')?' : c === '*' ? ')*' : c === '+' ? ')+' : c === '!' ? '))[^/]*)' : ')');
      re += c === '!' ? '(?:(?!(?:' : '(?:';
      i += 2;
      continue;
    }
    if (c === ')' && groups.length > 0) {
      re += groups.pop()!;
      i++;
      continue;
    }
    if (c === '|' && groups.length > 0) {
      re += '|';
      i++;
      continue;
    }
    if (c === '{') {
      groups.push(')');
      re += '(?:';
      i++;
      continue;
    }
    if (c === ',' && groups.length > 0) {
      re += '|';
      i++;
      continue;
    }
    if (c === '}' && groups.length > 0) {
      re += groups.pop();
      i++;
      continue;
    }
    if (c === '*') {
      if (next === '*') {
        // `**/` matches any number of directories, none included; a trailing `**` anything.
        if (glob[i + 2] === '/') {
          re += '(?:[^/]*/)*';
          i += 3;
        } else {
          re += '.*';
          i += 2;
        }
        continue;
      }
      re += '[^/]*';
      i++;
      continue;
    }
    if (c === '?') {
      re += '[^/]';
      i++;
      continue;
    }
    if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end > i) {
        const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end + 1;
        continue;
      }
    }
    re += escapeRe(c);
    i++;
  }
  return new RegExp(`^${re}$`);
}

/** True when `filePath` (absolute or workspace-relative; any separator) matches one of the globs. */
export function matchesBackupGlobs(filePath: string, globs: readonly string[] = DEFAULT_BACKUP_GLOBS): boolean {
  const p = filePath.replace(/\\/g, '/');
  const candidates = [p, p.replace(/^\/+/, ''), p.slice(p.lastIndexOf('/') + 1)];
  return globs.some((g) => {
    const re = globToRegExp(g.replace(/\\/g, '/'));
    return candidates.some((c) => re.test(c));
  });
}
