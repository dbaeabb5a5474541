// Where the harness keeps its caches and state, and its progress log.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/cluster/ */
export const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function cacheRoot() {
  return path.join(os.homedir(), '.cache', 'gitops-dr');
}
export function clusterHome() {
  return process.env.GITOPS_DR_CLUSTER_HOME ? path.resolve(process.env.GITOPS_DR_CLUSTER_HOME) : path.join(cacheRoot(), 'clusters');
}

let quiet = false;
/** Silence progress output (errors still throw). */
export function setQuiet(q) { quiet = !!q; }
export function log(...a) { if (!quiet) process.stderr.write(`[cluster] ${a.join(' ')}\n`); }
