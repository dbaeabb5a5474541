// Which Argo CD an install runs, and which Kubernetes versions that Argo CD release is tested against.
import type { KubeObject } from '../objects/kubeObject';

interface Workload extends KubeObject {
  spec?: { template?: { spec?: { containers?: Array<{ name?: string; image?: string }> } } };
}

/** The argo-cd Helm chart's minor line -> the Argo CD release it ships (the chart's appVersion). */
const CHART_APP_VERSION: Record<string, string> = {
  '7.6': 'v2.12',
  '7.7': 'v2.13',
  '7.8': 'v2.14',
  '7.9': 'v2.14',
  '8.0': 'v3.0',
  '8.1': 'v3.0',
  '8.2': 'v3.1',
  '8.3': 'v3.1',
  '9.0': 'v3.2',
};

/**
 * Kubernetes minor versions each Argo CD release line is tested against (Argo CD's "tested versions" table).
 * Outside the range is a warning, not a failure: newer clusters usually work.
 */
const TESTED_KUBERNETES: Record<string, [number, number]> = {
  'v2.12': [27, 30],
  'v2.13': [28, 31],
  'v2.14': [29, 32],
  'v3.0': [30, 33],
  'v3.1': [31, 33],
  'v3.2': [31, 34],
};

export interface ArgoCdVersion {
  /** e.g. `v2.13` or `v3.1.5`; undefined when nothing says. */
  version?: string;
  /** How it was read: `image tag`, `chart argo-cd-7.7.11`, or why not. */
  source: string;
}

const ARGO_WORKLOADS = ['argocd-application-controller', 'argocd-repo-server', 'argocd-server', 'argocd-applicationset-controller'];

/** Reads the Argo CD version of a namespace from its workloads: the image tag, else the argo-cd chart label. */
export function argoCdVersionOf(workloads: readonly Workload[]): ArgoCdVersion {
  const argo = workloads.filter((w) => ARGO_WORKLOADS.includes(w.metadata?.name ?? ''));
  if (argo.length === 0) return { source: 'no Argo CD workloads in the namespace' };
  for (const w of argo) {
    for (const c of w.spec?.template?.spec?.containers ?? []) {
      const m = /argocd(?:@[^:]+)?:(v?\d+\.\d+(?:\.\d+)?[^\s]*)$/.exec(c.image ?? '');
      if (m) return { version: m[1]!.startsWith('v') ? m[1]! : `v${m[1]!}`, source: `image ${c.image}` };
    }
  }
  for (const w of argo) {
    const chart = w.metadata?.labels?.['helm.sh/chart'] ?? '';
    const m = /^argo-cd-(\d+)\.(\d+)\.\d+/.exec(chart);
    if (m) {
      const app = CHART_APP_VERSION[`${m[1]}.${m[2]}`];
      return app ? { version: app, source: `chart ${chart}` } : { source: `chart ${chart} (release not known to this tool)` };
    }
  }
  const label = argo.map((w) => w.metadata?.labels?.['app.kubernetes.io/version']).find((v) => v);
  if (label) return { version: label.startsWith('v') ? label : `v${label}`, source: 'label app.kubernetes.io/version' };
  return { source: 'the image tag names no version (e.g. :latest) and no chart label says' };
}

/** `v3.1.5` -> `v3.1`. */
function releaseLine(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return m ? `v${m[1]}.${m[2]}` : undefined;
}

/** `v1.36.3` -> 36 (minor of Kubernetes 1.x). */
function kubernetesMinor(gitVersion: string | undefined): number | undefined {
  const m = /^v?1\.(\d+)/.exec(gitVersion ?? '');
  return m ? Number(m[1]) : undefined;
}

export interface CompatVerdict {
  status: 'pass' | 'warn';
  detail: string;
}

/** The primary's Argo CD beside the target's Kubernetes: tested, outside the tested range, or unknown. */
export function kubernetesCompat(argoCd: ArgoCdVersion, kubernetesVersion: string | undefined): CompatVerdict {
  const side = `Argo CD ${argoCd.version ?? 'unknown'} (${argoCd.source}) | Kubernetes ${kubernetesVersion ?? 'unknown'}`;
  const line = argoCd.version ? releaseLine(argoCd.version) : undefined;
  const minor = kubernetesMinor(kubernetesVersion);
  const range = line ? TESTED_KUBERNETES[line] : undefined;
  if (!line || minor === undefined) return { status: 'warn', detail: `${side}: cannot compare (version unknown)` };
  if (!range) return { status: 'warn', detail: `${side}: this tool does not know the tested Kubernetes range of Argo CD ${line}` };
  const tested = `Argo CD ${line} is tested on Kubernetes 1.${range[0]}-1.${range[1]}`;
  if (minor >= range[0] && minor <= range[1]) return { status: 'pass', detail: `${side}: ${tested}` };
  return { status: 'warn', detail: `${side}: ${tested}; 1.${minor} is ${minor > range[1] ? 'newer' : 'older'} than that` };
}

/** Same Argo CD release line (major.minor) = compatible for a DR pair; a patch difference is fine. */
export function sameReleaseLine(a: string | undefined, b: string | undefined): boolean | undefined {
  if (!a || !b) return undefined;
  const la = releaseLine(a);
  const lb = releaseLine(b);
  return la && lb ? la === lb : undefined;
}
