// The one glob matcher of the product (minimatch, the matcher npm itself uses), for backup file names and for
// Argo CD's namespace patterns. A pattern that cannot be what its author meant (an unclosed `{`, `[` or `(`) is
// reported instead of being matched literally or building a wrong class.
import { Minimatch } from 'minimatch';

export interface GlobMatcher {
  /** True when any of the valid patterns matches `path` (`/`-separated). */
  matches(path: string): boolean;
  /** One message per invalid pattern: `"PATTERN" is not a valid glob: WHY`; those patterns match nothing. */
  problems: string[];
}

/** Why the pattern is invalid, or undefined: brackets, braces and extglob parentheses must be closed. */
export function globProblem(pattern: string): string | undefined {
  const open: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // A class ends at the first `]` after its first character (`[]a]` holds `]`).
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return `"[" at ${i + 1} is never closed by "]"`;
      i = end;
      continue;
    }
    if (c === '{' || (c === '(' && i > 0 && '?*+@!'.includes(pattern[i - 1]!))) open.push(c);
    else if (c === '(') open.push(c);
    else if (c === '}' || c === ')') {
      const want = c === '}' ? '{' : '(';
      if (open.pop() !== want) return `"${c}" at ${i + 1} closes nothing`;
    }
  }
  return open.length ? `"${open[open.length - 1]}" is never closed` : undefined;
}

export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  const problems: string[] = [];
  const matchers: Minimatch[] = [];
  for (const raw of patterns) {
    const pattern = raw.replace(/\\/g, '/');
    const problem = typeof raw === 'string' && raw.trim() !== '' ? globProblem(raw) : 'empty pattern';
    if (problem) problems.push(`"${raw}" is not a valid glob: ${problem}`);
    else matchers.push(new Minimatch(pattern, { dot: true, nonegate: true, nocomment: true }));
  }
  return { matches: (path) => matchers.some((m) => m.match(path)), problems };
}

const single = new Map<string, GlobMatcher>();

/** One pattern, compiled once (Argo CD's namespace lists are matched per object). */
export function globMatcher(pattern: string): GlobMatcher {
  let m = single.get(pattern);
  if (!m) {
    if (single.size > 256) single.clear();
    m = compileGlobs([pattern]);
    single.set(pattern, m);
  }
  return m;
}

/** The message for invalid patterns of a setting: names the setting, each pattern and what is wrong. */
export function settingProblem(setting: string, matcher: GlobMatcher): string | undefined {
  return matcher.problems.length ? `setting ${setting}: ${matcher.problems.join('; ')}. The other patterns are used.` : undefined;
}
