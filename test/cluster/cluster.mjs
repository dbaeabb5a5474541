#!/usr/bin/env node
// Real-Kubernetes test clusters for GitOps Agent DR.
//
//   node test/cluster/cluster.mjs up [--scenario NAME]        (default demo; last stdout line: KUBECONFIG=<path>)
//   node test/cluster/cluster.mjs down [--scenario NAME | --all]
//   node test/cluster/cluster.mjs status [--scenario NAME]
//   node test/cluster/cluster.mjs stop-cluster --scenario NAME --cluster C
//   node test/cluster/cluster.mjs start-cluster --scenario NAME --cluster C
//   node test/cluster/cluster.mjs build | binary | list
//   node test/cluster/cluster.mjs argocd [--version V | --all] (the argocd CLI of V, built if missing; default: the default
//                                                         version; --all: every version of the matrix)
//   node test/cluster/cluster.mjs manifests [--version V]   (directory of V's CRDs and install manifests)
//   node test/cluster/cluster.mjs argocd-versions           (default, then the matrix)
//
// NAME@vX.Y.Z (or --argocd-version vX.Y.Z) runs scenario NAME on another Argo CD version, in its own state dir.
//
// Progress goes to stderr; stdout carries only results.

import * as api from './index.mjs';

function parse(argv) {
  const [cmd, ...rest] = argv;
  const opts = { _: [] };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--all') opts.all = true;
    else if (a === '--json') opts.json = true;
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) opts[a.slice(2, eq)] = a.slice(eq + 1);
      else opts[a.slice(2)] = rest[++i];
    } else opts._.push(a);
  }
  return { cmd, opts };
}

const USAGE = `usage: cluster.mjs up [--scenario NAME] | down [--scenario NAME | --all] | status [--scenario NAME]
       | stop-cluster --scenario NAME --cluster C | start-cluster --scenario NAME --cluster C
       | build | binary | list | argocd [--version V | --all] | manifests [--version V] | argocd-versions
       NAME may be NAME@vX.Y.Z (or add --argocd-version vX.Y.Z) to run it on another Argo CD version`;

async function main() {
  const { cmd, opts } = parse(process.argv.slice(2));
  const base = opts.scenario || opts._[0] || 'demo';
  const scenario = opts['argocd-version'] ? `${base.split('@')[0]}@${opts['argocd-version']}` : base;
  switch (cmd) {
    case 'up': {
      const env = await api.up(scenario);
      if (opts.json) process.stdout.write(`${JSON.stringify(env, null, 2)}\n`);
      for (const c of env.clusters) process.stderr.write(`  context ${c.name} -> ${c.server}\n`);
      for (const a of env.aliases) process.stderr.write(`  context ${a.name} -> ${a.server} (same cluster as ${a.cluster})\n`);
      for (const u of env.unreachable) process.stderr.write(`  context ${u.name} -> ${u.server} (never answers)\n`);
      process.stderr.write(`  limited contexts: KUBECONFIG=${env.kubeconfigList}\n`);
      process.stdout.write(`KUBECONFIG=${env.kubeconfig}\n`);
      return;
    }
    case 'down': {
      if (opts.all) await api.downAll();
      else await api.down(scenario);
      return;
    }
    case 'status': {
      const names = opts.all || (!opts.scenario && !opts._[0]) ? api.runningScenarios() : [scenario];
      const out = Object.fromEntries(names.map((n) => [n, api.status(n)]));
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }
    case 'stop-cluster':
    case 'start-cluster': {
      if (!opts.cluster) throw new Error('--cluster is required');
      const r = cmd === 'stop-cluster' ? await api.stopCluster(scenario, opts.cluster) : await api.startCluster(scenario, opts.cluster);
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return;
    }
    case 'build':
      process.stdout.write(`${await api.ensureBinary()}\n`);
      return;
    case 'binary':
      process.stdout.write(`${api.binaryPath()}\n`);
      return;
    case 'argocd': {
      // --all: every version of the matrix (npm test's parity tier), one after another: each build is CPU-bound.
      const versions = opts.all ? api.ARGOCD_MATRIX : [opts.version || api.DEFAULT_ARGOCD_VERSION];
      for (const v of versions) process.stdout.write(`${await api.ensureArgocd(v)}\n`);
      return;
    }
    case 'manifests':
      process.stdout.write(`${await api.ensureManifests(opts.version || api.DEFAULT_ARGOCD_VERSION)}\n`);
      return;
    case 'argocd-versions':
      process.stdout.write(`default ${api.DEFAULT_ARGOCD_VERSION}\nmatrix ${api.ARGOCD_MATRIX.join(' ')}\n`);
      return;
    case 'list':
      process.stdout.write(`${api.listScenarios().join('\n')}\n`);
      return;
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
  }
}

main().catch((e) => {
  process.stderr.write(`cluster.mjs: ${e.stack || e.message}\n`);
  process.exitCode = 1;
});
