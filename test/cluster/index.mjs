// Programmatic API of the real-Kubernetes test cluster harness.
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

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlans } from './seed.mjs';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCENARIO_DIR = path.join(HERE, 'scenarios');

export function cacheRoot() {
  return path.join(os.homedir(), '.cache', 'gitops-dr');
}
export function clusterHome() {
  return process.env.GITOPS_DR_CLUSTER_HOME ? path.resolve(process.env.GITOPS_DR_CLUSTER_HOME) : path.join(cacheRoot(), 'clusters');
}
export function fixturesDir() {
  return process.env.GITOPS_DR_FIXTURES
    ? path.resolve(process.env.GITOPS_DR_FIXTURES)
    : path.resolve(HERE, '..', '..', '..', 'shared', 'fixtures', 'argocd');
}

let quiet = false;
/** Silence progress output (errors still throw). */
export function setQuiet(q) { quiet = !!q; }
function log(...a) { if (!quiet) process.stderr.write(`[cluster] ${a.join(' ')}\n`); }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ binary

export function k8sVersion() {
  const m = /^\s*k8s\.io\/kubernetes\s+(v\S+)/m.exec(fs.readFileSync(path.join(HERE, 'go.mod'), 'utf8'));
  if (!m) throw new Error('k8s.io/kubernetes not found in test/cluster/go.mod');
  return m[1];
}

function sourceHash() {
  const h = crypto.createHash('sha256');
  const files = ['go.mod', 'go.sum', ...fs.readdirSync(HERE).filter((f) => f.endsWith('.go')).sort()];
  for (const f of files) {
    h.update(`${f}\0`);
    h.update(fs.readFileSync(path.join(HERE, f)));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 12);
}

/** Where the binary for the current sources lives (it may not exist yet). */
export function binaryPath() {
  return path.join(cacheRoot(), 'testcluster', `${k8sVersion()}-${sourceHash()}`, 'testcluster');
}

/** Builds the testcluster binary unless the cache already holds it. */
export async function ensureBinary() {
  const bin = binaryPath();
  if (fs.existsSync(bin)) return bin;
  const dir = path.dirname(bin);
  fs.mkdirSync(dir, { recursive: true });
  return withLock(path.join(path.dirname(dir), '.build.lock'), async () => {
    if (fs.existsSync(bin)) return bin;
    const v = k8sVersion();
    const [, major, minor] = /^v(\d+)\.(\d+)/.exec(v);
    const pkg = 'k8s.io/component-base/version';
    const ldflags = [
      '-s', '-w',
      `-X ${pkg}.gitVersion=${v}`, `-X ${pkg}.gitMajor=${major}`, `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`, `-X ${pkg}.buildDate=${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    ].join(' ');
    const tmp = `${bin}.tmp-${process.pid}`;
    log(`building ${path.relative(process.cwd(), HERE) || '.'} -> ${bin} (cold builds take many minutes)`);
    const t0 = Date.now();
    await run('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', tmp, '.'], {
      cwd: HERE, env: { ...process.env, CGO_ENABLED: '0' }, stdio: ['ignore', 'inherit', 'inherit'],
    });
    fs.renameSync(tmp, bin);
    log(`built in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    // Older builds (other sources) are ~110 MB each: keep only this one. Running servers keep their open inode.
    for (const old of fs.readdirSync(path.dirname(dir))) {
      if (old !== path.basename(dir) && !old.startsWith('.')) fs.rmSync(path.join(path.dirname(dir), old), { recursive: true, force: true });
    }
    return bin;
  });
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, opts);
    let out = '';
    let err = '';
    p.stdout?.on('data', (d) => { out += d; });
    p.stderr?.on('data', (d) => { err += d; opts.onStderr?.(d); });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve({ out, err }) : reject(new Error(`${cmd} ${args[0]} exited with ${code}${err ? `: ${err.trim().split('\n').slice(-15).join('\n')}` : ''}`))));
  });
}

// ------------------------------------------------------------------ locks

function pidAlive(pid) {
  if (!pid || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if (e.code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function withLock(lockDir, fn, timeoutMs = 30 * 60_000) {
  const t0 = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let holder = 0;
      try { holder = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8')); } catch { /* being written */ }
      let age = 0;
      try { age = Date.now() - fs.statSync(lockDir).mtimeMs; } catch { continue; }
      if ((holder && !pidAlive(holder)) || (!holder && age > 10_000)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for lock ${lockDir} (held by pid ${holder})`);
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ processes

/** True when pid is a live testcluster process started for stateDir. */
export function isOurProcess(pid, stateDir) {
  if (!pidAlive(pid)) return false;
  let argv;
  try {
    argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return false;
  }
  if (!argv.length || path.basename(argv[0]) !== 'testcluster') return false;
  const prefix = stateDir.endsWith(path.sep) ? stateDir : stateDir + path.sep;
  return argv.some((a) => a.startsWith(prefix) || a === stateDir);
}

function readPid(file) {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

async function killOurs(pid, stateDir, { graceMs = 15_000 } = {}) {
  if (!isOurProcess(pid, stateDir)) return false;
  try { process.kill(pid, 'SIGTERM'); } catch { return false; }
  const t0 = Date.now();
  while (pidAlive(pid)) {
    if (Date.now() - t0 > graceMs) {
      if (isOurProcess(pid, stateDir)) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
      const t1 = Date.now();
      while (pidAlive(pid) && Date.now() - t1 < 5000) await sleep(50);
      break;
    }
    await sleep(50);
  }
  return true;
}

function spawnDetached(bin, args, logFile) {
  const fd = fs.openSync(logFile, 'a');
  try {
    const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd] });
    child.on('error', () => {});
    child.unref();
    return child.pid;
  } finally {
    fs.closeSync(fd);
  }
}

async function freePorts(n) {
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = net.createServer();
      await new Promise((res, rej) => { s.once('error', rej); s.listen(0, '127.0.0.1', res); });
      servers.push(s);
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

function portFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function tcpOpen(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const done = (ok) => { sock.destroy(); resolve(ok); };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

// ------------------------------------------------------------------ HTTP

function pkiFiles(stateDir) {
  const p = path.join(stateDir, 'pki');
  const r = (f) => fs.readFileSync(path.join(p, f));
  return { ca: r('ca.crt'), cert: r('admin.crt'), key: r('admin.key') };
}

function httpsGet(port, urlPath, tls, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const req = https.request({
      host: '127.0.0.1', port, path: urlPath, method: 'GET', ...tls, timeout: timeoutMs, agent: false,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => { req.destroy(); resolve({ status: 0, body: 'timeout' }); });
    req.on('error', (e) => resolve({ status: 0, body: e.message }));
    req.end();
  });
}

// ------------------------------------------------------------------ scenarios

export function listScenarios() {
  return fs.readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

export function loadScenario(name) {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`bad scenario name: ${name}`);
  const file = path.join(SCENARIO_DIR, `${name}.json`);
  if (!fs.existsSync(file)) throw new Error(`no scenario ${name} (have: ${listScenarios().join(', ')})`);
  const text = fs.readFileSync(file, 'utf8');
  const sc = JSON.parse(text);
  if (!Array.isArray(sc.clusters) || !sc.clusters.length) throw new Error(`scenario ${name}: no clusters`);
  const names = new Set();
  for (const c of [...sc.clusters, ...(sc.unreachable || []), ...(sc.aliases || [])]) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(c.name)) throw new Error(`scenario ${name}: bad cluster name ${c.name}`);
    if (names.has(c.name)) throw new Error(`scenario ${name}: duplicate name ${c.name}`);
    names.add(c.name);
  }
  const h = crypto.createHash('sha256').update(text).update(fs.readFileSync(path.join(HERE, 'seed.mjs')));
  return { ...sc, name, hash: h.digest('hex').slice(0, 16) };
}

export function stateDirOf(scenario) {
  return path.join(clusterHome(), scenario);
}

function readState(stateDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
  } catch {
    return null;
  }
}

function writeState(stateDir, st) {
  const f = path.join(stateDir, 'state.json');
  fs.writeFileSync(`${f}.tmp`, JSON.stringify(st, null, 2));
  fs.renameSync(`${f}.tmp`, f);
}

// ------------------------------------------------------------------ kubeconfig

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

function writeKubeconfigs(stateDir, sc, st) {
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

// ------------------------------------------------------------------ clusters

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
    const fixtures = fixturesDir();
    if (!fs.existsSync(path.join(fixtures, 'namespace-install.yaml'))) {
      throw new Error(`Argo CD fixtures not found at ${fixtures} (set GITOPS_DR_FIXTURES)`);
    }
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

/** Lists every pid file of a scenario's state dir: [{file, pid}]. */
function pidFiles(stateDir) {
  const out = [];
  const visit = (d, depth) => {
    let ents = [];
    try { ents = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of ents) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && depth < 1 && e.name !== 'pki') visit(p, depth + 1);
      else if (e.isFile() && (e.name === 'pid' || e.name.endsWith('.pid'))) out.push({ file: p, pid: readPid(p) });
    }
  };
  visit(stateDir, 0);
  return out;
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
