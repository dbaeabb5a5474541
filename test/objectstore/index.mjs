// A real S3 server (MinIO) on loopback for tests, built from the Go module proxy like the test clusters.
//
//   import { ensureMinio, startMinio, up, down } from './test/objectstore/index.mjs';
//   const s3 = await up();          // shared server for the test run: { endpoint, accessKey, secretKey, region, ... }
//   const own = await startMinio({ stateDir });   // a private one (tests that stop the server)
//   await own.stop(); await down();
//
// The binary is cached outside the repository, keyed by the pinned version:
// ~/.cache/gitops-dr/minio/<version>/minio. MinIO is AGPLv3 and a test server only: never shipped.
// Servers run detached (they outlive the caller, like the clusters); state lives in
// $GITOPS_DR_CLUSTER_HOME/objectstore/<name>/ (pid, port, credentials, data).

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pidAlive, sleep, withLock } from '../cluster/lib/locks.mjs';
import { freePorts, portFree } from '../cluster/lib/processes.mjs';

/** `github.com/minio/minio` has no semver tags: a pinned pseudo-version. */
export const MINIO_VERSION = 'v0.0.0-20260212201848-7aac2a2c5b7c';
export const REGION = 'us-east-1';

let quiet = false;
export function setQuiet(q) { quiet = !!q; }
function log(...a) { if (!quiet) process.stderr.write(`[objectstore] ${a.join(' ')}\n`); }

export function cacheRoot() {
  return path.join(os.homedir(), '.cache', 'gitops-dr');
}
function home() {
  const base = process.env.GITOPS_DR_CLUSTER_HOME ? path.resolve(process.env.GITOPS_DR_CLUSTER_HOME) : path.join(cacheRoot(), 'clusters');
  return path.join(base, 'objectstore');
}
export function binaryPath() {
  return path.join(cacheRoot(), 'minio', MINIO_VERSION, 'minio');
}

// ------------------------------------------------------------------ build

/** Builds MinIO with `go install <module>@<pinned version>` unless the cache already holds it. */
export async function ensureMinio() {
  const bin = binaryPath();
  if (fs.existsSync(bin)) return bin;
  const dir = path.dirname(bin);
  fs.mkdirSync(dir, { recursive: true });
  return withLock(path.join(path.dirname(dir), '.build.lock'), async () => {
    if (fs.existsSync(bin)) return bin;
    const gobin = fs.mkdtempSync(path.join(dir, '.gobin-'));
    log(`building github.com/minio/minio@${MINIO_VERSION} -> ${bin} (a cold build takes 10-15 minutes)`);
    const t0 = Date.now();
    try {
      await run('go', ['install', '-trimpath', '-ldflags', '-s -w', `github.com/minio/minio@${MINIO_VERSION}`], {
        env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
      });
      fs.renameSync(path.join(gobin, 'minio'), bin);
    } finally {
      fs.rmSync(gobin, { recursive: true, force: true });
    }
    log(`built in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return bin;
  }, 40 * 60_000); // a cold MinIO build takes ~26 min on a busy 2-core machine
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let err = '';
    p.stdout.on('data', () => {});
    p.stderr.on('data', (d) => { err += d; if (err.length > 200_000) err = err.slice(-100_000); });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args[0]} exited with ${code}: ${err.trim().split('\n').slice(-15).join('\n')}`))));
  });
}

// ------------------------------------------------------------------ locks and processes

/** True when pid is a live minio process serving stateDir (never signal anything else). */
function isOurServer(pid, stateDir) {
  if (!pidAlive(pid)) return false;
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return path.basename(argv[0] ?? '') === 'minio' && argv.includes(path.join(stateDir, 'data'));
  } catch {
    return false;
  }
}

function healthLive(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/minio/health/live', timeout: 2000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

// ------------------------------------------------------------------ servers

function stateFile(stateDir) { return path.join(stateDir, 'server.json'); }

function describe(stateDir, st) {
  return {
    stateDir,
    endpoint: `http://127.0.0.1:${st.port}`,
    port: st.port,
    accessKey: st.accessKey,
    secretKey: st.secretKey,
    region: REGION,
    pid: st.pid,
    logFile: path.join(stateDir, 'minio.log'),
    stop: () => stopMinio(stateDir),
    start: () => startMinio({ stateDir }),
  };
}

/**
 * Starts (or finds running) a MinIO server whose state is stateDir. Credentials are random per state dir and kept
 * across restarts; the port is kept too when it is still free, so a client configured before a stop works after.
 */
export async function startMinio({ stateDir } = {}) {
  stateDir = path.resolve(stateDir ?? path.join(home(), 'shared'));
  const bin = await ensureMinio();
  fs.mkdirSync(path.join(stateDir, 'data'), { recursive: true, mode: 0o700 });
  return withLock(path.join(stateDir, '.lock'), async () => {
    let st = null;
    try { st = JSON.parse(fs.readFileSync(stateFile(stateDir), 'utf8')); } catch { /* first start */ }
    if (st && isOurServer(st.pid, stateDir) && await healthLive(st.port)) return describe(stateDir, st);
    st = {
      accessKey: st?.accessKey ?? `test${crypto.randomBytes(6).toString('hex')}`,
      secretKey: st?.secretKey ?? crypto.randomBytes(20).toString('base64url'),
      port: st?.port && await portFree(st.port) ? st.port : 0,
    };
    const [p1, p2] = await freePorts(2);
    if (!st.port) st.port = p1;
    const consolePort = p2 === st.port ? p1 : p2;
    const logFile = path.join(stateDir, 'minio.log');
    const fd = fs.openSync(logFile, 'a');
    let child;
    try {
      child = spawn(bin, ['server', path.join(stateDir, 'data'), '--address', `127.0.0.1:${st.port}`,
        '--console-address', `127.0.0.1:${consolePort}`, '--quiet'], {
        detached: true,
        stdio: ['ignore', fd, fd],
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: stateDir,
          MINIO_ROOT_USER: st.accessKey,
          MINIO_ROOT_PASSWORD: st.secretKey,
          MINIO_BROWSER: 'off',
          MINIO_UPDATE: 'off',
        },
      });
      child.on('error', () => {});
      child.unref();
    } finally {
      fs.closeSync(fd);
    }
    st.pid = child.pid;
    fs.writeFileSync(stateFile(stateDir), JSON.stringify(st), { mode: 0o600 });
    const t0 = Date.now();
    while (!(await healthLive(st.port))) {
      if (!pidAlive(st.pid)) throw new Error(`minio exited at start; see ${logFile}`);
      if (Date.now() - t0 > 60_000) throw new Error(`minio did not become live on port ${st.port} in 60s; see ${logFile}`);
      await sleep(200);
    }
    log(`minio live on 127.0.0.1:${st.port} (state ${stateDir})`);
    return describe(stateDir, st);
  });
}

/** Stops the server of stateDir (only if the pid really is our minio for that dir). */
export async function stopMinio(stateDir, { graceMs = 10_000 } = {}) {
  stateDir = path.resolve(stateDir);
  let st;
  try { st = JSON.parse(fs.readFileSync(stateFile(stateDir), 'utf8')); } catch { return false; }
  if (!isOurServer(st.pid, stateDir)) return false;
  try { process.kill(st.pid, 'SIGTERM'); } catch { return false; }
  const t0 = Date.now();
  while (pidAlive(st.pid)) {
    if (Date.now() - t0 > graceMs && isOurServer(st.pid, stateDir)) {
      try { process.kill(st.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    await sleep(50);
  }
  return true;
}

/** Kills the server abruptly (SIGKILL), as a crash or a lost network would look to a client. */
export async function killMinio(stateDir) {
  stateDir = path.resolve(stateDir);
  let st;
  try { st = JSON.parse(fs.readFileSync(stateFile(stateDir), 'utf8')); } catch { return false; }
  if (!isOurServer(st.pid, stateDir)) return false;
  try { process.kill(st.pid, 'SIGKILL'); } catch { return false; }
  while (pidAlive(st.pid)) await sleep(20);
  return true;
}

/** The shared server of this test run (started if needed). */
export function up() {
  return startMinio({ stateDir: path.join(home(), 'shared') });
}

/** Stops every server under the objectstore home and removes their data. */
export async function down() {
  const root = home();
  let names = [];
  try { names = fs.readdirSync(root); } catch { return; }
  for (const n of names) {
    const dir = path.join(root, n);
    await stopMinio(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // A server whose state file was overwritten or lost (a test that restarted it) is found by its data directory.
  for (const pid of minioPidsUnder(root)) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    while (pidAlive(pid)) await sleep(20);
  }
}

/** Pids of minio processes serving a data directory under root. */
function minioPidsUnder(root) {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (path.basename(argv[0] ?? '') === 'minio' && argv.some((a) => a.startsWith(root + path.sep))) pids.push(Number(entry));
    } catch { /* exited meanwhile */ }
  }
  return pids;
}

// ------------------------------------------------------------------ age CLI (interop checks)

function onPath(cmd) {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, cmd)));
}

/** Debian's `age` / `age-keygen` for the interop tests: installed with apt-get when missing (needs root). */
export async function ensureAgeCli() {
  if (onPath('age') && onPath('age-keygen')) return;
  return withLock(path.join(cacheRoot(), '.age-install.lock'), async () => {
    if (onPath('age') && onPath('age-keygen')) return;
    if (process.getuid?.() !== 0) throw new Error('the age CLI is missing and this is not root: install it with `sudo apt-get install -y age`');
    log('installing the age CLI (apt-get install -y age)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    try {
      await run('apt-get', ['install', '-y', '--no-install-recommends', 'age'], { env });
    } catch {
      await run('apt-get', ['update'], { env });
      await run('apt-get', ['install', '-y', '--no-install-recommends', 'age'], { env });
    }
  });
}
