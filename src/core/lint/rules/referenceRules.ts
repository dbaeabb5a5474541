// Dangling references: what an Application or AppProject names that the backup does not hold.
import { parse as parseYaml } from 'yaml';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER, SECRET_TYPE_LABEL } from '../../argo/argoFacts';
import { secretField } from '../secretData';
import { describeObject, type LintedObject, type LintRun } from '../lintRun';

/** Argo CD's git.NormalizeGitURL, near enough: case, `.git`, a trailing slash and scp-style SSH URLs. */
export function normalizeRepoURL(url: string): string {
  let u = url.trim().toLowerCase();
  const scp = /^([a-z0-9._-]+@[^:/]+):(?!\d+\/)(.*)$/.exec(u);
  if (scp) u = `${scp[1]}/${scp[2]}`;
  u = u.replace(/^ssh:\/\//, '');
  u = u.replace(/\/+$/, '');
  if (u.endsWith('.git')) u = u.slice(0, -4);
  return u.replace(/\/+$/, '');
}

/** A URL for a message: any user:password@ part is masked. */
export function redactURL(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}

function normalizeServer(server: string): string {
  return server.trim().replace(/\/+$/, '');
}

interface ReferenceIndex {
  projects: Set<string>;
  clusterServers: Set<string>;
  clusterNames: Set<string>;
  repoURLs: Set<string>;
  credPrefixes: string[];
}

function urlsFromArgoCm(value: unknown): string[] {
  if (typeof value !== 'string' || value.trim() === '') return [];
  try {
    const list = parseYaml(value, { maxAliasCount: 10 }) as unknown;
    if (!Array.isArray(list)) return [];
    return list.map((r) => (r && typeof r === 'object' ? (r as { url?: unknown }).url : undefined)).filter((u): u is string => typeof u === 'string');
  } catch {
    return []; // an unreadable legacy list simply provides no credentials
  }
}

function buildIndex(run: LintRun): ReferenceIndex {
  const idx: ReferenceIndex = { projects: new Set(), clusterServers: new Set(), clusterNames: new Set(), repoURLs: new Set(), credPrefixes: [] };
  for (const o of run.objects) {
    if (o.group === 'argoproj.io' && o.kind === 'AppProject') idx.projects.add(o.name);
    if (o.group !== '') continue;
    if (o.kind === 'Secret') {
      const type = o.obj.metadata?.labels?.[SECRET_TYPE_LABEL];
      if (type === 'cluster') {
        const server = secretField(o.obj, 'server');
        const name = secretField(o.obj, 'name');
        if (server) idx.clusterServers.add(normalizeServer(server));
        if (name) idx.clusterNames.add(name);
      } else if (type === 'repository' || type === 'repository-write') {
        const url = secretField(o.obj, 'url');
        if (url) idx.repoURLs.add(normalizeRepoURL(url));
      } else if (type === 'repo-creds' || type === 'repo-write-creds') {
        const url = secretField(o.obj, 'url');
        if (url) idx.credPrefixes.push(normalizeRepoURL(url));
      }
    } else if (o.kind === 'ConfigMap' && o.name === 'argocd-cm') {
      const data = (o.obj.data ?? {}) as Record<string, unknown>;
      for (const u of urlsFromArgoCm(data['repositories'])) idx.repoURLs.add(normalizeRepoURL(u));
      for (const u of urlsFromArgoCm(data['repository.credentials'])) idx.credPrefixes.push(normalizeRepoURL(u));
    }
  }
  return idx;
}

function hasCredentials(idx: ReferenceIndex, repoURL: string): boolean {
  const n = normalizeRepoURL(repoURL);
  if (idx.repoURLs.has(n)) return true;
  return idx.credPrefixes.some((p) => p !== '' && n.startsWith(p));
}

type Spec = Record<string, unknown>;

function asRecord(v: unknown): Spec | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Spec) : undefined;
}

export function checkReferences(run: LintRun): void {
  // Every reference finding is a warning or an info: none of them refuses a restore.
  if (!(['DRL010', 'DRL011', 'DRL012', 'DRL013'] as const).some((code) => run.wants(code))) return;
  const idx = buildIndex(run);
  for (const o of run.objects) {
    if (o.group !== 'argoproj.io') continue;
    if (o.kind === 'Application') checkApplication(run, idx, o);
    else if (o.kind === 'AppProject') checkProject(run, idx, o);
  }
}

function checkApplication(run: LintRun, idx: ReferenceIndex, o: LintedObject): void {
  const spec = asRecord(o.obj.spec);
  if (!spec) return;
  const what = describeObject(o);
  const project = spec.project;
  if (typeof project === 'string' && project !== '' && project !== 'default' && !idx.projects.has(project)) {
    run.add('DRL010', `${what} uses AppProject ${project}, which is not in the backup: restored alone, the Application reports an unknown project and does not sync`, o.doc.rangeOf(['spec', 'project']) ?? run.headRange(o.doc), o.doc);
  }

  const dest = asRecord(spec.destination);
  if (dest) {
    const server = typeof dest.server === 'string' ? dest.server : '';
    const name = typeof dest.name === 'string' ? dest.name : '';
    if (server !== '') {
      const s = normalizeServer(server);
      if (s !== IN_CLUSTER_SERVER && !idx.clusterServers.has(s)) {
        run.add('DRL011', `${what} deploys to cluster ${redactURL(server)}, but no cluster Secret in the backup has that server: it cannot sync unless the target already knows that cluster`, o.doc.rangeOf(['spec', 'destination', 'server'])!, o.doc);
      }
    } else if (name !== '' && name !== IN_CLUSTER_NAME && !idx.clusterNames.has(name)) {
      run.add('DRL011', `${what} deploys to cluster "${name}", but no cluster Secret in the backup has that name: it cannot sync unless the target already knows that cluster`, o.doc.rangeOf(['spec', 'destination', 'name'])!, o.doc);
    }
  }

  const sources: Array<{ url: unknown; path: Array<string | number> }> = [];
  const single = asRecord(spec.source);
  if (single) sources.push({ url: single.repoURL, path: ['spec', 'source', 'repoURL'] });
  if (Array.isArray(spec.sources)) spec.sources.forEach((s, i) => sources.push({ url: asRecord(s)?.repoURL, path: ['spec', 'sources', i, 'repoURL'] }));
  for (const s of sources) {
    if (typeof s.url !== 'string' || s.url.trim() === '' || hasCredentials(idx, s.url)) continue;
    run.add('DRL012', `${what} uses ${redactURL(s.url)}, but no repository or repo-creds Secret in the backup matches it: fine for a public repository, a failed sync for a private one`, o.doc.rangeOf(s.path) ?? run.headRange(o.doc), o.doc);
  }
}

function checkProject(run: LintRun, idx: ReferenceIndex, o: LintedObject): void {
  const repos = asRecord(o.obj.spec)?.sourceRepos;
  if (!Array.isArray(repos)) return;
  repos.forEach((repo, i) => {
    if (typeof repo !== 'string' || repo === '' || repo.startsWith('!') || /[*?[]/.test(repo)) return; // globs match many repos
    if (hasCredentials(idx, repo)) return;
    run.add('DRL013', `AppProject ${o.name} allows ${redactURL(repo)}, but no repository or repo-creds Secret in the backup matches it (fine when the repository is public)`, o.doc.rangeOf(['spec', 'sourceRepos', i]) ?? run.headRange(o.doc), o.doc);
  });
}
