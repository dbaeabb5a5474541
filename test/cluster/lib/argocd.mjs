// Argo CD from the Go module proxy: its manifests (CRDs and installs, as data for the seeder) and its CLI
// (`argocd`, built from source), both cached per version in ~/.cache/gitops-dr/argocd/<version>/.
//
// Versions (why: test/cluster/README.md):
//   DEFAULT_ARGOCD_VERSION  what the Harness GitOps agent Helm chart runs today; every scenario without an
//                           "argocdVersion" key uses it
//   ARGOCD_MATRIX           the versions the parity tier proves `gitops-dr backup`/`restore` against
import fs from 'node:fs';
import path from 'node:path';
import { withLock } from './locks.mjs';
import { cacheRoot, log } from './paths.mjs';
import { run } from './run.mjs';

export const DEFAULT_ARGOCD_VERSION = 'v2.14.9';
export const ARGOCD_MATRIX = Object.freeze(['v2.14.9', 'v2.14.21', 'v3.2.6']);

/** The files a cluster needs, relative to the module's manifests/ (and to the cached copy). */
const MANIFEST_FILES = [
  'crds/application-crd.yaml', 'crds/applicationset-crd.yaml', 'crds/appproject-crd.yaml',
  'namespace-install.yaml', 'ha/namespace-install.yaml',
];

export function checkVersion(version) {
  if (typeof version !== 'string' || !/^v[23]\.\d+\.\d+$/.test(version)) {
    throw new Error(`bad Argo CD version ${JSON.stringify(version)}: expected vMAJOR.MINOR.PATCH of the 2.x or 3.x line, e.g. ${DEFAULT_ARGOCD_VERSION}`);
  }
  return version;
}

/** Go module path of an Argo CD version (the major version is part of the path). */
export function modulePath(version) {
  return `github.com/argoproj/argo-cd/${checkVersion(version).split('.')[0]}`;
}

export function versionDir(version) {
  return path.join(cacheRoot(), 'argocd', checkVersion(version));
}

/** `go mod download -json` of one version: { Dir, GoMod, ... } (read-only module cache). */
async function downloadModule(version) {
  const { out } = await run('go', ['mod', 'download', '-json', `${modulePath(version)}@${version}`], {
    env: { ...process.env, GOFLAGS: '-mod=mod' }, stdio: ['ignore', 'pipe', 'pipe'],
  }).catch((e) => { throw new Error(`cannot download Argo CD ${version} from the Go module proxy: ${e.message}`); });
  const info = JSON.parse(out);
  if (info.Error) throw new Error(`cannot download Argo CD ${version}: ${info.Error}`);
  return info;
}

/** Directory holding crds/, namespace-install.yaml and ha/ of that version (copied out of the module cache). */
export async function ensureManifests(version = DEFAULT_ARGOCD_VERSION) {
  const dest = path.join(versionDir(version), 'manifests');
  const complete = () => MANIFEST_FILES.every((f) => fs.existsSync(path.join(dest, f)));
  if (complete()) return dest;
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  return withLock(path.join(path.dirname(dest), '.manifests.lock'), async () => {
    if (complete()) return dest;
    const { Dir } = await downloadModule(version);
    const tmp = `${dest}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    for (const f of MANIFEST_FILES) {
      fs.mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true });
      fs.copyFileSync(path.join(Dir, 'manifests', f), path.join(tmp, f));
      fs.chmodSync(path.join(tmp, f), 0o644);
    }
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(tmp, dest);
    log(`Argo CD ${version} manifests -> ${dest}`);
    return dest;
  });
}

/** Where the CLI of a version lives (it may not exist yet). */
export function argocdPath(version = DEFAULT_ARGOCD_VERSION) {
  return path.join(versionDir(version), 'argocd');
}

/**
 * The non-local lines of a go.mod's replace directives ("a => b v", not "a => ./dir"): a wrapper module must
 * repeat them, since Go ignores the replaces of a dependency.
 */
export function nonLocalReplaces(goMod) {
  const lines = [];
  const take = (body) => {
    const m = /^(\S+(?:\s+v\S+)?)\s*=>\s*(\S+)(?:\s+(v\S+))?\s*$/.exec(body.trim());
    if (m && !m[2].startsWith('./') && !m[2].startsWith('../') && m[3]) lines.push(`${m[1]} => ${m[2]} ${m[3]}`);
  };
  const text = goMod.replace(/\/\/.*$/gm, '');
  for (const block of text.matchAll(/^replace\s*\(([\s\S]*?)^\)/gm)) for (const l of block[1].split('\n')) if (l.trim()) take(l);
  for (const single of text.matchAll(/^replace\s+([^(\n].*)$/gm)) take(single[1]);
  return lines;
}

/** Builds the argocd CLI of that version unless it is cached; returns its path. */
export async function ensureArgocd(version = DEFAULT_ARGOCD_VERSION) {
  const bin = argocdPath(version);
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  return withLock(path.join(path.dirname(bin), '.build.lock'), async () => {
    if (fs.existsSync(bin)) return bin;
    const t0 = Date.now();
    const info = await downloadModule(version);
    const argoMod = fs.readFileSync(info.GoMod, 'utf8');
    const goLine = /^go\s+(\S+)/m.exec(argoMod)?.[1] ?? '1.22';
    const mod = modulePath(version);
    // The wrapper module: generated here, outside the repository, one per version.
    const wrap = path.join(path.dirname(bin), 'wrapper');
    fs.rmSync(wrap, { recursive: true, force: true });
    fs.mkdirSync(wrap, { recursive: true });
    fs.writeFileSync(path.join(wrap, 'go.mod'),
      `module gitopsdr.test/argocdwrapper\n\ngo ${goLine}\n\nreplace (\n${nonLocalReplaces(argoMod).map((l) => `\t${l}\n`).join('')})\n`);
    const env = { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' };
    log(`Argo CD ${version}: resolving modules in ${wrap}`);
    await run('go', ['get', `${mod}@${version}`, `${mod}/cmd@${version}`], { cwd: wrap, env, stdio: ['ignore', 'pipe', 'pipe'] })
      .catch((e) => { throw new Error(`Argo CD ${version}: go get failed (does this Go build it?): ${e.message}`); });
    const plain = version.slice(1);
    const ldflags = ['-s', '-w', `-X ${mod}/common.version=${plain}`, `-X ${mod}/common.gitTreeState=clean`,
      `-X ${mod}/common.buildDate=${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`].join(' ');
    const tmp = `${bin}.tmp-${process.pid}`;
    log(`Argo CD ${version}: building the argocd CLI -> ${bin} (a cold build takes ~15 min on 2 cores)`);
    await run('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', tmp, `${mod}/cmd`], { cwd: wrap, env, stdio: ['ignore', 'pipe', 'pipe'] })
      .catch((e) => { throw new Error(`Argo CD ${version}: go build failed: ${e.message}`); });
    fs.renameSync(tmp, bin);
    log(`Argo CD ${version}: built in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
    return bin;
  });
}
