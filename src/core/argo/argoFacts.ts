// What Argo CD (`argocd admin export/import`) and the Harness GitOps agent put in an agent namespace.
// Source: Argo CD `argocd admin export` / `admin import` (cmd/argocd/commands/admin/backup.go) and the Argo CD
// docs on declarative setup (https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/).
import type { KubeObject } from '../objects/kubeObject';

/** Exported first, in this order; `argocd admin export` fails when one is missing. */
export const REQUIRED_CONFIG_MAPS = ['argocd-cm', 'argocd-rbac-cm', 'argocd-ssh-known-hosts-cm', 'argocd-tls-certs-cm'] as const;
export const ARGOCD_SECRET = 'argocd-secret';
export const CMD_PARAMS_CONFIG_MAP = 'argocd-cmd-params-cm';
export const GPG_KEYS_CONFIG_MAP = 'argocd-gpg-keys-cm';
export const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';
const MANAGED_BY_ANNOTATION = 'managed-by';
const MANAGED_BY_ARGOCD = 'argocd.argoproj.io';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const TRACKING_ID_ANNOTATION = 'argocd.argoproj.io/tracking-id';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';

/** Keys of argocd-cmd-params-cm that enable Applications / ApplicationSets in other namespaces. */
export const APPLICATION_NAMESPACES_KEY = 'application.namespaces';
export const APPLICATIONSET_NAMESPACES_KEY = 'applicationsetcontroller.namespaces';

/** Harness agent objects: never part of a backup (they hold the target agent's identity and token). */
export const AGENT_CONFIG_MAP = 'gitops-agent';
const AGENT_UPGRADER_CONFIG_MAP = 'gitops-agent-upgrader';
const AGENT_SECRETS = ['gitops-agent', 'gitops-agent-mtls', 'gitops-agent-ca'] as const;
export const AGENT_DEPLOYMENT = 'gitops-agent';
const AGENT_PART_OF_LABEL = 'app.kubernetes.io/part-of';
const AGENT_PART_OF_VALUE = 'harness-gitops';

/** Keys of the agent ConfigMap. */
export const AGENT_KEYS = {
  account: 'GITOPS_ACCOUNT_IDENTIFIER',
  org: 'GITOPS_ORG_IDENTIFIER',
  project: 'GITOPS_PROJECT_IDENTIFIER',
  agent: 'GITOPS_AGENT_IDENTIFIER',
  drIdentifier: 'GITOPS_DISASTER_RECOVERY_IDENTIFIER',
  availability: 'GITOPS_AGENT_AVAILABILITY_MODE',
  harnessUrl: 'AGENT_HTTP_TARGET',
} as const;

/** Secrets `argocd admin export` includes: argocd-secret, any secret-type label, or the managed-by annotation. */
export function isArgoSecret(obj: KubeObject): boolean {
  const meta = obj.metadata ?? {};
  return (
    meta.name === ARGOCD_SECRET ||
    (meta.labels !== undefined && SECRET_TYPE_LABEL in meta.labels) ||
    meta.annotations?.[MANAGED_BY_ANNOTATION] === MANAGED_BY_ARGOCD
  );
}

export function isHarnessAgentObject(obj: KubeObject): boolean {
  const meta = obj.metadata ?? {};
  const name = meta.name ?? '';
  if (obj.kind === 'ConfigMap' && (name === AGENT_CONFIG_MAP || name === AGENT_UPGRADER_CONFIG_MAP)) return true;
  if (obj.kind === 'Secret' && (AGENT_SECRETS as readonly string[]).includes(name)) return true;
  return meta.labels?.[AGENT_PART_OF_LABEL] === AGENT_PART_OF_VALUE;
}

/** The cluster Argo CD runs in, as an Application's destination names it: by server URL or by the name `in-cluster`. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
export const IN_CLUSTER_NAME = 'in-cluster';
