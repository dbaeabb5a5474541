// Pre-checks before a secondary DR agent is installed: does the chosen context qualify as the secondary of this
// primary (the seed's prerequisites: another cluster, the same namespace, the same type) and can it be installed
// there safely (no agent without DR identifier shares the identity, the identity may create what the install
// needs, the versions fit)? Every check is PASS / WARN / FAIL with what to do. Reads only; changes nothing.
import type { KubeClient } from '../kube/client';
import { KubeError, describeError } from '../kube/errors';
import type { KubeObject } from '../objects/kubeObject';
import { CONFIG_MAP, DEPLOYMENT, NAMESPACE, STATEFUL_SET, type ResourceType } from '../objects/resources';
import { AGENT_CONFIG_MAP, AGENT_KEYS } from '../argo/argoFacts';
import type { AgentsSnapshot, DiscoveredAgent } from '../agents/model';
import { identityKey } from '../agents/pairing';
import { checkDuplicateAgentHazard, SEED_WARNING } from '../failover/hazard';
import { argoCdVersionOf, kubernetesCompat, sameReleaseLine, type ArgoCdVersion } from './versions';
import { expectedInstallKinds, type InstallKind } from './installKinds';
import { ARGO_API_VERSION, compareCrdSchemas, servedVersions, type CrdObject } from './crdSchema';
import type { HarnessClient } from '../harness/client';
import type { V1Agent } from '../harness/types';
import { scopeOf } from './harnessNode';
import { SecondaryError, type PrimarySummary, type SecondaryCheck, type SecondaryCheckReport, type SecondaryTarget } from './model';

export interface SecondaryCheckRequest {
  /** The primary (or single agent): `<context>/<namespace>` as discovery names it. */
  primary: string;
  /** The kube context the secondary goes to. */
  targetContext: string;
  /** Default: the primary's namespace (the seed: the same namespace on both clusters). */
  namespace?: string;
  /** Default: derived from the target context's name. */
  drIdentifier?: string;
  /** The kinds the install manifest holds (when it is at hand); default: what an agent install holds. */
  installKinds?: readonly InstallKind[];
}

export interface SecondaryCheckDeps {
  snapshot: AgentsSnapshot;
  /** With an API key: the primary's DR setting and the DR identifiers in use are read from Harness too. */
  harness?: HarnessClient;
  clientFor(context: string): Promise<KubeClient>;
  signal?: AbortSignal;
}

type Workload = KubeObject & { spec?: { template?: { spec?: { containers?: Array<{ name?: string; image?: string }> } } } };

const CRD: ResourceType = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false };
const NODE: ResourceType = { group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false };
const ARGO_CRDS = ['applications.argoproj.io', 'applicationsets.argoproj.io', 'appprojects.argoproj.io'];
/** Harness identifiers: a letter or underscore, then letters, digits, underscores. */
const HARNESS_IDENTIFIER = /^[a-zA-Z_][0-9a-zA-Z_]{0,127}$/;

export function allAgents(snapshot: AgentsSnapshot): DiscoveredAgent[] {
  return [...snapshot.groups.flatMap((g) => g.members), ...snapshot.singles];
}

/** A DR identifier Harness accepts, made from a context name: `kind-west-2` -> `kind_west_2`. */
export function defaultDrIdentifier(context: string): string {
  const id = context.replace(/[^0-9a-zA-Z_]/g, '_').replace(/^([0-9])/, '_$1').slice(0, 128);
  return id || 'secondary';
}

function findPrimary(snapshot: AgentsSnapshot, primary: string): DiscoveredAgent {
  const agents = allAgents(snapshot);
  const found = agents.find((a) => a.id === primary || a.alsoVia.some((c) => `${c}/${a.namespace}` === primary));
  if (found) return found;
  const byIdentifier = agents.filter((a) => a.identity.agent === primary);
  if (byIdentifier.length === 1) return byIdentifier[0]!;
  const known = agents.map((a) => a.id).join(', ') || 'none found';
  if (byIdentifier.length > 1) throw new SecondaryError(`agent "${primary}" has ${byIdentifier.length} members (${byIdentifier.map((a) => a.id).join(', ')}): name the primary as context/namespace`);
  throw new SecondaryError(`no agent "${primary}" in the kubeconfig's contexts; give it as context/namespace (known: ${known})`);
}

function check(id: SecondaryCheck['id'], title: string, status: SecondaryCheck['status'], detail: string, action?: string): SecondaryCheck {
  return { id, title, status, detail, ...(status !== 'pass' && action ? { action } : {}) };
}

async function safely<T>(what: Promise<T>): Promise<{ value?: T; error?: KubeError | Error }> {
  try {
    return { value: await what };
  } catch (e) {
    return { error: e as Error };
  }
}

async function listOrUndefined<T extends KubeObject>(client: KubeClient, type: ResourceType, namespace: string | undefined, signal?: AbortSignal): Promise<T[] | undefined> {
  try {
    return await client.listAll<T>(type, namespace, signal ? { signal } : {});
  } catch (e) {
    if (e instanceof KubeError && (e.reason === 'forbidden' || e.reason === 'notFound')) return undefined;
    throw e;
  }
}

function summary(a: DiscoveredAgent, argoCd: ArgoCdVersion): PrimarySummary {
  return {
    id: a.id,
    context: a.context,
    namespace: a.namespace,
    identity: a.identity,
    ...(a.drIdentifier ? { drIdentifier: a.drIdentifier } : {}),
    availability: a.availability,
    byoa: a.byoa,
    ...(a.version ? { agentVersion: a.version } : {}),
    ...(argoCd.version ? { argoCdVersion: argoCd.version } : {}),
    clusterId: a.clusterId,
  };
}

function typeName(a: { availability: string; byoa: boolean }): string {
  return `${a.availability}, ${a.byoa ? 'BYOA' : 'Harness-managed Argo CD'}`;
}

/** Runs every pre-check. Throws SecondaryError only when the request itself cannot be resolved. */
export async function checkSecondaryTarget(request: SecondaryCheckRequest, deps: SecondaryCheckDeps): Promise<SecondaryCheckReport> {
  const { snapshot, signal } = deps;
  const primary = findPrimary(snapshot, request.primary);
  const status = snapshot.contexts.find((c) => c.name === request.targetContext);
  if (!status) throw new SecondaryError(`context "${request.targetContext}" is not in the kubeconfig; known: ${snapshot.contexts.map((c) => c.name).join(', ')}`);
  const namespace = request.namespace ?? primary.namespace;
  const drIdentifier = request.drIdentifier ?? defaultDrIdentifier(request.targetContext);

  const primaryClient = await deps.clientFor(primary.context);
  const primaryWorkloads = await safely(Promise.all([listOrUndefined<Workload>(primaryClient, STATEFUL_SET, primary.namespace, signal), listOrUndefined<Workload>(primaryClient, DEPLOYMENT, primary.namespace, signal)]));
  const primaryArgo: ArgoCdVersion = primaryWorkloads.value
    ? argoCdVersionOf([...(primaryWorkloads.value[0] ?? []), ...(primaryWorkloads.value[1] ?? [])])
    : { source: `cannot read the primary's workloads: ${describeError(primaryWorkloads.error)}` };

  const target: SecondaryTarget = {
    context: request.targetContext,
    namespace,
    drIdentifier,
    ...(status.server ? { server: status.server } : {}),
    ...(status.serverVersion ? { kubernetesVersion: status.serverVersion } : {}),
    ...(status.clusterId ? { clusterId: status.clusterId } : {}),
  };
  const report = (checks: SecondaryCheck[]): SecondaryCheckReport => ({ primary: summary(primary, primaryArgo), target, checks, ok: checks.every((c) => c.status !== 'fail') });

  // 1. Reachable, and another cluster than the primary's (kube-system UID, whichever context reaches it).
  if (status.state !== 'reachable') {
    return report([
      check('target', 'Target reachable and another cluster', 'fail', `context ${request.targetContext} is unreachable: ${status.reason ?? 'no answer'}`, 'Fix the connection to that cluster (VPN, credentials, server URL) and run the checks again.'),
    ]);
  }
  const checks: SecondaryCheck[] = [];
  const sameClusterContexts = snapshot.contexts.filter((c) => c.clusterId && c.clusterId === status.clusterId && c.name !== request.targetContext).map((c) => c.name);
  const viaText = sameClusterContexts.length ? ` (the same cluster is also reached through ${sameClusterContexts.join(', ')})` : '';
  if (status.clusterId === primary.clusterId) {
    checks.push(
      check(
        'target',
        'Target reachable and another cluster',
        'fail',
        `${request.targetContext} reaches the primary's own cluster (kube-system UID ${primary.clusterId}, the primary is ${primary.id})${viaText}. The seed: "The two agents cannot be deployed to the same cluster."`,
        'Choose a context of a different Kubernetes cluster for the secondary.',
      ),
    );
  } else if (!status.clusterId || status.clusterId.startsWith('server:') || primary.clusterId.startsWith('server:')) {
    checks.push(
      check('target', 'Target reachable and another cluster', 'warn', `${request.targetContext} answers (Kubernetes ${status.serverVersion ?? '?'}), but the identity may not read kube-system on one side, so only the server URLs were compared (they differ)${viaText}`, 'Make sure the two contexts are really different clusters (an alias URL of the same server would pass this check).'),
    );
  } else {
    checks.push(check('target', 'Target reachable and another cluster', 'pass', `${request.targetContext} answers (Kubernetes ${status.serverVersion ?? '?'}); cluster ${status.clusterId} differs from the primary's ${primary.clusterId}${viaText}`));
  }

  const client = await deps.clientFor(request.targetContext);
  const [nsObject, agentCm, deployments, statefulSets] = await Promise.all([
    safely(client.get(NAMESPACE, undefined, namespace, signal)),
    safely(client.get<KubeObject & { data?: Record<string, string> }>(CONFIG_MAP, namespace, AGENT_CONFIG_MAP, signal)),
    safely(listOrUndefined<Workload>(client, DEPLOYMENT, namespace, signal)),
    safely(listOrUndefined<Workload>(client, STATEFUL_SET, namespace, signal)),
  ]);
  const targetWorkloads = [...(statefulSets.value ?? []), ...(deployments.value ?? [])];
  const targetArgo = argoCdVersionOf(targetWorkloads);
  const hasArgo = targetWorkloads.some((w) => w.metadata?.name === 'argocd-application-controller');

  // 2. The namespace: the primary's, and free or holding only this agent's secondary.
  const existingAgent = agentCm.value?.data;
  const existingKey = existingAgent
    ? identityKey({ account: existingAgent[AGENT_KEYS.account] ?? '', agent: existingAgent[AGENT_KEYS.agent] ?? '', ...(existingAgent[AGENT_KEYS.org] ? { org: existingAgent[AGENT_KEYS.org] } : {}), ...(existingAgent[AGENT_KEYS.project] ? { project: existingAgent[AGENT_KEYS.project] } : {}) })
    : undefined;
  const existingDr = existingAgent?.[AGENT_KEYS.drIdentifier]?.trim();
  let holdsOurSecondary = false;
  if (namespace !== primary.namespace) {
    checks.push(check('namespace', 'Agent namespace', 'fail', `the secondary would go to namespace "${namespace}", the primary runs in "${primary.namespace}". The seed: "Same namespace must be used on both clusters."`, `Install the secondary into namespace "${primary.namespace}".`));
  } else if (nsObject.error || agentCm.error) {
    checks.push(check('namespace', 'Agent namespace', 'warn', `cannot read namespace ${namespace} on ${request.targetContext}: ${describeError(nsObject.error ?? agentCm.error)}`, 'Check with an identity that may read namespaces and ConfigMaps there.'));
  } else if (!nsObject.value) {
    checks.push(check('namespace', 'Agent namespace', 'pass', `namespace ${namespace} does not exist on ${request.targetContext}: the install creates it`));
  } else if ((nsObject.value as { status?: { phase?: string } }).status?.phase === 'Terminating') {
    checks.push(check('namespace', 'Agent namespace', 'fail', `namespace ${namespace} on ${request.targetContext} is being deleted (Terminating)`, 'Wait until it is gone (or remove what blocks its finalizers), then run the checks again.'));
  } else if (existingAgent && existingKey === identityKey(primary.identity) && existingDr && existingDr !== primary.drIdentifier) {
    holdsOurSecondary = true;
    const sameId = existingDr === drIdentifier;
    checks.push(
      check(
        'namespace',
        'Agent namespace',
        sameId ? 'pass' : 'warn',
        `namespace ${namespace} already holds this agent's secondary (DR identifier ${existingDr})${sameId ? ': the install updates it in place' : `, not ${drIdentifier}`}`,
        `Use DR identifier ${existingDr} to update that secondary, or remove it first.`,
      ),
    );
  } else if (existingAgent && existingKey === identityKey(primary.identity) && existingDr === primary.drIdentifier && status.clusterId === primary.clusterId) {
    checks.push(check('namespace', 'Agent namespace', 'fail', `namespace ${namespace} on ${request.targetContext} holds the primary's own install (agent ${primary.identity.agent}${existingDr ? `, DR identifier ${existingDr}` : ', no DR identifier'})`, 'Choose the context of another cluster for the secondary.'));
  } else if (existingAgent) {
    const who = `${existingAgent[AGENT_KEYS.agent] ?? '?'}${existingDr ? ` (DR identifier ${existingDr})` : ' (no DR identifier)'}`;
    checks.push(check('namespace', 'Agent namespace', 'fail', `namespace ${namespace} on ${request.targetContext} already holds agent ${who}, which is not a secondary of ${primary.identity.agent}`, 'Use a cluster whose agent namespace is free, or uninstall that agent first.'));
  } else if (hasArgo && !primary.byoa) {
    checks.push(check('namespace', 'Agent namespace', 'fail', `namespace ${namespace} on ${request.targetContext} already runs an Argo CD (${targetArgo.version ?? 'version unknown'}) without a Harness agent; a Harness-managed install would take it over`, 'Use a free namespace (the same name as the primary\'s on another cluster), or remove that Argo CD first.'));
  } else {
    checks.push(check('namespace', 'Agent namespace', 'pass', `namespace ${namespace} exists on ${request.targetContext} and holds no agent${hasArgo ? `; it runs the Argo CD the BYOA agent will use` : ''}`));
  }

  // 3. The primary's type is possible on the target (and is the type of a secondary already there).
  const installed = holdsOurSecondary ? allAgents(snapshot).find((a) => a.namespace === namespace && (a.context === request.targetContext || a.alsoVia.includes(request.targetContext))) : undefined;
  if (installed && (installed.availability !== primary.availability || installed.byoa !== primary.byoa)) {
    const code = installed.byoa !== primary.byoa ? 'DR004' : 'DR003';
    checks.push(check('type', `Same type as the primary (${typeName(primary)})`, 'fail', `the secondary already installed in ${installed.id} is ${typeName(installed)}, the primary is ${typeName(primary)} (${code}). The seed: "Primary and secondary agents must be of the same type (HA or non-HA, BYOA or non-BYOA)."`, `Re-create the secondary with the primary's type (${typeName(primary)}) and install it again.`));
  } else checks.push(await typeCheck(primary, primaryArgo, { client, primaryClient, primaryArgo, namespace, hasArgo, targetArgo, context: request.targetContext, ...(signal ? { signal } : {}) }));

  // 4. No running agent without a DR identifier shares the identity (the seed's hazard).
  const harnessView = deps.harness ? await readHarness(deps.harness, primary, signal) : undefined;
  checks.push(hazardCheck(snapshot, primary, harnessView));

  // 5. The DR identifier is valid and not taken by another member.
  checks.push(drIdentifierCheck(snapshot, primary, drIdentifier, holdsOurSecondary ? existingDr : undefined, harnessView, namespace));

  // 6. The identity may create what the install needs.
  checks.push(await permissionsCheck(client, namespace, request.installKinds ?? expectedInstallKinds(primary.availability === 'HA'), request.targetContext, signal));

  // 7. Versions side by side.
  const compat = kubernetesCompat(primaryArgo, status.serverVersion);
  checks.push(check('versions', "Primary's Argo CD vs target's Kubernetes", compat.status, `${compat.detail}; agent ${primary.version ?? 'unknown'}`, 'Check Argo CD\'s supported-versions table for this pair; the install usually works, but this combination is not tested upstream.'));
  return report(checks);
}

interface TargetFacts {
  client: KubeClient;
  /** The primary's cluster: its Argo CD CRDs are the reference the target's are compared with. */
  primaryClient: KubeClient;
  primaryArgo: ArgoCdVersion;
  namespace: string;
  context: string;
  hasArgo: boolean;
  targetArgo: ArgoCdVersion;
  signal?: AbortSignal;
}

async function typeCheck(primary: DiscoveredAgent, primaryArgo: ArgoCdVersion, t: TargetFacts): Promise<SecondaryCheck> {
  const title = `Same type as the primary (${typeName(primary)})`;
  const notes: string[] = [];
  let status: SecondaryCheck['status'] = 'pass';
  let action = '';
  if (primary.availability === 'unknown') {
    status = 'warn';
    notes.push('the primary\'s availability mode (GITOPS_AGENT_AVAILABILITY_MODE) is not set, so HA / non-HA cannot be matched');
    action = 'Check the primary agent\'s settings in Harness and create the secondary with the same HA setting.';
  }
  if (primary.availability === 'HA') {
    // redis-ha spreads its three replicas over nodes with required anti-affinity.
    const nodes = await listOrUndefined(t.client, NODE, undefined, t.signal).catch(() => undefined);
    if (nodes === undefined) notes.push('HA: may not list nodes, so the node count for redis-ha (3 replicas, one per node) is unknown');
    else if (nodes.length < 3) {
      status = 'warn';
      notes.push(`HA: ${t.context} has ${nodes.length} node${nodes.length === 1 ? '' : 's'}; redis-ha needs 3 (one replica per node) to become ready`);
      action = 'Give the target cluster at least 3 nodes, or expect the HA redis to stay pending.';
    } else notes.push(`HA: ${nodes.length} nodes for redis-ha`);
  }
  if (primary.byoa) {
    if (!t.hasArgo) {
      return check('type', title, 'fail', `BYOA: the primary reuses its own Argo CD (${primaryArgo.version ?? 'version unknown'}); namespace ${t.namespace} on ${t.context} has none`, `Install Argo CD ${primaryArgo.version ?? '(the primary\'s version)'} into ${t.namespace} on ${t.context} first, then install the BYOA secondary.`);
    }
    const same = sameReleaseLine(primaryArgo.version, t.targetArgo.version);
    if (same === false) {
      return check('type', title, 'fail', `BYOA: the primary runs Argo CD ${primaryArgo.version}, ${t.context}/${t.namespace} runs ${t.targetArgo.version}: a restore between them may not round-trip`, `Upgrade or downgrade the target's Argo CD to ${primaryArgo.version}.`);
    }
    if (same === undefined) {
      status = 'warn';
      notes.push(`BYOA: Argo CD found in ${t.namespace}; versions cannot be compared (primary: ${primaryArgo.source}; target: ${t.targetArgo.source})`);
      action ||= 'Compare the two Argo CD versions by hand (argocd version) before relying on restores.';
    } else notes.push(`BYOA: Argo CD ${t.targetArgo.version} in ${t.namespace}, the primary's release line`);
  } else {
    const crds = await crdFindings(t);
    if (crds.fail) return check('type', title, 'fail', crds.fail, 'Upgrade the Argo CD CRDs on the target to the primary\'s version (or remove the other Argo CD and its CRDs), or use a cluster without them.');
    if (crds.warn) {
      status = 'warn';
      notes.push(crds.warn);
      action ||= 'The install keeps the existing Argo CD CRDs (it never overwrites another install\'s CRDs); make sure their version matches the primary\'s Argo CD.';
    } else notes.push(crds.note);
  }
  return check('type', title, status, notes.join('; ') || `${typeName(primary)} is possible on ${t.context}`, action);
}

async function readCrds(client: KubeClient, signal?: AbortSignal): Promise<Array<CrdObject | undefined | Error>> {
  return Promise.all(ARGO_CRDS.map((name) => client.get<CrdObject>(CRD, undefined, name, signal).catch((e: unknown) => e as Error)));
}

function fieldList(fields: string[]): string {
  return `${fields.slice(0, 6).join(', ')}${fields.length > 6 ? ` and ${fields.length - 6} more` : ''}`;
}

async function crdFindings(t: TargetFacts): Promise<{ fail?: string; warn?: string; note: string }> {
  const [found, reference] = await Promise.all([readCrds(t.client, t.signal), readCrds(t.primaryClient, t.signal)]);
  const present: string[] = [];
  const foreign: string[] = [];
  const newer: string[] = [];
  const uncompared: string[] = [];
  for (const [i, crd] of found.entries()) {
    const name = ARGO_CRDS[i]!;
    if (crd instanceof Error) return { warn: `Harness-managed: cannot read CRD ${name}: ${describeError(crd)}`, note: '' };
    if (!crd) continue;
    present.push(name);
    const served = servedVersions(crd);
    if (!served.includes(ARGO_API_VERSION)) return { fail: `Harness-managed: CRD ${name} on ${t.context} serves ${served.join(', ') || 'no version'}, not ${ARGO_API_VERSION}: another Argo CD at an incompatible version owns it`, note: '' };
    // The install keeps a CRD that is there: its schema must hold every field of the primary's (else they are pruned).
    const ref = reference[i];
    if (ref && !(ref instanceof Error)) {
      const cmp = compareCrdSchemas(ref, crd);
      if (cmp.missing.length > 0) {
        return {
          fail: `Harness-managed: CRD ${name} on ${t.context} is of an older Argo CD than the primary's${t.primaryArgo.version ? ` ${t.primaryArgo.version}` : ''}: its schema lacks ${fieldList(cmp.missing)}; the install keeps it, and the API server would drop those fields from every restored object`,
          note: '',
        };
      }
      if (cmp.incomparable) uncompared.push(`${name} (${cmp.incomparable})`);
      else if (cmp.extra.length > 0) newer.push(`${name} (also ${fieldList(cmp.extra)})`);
    } else uncompared.push(`${name} (the primary's CRD ${ref instanceof Error ? `cannot be read: ${describeError(ref)}` : 'is missing'})`);
    const releaseNs = crd.metadata?.annotations?.['meta.helm.sh/release-namespace'];
    if (releaseNs && releaseNs !== t.namespace) foreign.push(`${name} (Helm release in ${releaseNs})`);
  }
  if (foreign.length > 0) return { warn: `Harness-managed: Argo CD CRDs on ${t.context} belong to another install: ${foreign.join(', ')}`, note: '' };
  if (uncompared.length > 0) return { warn: `Harness-managed: the schemas of these CRDs on ${t.context} could not be compared with the primary's: ${uncompared.join('; ')}`, note: '' };
  if (present.length === 0) return { note: `Harness-managed: no Argo CD CRDs on ${t.context} yet; the install brings them` };
  const newerNote = newer.length ? `; newer than the primary's (a newer Argo CD's; nothing of the primary's is pruned): ${newer.join('; ')}` : '';
  return { note: `Harness-managed: Argo CD CRDs present on ${t.context} (${present.length}/3, serving ${ARGO_API_VERSION}, every field of the primary's CRDs in their schemas${newerNote}); the install keeps them` };
}

/** What Harness says about the agent's DR nodes (with a key). */
type HarnessView = { ok: true; primary: V1Agent; nodes: V1Agent[] } | { ok: false; message: string };

async function readHarness(harness: HarnessClient, primary: DiscoveredAgent, signal?: AbortSignal): Promise<HarnessView> {
  const scope = scopeOf(primary.identity);
  const opts = signal ? { signal } : {};
  try {
    const [agent, nodes] = await Promise.all([
      harness.getAgent(primary.identity.agent, { ...scope, ...(primary.drIdentifier ? { drIdentifier: primary.drIdentifier } : {}) }, opts),
      harness.listAgents({ ...scope, identifier: primary.identity.agent, includeSecondary: true }, opts),
    ]);
    return { ok: true, primary: agent, nodes };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

const ENABLE_DR = 'In Harness, open the primary agent, Advanced section: turn on Disaster Recovery, choose Primary and give a primary identifier. Then add the secondary.';

function hazardCheck(snapshot: AgentsSnapshot, primary: DiscoveredAgent, harness: HarnessView | undefined): SecondaryCheck {
  const title = 'No running agent without a DR identifier shares the identity';
  const verdict = checkDuplicateAgentHazard(snapshot, primary.id, 'running');
  if (verdict.refuse) return check('hazard', title, 'fail', verdict.message, 'Give every member of the agent its own DR identifier (or scale the duplicate down) before adding a secondary.');
  if (!primary.drIdentifier) {
    // The chart's DR key is legacy configuration: Harness may know the primary as a DR node without it.
    const node = harness?.ok ? harness.primary.disasterRecoveryNode : undefined;
    if (harness?.ok && node?.identifier) {
      return check(
        'hazard',
        title,
        'warn',
        `Harness knows ${primary.identity.agent} as DR node ${node.identifier} (${node.type ?? 'type unknown'}) and no other install of the agent runs, but the install ${primary.id} carries no ${AGENT_KEYS.drIdentifier}: next to a secondary it reads as an agent without DR (pair rule DR006)`,
        `Re-install the primary with the manifest of its DR node ${node.identifier} (Harness: the primary agent's install YAML) so its ConfigMap names it, then add the secondary.`,
      );
    }
    if (harness?.ok) {
      return check('hazard', title, 'fail', `Harness shows agent ${primary.identity.agent} without disaster recovery, and its install ${primary.id} has no DR identifier: a second install of it is the seed's hazard. ${SEED_WARNING}`, ENABLE_DR);
    }
    return check(
      'hazard',
      title,
      'warn',
      `no other install of agent ${primary.identity.agent} runs, but the primary ${primary.id} carries no DR identifier${harness ? ` and Harness could not be asked (${harness.message})` : ' and, without a Harness API key, whether DR is on for it in Harness is unknown'}. A secondary next to an agent without DR is the seed's hazard: ${SEED_WARNING}`,
      `Make sure Disaster Recovery is on for the primary in Harness before you create the secondary: ${ENABLE_DR}`,
    );
  }
  const others = allAgents(snapshot).filter((a) => a.id !== primary.id && identityKey(a.identity) === identityKey(primary.identity));
  const list = others.length ? `; other members: ${others.map((o) => `${o.id} (DR identifier ${o.drIdentifier ?? 'none'})`).join(', ')}` : '';
  return check('hazard', title, 'pass', `the primary has DR identifier ${primary.drIdentifier}${list}`);
}

function drIdentifierCheck(snapshot: AgentsSnapshot, primary: DiscoveredAgent, drIdentifier: string, existingSecondary: string | undefined, harness: HarnessView | undefined, namespace: string): SecondaryCheck {
  const title = `DR identifier "${drIdentifier}"`;
  if (!HARNESS_IDENTIFIER.test(drIdentifier)) {
    return check('drIdentifier', title, 'fail', `"${drIdentifier}" is not a Harness identifier (a letter or _, then letters, digits or _; at most 128)`, 'Choose another DR identifier, e.g. the target cluster\'s name with _ instead of - and dots.');
  }
  const taken = allAgents(snapshot).filter((a) => identityKey(a.identity) === identityKey(primary.identity) && a.drIdentifier === drIdentifier && !(existingSecondary === drIdentifier && a.namespace === primary.namespace && a.id !== primary.id));
  if (taken.length > 0) {
    return check('drIdentifier', title, 'fail', `already used by ${taken.map((a) => a.id).join(', ')}: two members with one DR identifier reconcile as one agent (DR007)`, 'Choose a DR identifier no member of this agent uses.');
  }
  const inHarness = harness?.ok ? harness.nodes.find((n) => n.disasterRecoveryNode?.identifier === drIdentifier) : undefined;
  if (inHarness) {
    const ours = inHarness.disasterRecoveryNode?.type === 'SECONDARY' && inHarness.metadata?.namespace === namespace;
    if (!ours) return check('drIdentifier', title, 'fail', `Harness already has DR node ${drIdentifier} of agent ${primary.identity.agent} (${inHarness.disasterRecoveryNode?.type ?? 'type unknown'}, namespace ${inHarness.metadata?.namespace ?? '?'})`, 'Choose a DR identifier no node of this agent uses in Harness.');
    return check('drIdentifier', title, 'pass', `Harness already has this secondary node (${drIdentifier}, namespace ${namespace}): the install reuses it`);
  }
  const harnessNote = harness?.ok ? '; Harness has no node with it' : harness ? `; Harness could not be asked (${harness.message})` : '';
  return check('drIdentifier', title, 'pass', `not used by any member of agent ${primary.identity.agent} (the primary uses ${primary.drIdentifier ?? 'none'})${harnessNote}`);
}

async function permissionsCheck(client: KubeClient, namespace: string, kinds: readonly InstallKind[], context: string, signal?: AbortSignal): Promise<SecondaryCheck> {
  const title = 'The identity may create what the install needs';
  const verbs = ['create', 'patch', 'get'];
  const reviews = await Promise.all(
    kinds.flatMap((k) => verbs.map(async (verb) => ({ k, verb, allowed: await client.can(verb, k.resource, k.group, k.namespaced ? namespace : undefined, signal) }))),
  );
  const denied = reviews.filter((r) => !r.allowed);
  const names = [...new Set(kinds.map((k) => k.resource))];
  if (denied.length === 0) return check('permissions', title, 'pass', `SelfSubjectAccessReview on ${context}: create, patch and get allowed for ${names.join(', ')}`);
  const byKind = new Map<string, string[]>();
  for (const d of denied) byKind.set(`${d.k.resource}${d.k.namespaced ? ` in ${namespace}` : ' (cluster-wide)'}`, [...(byKind.get(`${d.k.resource}${d.k.namespaced ? ` in ${namespace}` : ' (cluster-wide)'}`) ?? []), d.verb]);
  const lines = [...byKind.entries()].map(([k, v]) => `${v.join('/')} ${k}`);
  return check('permissions', title, 'fail', `SelfSubjectAccessReview on ${context} denies: ${lines.join('; ')}`, 'Run the install with an identity that may create these (a cluster admin usually installs agents), or ask for a Role/ClusterRole granting them.');
}
