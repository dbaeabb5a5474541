// Every code the linter can report, with its severity and what goes wrong on restore. Codes are stable: docs,
// suppression comments and CI scripts refer to them. BK* come from the reader (readBackup), DRL* from the rules.
import type { LintSeverity } from './findings';

export interface RuleInfo {
  code: string;
  title: string;
  severity: LintSeverity;
  description: string;
}

export const RULES = {
  // ---- reading the file (src/core/yaml/readBackup.ts)
  BK001: { title: 'YAML syntax error', severity: 'error', description: 'The YAML does not parse here; a restore reads nothing it cannot parse and refuses the file.' },
  BK002: { title: 'YAML warning', severity: 'warning', description: 'The YAML parses, but with a construct Kubernetes tooling may read differently.' },
  BK003: { title: 'Document is not a mapping', severity: 'error', description: 'A document that is a scalar or a sequence is no Kubernetes object; argocd admin import fails on it.' },
  BK004: { title: 'Not a Kubernetes object', severity: 'error', description: 'The document lacks apiVersion, kind or metadata.name (or is a List, which a restore does not unpack).' },
  BK005: { title: 'Too many aliases', severity: 'error', description: 'YAML aliases expand beyond the limit (an alias bomb); the document is refused unread.' },
  BK006: { title: 'Scalar too large', severity: 'error', description: 'A scalar larger than any object etcd accepts (1.5 MiB by default); the document is refused unread.' },
  BK007: { title: 'Nesting too deep', severity: 'error', description: 'Collections nest deeper than the limit (100 levels by default); the document is refused unread.' },
  BK008: { title: 'Too many documents', severity: 'error', description: 'The file holds more documents than the limit; the rest is not read.' },
  BK009: { title: 'JSON syntax error', severity: 'error', description: 'The JSON stream does not parse here.' },
  BK010: { title: 'JSON array', severity: 'warning', description: 'A JSON array of objects: gitops-dr reads its items, argocd admin import does not (it wants a JSON stream).' },
  BK011: { title: 'Not valid UTF-8', severity: 'error', description: 'Bytes that are not UTF-8: Argo CD\'s YAML reader refuses the file, and a lossy read would restore U+FFFD in their place; the restore refuses it.' },
  BK012: { title: 'Read differently by Argo CD', severity: 'error', description: 'A plain scalar that Argo CD\'s Go YAML reader (YAML 1.1) resolves to another value than YAML 1.2 does (yes/no/on/off, 0755, 1_000, 0b1) or an integer beyond 2^53: it would be restored as another value than argocd admin import writes; the restore refuses it.' },
  // ---- missing objects
  DRL001: { title: 'Required ConfigMap missing', severity: 'warning', description: 'argocd-cm, argocd-rbac-cm, argocd-ssh-known-hosts-cm or argocd-tls-certs-cm is not in the file: a restore leaves the target\'s own copy (settings, RBAC, known hosts, TLS certificates) as it is.' },
  DRL002: { title: 'argocd-secret missing', severity: 'warning', description: 'Secret argocd-secret is not in the file: the target keeps its own admin password, server key and webhook secrets.' },
  // ---- objects a backup must not hold
  DRL003: { title: 'Harness agent object', severity: 'error', description: 'A gitops-agent ConfigMap or Secret (or anything labelled app.kubernetes.io/part-of: harness-gitops) would overwrite the target agent\'s identity, token or certificates.' },
  DRL004: { title: 'Not restored by Argo CD', severity: 'warning', description: 'argocd-cmd-params-cm and argocd-gpg-keys-cm are never exported or imported by Argo CD; restoring them replaces the target\'s own controller parameters / GnuPG keys.' },
  DRL005: { title: 'Kind a restore cannot handle', severity: 'error', description: 'Only ConfigMaps, Secrets, AppProjects, Applications and ApplicationSets are restored.' },
  DRL006: { title: 'Object Argo CD does not export', severity: 'warning', description: 'A ConfigMap other than the four Argo CD ones, or a Secret without the argocd.argoproj.io/secret-type label: argocd admin export never writes it, and a restore would create it next to Argo CD.' },
  DRL007: { title: 'Duplicate object', severity: 'error', description: 'The same kind/namespace/name appears twice: which copy wins on restore depends on order.' },
  DRL008: { title: 'Object outside the Argo CD namespace', severity: 'warning', description: 'Argo CD reads ConfigMaps, Secrets and AppProjects only from its own namespace; a restore writes this one where Argo CD does not look.' },
  DRL009: { title: 'Application namespace not enabled', severity: 'warning', description: 'An Application or ApplicationSet in a namespace that is not an enabled application namespace: Argo CD on the target ignores it.' },
  // ---- dangling references
  DRL010: { title: 'Project not in the file', severity: 'warning', description: 'The Application\'s AppProject is not in the backup (and is not default): restored alone, the Application reports an unknown project and does not sync.' },
  DRL011: { title: 'Destination cluster not in the file', severity: 'warning', description: 'No cluster Secret in the backup matches the Application\'s destination: it cannot sync on the target unless that cluster is registered there.' },
  DRL012: { title: 'No repository credentials', severity: 'info', description: 'No repository or repo-creds Secret (nor argocd-cm repositories) matches the source repoURL: fine for a public repository, a failed sync for a private one.' },
  DRL013: { title: 'Project source repo without credentials', severity: 'info', description: 'An AppProject sourceRepos entry with no matching repository or repo-creds Secret in the backup.' },
  // ---- hazards
  DRL014: { title: 'Operation in flight', severity: 'warning', description: 'The Application carries .operation: Argo CD starts that sync as soon as it is restored (argocd admin import --stop-operation clears it).' },
  DRL015: { title: 'Secret without data', severity: 'warning', description: 'The Secret has no data: a restore writes an empty Secret over the target\'s.' },
  DRL016: { title: 'Secret data not base64', severity: 'error', description: 'A Secret data value is not valid base64: the API server rejects the Secret on restore.' },
  DRL017: { title: 'Status claims a sync in progress', severity: 'warning', description: 'status.operationState.phase says Running or Terminating: restored as is, the target shows a sync that no controller is running.' },
} as const satisfies Record<string, Omit<RuleInfo, 'code'>>;

export type RuleCode = keyof typeof RULES;

/** The catalogue as a list, for docs and `gitops-dr lint --rules`. */
export function ruleCatalogue(): RuleInfo[] {
  return Object.entries(RULES).map(([code, r]) => ({ code, ...r }));
}
