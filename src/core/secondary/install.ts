// The install of a secondary DR agent, after the pre-checks passed: the manifest (from Harness with a key, or a file
// the person downloaded) checked to be this agent's secondary, shown with secrets masked, applied with a dry run
// first, then watched until the agent and Argo CD are ready.
import type { KubeClient } from '../kube/client';
import { AGENT_CONFIG_MAP, AGENT_KEYS } from '../argo/argoFacts';
import { applyManifest, type AppliedObject, type ApplyReport } from './apply';
import { parseManifest, renderMasked, type ManifestObject } from './manifest';
import { SecondaryError, type SecondaryCheckReport } from './model';
import { watchUntilReady, type ReadinessProgress } from './watch';

/**
 * Refuses a manifest that is not this agent's secondary: its gitops-agent ConfigMap must carry the primary's
 * account/org/project/agent identifiers and the secondary's DR identifier (a wrong download would otherwise install
 * a duplicate agent: the seed's hazard).
 */
export function verifyManifestIdentity(objects: readonly ManifestObject[], report: SecondaryCheckReport): void {
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === AGENT_CONFIG_MAP) as (ManifestObject & { data?: Record<string, string> }) | undefined;
  if (!cm) throw new SecondaryError(`the manifest holds no ConfigMap ${AGENT_CONFIG_MAP}: it is not a Harness GitOps agent install manifest`);
  const data = cm.data ?? {};
  const id = report.primary.identity;
  const expected: Array<[string, string | undefined, string]> = [
    [AGENT_KEYS.account, id.account, 'account'],
    [AGENT_KEYS.org, id.org, 'org'],
    [AGENT_KEYS.project, id.project, 'project'],
    [AGENT_KEYS.agent, id.agent, 'agent identifier'],
    [AGENT_KEYS.drIdentifier, report.target.drIdentifier, 'DR identifier'],
  ];
  const wrong = expected.filter(([key, want]) => (data[key]?.trim() || undefined) !== want).map(([key, want, what]) => `${what} ${key}=${data[key] ?? '(absent)'} (expected ${want ?? '(absent)'})`);
  if (wrong.length > 0) throw new SecondaryError(`the manifest is not the install of this secondary: ${wrong.join('; ')}. Download the YAML of the secondary node (DR identifier ${report.target.drIdentifier}) again.`);
  const mode = data[AGENT_KEYS.availability]?.toUpperCase();
  if (mode && report.primary.availability !== 'unknown' && mode !== report.primary.availability) {
    throw new SecondaryError(`the manifest installs a ${mode} agent, the primary is ${report.primary.availability}: create the secondary with the primary's type`);
  }
}

export interface InstallHooks {
  /** Shown before the apply (secrets masked); false stops before anything is written. */
  review?: (maskedManifest: string, objects: number) => Promise<boolean>;
  onObject?: (o: AppliedObject) => void;
  onProgress?: (p: ReadinessProgress) => void;
  onStep?: (line: string) => void;
}

export interface InstallRequest {
  report: SecondaryCheckReport;
  manifestText: string;
  manifestSource: string;
  client: KubeClient;
  readinessTimeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  /** Apply and watch; false = dry run only. */
  apply: boolean;
}

export interface InstallResult {
  status: 'installed' | 'dryRun' | 'declined';
  apply?: ApplyReport;
  readiness?: ReadinessProgress;
}

export async function installManifest(req: InstallRequest, hooks: InstallHooks = {}): Promise<InstallResult> {
  if (!req.report.ok) throw new SecondaryError('the pre-checks failed: nothing is installed (fix the FAIL checks first)');
  const objects = parseManifest(req.manifestText, req.report.target.namespace, req.manifestSource);
  verifyManifestIdentity(objects, req.report);
  hooks.onStep?.(`manifest: ${objects.length} objects from ${req.manifestSource}, for ${req.report.target.context}/${req.report.target.namespace}`);
  if (hooks.review && !(await hooks.review(renderMasked(objects), objects.length))) return { status: 'declined' };
  const signalOpt = req.signal ? { signal: req.signal } : {};
  const applied = await applyManifest(req.client, objects, { namespace: req.report.target.namespace, dryRunOnly: !req.apply, ...signalOpt, ...(hooks.onObject ? { onObject: hooks.onObject } : {}) });
  if (!req.apply) return { status: 'dryRun', apply: applied };
  hooks.onStep?.(`applied; waiting up to ${Math.round(req.readinessTimeoutMs / 1000)}s for the agent and Argo CD to be ready`);
  const readiness = await watchUntilReady(req.client, objects, {
    namespace: req.report.target.namespace,
    timeoutMs: req.readinessTimeoutMs,
    ...(req.intervalMs ? { intervalMs: req.intervalMs } : {}),
    ...signalOpt,
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
  });
  return { status: 'installed', apply: applied, readiness };
}
