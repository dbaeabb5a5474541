// Is a context's cluster reachable, which version does it run, and which cluster is it (stable identity)?
import type { KubeClient } from '../kube/client';
import { KubeError } from '../kube/errors';
import { NAMESPACE } from '../objects/resources';
import { quiet } from '../util/quiet';

export interface ProbeResult {
  serverVersion: string;
  /** The kube-system namespace UID, or `server:<url>` when this identity may not read it. */
  clusterId: string;
}

/** Throws KubeError (unreachable, 401, timeout...) when the cluster does not answer usefully. */
export async function probeCluster(client: KubeClient, signal?: AbortSignal): Promise<ProbeResult> {
  // Both at once; the version's answer decides reachability, so its error is the one reported.
  const kubeSystem = quiet(client.get(NAMESPACE, undefined, 'kube-system', signal));
  const version = await client.request<{ gitVersion?: string }>('/version', signal ? { signal } : {});
  let clusterId = `server:${client.server}`;
  try {
    const ns = await kubeSystem;
    if (ns?.metadata?.uid) clusterId = ns.metadata.uid;
  } catch (e) {
    // Identity falls back to the server URL when kube-system may not be read; anything else is a real failure.
    if (!(e instanceof KubeError && (e.reason === 'forbidden' || e.reason === 'notFound'))) throw e;
  }
  return { serverVersion: version?.gitVersion ?? 'unknown', clusterId };
}
