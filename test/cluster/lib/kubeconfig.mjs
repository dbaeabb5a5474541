// The two kubeconfigs of a scenario: admin contexts (one per cluster, alias, unreachable) and limited contexts.
import fs from 'node:fs';
import path from 'node:path';

function yamlStr(s) {
  return JSON.stringify(String(s));
}

function kubeconfigYaml({ clusters, contexts, users, current }) {
  const L = ['apiVersion: v1', 'kind: Config', 'preferences: {}', `current-context: ${yamlStr(current)}`, 'clusters:'];
  for (const c of clusters) {
    L.push(`- name: ${yamlStr(c.name)}`, '  cluster:', `    server: ${yamlStr(c.server)}`);
    if (c.ca) L.push(`    certificate-authority-data: ${c.ca}`);
  }
  L.push('contexts:');
  for (const c of contexts) {
    L.push(`- name: ${yamlStr(c.name)}`, '  context:', `    cluster: ${yamlStr(c.cluster)}`, `    user: ${yamlStr(c.user)}`);
    if (c.namespace) L.push(`    namespace: ${yamlStr(c.namespace)}`);
  }
  L.push('users:');
  for (const u of users) {
    L.push(`- name: ${yamlStr(u.name)}`, '  user:', `    client-certificate-data: ${u.cert}`, `    client-key-data: ${u.key}`);
  }
  return `${L.join('\n')}\n`;
}

export function writeKubeconfigs(stateDir, sc, st) {
  const pki = path.join(stateDir, 'pki');
  const b = (f) => fs.readFileSync(path.join(pki, f)).toString('base64');
  const ca = b('ca.crt');
  const admin = { name: `admin@${sc.name}`, cert: b('admin.crt'), key: b('admin.key') };
  const limited = { name: `limited@${sc.name}`, cert: b('limited.crt'), key: b('limited.key') };
  const clusters = [];
  for (const c of st.clusters) clusters.push({ name: c.name, server: c.server, ca });
  for (const a of st.aliases) clusters.push({ name: a.name, server: a.server, ca });
  for (const u of st.unreachable) clusters.push({ name: u.name, server: u.server, ca });
  const nsOf = (c) => sc.clusters.find((x) => x.name === c)?.installs?.[0]?.namespace;
  const main = kubeconfigYaml({
    clusters,
    contexts: [
      ...st.clusters.map((c) => ({ name: c.name, cluster: c.name, user: admin.name })),
      ...st.aliases.map((a) => ({ name: a.name, cluster: a.name, user: admin.name })),
      ...st.unreachable.map((u) => ({ name: u.name, cluster: u.name, user: admin.name })),
    ],
    users: [admin],
    current: st.clusters[0].name,
  });
  const lim = kubeconfigYaml({
    clusters: clusters.filter((c) => st.clusters.some((x) => x.name === c.name)),
    contexts: st.clusters.map((c) => ({ name: `${c.name}-limited`, cluster: c.name, user: limited.name, namespace: nsOf(c.name) })),
    users: [limited],
    current: `${st.clusters[0].name}-limited`,
  });
  fs.writeFileSync(st.kubeconfig, main, { mode: 0o600 });
  fs.writeFileSync(st.limitedKubeconfig, lim, { mode: 0o600 });
}
