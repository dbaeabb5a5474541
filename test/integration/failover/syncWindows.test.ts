// Sync windows on real AppProjects (demo scenario, east/argocd): block, list, allow, and that windows written by
// others survive. Every AppProject is put back as it was, whatever happens.
import { test, describe, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { scenario } from '../support/clusters';
import { captureIO } from '../support/cliIO';
import { runCli } from '../../../src/cli/main';
import { KubeClient } from '../../../src/core/kube/client';
import { kubeconfigFiles, loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { APP_PROJECT } from '../../../src/core/objects/resources';
import { allowSyncs, blockSyncs, listSyncWindows } from '../../../src/core/syncWindows/onCluster';
import type { AppProject } from '../../../src/core/syncWindows/model';
import { captureState, diffState, restoreState, type CapturedState } from './clusterState';

const NS = 'argocd';

describe('sync windows on the demo cluster east/argocd', () => {
  let client: KubeClient;
  let kubeconfigPath: string;
  let initial: CapturedState;

  before(async () => {
    const s = await scenario('demo');
    kubeconfigPath = s.kubeconfig;
    client = await KubeClient.forContext(await loadKubeconfig(kubeconfigFiles([s.kubeconfig])), 'east', { timeoutMs: 10_000 });
    initial = await captureState(client, NS);
  });

  after(async () => {
    if (client) {
      await restoreState(client, initial);
      assert.deepEqual(await diffState(client, initial), [], 'east/argocd is back as it was');
      client.close();
    }
  });

  test('block adds our deny window to every AppProject; list shows it in force; allow removes only ours', async () => {
    const projects = await client.listAll<AppProject>(APP_PROJECT, NS);
    assert.ok(projects.length >= 4, `the demo has 3 AppProjects + default, found ${projects.length}`);
    // A window someone else wrote must survive.
    const theirs = { kind: 'allow', schedule: '0 6 * * 1-5', duration: '10h', applications: ['payments-*'], manualSync: true, description: 'office hours' };
    const first = projects[0]!;
    await client.patchMerge(APP_PROJECT, NS, first.metadata!.name!, { spec: { syncWindows: [...(first.spec?.syncWindows ?? []), theirs] } });
    // Argo CD 2.14's AppProject CRD has no syncWindows[].description (3.x has): the server prunes it, and our
    // windows are then known by the annotation alone.
    const stored = (await client.get<AppProject>(APP_PROJECT, NS, first.metadata!.name!))!.spec!.syncWindows!.at(-1)!;
    const crdKeepsDescription = stored.description === theirs.description;
    const theirsAsStored = crdKeepsDescription ? theirs : { ...theirs, description: undefined };

    const blocked = await blockSyncs(client, NS);
    assert.equal(blocked.ok, true);
    assert.deepEqual(blocked.projects.map((p) => p.action), projects.map(() => 'added'));
    const listed = await listSyncWindows(client, NS);
    assert.ok(listed.every((p) => p.state === 'blocked' && !p.manualSyncAllowed), JSON.stringify(listed.map((p) => [p.project, p.state])));
    const live = await client.get<AppProject>(APP_PROJECT, NS, first.metadata!.name!);
    const ours = live!.spec!.syncWindows!.filter((w) => w.kind === 'deny');
    assert.equal(ours.length, 1);
    assert.deepEqual({ ...ours[0], description: undefined }, { kind: 'deny', schedule: '* * * * *', duration: '24h', applications: ['*'], manualSync: false, description: undefined });
    if (crdKeepsDescription) assert.match(ours[0]!.description ?? '', /^gitops-dr: /, 'the CRD keeps the description');
    else assert.equal(ours[0]!.description, undefined, 'this CRD drops descriptions');
    assert.ok(live!.metadata!.annotations!['gitops-agent-dr/added-sync-windows']);

    const again = await blockSyncs(client, NS);
    assert.deepEqual(again.projects.map((p) => p.action), projects.map(() => 'alreadyBlocked'));

    const allowed = await allowSyncs(client, NS);
    assert.deepEqual(allowed.projects.map((p) => p.removed), projects.map(() => 1));
    const after1 = await client.get<AppProject>(APP_PROJECT, NS, first.metadata!.name!);
    assert.deepEqual(after1!.spec!.syncWindows!.map((w) => ({ ...w })), [...(first.spec?.syncWindows ?? []), theirsAsStored].map((w) => JSON.parse(JSON.stringify(w)) as object), 'the other window stays, untouched');
    assert.equal(after1!.metadata!.annotations?.['gitops-agent-dr/added-sync-windows'], undefined);
    // Every other project has exactly the windows it had (the seed gives some their own windows).
    for (const p of projects.slice(1)) {
      const now = await client.get<AppProject>(APP_PROJECT, NS, p.metadata!.name!);
      assert.deepEqual(now!.spec!.syncWindows, p.spec?.syncWindows, `windows of ${p.metadata!.name} as before`);
    }
    assert.ok(projects.some((p) => (p.spec?.syncWindows ?? []).length > 0), 'the demo has windows of its own, which must survive');
    // Take the window this test wrote away again.
    await client.patchMerge(APP_PROJECT, NS, first.metadata!.name!, { spec: { syncWindows: first.spec?.syncWindows ?? null } });
    assert.deepEqual(await diffState(client, initial), []);
  });

  test('a named AppProject that does not exist is refused, nothing changes', async () => {
    await assert.rejects(blockSyncs(client, NS, { projects: ['no-such-project'] }), /AppProject no-such-project not found in namespace argocd \(east\)/);
    assert.deepEqual(await diffState(client, initial), []);
  });

  test('the CLI: list, block, allow', async () => {
    const run = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
      const io = captureIO('', { ...process.env, KUBECONFIG: kubeconfigPath });
      const code = await runCli(['sync-windows', ...args], io);
      return { code, out: io.out(), err: io.err() };
    };
    const block = await run('block', '--context', 'east', '-n', NS);
    assert.equal(block.code, 0, block.err);
    assert.match(block.out, /^east\/argocd: deny window added to default, /);
    const list = await run('list', '--context', 'east', '-n', NS);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /^PROJECT\s+SYNCS\s+KIND\s+SCHEDULE\s+DURATION\s+IN FORCE\s+OURS\s+APPLIES TO/);
    assert.match(list.out, /\ndefault\s+blocked\s+deny\s+\* \* \* \* \*\s+24h\s+yes\s+yes\s+apps=\*/);
    const json = JSON.parse((await run('list', '--context', 'east', '-n', NS, '-o', 'json')).out) as { projects: Array<{ state: string }> };
    assert.ok(json.projects.every((p) => p.state === 'blocked'));
    const allow = await run('allow', '--context', 'east', '-n', NS);
    assert.equal(allow.code, 0, allow.err);
    assert.match(allow.out, /our windows removed from default, /);
    assert.deepEqual(await diffState(client, initial), []);
    const unknown = await run('list', '--context', 'nowhere');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /context "nowhere" is not in the kubeconfig/);
  });
});
