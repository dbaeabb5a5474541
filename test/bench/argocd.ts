// The real argocd CLI as a benchmark baseline (the default Argo CD version of test/cluster, built when missing),
// and gitops-dr as users run it; both are measured as processes of their own (measure.ts).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const repoRoot = resolve(__dirname, '..', '..', '..');

/** The argocd CLI of the default Argo CD version (built by test/cluster when missing) and that version. */
export async function defaultArgocd(): Promise<{ bin: string; version: string }> {
  const api = (await import(pathToFileURL(join(repoRoot, 'test', 'cluster', 'index.mjs')).href)) as {
    DEFAULT_ARGOCD_VERSION: string;
    ensureArgocd(v: string): Promise<string>;
  };
  return { bin: await api.ensureArgocd(api.DEFAULT_ARGOCD_VERSION), version: api.DEFAULT_ARGOCD_VERSION };
}

/** The CLI as users run it: the esbuild bundle `npm run bench` builds first, else the tsc output. */
export const GITOPS_DR_CLI = [join(repoRoot, 'dist', 'cli.js'), join(repoRoot, 'out', 'src', 'cli', 'main.js')].find((f) => existsSync(f))!;

/** gitops-dr as users run it, in a process of its own. */
export function gitopsDrArgv(args: string[]): string[] {
  return [process.execPath, GITOPS_DR_CLI, ...args];
}
