// The objects of an Argo CD namespace with a Harness GitOps agent, as the export tests' fake API serves them.
import type { FakeKubeApi } from '../../support/fakeKubeApi';

/** An Argo CD namespace with the four ConfigMaps, argocd-cmd-params-cm and agent objects. */
export function argoNamespace(api: FakeKubeApi, ns = 'argocd', cmdParams: Record<string, string> | null = { 'application.namespaces': 'team-*' }): FakeKubeApi {
  api.add('configmaps', ns, 'argocd-cm', { data: { 'admin.enabled': 'true', url: 'https://argocd.example.com' } }, { labels: { 'app.kubernetes.io/name': 'argocd-cm' } });
  api.add('configmaps', ns, 'argocd-rbac-cm', { data: { 'policy.csv': '', 'policy.default': '' } });
  api.add('configmaps', ns, 'argocd-ssh-known-hosts-cm', { data: { ssh_known_hosts: 'github.com ssh-ed25519 AAAA\n' } });
  api.add('configmaps', ns, 'argocd-tls-certs-cm', {});
  api.add('configmaps', ns, 'argocd-gpg-keys-cm', {});
  if (cmdParams) api.add('configmaps', ns, 'argocd-cmd-params-cm', { data: cmdParams });
  api.add('configmaps', ns, 'gitops-agent', { data: { GITOPS_AGENT_IDENTIFIER: 'a' } });
  api.add('secrets', ns, 'argocd-secret', { type: 'Opaque', data: { 'server.secretkey': 'c2VjcmV0' } });
  api.add('secrets', ns, 'gitops-agent', { type: 'Opaque', data: { GITOPS_AGENT_TOKEN: 'dG9rZW4=' } });
  api.add('secrets', ns, 'argocd-redis', { type: 'Opaque', data: { auth: 'eA==' } });
  api.add('secrets', ns, 'repo-1', { type: 'Opaque', data: { url: 'aHR0cHM6Ly9naXQ=' } }, { labels: { 'argocd.argoproj.io/secret-type': 'repository' } });
  api.add('secrets', ns, 'cluster-1', { type: 'Opaque', data: { server: 'aHR0cHM6Ly9rOHM=' } }, { labels: { 'argocd.argoproj.io/secret-type': 'cluster' } });
  api.add('secrets', ns, 'managed', { type: 'Opaque', data: {} }, { annotations: { 'managed-by': 'argocd.argoproj.io' } });
  api.add('appprojects', ns, 'default', { spec: { sourceRepos: ['*'] }, status: {} });
  return api;
}
