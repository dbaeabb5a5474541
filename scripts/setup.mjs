// Makes a fresh clone runnable: installs npm packages when node_modules is missing or older than the lockfile,
// then bundles the extension and the CLI. Used by `npm start` and `npm test`; heavy caches (the kube-apiserver
// binary, code-server, Chromium) are installed on first use by the tools that need them, outside the repository.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');

function step(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`setup: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

export function setup({ packageVsix = false } = {}) {
  if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
    console.error('setup: installing npm packages (npm ci)');
    step('npm', ['ci', '--no-audit', '--no-fund']);
  }
  step(process.execPath, ['esbuild.mjs', ...(packageVsix ? ['--production'] : [])]);
  if (packageVsix) step('npx', ['vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', 'dist/gitops-agent-dr.vsix']);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) setup({ packageVsix: process.argv.includes('--package') });
