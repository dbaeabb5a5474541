// Proof that the harness gives real API servers holding the documented `demo`
// scenario. Runs in its own cluster home (a temp dir), so it neither reuses nor
// disturbs clusters a developer has up.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-dr-clusters-'));
process.env.GITOPS_DR_CLUSTER_HOME = home;
const api = await import('../index.mjs');

/** Runs kubectl with an args array (no shell). Resolves {code, stdout, stderr, ms}. */
function kubectl(args, { timeoutMs = 60_000 } = {}) {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile('kubectl', args, { timeout: timeoutMs, env: { ...process.env, KUBECONFIG: '' }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr, ms: Date.now() - t0 }));
  });
}
const lines = (s) => s.split('\n').filter(Boolean);

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return st.slice(st.lastIndexOf(')') + 2, st.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('demo scenario on real kube-apiservers', { timeout: 60 * 60_000 }, () => {
  let env;
  let K;
  let KL;
  const k = (ctx, ...args) => kubectl(['--kubeconfig', K, '--context', ctx, ...args]);

  before(async () => {
    env = await api.up('demo');
    K = env.kubeconfig;
    KL = env.limitedKubeconfig;
  });

  after(async () => {
    await api.downAll();
    fs.rmSync(home, { recursive: true, force: true });
  });

  test('kubeconfig holds one context per cluster plus offline, and a limited file', async () => {
    assert.deepEqual(env.clusters.map((c) => c.name), ['east', 'west', 'lab']);
    assert.deepEqual(env.unreachable.map((u) => u.name), ['offline']);
    const r = await kubectl(['--kubeconfig', K, 'config', 'get-contexts', '-o', 'name']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).sort(), ['east', 'lab', 'offline', 'west']);
    const cur = await kubectl(['--kubeconfig', K, 'config', 'current-context']);
    assert.equal(cur.stdout.trim(), 'east');
    const rl = await kubectl(['--kubeconfig', KL, 'config', 'get-contexts', '-o', 'name']);
    assert.deepEqual(lines(rl.stdout).sort(), ['east-limited', 'lab-limited', 'west-limited']);
  });

  test('server version is the real v1.36.3', async () => {
    const r = await k('east', 'version', '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout);
    assert.equal(v.serverVersion.gitVersion, 'v1.36.3');
    assert.equal(v.serverVersion.major, '1');
    assert.equal(v.serverVersion.minor, '36');
  });

  test('east holds 40 Applications in argocd, 46 across namespaces', async () => {
    const r = await k('east', '-n', 'argocd', 'get', 'applications.argoproj.io', '-o', 'name');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lines(r.stdout).length, 40);
    const all = await k('east', 'get', 'applications.argoproj.io', '-A', '--no-headers');
    const byNs = {};
    for (const l of lines(all.stdout)) byNs[l.split(/\s+/)[0]] = (byNs[l.split(/\s+/)[0]] || 0) + 1;
    assert.deepEqual(byNs, { argocd: 40, 'team-alpha': 3, 'team-beta': 2, sandbox: 1 });
  });

  test('each context answers get applications -A with the scenario counts', async () => {
    const want = { east: 46, west: 0, lab: 5 };
    for (const [ctx, n] of Object.entries(want)) {
      const r = await k(ctx, 'get', 'applications.argoproj.io', '-A', '-o', 'name');
      assert.equal(r.code, 0, `${ctx}: ${r.stderr}`);
      assert.equal(lines(r.stdout).length, n, ctx);
    }
  });

  test('Argo CD entities: projects, appsets, labelled secrets, in-flight operation, odd strings', async () => {
    const proj = await k('east', '-n', 'argocd', 'get', 'appprojects.argoproj.io', '-o', 'name');
    assert.deepEqual(lines(proj.stdout).sort(), ['appproject.argoproj.io/default', 'appproject.argoproj.io/payments',
      'appproject.argoproj.io/platform', 'appproject.argoproj.io/storefront']);
    const sets = await k('east', '-n', 'argocd', 'get', 'applicationsets.argoproj.io', '-o', 'name');
    assert.equal(lines(sets.stdout).length, 2);
    for (const [type, n] of [['repository', 4], ['repo-creds', 2], ['cluster', 2]]) {
      const s = await k('east', '-n', 'argocd', 'get', 'secrets', '-l', `argocd.argoproj.io/secret-type=${type}`, '-o', 'name');
      assert.equal(lines(s.stdout).length, n, type);
    }
    const apps = JSON.parse((await k('east', '-n', 'argocd', 'get', 'applications.argoproj.io', '-o', 'json')).stdout).items;
    assert.equal(apps.filter((a) => a.operation).length, 1);
    assert.ok(apps.filter((a) => a.status?.sync?.status === 'Synced').length > 10);
    const odd = apps.find((a) => a.metadata.name === 'odd-strings');
    assert.equal(odd.metadata.annotations['acme.example/unicode'], 'café — 東京 ✓ 🚀');
    assert.equal(odd.metadata.annotations['acme.example/octal'], '0755');
    assert.match(odd.metadata.annotations['acme.example/multiline'], /\n {2}indented line\n/);
    const params = JSON.parse((await k('east', '-n', 'argocd', 'get', 'cm', 'argocd-cmd-params-cm', '-o', 'json')).stdout);
    assert.equal(params.data['application.namespaces'], 'team-*');
    const west = await k('west', '-n', 'argocd', 'get', 'appprojects.argoproj.io', '-o', 'name');
    assert.deepEqual(lines(west.stdout), ['appproject.argoproj.io/default']);
  });

  test('Harness agent footprint: DR pair east/west, unrelated HA agent on lab', async () => {
    const cm = async (ctx, ns) => JSON.parse((await k(ctx, '-n', ns, 'get', 'configmap', 'gitops-agent', '-o', 'json')).stdout).data;
    const east = await cm('east', 'argocd');
    const west = await cm('west', 'argocd');
    const lab = await cm('lab', 'harness-gitops');
    for (const key of ['GITOPS_ACCOUNT_IDENTIFIER', 'GITOPS_ORG_IDENTIFIER', 'GITOPS_PROJECT_IDENTIFIER', 'GITOPS_AGENT_IDENTIFIER']) {
      assert.equal(east[key], west[key], key);
    }
    assert.equal(east.GITOPS_AGENT_IDENTIFIER, 'dragent');
    assert.equal(east.GITOPS_DISASTER_RECOVERY_IDENTIFIER, 'east');
    assert.equal(west.GITOPS_DISASTER_RECOVERY_IDENTIFIER, 'west');
    assert.equal(east.GITOPS_AGENT_AVAILABILITY_MODE, 'NON-HA');
    assert.equal(lab.GITOPS_AGENT_AVAILABILITY_MODE, 'HA');
    assert.equal(lab.GITOPS_DISASTER_RECOVERY_IDENTIFIER, undefined);
    assert.equal(lab.GITOPS_ORG_IDENTIFIER, undefined);
    const dep = JSON.parse((await k('lab', '-n', 'harness-gitops', 'get', 'deployment', 'gitops-agent', '-o', 'json')).stdout);
    assert.equal(dep.spec.template.spec.containers[0].image, 'harness/gitops-agent:v0.98.1');
    assert.equal(dep.metadata.labels['app.kubernetes.io/name'], 'harness-gitops-agent');
    assert.equal(dep.status.readyReplicas, 2);
    const sts = JSON.parse((await k('east', '-n', 'argocd', 'get', 'statefulset', 'argocd-application-controller', '-o', 'json')).stdout);
    assert.equal(sts.status.readyReplicas, sts.spec.replicas);
    const up = await k('east', '-n', 'argocd', 'get', 'configmap', 'gitops-agent-upgrader', '-o', 'json');
    assert.equal(JSON.parse(up.stdout).metadata.labels, undefined);
    const cj = await k('east', '-n', 'argocd', 'get', 'cronjob', 'gitops-agent-upgrader', '-o', 'name');
    assert.equal(cj.stdout.trim(), 'cronjob.batch/gitops-agent-upgrader');
  });

  test('limited user: Forbidden (403) on secrets, allowed on applications', async () => {
    const r = await kubectl(['--kubeconfig', KL, '--context', 'east-limited', '-n', 'argocd', 'get', 'secrets', '-v=6']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Forbidden/);
    assert.match(r.stderr, /403/);
    const ok = await kubectl(['--kubeconfig', KL, '--context', 'east-limited', '-n', 'argocd', 'get', 'applications.argoproj.io', '-o', 'name']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(lines(ok.stdout).length, 40);
    // A KUBECONFIG list merges both files.
    const both = await new Promise((resolve) => {
      execFile('kubectl', ['config', 'get-contexts', '-o', 'name'], { env: { ...process.env, KUBECONFIG: env.kubeconfigList } },
        (err, stdout) => resolve(lines(stdout)));
    });
    assert.ok(both.includes('east') && both.includes('east-limited'));
  });

  test('offline context times out instead of answering', async () => {
    const r = await k('offline', 'get', '--raw', '/version', '--request-timeout=3s');
    assert.notEqual(r.code, 0);
    assert.ok(r.ms >= 2500, `answered too fast (${r.ms} ms): ${r.stderr}`);
    assert.ok(r.ms < 30_000, `took ${r.ms} ms`);
    assert.match(r.stderr, /timeout|deadline|Timeout/);
  });

  test('a second up() reuses the running scenario quickly', async () => {
    const t0 = Date.now();
    const again = await api.up('demo');
    assert.ok(Date.now() - t0 < 10_000, `${Date.now() - t0} ms`);
    assert.equal(again.kubeconfig, env.kubeconfig);
    assert.deepEqual(again.clusters.map((c) => c.pid), env.clusters.map((c) => c.pid));
  });

  test('stopCluster/startCluster keep the port and the data', async () => {
    const before = env.clusters.find((c) => c.name === 'east');
    await api.stopCluster('demo', 'east');
    assert.equal(pidAlive(before.pid), false);
    const down = await k('east', 'get', 'namespaces', '--request-timeout=5s');
    assert.notEqual(down.code, 0);
    const r = await api.startCluster('demo', 'east');
    assert.equal(r.server, before.server);
    const apps = await k('east', '-n', 'argocd', 'get', 'applications.argoproj.io', '-o', 'name');
    assert.equal(apps.code, 0, apps.stderr);
    assert.equal(lines(apps.stdout).length, 40);
    env = await api.up('demo'); // healthy again: reused, with the new pid
    assert.equal(env.clusters.find((c) => c.name === 'east').pid, r.pid);
  });

  test('down leaves no process behind', async () => {
    const pids = [...env.clusters.map((c) => c.pid), ...env.unreachable.map((u) => u.pid)];
    assert.ok(pids.every(pidAlive));
    await api.down('demo');
    assert.deepEqual(pids.filter(pidAlive), []);
    assert.equal(fs.existsSync(env.stateDir), false);
    const r = await k('east', 'get', 'namespaces', '--request-timeout=5s');
    assert.notEqual(r.code, 0);
  });
});
