// The real test clusters (test/cluster): brings a scenario up once per test process and hands out its kubeconfig.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ScenarioClusters {
  kubeconfig: string;
  limitedKubeconfig: string;
  clusters: Array<{ name: string; server: string }>;
  unreachable: Array<{ name: string; server: string }>;
}

interface ClusterApi {
  up(scenario: string): Promise<ScenarioClusters>;
  down(scenario: string): Promise<void>;
  stopCluster(scenario: string, cluster: string): Promise<void>;
  startCluster(scenario: string, cluster: string): Promise<void>;
}

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
let api: Promise<ClusterApi> | undefined;
const started = new Map<string, Promise<ScenarioClusters>>();

export function clusterApi(): Promise<ClusterApi> {
  // The harness is plain ESM; tsc keeps this a real dynamic import.
  api ??= import(pathToFileURL(path.join(repoRoot, 'test', 'cluster', 'index.mjs')).href) as Promise<ClusterApi>;
  return api;
}

/** Starts (or reuses) a scenario; the clusters stay up for later test files and runs. */
export function scenario(name: string): Promise<ScenarioClusters> {
  let s = started.get(name);
  if (!s) {
    s = clusterApi().then((a) => a.up(name));
    started.set(name, s);
  }
  return s;
}

/** KUBECONFIG-style list holding both the admin and the limited contexts of a scenario. */
export function mergedKubeconfigFiles(s: ScenarioClusters): string[] {
  return [s.kubeconfig, s.limitedKubeconfig];
}
