// Scenario files (scenarios/<name>.json) and the state a running scenario keeps in its state dir.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HERE, clusterHome } from './paths.mjs';
import { DEFAULT_ARGOCD_VERSION, checkVersion } from './argocd.mjs';

const SCENARIO_DIR = path.join(HERE, 'scenarios');

export function listScenarios() {
  return fs.readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** Files whose content shapes what a scenario holds: a change of one rebuilds running scenarios. */
function seedSources() {
  const dir = path.join(HERE, 'seed');
  return [path.join(HERE, 'seed.mjs'), ...fs.readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort().map((f) => path.join(dir, f))];
}

/**
 * Reads scenarios/<name>.json. `name@vX.Y.Z` runs that scenario on another Argo CD version (its own state dir);
 * otherwise the scenario's "argocdVersion" key, or DEFAULT_ARGOCD_VERSION, applies.
 */
export function loadScenario(instance) {
  const [name, versionOverride, ...extra] = String(instance).split('@');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name) || extra.length) throw new Error(`bad scenario name: ${instance}`);
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
  const argocdVersion = checkVersion(versionOverride ?? sc.argocdVersion ?? DEFAULT_ARGOCD_VERSION);
  const h = crypto.createHash('sha256').update(text).update(argocdVersion);
  for (const f of seedSources()) h.update(fs.readFileSync(f));
  return { ...sc, name: instance, file: name, argocdVersion, hash: h.digest('hex').slice(0, 16) };
}

export function stateDirOf(scenario) {
  return path.join(clusterHome(), scenario);
}

export function readState(stateDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
  } catch {
    return null;
  }
}

export function writeState(stateDir, st) {
  const f = path.join(stateDir, 'state.json');
  fs.writeFileSync(`${f}.tmp`, JSON.stringify(st, null, 2));
  fs.renameSync(`${f}.tmp`, f);
}
