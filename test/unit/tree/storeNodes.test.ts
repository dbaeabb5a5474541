// The backup store in the tree: stored backups under their agent, the RPO on the pair (ok, exceeded, no backup),
// "store unreachable" after the timeout, and a tampered backup shown refused and never counted for the RPO.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTree } from '../../../src/extension/tree/nodes';
import { AgentsModel } from '../../../src/extension/tree/agentsModel';
import { StoreController, type StoreConfig } from '../../../src/extension/store/storeController';
import { buildSnapshot } from '../../../src/core/agents/pairing';
import { DirectoryStore, storeBackup, TOOL_VERSION, type BlobStore } from '../../../src/core/store';
import type { BackupResult } from '../../../src/core/backup/exportBackup';
import type { DiscoveredAgent } from '../../../src/core/agents/model';
import { agent, reachable } from '../agents/fixtures';

const east = agent({ context: 'east', drIdentifier: 'east', counts: { applications: 40, appProjects: 4 } });
const west = agent({ context: 'west', drIdentifier: 'west', counts: { applications: 0 } });
const snapshot = buildSnapshot([reachable('east', [east]), reachable('west', [west])]);
const RESULT: BackupResult = { mode: 'native', namespace: 'argocd', counts: { ConfigMap: 2, Secret: 1, AppProject: 4, Application: 40, ApplicationSet: 2 }, missing: [], warnings: [], applicationNamespaces: [], applicationSetNamespaces: [], bytes: 0, durationMs: 0 };

async function put(store: BlobStore, of: DiscoveredAgent, at: string, text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n---\n'): Promise<string> {
  const r = await storeBackup({
    store,
    source: { identity: of.identity, context: of.context, clusterId: of.clusterId, namespace: of.namespace },
    toolVersion: TOOL_VERSION,
    now: () => new Date(at),
    produce: async (sink) => {
      await sink(text);
      return RESULT;
    },
  });
  return r.manifest.dataKey;
}

function controllerFor(store: BlobStore | (() => Promise<BlobStore>), now: string, config: Partial<StoreConfig> = {}): StoreController {
  return new StoreController(() => ({ label: 'the store', rpoMinutes: 60, timeoutMs: 2000, ...config }), typeof store === 'function' ? store : async () => store, () => undefined, () => new Date(now));
}

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'store-tree-'));

test('no backup location: no "Stored backups" row and no RPO on the pair', () => {
  const pair = buildTree(snapshot)[0]!;
  assert.doesNotMatch(pair.description!, /RPO|backup/);
  assert.ok(!pair.children!.some((m) => m.children?.some((c) => c.contextValue === 'storedBackups')));
});

test('stored backups are listed under their own member, newest first, with age, size, counts, verified; the pair shows its RPO', async () => {
  const dir = tmp();
  const store = new DirectoryStore(dir);
  await put(store, east, '2026-12-02T10:00:00Z');
  await put(store, east, '2026-12-02T11:30:00Z');
  await put(store, west, '2026-12-02T11:50:00Z');
  const c = controllerFor(store, '2026-12-02T12:00:00Z');
  await c.ensure(snapshot);
  const pair = buildTree(snapshot, undefined, c.lookup())[0]!;
  assert.equal(pair.description, 'DR pair · 1 warning · RPO 30 min');
  const eastNode = pair.children!.find((m) => m.label === 'east')!;
  const stored = eastNode.children!.find((n) => n.contextValue === 'storedBackups')!;
  assert.equal(stored.description, '2');
  assert.deepEqual(stored.children!.map((n) => n.label), ['30 min ago', '2 h ago']);
  assert.match(stored.children![0]!.description!, /^\d+ B · 40 apps · 4 projects · 2 appsets · verified$/);
  assert.match(stored.children![1]!.description!, /size checked$/, 'only the newest is read in full for the tree');
  assert.deepEqual(stored.children![0]!.storedBackup?.agentKey, 'acc.default.dr.drdemo');
  assert.ok(c.find(stored.children![0]!.storedBackup!.agentKey, stored.children![0]!.storedBackup!.id));
  const westStored = pair.children!.find((m) => m.label === 'west')!.children!.find((n) => n.contextValue === 'storedBackups')!;
  assert.deepEqual(westStored.children!.map((n) => n.label), ['10 min ago'], "west's backup is not east's");
});

test('RPO exceeded is a warning on the pair; no backup of the primary is an error', async () => {
  const dir = tmp();
  const store = new DirectoryStore(dir);
  await put(store, east, '2026-12-02T09:00:00Z');
  const c = controllerFor(store, '2026-12-02T12:00:00Z');
  await c.ensure(snapshot);
  const pair = buildTree(snapshot, undefined, c.lookup())[0]!;
  assert.equal(pair.description, 'DR pair · 1 warning · RPO 3 h > 1 h');
  assert.equal(pair.icon!.id, 'warning');
  assert.match(pair.tooltip!, /\*\*3 h\*\* old, over the objective of 1 h/);

  // Harness says west is the primary: west has no backup.
  const roles = { connected: true, roleOf: (a: DiscoveredAgent) => ({ role: a.context === 'west' ? ('PRIMARY' as const) : ('SECONDARY' as const) }) };
  const flipped = buildTree(snapshot, roles, c.lookup())[0]!;
  assert.equal(flipped.description, 'DR pair · 1 warning · no backup');
  assert.equal(flipped.icon!.id, 'error');
});

test('a tampered newest backup is shown refused and the RPO falls back to the older verified one', async () => {
  const dir = tmp();
  const store = new DirectoryStore(dir);
  await put(store, east, '2026-12-02T11:00:00Z');
  const newest = await put(store, east, '2026-12-02T11:55:00Z');
  const file = path.join(dir, ...newest.split('/'));
  const bytes = fs.readFileSync(file);
  bytes[0] = bytes[0]! ^ 1; // same size, different SHA-256
  fs.writeFileSync(file, bytes);
  const c = controllerFor(store, '2026-12-02T12:00:00Z');
  await c.ensure(snapshot);
  const pair = buildTree(snapshot, undefined, c.lookup())[0]!;
  assert.equal(pair.description, 'DR pair · 1 warning · RPO 1 h');
  const rows = pair.children!.find((m) => m.label === 'east')!.children!.find((n) => n.contextValue === 'storedBackups')!.children!;
  assert.equal(rows[0]!.contextValue, 'storedBackup.refused');
  assert.match(rows[0]!.description!, /refused/);
  assert.match(rows[0]!.tooltip!, /SHA-256 .* altered; refused/);
  assert.match(rows[1]!.description!, /verified$/);
});

test('a store that does not answer is "store unreachable" after the timeout, and the tree is rendered meanwhile', async () => {
  const hanging: BlobStore = { label: 'hang', put: async () => undefined, putText: async () => undefined, get: () => new Promise(() => undefined), getText: () => new Promise(() => undefined), list: () => new Promise(() => undefined), delete: async () => undefined, close: () => undefined };
  const c = controllerFor(hanging, '2026-12-02T12:00:00Z', { timeoutMs: 50 });
  const model = new AgentsModel();
  c.onDidChange(() => model.setStore(c.lookup()));
  model.begin([{ name: 'east', isCurrent: true }, { name: 'west', isCurrent: false }] as never);
  model.update(reachable('east', [east]));
  model.update(reachable('west', [west]));
  const pending = c.ensure(model.snapshot);
  assert.equal(model.roots()[0]!.description, 'DR pair · 1 warning · RPO …', 'the tree does not wait for the store');
  await pending;
  const pair = model.roots()[0]!;
  assert.equal(pair.description, 'DR pair · 1 warning · store unreachable');
  assert.match(pair.tooltip!, /the store: no answer in 0 s/);
  const stored = pair.children![0]!.children!.find((n) => n.contextValue === 'storedBackups')!;
  assert.match(stored.description!, /^store unreachable: no answer/);
});

test('a missing directory is "store unreachable" with the reason', async () => {
  const c = controllerFor(new DirectoryStore(path.join(tmp(), 'nope')), '2026-12-02T12:00:00Z');
  await c.ensure(snapshot);
  const pair = buildTree(snapshot, undefined, c.lookup())[0]!;
  assert.equal(pair.description, 'DR pair · 1 warning · store unreachable');
  assert.match(pair.tooltip!, /does not exist/);
});
