// Programmatic API of the real-Kubernetes test cluster harness: the lifecycle of a scenario.
//
//   import { up, down, stopCluster, startCluster } from './test/cluster/index.mjs';
//   const env = await up('demo');   // { kubeconfig, limitedKubeconfig, clusters, unreachable, ... }
//   await stopCluster('demo', 'west'); await startCluster('demo', 'west');
//   await down('demo');
//
// Each cluster is one `testcluster serve` process (a real kube-apiserver
// v1.36.3 + embedded etcd) started detached, so it outlives the caller. State
// lives in $GITOPS_DR_CLUSTER_HOME/<scenario>/ (default
// ~/.cache/gitops-dr/clusters/<scenario>/). Progress goes to stderr.
// The parts: lib/binary.mjs (build), lib/argocd.mjs (Argo CD manifests and CLI), lib/locks.mjs,
// lib/processes.mjs, lib/kubeconfig.mjs, lib/scenarios.mjs; seed.mjs turns a scenario into objects.

import fs from 'node:fs';
import path from 'node:path';
import { buildPlans } from './seed.mjs';
import { ensureBinary } from './lib/binary.mjs';
import { ensureManifests } from './lib/argocd.mjs';
import { sleep, withLock } from './lib/locks.mjs';
import { clusterHome, log } from './lib/paths.mjs';
import {
  freePorts, httpsGet, isOurProcess, killOurs, pidFiles, pkiFiles, portFree, spawnDetached, tcpOpen,
} from './lib/processes.mjs';
import { writeKubeconfigs } from './lib/kubeconfig.mjs';
import { loadScenario, readState, stateDirOf, writeState } from './lib/scenarios.mjs';
import { run } from './lib/run.mjs';

export { HERE, cacheRoot, clusterHome, setQuiet } from './lib/paths.mjs';
export { binaryPath, ensureBinary, k8sVersion } from './lib/binary.mjs';
export { isOurProcess } from './lib/processes.mjs';
export { listScenarios, loadScenario, stateDirOf } from './lib/scenarios.mjs';
export {
  ARGOCD_MATRIX, DEFAULT_ARGOCD_VERSION, argocdPath, ensureArgocd, ensureManifests,
} from './lib/argocd.mjs';

async function startServe(bin, stateDir, c) {
  const dir = path.join(stateDir, c.name);
  fs.mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, 'apiserver.log');
  fs.appendFileSync(logFile, `\n==== ${new Date().toISOString()} start ${c.name} port ${c.port}\n`);
  const args = ['serve', '--dir', dir, '--pki', path.join(stateDir, 'pki'),
    '--port', String(c.port), '--etcd-port', String(c.etcdPort), '--peer-port', String(c.peerPort)];
  const pid = spawnDetached(bin, args, logFile);
  fs.writeFileSync(path.join(dir, 'pid'), `${pid}\n`);
  c.pid = pid;
  c.bin = bin;
  return pid;
}

async function waitReady(stateDir, c, timeoutMs = 180_000) {
  const tls = pkiFiles(stateDir);
  const t0 = Date.now();
  const logFile = path.join(stateDir, c.name, 'apiserver.log');
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    if (!isOurProcess(c.pid, stateDir)) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      const busy = /address already in use/i.test(tail.split('==== ').pop());
      const err = new Error(`cluster ${c.name}: apiserver process exited before ready${busy ? ' (port in use)' : ''}; log ${logFile}:\n${tail}`);
      err.portBusy = busy;
      throw err;
    }
    const r = await httpsGet(c.port, '/readyz', tls, 2000);
    if (r.status === 200) return Date.now() - t0;
    last = `${r.status} ${r.body.slice(0, 200)}`;
    await sleep(250);
  }
  throw new Error(`cluster ${c.name}: not ready after ${timeoutMs / 1000}s (last: ${last}); log ${logFile}`);
}

/** Starts a brand-new cluster, retrying with fresh ports when one is taken. */
async function bootCluster(bin, stateDir, c) {
  for (let attempt = 1; ; attempt++) {
    await startServe(bin, stateDir, c);
    try {
      const ms = await waitReady(stateDir, c);
      log(`${c.name}: ready on ${c.server} in ${(ms / 1000).toFixed(1)}s (pid ${c.pid})`);
      return;
    } catch (e) {
      await killOurs(c.pid, stateDir);
      if (!e.portBusy || attempt >= 4) throw e;
      const [port, etcdPort, peerPort] = await freePorts(3);
      log(`${c.name}: a port was taken, retrying on ${port}`);
      fs.rmSync(path.join(stateDir, c.name, 'etcd'), { recursive: true, force: true });
      Object.assign(c, { port, etcdPort, peerPort, server: `https://127.0.0.1:${port}` });
      c.portChanged = true;
    }
  }
}

async function startHang(bin, stateDir, u) {
  for (let attempt = 1; ; attempt++) {
    const logFile = path.join(stateDir, `hang-${u.name}.log`);
    const pid = spawnDetached(bin, ['hang', '--port', String(u.port), '--dir', stateDir], logFile);
    fs.writeFileSync(path.join(stateDir, `hang-${u.name}.pid`), `${pid}\n`);
    u.pid = pid;
    const t0 = Date.now();
    while (Date.now() - t0 < 10_000) {
      if (!isOurProcess(pid, stateDir)) break;
      if (await tcpOpen(u.port)) return;
      await sleep(50);
    }
    await killOurs(pid, stateDir);
    if (attempt >= 4) throw new Error(`unreachable ${u.name}: could not listen (see ${logFile})`);
    [u.port] = await freePorts(1);
    u.server = `https://127.0.0.1:${u.port}`;
  }
}

async function seedCluster(bin, stateDir, st, c, plan) {
  const planFile = path.join(stateDir, c.name, 'seed-plan.json');
  fs.writeFileSync(planFile, JSON.stringify(plan));
  const t0 = Date.now();
  const logFile = path.join(stateDir, c.name, 'seed.log');
  const { err } = await run(bin, ['apply', '--kubeconfig', st.kubeconfig, '--context', c.name, '--plan', planFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }).catch((e) => {
    fs.writeFileSync(logFile, e.message);
    throw new Error(`seeding ${c.name} failed: ${e.message}`);
  });
  fs.writeFileSync(logFile, err);
  const last = err.trim().split('\n').pop();
  log(`${c.name}: seeded in ${((Date.now() - t0) / 1000).toFixed(1)}s (${last.replace(/^apply: /, '')})`);
}

async function healthy(stateDir, st, sc) {
  if (!st || !st.ready || st.scenarioHash !== sc.hash) return false;
  let tls;
  try { tls = pkiFiles(stateDir); } catch { return false; }
  for (const c of st.clusters) {
    if (!isOurProcess(c.pid, stateDir)) return false;
    const r = await httpsGet(c.port, '/readyz', tls, 3000);
    if (r.status !== 200) return false;
  }
  for (const u of st.unreachable) {
    if (!isOurProcess(u.pid, stateDir) || !(await tcpOpen(u.port))) return false;
  }
  return fs.existsSync(st.kubeconfig) && fs.existsSync(st.limitedKubeconfig);
}

function publicView(st) {
  return {
    scenario: st.scenario,
    argocdVersion: st.argocdVersion,
    stateDir: st.stateDir,
    kubeconfig: st.kubeconfig,
    limitedKubeconfig: st.limitedKubeconfig,
    /** KUBECONFIG value that merges both files (admin contexts first). */
    kubeconfigList: `${st.kubeconfig}${path.delimiter}${st.limitedKubeconfig}`,
    clusters: st.clusters.map((c) => ({
      name: c.name, context: c.name, limitedContext: `${c.name}-limited`, server: c.server, port: c.port,
      pid: c.pid, dataDir: path.join(st.stateDir, c.name), log: path.join(st.stateDir, c.name, 'apiserver.log'),
      namespaces: c.namespaces,
    })),
    aliases: st.aliases.map((a) => ({ ...a })),
    unreachable: st.unreachable.map((u) => ({ name: u.name, context: u.name, server: u.server, port: u.port, pid: u.pid })),
    users: { admin: `admin@${st.scenario}`, limited: `limited@${st.scenario}` },
  };
}

/**
 * Brings a scenario up (or reuses it when it already runs healthy).
 * @param {string} [scenario='demo']
 */
export async function up(scenario = 'demo') {
  const sc = loadScenario(scenario);
  fs.mkdirSync(clusterHome(), { recursive: true });
  return withLock(path.join(clusterHome(), `.${scenario}.lock`), async () => {
    const stateDir = stateDirOf(scenario);
    const prev = readState(stateDir);
    if (prev && (await healthy(stateDir, prev, sc))) {
      log(`${scenario}: already running, reusing`);
      return publicView(prev);
    }
    if (fs.existsSync(stateDir)) {
      log(`${scenario}: ${prev ? 'not healthy or outdated' : 'leftover state'}, restarting cleanly`);
      await downUnlocked(scenario);
    }
    const fixtures = await ensureManifests(sc.argocdVersion);
    const plans = buildPlans(sc, { fixtures });
    const bin = await ensureBinary();
    const t0 = Date.now();
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    await run(bin, ['pki', '--dir', path.join(stateDir, 'pki')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const nPorts = sc.clusters.length * 3 + (sc.unreachable || []).length;
    const ports = await freePorts(nPorts);
    const st = {
      version: 1,
      scenario,
      scenarioHash: sc.hash,
      argocdVersion: sc.argocdVersion,
      stateDir,
      binary: bin,
      createdAt: new Date().toISOString(),
      kubeconfig: path.join(stateDir, 'kubeconfig'),
      limitedKubeconfig: path.join(stateDir, 'kubeconfig.limited'),
      ready: false,
      clusters: sc.clusters.map((c) => {
        const [port, etcdPort, peerPort] = ports.splice(0, 3);
        return {
          name: c.name, port, etcdPort, peerPort, server: `https://127.0.0.1:${port}`,
          namespaces: (c.installs || []).map((i) => i.namespace),
        };
      }),
      unreachable: (sc.unreachable || []).map((u) => {
        const port = ports.shift();
        return { name: u.name, port, server: `https://127.0.0.1:${port}` };
      }),
      aliases: [],
    };
    writeState(stateDir, st);
    log(`${scenario}: starting ${st.clusters.map((c) => c.name).join(', ')}`);
    try {
      await Promise.all(st.clusters.map((c) => bootCluster(bin, stateDir, c)));
      await Promise.all(st.unreachable.map((u) => startHang(bin, stateDir, u)));
      st.aliases = (sc.aliases || []).map((a) => {
        const target = st.clusters.find((c) => c.name === a.cluster);
        if (!target) throw new Error(`alias ${a.name}: no cluster ${a.cluster}`);
        return { name: a.name, cluster: a.cluster, server: `https://${a.host || 'localhost'}:${target.port}` };
      });
      for (const c of st.clusters) delete c.portChanged;
      writeState(stateDir, st);
      writeKubeconfigs(stateDir, sc, st);
      const ts = Date.now();
      await Promise.all(st.clusters.map((c) => seedCluster(bin, stateDir, st, c, plans.get(c.name))));
      st.seedSeconds = (Date.now() - ts) / 1000;
      st.ready = true;
      st.upSeconds = (Date.now() - t0) / 1000;
      writeState(stateDir, st);
    } catch (e) {
      writeState(stateDir, st);
      log(`${scenario}: failed: ${e.message.split('\n')[0]}; stopping what was started`);
      await downUnlocked(scenario, { keepLogs: true });
      throw e;
    }
    log(`${scenario}: up in ${st.upSeconds.toFixed(1)}s (seeding ${st.seedSeconds.toFixed(1)}s)`);
    return publicView(st);
  });
}


async function downUnlocked(scenario, { keepLogs = false } = {}) {
  const stateDir = stateDirOf(scenario);
  if (!fs.existsSync(stateDir)) return { stopped: [] };
  const st = readState(stateDir);
  const pids = new Set(pidFiles(stateDir).map((p) => p.pid));
  for (const c of [...(st?.clusters || []), ...(st?.unreachable || [])]) if (c.pid) pids.add(c.pid);
  const stopped = [];
  await Promise.all([...pids].filter(Boolean).map(async (pid) => {
    if (await killOurs(pid, stateDir)) stopped.push(pid);
  }));
  if (keepLogs) {
    for (const { file } of pidFiles(stateDir)) fs.rmSync(file, { force: true });
    const failed = `${stateDir}.failed`;
    fs.rmSync(failed, { recursive: true, force: true });
    fs.renameSync(stateDir, failed);
    log(`${scenario}: logs of the failed start kept in ${failed}`);
  } else {
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
  return { stopped };
}

/** Stops every process of a scenario and removes its state. */
export async function down(scenario = 'demo') {
  fs.mkdirSync(clusterHome(), { recursive: true });
  return withLock(path.join(clusterHome(), `.${scenario}.lock`), async () => {
    const r = await downUnlocked(scenario);
    fs.rmSync(`${stateDirOf(scenario)}.failed`, { recursive: true, force: true });
    if (r.stopped.length) log(`${scenario}: stopped ${r.stopped.length} process(es)`);
    return r;
  });
}

/** Scenarios that have state in the cluster home. */
export function runningScenarios() {
  let ents = [];
  try { ents = fs.readdirSync(clusterHome(), { withFileTypes: true }); } catch { return []; }
  return ents.filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.endsWith('.failed')).map((e) => e.name).sort();
}

export async function downAll() {
  const out = {};
  for (const s of runningScenarios()) out[s] = await down(s);
  let ents = [];
  try { ents = fs.readdirSync(clusterHome()); } catch { /* none */ }
  for (const e of ents) if (e.endsWith('.failed')) fs.rmSync(path.join(clusterHome(), e), { recursive: true, force: true });
  return out;
}

async function withCluster(scenario, clusterName, fn) {
  return withLock(path.join(clusterHome(), `.${scenario}.lock`), async () => {
    const stateDir = stateDirOf(scenario);
    const st = readState(stateDir);
    if (!st) throw new Error(`scenario ${scenario} is not up`);
    const c = st.clusters.find((x) => x.name === clusterName);
    if (!c) throw new Error(`scenario ${scenario} has no cluster ${clusterName} (has ${st.clusters.map((x) => x.name).join(', ')})`);
    const r = await fn(st, c, stateDir);
    writeState(stateDir, st);
    return r;
  });
}

/** Stops one API server (its etcd data and port are kept for startCluster). */
export async function stopCluster(scenario, clusterName) {
  return withCluster(scenario, clusterName, async (st, c, stateDir) => {
    const killed = await killOurs(c.pid, stateDir);
    fs.rmSync(path.join(stateDir, c.name, 'pid'), { force: true });
    log(`${scenario}/${c.name}: stopped${killed ? '' : ' (was not running)'}`);
    return { name: c.name, server: c.server, stopped: killed };
  });
}

/** (Re)starts one API server on its old port with its old etcd data. */
export async function startCluster(scenario, clusterName) {
  return withCluster(scenario, clusterName, async (st, c, stateDir) => {
    if (isOurProcess(c.pid, stateDir)) {
      const r = await httpsGet(c.port, '/readyz', pkiFiles(stateDir), 3000);
      if (r.status === 200) return { name: c.name, server: c.server, pid: c.pid, restarted: false };
      await killOurs(c.pid, stateDir);
    }
    const t0 = Date.now();
    while (!(await portFree(c.port))) {
      if (Date.now() - t0 > 15_000) throw new Error(`${scenario}/${c.name}: port ${c.port} is still taken by another process`);
      await sleep(200);
    }
    const bin = fs.existsSync(c.bin || '') ? c.bin : await ensureBinary();
    await startServe(bin, stateDir, c);
    const ms = await waitReady(stateDir, c);
    log(`${scenario}/${c.name}: restarted on ${c.server} in ${(ms / 1000).toFixed(1)}s (pid ${c.pid})`);
    return { name: c.name, server: c.server, pid: c.pid, restarted: true };
  });
}

/** Reads the state of a scenario without touching it (null when not up). */
export function status(scenario = 'demo') {
  const st = readState(stateDirOf(scenario));
  if (!st) return null;
  const v = publicView(st);
  for (const c of v.clusters) c.running = isOurProcess(c.pid, st.stateDir);
  for (const u of v.unreachable) u.running = isOurProcess(u.pid, st.stateDir);
  return { ...v, ready: st.ready, upSeconds: st.upSeconds, seedSeconds: st.seedSeconds };
}
