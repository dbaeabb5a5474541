// The demo environment shared by `npm start` (scripts/start.mjs) and the UI smoke test (test/ui/smoke.mjs):
// the demo clusters (test/cluster/cluster.mjs), a workspace holding a sample backup, and code-server with the
// extension installed (packaged .vsix when it is newer than the build, else a link to the working tree).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureRunner, REPO_ROOT, run, CACHE_ROOT } from './setup.mjs';
import { startCodeServer, workbenchUrl } from './codeserver.mjs';
import { onCleanup } from './processes.mjs';

const CLUSTER_SCRIPT = process.env.GITOPS_DR_CLUSTER_SCRIPT || path.join(REPO_ROOT, 'test/cluster/cluster.mjs');
const FIXTURE_BACKUP = path.join(REPO_ROOT, 'test/fixtures/backups/demo.backup.yaml');

const say = (m) => process.stderr.write(`[demo] ${m}\n`);

/**
 * `cluster.mjs up --scenario <s>`; its last stdout line is `KUBECONFIG=<abs path>`. Registers
 * `cluster.mjs down --scenario <s>` as a cleanup step. Returns the kubeconfig path.
 */
export async function clusterUp(scenario = 'demo') {
  if (!fs.existsSync(CLUSTER_SCRIPT)) throw new Error(`${CLUSTER_SCRIPT} not found (needed for the demo clusters; or pass --kubeconfig)`);
  say(`starting clusters: ${path.relative(REPO_ROOT, CLUSTER_SCRIPT)} up --scenario ${scenario}`);
  // Registered before the server is started, so the clusters go down after code-server has stopped.
  onCleanup(() => clusterDown(scenario));
  // Not a process group of its own: whatever `up` leaves running in the background belongs to `down`.
  const child = spawn(process.execPath, [CLUSTER_SCRIPT, 'up', '--scenario', scenario],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  onCleanup(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM'); });
  let lastLine = '';
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop();
    for (const l of lines) {
      process.stderr.write(`  cluster: ${l}\n`);
      if (l.trim()) lastLine = l.trim();
    }
  });
  const stdoutEnded = new Promise((resolve) => child.stdout.on('end', resolve));
  const { code, signal } = await exited;
  // Output may still be in the pipe; a background child of `up` may also hold it open, so do not wait forever.
  await Promise.race([stdoutEnded, new Promise((r) => setTimeout(r, 2000))]);
  if (buf.trim()) lastLine = buf.trim();
  if (code !== 0) throw new Error(`cluster.mjs up failed (${signal || `exit ${code}`})`);
  const m = /^KUBECONFIG=(.+)$/.exec(lastLine);
  if (!m || !path.isAbsolute(m[1])) throw new Error(`cluster.mjs up: last stdout line is not KUBECONFIG=<abs path>: ${lastLine}`);
  if (!fs.existsSync(m[1])) throw new Error(`cluster.mjs up: ${m[1]} does not exist`);
  return m[1];
}

async function clusterDown(scenario) {
  say(`stopping clusters: cluster.mjs down --scenario ${scenario}`);
  await Promise.race([
    run(process.execPath, [CLUSTER_SCRIPT, 'down', '--scenario', scenario], { cwd: REPO_ROOT, prefix: '  cluster: ' }),
    new Promise((_, reject) => setTimeout(() => reject(new Error('cluster.mjs down timed out after 120 s')), 120_000).unref()),
  ]);
}

const SAMPLE_BACKUP = `apiVersion: v1
data:
  admin.enabled: "true"
  application.instanceLabelKey: argocd.argoproj.io/instance
kind: ConfigMap
metadata:
  labels:
    app.kubernetes.io/name: argocd-cm
    app.kubernetes.io/part-of: argocd
  name: argocd-cm
---
apiVersion: v1
data:
  policy.csv: ""
  policy.default: role:readonly
kind: ConfigMap
metadata:
  labels:
    app.kubernetes.io/name: argocd-rbac-cm
    app.kubernetes.io/part-of: argocd
  name: argocd-rbac-cm
---
apiVersion: v1
data:
  ssh_known_hosts: ""
kind: ConfigMap
metadata:
  labels:
    app.kubernetes.io/name: argocd-ssh-known-hosts-cm
    app.kubernetes.io/part-of: argocd
  name: argocd-ssh-known-hosts-cm
---
apiVersion: v1
data: {}
kind: ConfigMap
metadata:
  labels:
    app.kubernetes.io/name: argocd-tls-certs-cm
    app.kubernetes.io/part-of: argocd
  name: argocd-tls-certs-cm
---
apiVersion: v1
data:
  name: ZGVtby1yZXBv
  type: Z2l0
  url: aHR0cHM6Ly9naXRodWIuY29tL2FyZ29wcm9qL2FyZ29jZC1leGFtcGxlLWFwcHM=
kind: Secret
metadata:
  labels:
    argocd.argoproj.io/secret-type: repository
  name: repo-demo
type: Opaque
---
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: demo
spec:
  destinations:
  - namespace: '*'
    server: https://kubernetes.default.svc
  sourceRepos:
  - '*'
status: {}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
spec:
  destination:
    namespace: guestbook
    server: https://kubernetes.default.svc
  project: demo
  source:
    path: guestbook
    repoURL: https://github.com/argoproj/argocd-example-apps
    targetRevision: HEAD
status: {}
---
`;

/** The demo workspace with sample.backup.yaml (the fixture when present, else a small valid export). */
export function prepareWorkspace(dir = path.join(CACHE_ROOT, 'demo-workspace')) {
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, 'sample.backup.yaml');
  if (fs.existsSync(FIXTURE_BACKUP)) fs.copyFileSync(FIXTURE_BACKUP, target);
  else fs.writeFileSync(target, SAMPLE_BACKUP);
  return dir;
}

function readJson(file) {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return null; }
}

/** User settings that keep the demo quiet (merged into existing ones). */
function writeUserSettings(userDataDir) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const current = fs.existsSync(file) ? readJson(file) : {};
  if (current === null) return; // hand-edited with comments: leave it alone
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
    // The demo's API servers listen on loopback ports; code-server's port forwarding would pop up a notice for each.
    'remote.autoForwardPorts': false,
    ...current,
  };
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
}

/** The packaged .vsix when it is newer than the build in dist/, else null. */
function freshVsix(extensionDir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
  const vsix = path.join(extensionDir, `${pkg.name}-${pkg.version}.vsix`);
  if (!fs.existsSync(vsix)) return null;
  const main = path.join(extensionDir, pkg.main || 'package.json');
  if (fs.existsSync(main) && fs.statSync(main).mtimeMs > fs.statSync(vsix).mtimeMs) {
    say(`${path.basename(vsix)} is older than ${pkg.main}: using the working tree instead (npm run package to refresh it)`);
    return null;
  }
  return vsix;
}

/** Installs the extension into a fresh extensions dir: the .vsix, or a link named like an installed extension. */
async function installExtension(runner, extensionDir, extensionsDir, userDataDir, env) {
  fs.rmSync(extensionsDir, { recursive: true, force: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const vsix = freshVsix(extensionDir);
  if (vsix && runner.flavour === 'default') {
    say(`installing ${path.relative(REPO_ROOT, vsix)}`);
    await run(runner.node, [path.join(runner.codeServerDir, 'out/node/entry.js'), '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir, '--install-extension', vsix], { env, quiet: true });
    return `${path.basename(vsix)}`;
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
  if (!fs.existsSync(path.join(extensionDir, pkg.main))) throw new Error(`${pkg.main} missing: build first (npm run build)`);
  fs.symlinkSync(extensionDir, path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');
  return `working tree ${extensionDir} (linked)`;
}

/**
 * Starts code-server for the demo. opts: port (exact, or from opts.portFrom upward), kubeconfig, workspace,
 * stateDir (user data etc.; default ~/.cache/gitops-dr/demo-code-server), extension (dir).
 */
export async function startDemoServer({ port, kubeconfig, workspace, stateDir, extension = REPO_ROOT, onLine } = {}) {
  const runner = await ensureRunner();
  stateDir ||= path.join(CACHE_ROOT, 'demo-code-server');
  const userData = path.join(stateDir, 'user-data');
  const extensionsDir = path.join(stateDir, 'extensions');
  fs.mkdirSync(userData, { recursive: true });
  writeUserSettings(userData);
  const env = {
    ...process.env,
    KUBECONFIG: kubeconfig,
    XDG_CONFIG_HOME: path.join(stateDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(stateDir, 'xdg-data'),
  };
  const how = await installExtension(runner, path.resolve(extension), extensionsDir, userData, env);
  const server = await startCodeServer(runner, { port, stateDir, extensionsDir, env: { KUBECONFIG: kubeconfig }, onLine });
  const url = workbenchUrl(server, { folder: workspace });
  return { runner, server, url, how };
}
