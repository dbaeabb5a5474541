// The merged kubeconfig, exactly as kubectl merges it: files in KUBECONFIG order (else ~/.kube/config, or paths
// given by a setting); for each cluster, user and context name the first file that defines it wins; the
// current-context is the first one set. Nothing here ever writes a kubeconfig file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadClientNode, type ClientNode } from './clientNode';

export interface KubeContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  server?: string;
  /** The file that defined this context. */
  file: string;
  isCurrent: boolean;
}

export interface KubeconfigProblem {
  file: string;
  message: string;
}

export interface MergedKubeconfig {
  files: string[];
  contexts: KubeContextInfo[];
  currentContext?: string;
  /** Files that could not be read or parsed; the others still load. */
  problems: KubeconfigProblem[];
  /** A KubeConfig for one context, holding only that context's cluster and user. Never touches files. */
  configFor(contextName: string): ClientNode.KubeConfig;
}

/** The kubeconfig files kubectl would read: explicit paths, else KUBECONFIG (path-list), else ~/.kube/config. */
export function kubeconfigFiles(explicit: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): string[] {
  const list = explicit.length > 0 ? [...explicit] : (env.KUBECONFIG ?? '').split(path.delimiter).filter((p) => p.length > 0);
  const files = list.length > 0 ? list : [path.join(env.HOME ?? os.homedir(), '.kube', 'config')];
  return [...new Set(files.map((f) => path.resolve(expandHome(f, env))))];
}

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  return p === '~' || p.startsWith('~/') ? path.join(env.HOME ?? os.homedir(), p.slice(1)) : p;
}

export async function loadKubeconfig(files: readonly string[]): Promise<MergedKubeconfig> {
  const { KubeConfig } = await loadClientNode();
  const clusters = new Map<string, ClientNode.Cluster>();
  const users = new Map<string, ClientNode.User>();
  const contexts = new Map<string, { context: ClientNode.Context; file: string }>();
  const problems: KubeconfigProblem[] = [];
  let currentContext: string | undefined;
  const loaded: string[] = [];

  for (const file of files) {
    if (!fs.existsSync(file)) {
      // kubectl ignores missing files in a KUBECONFIG list; report it only when nothing else loads.
      problems.push({ file, message: `kubeconfig not found: ${file}` });
      continue;
    }
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file);
    } catch (e) {
      problems.push({ file, message: `cannot read kubeconfig ${file}: ${(e as Error).message}` });
      continue;
    }
    loaded.push(file);
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, { context: c, file });
    if (!currentContext && kc.getCurrentContext()) currentContext = kc.getCurrentContext();
  }

  const infos: KubeContextInfo[] = [...contexts.values()].map(({ context, file }) => ({
    name: context.name,
    cluster: context.cluster,
    user: context.user,
    ...(context.namespace ? { namespace: context.namespace } : {}),
    ...(clusters.get(context.cluster)?.server ? { server: clusters.get(context.cluster)!.server } : {}),
    file,
    isCurrent: context.name === currentContext,
  }));

  return {
    files: loaded,
    contexts: infos,
    ...(currentContext ? { currentContext } : {}),
    problems: loaded.length > 0 ? problems.filter((p) => !p.message.startsWith('kubeconfig not found')) : problems,
    configFor(contextName: string): ClientNode.KubeConfig {
      const entry = contexts.get(contextName);
      if (!entry) throw new Error(`context "${contextName}" is not in the kubeconfig (${loaded.join(', ') || 'no file loaded'})`);
      const cluster = clusters.get(entry.context.cluster);
      if (!cluster) throw new Error(`context "${contextName}" names cluster "${entry.context.cluster}", which no kubeconfig file defines`);
      const user = users.get(entry.context.user) ?? { name: entry.context.user };
      const kc = new KubeConfig();
      kc.loadFromOptions({ clusters: [cluster], users: [user], contexts: [entry.context], currentContext: contextName });
      return kc;
    },
  };
}
