import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import type { KubeClient } from '../../../src/core/kube/client';
import { KubeError } from '../../../src/core/kube/errors';
import { allowSyncs, blockSyncs, describeOutcomes, listSyncWindows } from '../../../src/core/syncWindows/onCluster';
import type { AppProject, SyncWindow } from '../../../src/core/syncWindows/model';

interface WindowsPatch {
  metadata: { resourceVersion?: string; annotations: Record<string, string | null> };
  spec: { syncWindows: SyncWindow[] | null };
}

/** An in-memory AppProject store with resourceVersion checks, shaped like the KubeClient calls used. */
function memoryClient(projects: AppProject[], hooks: { beforePatch?: (name: string) => void; failPatch?: (name: string) => KubeError | undefined } = {}) {
  const store = new Map(projects.map((p, i) => [p.metadata!.name!, structuredClone({ ...p, metadata: { ...p.metadata, resourceVersion: String(i + 1) } })]));
  let rv = 100;
  const patches: Array<{ name: string; patch: WindowsPatch }> = [];
  const client = {
    context: 'mem',
    async listAll() {
      return [...store.values()].map((p) => structuredClone(p));
    },
    async get(_t: unknown, _ns: string, name: string) {
      const p = store.get(name);
      return p ? structuredClone(p) : undefined;
    },
    async patchMerge(_t: unknown, _ns: string, name: string, patch: WindowsPatch) {
      hooks.beforePatch?.(name);
      const failure = hooks.failPatch?.(name);
      if (failure) throw failure;
      const live = store.get(name)!;
      if (patch.metadata.resourceVersion !== live.metadata!.resourceVersion) throw new KubeError('conflict', `conflict (409) on ${name}`, 409);
      patches.push({ name, patch });
      const annotations = { ...(live.metadata!.annotations ?? {}) };
      for (const [k, v] of Object.entries(patch.metadata.annotations)) {
        if (v === null) delete annotations[k];
        else annotations[k] = v;
      }
      live.metadata = { ...live.metadata, annotations, resourceVersion: String(++rv) };
      live.spec = { ...live.spec, syncWindows: patch.spec.syncWindows ?? undefined };
      if (live.spec.syncWindows === undefined) delete live.spec.syncWindows;
      return structuredClone(live);
    },
  };
  return { client: client as unknown as KubeClient, store, patches };
}

const proj = (name: string, windows?: AppProject['spec']): AppProject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name }, spec: { sourceRepos: ['*'], ...(windows ?? {}) } });

describe('sync windows on a cluster (in-memory store)', () => {
  test('block then allow round-trips every project to what it was', async () => {
    const theirs = { kind: 'allow', schedule: '0 8 * * *', duration: '1h', applications: ['x'] };
    const { client, store } = memoryClient([proj('default'), proj('team-a', { syncWindows: [theirs] })]);
    const before = structuredClone([...store.values()].map((p) => ({ spec: p.spec, annotations: p.metadata?.annotations })));
    const blocked = await blockSyncs(client, 'argocd');
    assert.equal(blocked.ok, true);
    assert.deepEqual(blocked.projects.map((p) => p.action), ['added', 'added']);
    assert.deepEqual((await listSyncWindows(client, 'argocd')).map((p) => p.state), ['blocked', 'blocked']);
    assert.deepEqual((await blockSyncs(client, 'argocd')).projects.map((p) => p.action), ['alreadyBlocked', 'alreadyBlocked']);
    const allowed = await allowSyncs(client, 'argocd');
    assert.deepEqual(allowed.projects.map((p) => [p.action, p.removed]), [['removed', 1], ['removed', 1]]);
    assert.deepEqual([...store.values()].map((p) => ({ spec: p.spec, annotations: p.metadata?.annotations && Object.keys(p.metadata.annotations).length ? p.metadata.annotations : undefined })), before);
    assert.match(describeOutcomes(allowed), /^mem\/argocd: our windows removed from default, team-a$/);
  });

  test('a concurrent edit (409) is re-read and kept, not overwritten', async () => {
    let raced = false;
    const mem = memoryClient([proj('default')], {
      beforePatch: (name) => {
        if (raced) return;
        raced = true;
        const live = mem.store.get(name)!;
        live.spec = { ...live.spec, description: 'edited meanwhile' };
        live.metadata!.resourceVersion = '999';
      },
    });
    const r = await blockSyncs(mem.client, 'argocd');
    assert.deepEqual(r.projects.map((p) => p.action), ['added']);
    const live = mem.store.get('default')!;
    assert.equal(live.spec!.description, 'edited meanwhile');
    assert.equal((live.spec!.syncWindows as unknown[]).length, 1);
    assert.equal(mem.patches.length, 1);
  });

  test('a project that fails is reported by name, the others still change', async () => {
    const { client } = memoryClient([proj('default'), proj('locked')], { failPatch: (n) => (n === 'locked' ? new KubeError('forbidden', 'forbidden (403) on PATCH appprojects/locked', 403) : undefined) });
    const r = await blockSyncs(client, 'argocd');
    assert.equal(r.ok, false);
    assert.deepEqual(r.projects.map((p) => p.action), ['added', 'failed']);
    assert.match(describeOutcomes(r), /FAILED on locked: forbidden \(403\)/);
  });

  test('asking for an AppProject that does not exist is an error naming it', async () => {
    const { client } = memoryClient([proj('default')]);
    await assert.rejects(blockSyncs(client, 'argocd', { projects: ['nope'] }), /AppProject nope not found in namespace argocd \(mem\)/);
  });
});
