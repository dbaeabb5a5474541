// Activation time outside VS Code: each run is a fresh Node process that requires the bundle (dist/extension.js,
// from `npm run build`) with a permissive stand-in for the `vscode` module and calls activate(). Prints the medians
// of the bundle's load (CPU time, the steadier figure on a busy machine) and of activate() as the extension itself
// reports it (services.activationMs, what the extension-host test prints too).
//   node scripts/activation.mjs [--runs N] [--dist DIR]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const runs = Number(arg('--runs', '8'));
const dist = resolve(arg('--dist', join(root, 'dist')));

// The child: everything the bundle reads from `vscode` is a proxy that accepts any use.
const CHILD = String.raw`
const Module = require('module');
const path = require('path');
function deep(name) {
  const f = function () {};
  return new Proxy(f, {
    get(t, k) {
      if (k === 'then') return undefined;
      if (k === Symbol.toPrimitive) return () => name;
      if (k === Symbol.iterator) return function* () {};
      if (!(k in t) || k === 'name' || k === 'length') t[k] = deep(name + '.' + String(k));
      return t[k];
    },
    apply: () => deep(name + '()'),
    construct: () => deep('new ' + name),
  });
}
const stand = deep('vscode');
const vscode = {};
for (const n of process.env.VSCODE_NAMES.split(' ')) vscode[n] = stand[n];
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? vscode : load.call(this, request, ...rest); };
const dist = process.env.DIST;
const cpu = process.cpuUsage();
const ext = require(path.join(dist, 'extension.js'));
const used = process.cpuUsage(cpu);
const context = new Proxy({ subscriptions: [], extensionPath: path.dirname(dist) }, { get: (t, k) => (k in t ? t[k] : (t[k] = deep('context.' + String(k)))) });
Promise.resolve(ext.activate(context)).then((s) => {
  console.log(JSON.stringify({ loadCpuMs: (used.user + used.system) / 1000, activationMs: s.activationMs }));
  process.exit(0);
}, (e) => { console.error('activate failed: ' + (e && e.stack || e)); process.exit(1); });
`;

if (!existsSync(join(dist, 'extension.js'))) {
  console.error(`no ${join(dist, 'extension.js')}: run npm run build first`);
  process.exit(1);
}
// The vscode names the sources use (the stand-in needs them as own properties for esbuild's module interop).
const grep = spawnSync('grep', ['-rhoE', '\\bvscode\\.[A-Za-z]+', join(root, 'src')], { encoding: 'utf8' });
const names = [...new Set(grep.stdout.split('\n').filter((l) => l).map((l) => l.slice('vscode.'.length)))].join(' ');

const figures = [];
for (let i = 0; i < runs; i++) {
  const r = spawnSync(process.execPath, ['-e', CHILD], { env: { ...process.env, DIST: dist, VSCODE_NAMES: names }, encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(r.stderr.trim());
    process.exit(1);
  }
  figures.push(JSON.parse(r.stdout.trim().split('\n').pop()));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const show = (k) => `median ${median(figures.map((f) => f[k])).toFixed(0)} ms (${Math.min(...figures.map((f) => f[k])).toFixed(0)}-${Math.max(...figures.map((f) => f[k])).toFixed(0)})`;
console.log(`${runs} runs of ${join(dist, 'extension.js')}`);
console.log(`  bundle load, CPU: ${show('loadCpuMs')}`);
console.log(`  activate():       ${show('activationMs')}`);
