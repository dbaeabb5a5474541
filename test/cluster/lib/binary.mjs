// The testcluster binary (kube-apiserver + embedded etcd + seeder), built from this folder's Go module and
// cached per Kubernetes version and source hash.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { withLock } from './locks.mjs';
import { HERE, cacheRoot, log } from './paths.mjs';
import { run } from './run.mjs';

export function k8sVersion() {
  const m = /^\s*k8s\.io\/kubernetes\s+(v\S+)/m.exec(fs.readFileSync(path.join(HERE, 'go.mod'), 'utf8'));
  if (!m) throw new Error('k8s.io/kubernetes not found in test/cluster/go.mod');
  return m[1];
}

export function sourceHash() {
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
