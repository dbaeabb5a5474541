// The real `argocd` CLI (built by test/cluster for each Argo CD version of the matrix) and `gitops-dr`, run side by
// side against the same real test clusters.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../src/cli/main';
import { clusterApi, type ScenarioClusters } from '../integration/support/clusters';
import { captureIO } from '../integration/support/cliIO';

interface ArgocdApi {
  DEFAULT_ARGOCD_VERSION: string;
  ARGOCD_MATRIX: readonly string[];
  ensureArgocd(version: string): Promise<string>;
  loadScenario(name: string): { argocdVersion: string; clusters: Array<{ name: string; installs?: Array<{ namespace: string }> }> };
  listScenarios(): string[];
  up(instance: string): Promise<ScenarioClusters>;
  down(instance: string): Promise<void>;
  status(instance: string): { ready?: boolean } | null;
}

export async function harness(): Promise<ArgocdApi> {
  return (await clusterApi()) as unknown as ArgocdApi;
}

/**
 * The versions this run proves: the matrix, or the subset named in GITOPS_DR_ARGOCD_VERSIONS (comma-separated),
 * which must all be in the matrix.
 */
export async function matrixVersions(): Promise<string[]> {
  const h = await harness();
  const wanted = process.env.GITOPS_DR_ARGOCD_VERSIONS?.split(',').map((v) => v.trim()).filter(Boolean);
  if (!wanted) return [...h.ARGOCD_MATRIX];
  const unknown = wanted.filter((v) => !h.ARGOCD_MATRIX.includes(v));
  if (unknown.length) throw new Error(`GITOPS_DR_ARGOCD_VERSIONS names ${unknown.join(', ')}, not in the matrix ${h.ARGOCD_MATRIX.join(', ')}`);
  return wanted;
}

/** A scenario on an Argo CD version: its own instance (state dir) unless that is the scenario's own version. */
export async function scenarioOn(name: string, version: string): Promise<ScenarioClusters> {
  const h = await harness();
  return h.up(h.loadScenario(name).argocdVersion === version ? name : `${name}@${version}`);
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs argocd with an argv array (never a shell string); HOME is a fresh directory so no user config is read. */
export function runArgocd(bin: string, args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const home = mkdtempSync(join(tmpdir(), 'argocd-home-'));
    const child = spawn(bin, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(stdin ?? '');
  });
}

/** gitops-dr, in process, with both kubeconfigs of the scenario. */
export async function runGitopsDr(s: ScenarioClusters, args: string[]): Promise<Run> {
  const io = captureIO();
  const code = await runCli([...args, '--kubeconfig', s.kubeconfig, '--kubeconfig', s.limitedKubeconfig], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

export function argocdKube(s: ScenarioClusters, context: string, limited = false): string[] {
  return ['--kubeconfig', limited ? s.limitedKubeconfig : s.kubeconfig, '--context', context];
}

/** One line of `argocd admin import --verbose`: "<group>/<Kind> <name>[ in namespace <ns>] <action>[ (dry run)]". */
export interface ImportLine {
  kind: string;
  name: string;
  namespace?: string;
  action: string;
}

export function importLines(output: string): { lines: ImportLine[]; other: string[] } {
  const lines: ImportLine[] = [];
  const other: string[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    // Argo CD 3.x frames the object lines with a start and an end line (2.14 prints none).
    if (/^import process started \S+$/.test(line) || /^Import process completed successfully in namespace \S+ at \S+, duration: \S+$/.test(line)) continue;
    const m = /^\S*?\/?(\w+) (\S+?)(?: in namespace (\S+))? (created|unchanged|updated|pruned|deleted)(?: \(dry run\))?$/.exec(line);
    if (m) lines.push({ kind: m[1]!, name: m[2]!, ...(m[3] ? { namespace: m[3] } : {}), action: m[4]! });
    else other.push(line);
  }
  return { lines, other };
}

export interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: unknown;
}

/** The objects of a backup text, keyed "Kind/namespace/name" (namespace empty for the agent namespace). */
export function docsByKey(text: string): Map<string, Doc> {
  const out = new Map<string, Doc>();
  for (const d of parseAllDocuments(text, { version: '1.1' })) {
    const o = d.toJS() as Doc | null;
    if (o) out.set(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
  }
  return out;
}

/** Top-level keys whose values differ between two objects (deep, order-insensitive for mappings). */
export function differingKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => JSON.stringify(sorted(a[k])) !== JSON.stringify(sorted(b[k])));
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => [k, sorted(x)]));
  return v;
}

/** Every (context, namespace) of a scenario that holds an Argo CD install. */
export function installsOf(h: ArgocdApi, name: string): Array<{ context: string; namespace: string }> {
  return h.loadScenario(name).clusters.flatMap((c) => (c.installs ?? []).map((i) => ({ context: c.name, namespace: i.namespace })));
}

/** Fails with the first line where our bytes differ from argocd's (a whole-file diff would be megabytes). */
export function assertSameBytes(ours: string, theirs: string, what: string): void {
  if (ours === theirs) return;
  const a = ours.split('\n');
  const b = theirs.split('\n');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  assert.fail(`${what}: differs from argocd admin export at line ${i + 1} (${a.length} vs ${b.length} lines):\n  ours:   ${JSON.stringify(a[i])}\n  argocd: ${JSON.stringify(b[i])}`);
}
