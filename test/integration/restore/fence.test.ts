// DR-safe restore on the demo clusters: the fenced secondary west stays fenced through a restore of east's backup
// (with --create-namespaces), --drop-fence removes the fence, an ApplicationSet prune orphans its Applications
// (the real API server records the Orphan delete as the `orphan` finalizer: no garbage collector runs here), and a
// backup with bytes that are not UTF-8 is refused with a position. west is put back as seeded afterwards.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubeClient } from '../../../src/core/kube/client';
import type { KubeObject } from '../../../src/core/objects/kubeObject';
import { APPLICATION, APPLICATION_SET, APP_PROJECT, NAMESPACE } from '../../../src/core/objects/resources';
import { listSyncWindows } from '../../../src/core/syncWindows/onCluster';
import { fenceOf } from '../../../src/core/syncWindows/fence';
import type { AppProject } from '../../../src/core/syncWindows/model';
import { runCli } from '../../../src/cli/main';
import { scenario, type ScenarioClusters } from '../support/clusters';
import { captureIO } from '../support/cliIO';
import { captureState, diffState, restoreState, type CapturedState } from '../failover/clusterState';
import { backupText, clientFor } from './support';

const NS = 'argocd';

describe('DR-safe restore into the fenced secondary west/argocd', () => {
  let s: ScenarioClusters;
  let east: KubeClient;
  let west: KubeClient;
  let initial: CapturedState;
  let dir: string;
  let backupFile: string;
  let eastApps: KubeObject[];

  const cli = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
    const io = captureIO();
    const code = await runCli([...args, '--kubeconfig', s.kubeconfig], io);
    return { code, out: io.out(), err: io.err() };
  };

  before(async () => {
    s = await scenario('demo');
    east = await clientFor(s, 'east');
    west = await clientFor(s, 'west');
    initial = await captureState(west, NS);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fence-it-'));
    backupFile = path.join(dir, 'east.backup.yaml');
    fs.writeFileSync(backupFile, (await backupText(east, NS, { applicationNamespaces: ['team-*', 'sandbox'] })).text, { mode: 0o600 });
    eastApps = (await east.listAll(APPLICATION, undefined)).filter((a) => a.metadata?.namespace === NS || a.metadata?.namespace?.startsWith('team-'));
  });

  after(async () => {
    if (west && initial) {
      await restoreState(west, initial);
      assert.deepEqual(await diffState(west, initial), [], 'west is back as seeded');
    }
    east?.close();
    west?.close();
  });

  test('block west, restore east with --create-namespaces: every enabled Application restored, west still fenced', async () => {
    const blocked = await cli(['sync-windows', 'block', '--context', 'west', '-n', NS]);
    assert.equal(blocked.code, 0, blocked.err);
    const projectsBefore = await listSyncWindows(west, NS);
    assert.ok(projectsBefore.length >= 1 && projectsBefore.every((p) => p.state === 'blocked'));

    const plan = await cli(['restore', backupFile, '--context', 'west', '-n', NS]);
    assert.match(plan.out, /missing namespaces: team-alpha, team-beta \(create them first/);

    const started = Date.now();
    const applied = await cli(['restore', backupFile, '--context', 'west', '-n', NS, '--apply', '--create-namespaces']);
    assert.equal(applied.code, 0, applied.err + applied.out);
    assert.match(applied.err, /created namespaces team-alpha, team-beta on west/);
    assert.match(applied.err, /fence kept: \d+ deny windows? on \d+ AppProjects?/);
    console.log(`restore of east into fenced west with --create-namespaces: ${Date.now() - started} ms`);

    // Only the namespaces needed and enabled: sandbox is not an application namespace of west (team-*).
    const namespaces = (await west.listAll(NAMESPACE, undefined)).map((n) => n.metadata!.name!);
    assert.ok(namespaces.includes('team-alpha') && namespaces.includes('team-beta'));
    assert.equal(namespaces.includes('sandbox'), false, 'sandbox is not enabled on west: not created');
    assert.equal((await west.get(NAMESPACE, undefined, 'team-alpha'))!.metadata!.labels!['gitops-agent-dr/created-by'], 'restore');

    const westApps = (await west.listAll(APPLICATION, undefined)).map((a) => `${a.metadata!.namespace}/${a.metadata!.name}`).sort();
    assert.deepEqual(westApps, eastApps.map((a) => `${a.metadata!.namespace}/${a.metadata!.name}`).sort(), 'every Application of argocd and team-* restored');
    console.log(`Applications restored into west: ${westApps.length} (east: ${eastApps.length} in argocd and team-*)`);

    // Still fenced: every AppProject (the restored ones too) denies syncs, as the CLI's list says.
    const listed = await cli(['sync-windows', 'list', '--context', 'west', '-n', NS, '-o', 'json']);
    const projects = (JSON.parse(listed.out) as { projects: Array<{ project: string; state: string }> }).projects;
    assert.ok(projects.length >= projectsBefore.length);
    assert.deepEqual(projects.filter((p) => p.state !== 'blocked'), [], 'every AppProject of west still blocked');
    for (const name of projectsBefore.map((p) => p.project)) {
      const live = (await west.get<AppProject>(APP_PROJECT, NS, name))!;
      assert.ok(fenceOf(live).some((f) => f.kind === 'gitops-dr'), `${name} keeps gitops-dr's deny window`);
      assert.ok(live.metadata!.annotations!['gitops-agent-dr/added-sync-windows'], `${name} keeps the annotation`);
    }
    // A second restore keeps it too and plans nothing for the projects.
    const again = await cli(['restore', backupFile, '--context', 'west', '-n', NS, '-o', 'json']);
    const entries = (JSON.parse(again.out) as { plan: { entries: Array<{ kind: string; action: string }> } }).plan.entries;
    assert.deepEqual(entries.filter((e) => e.kind === 'AppProject' && e.action === 'update'), [], 'the fence is no update');
  });

  test('--drop-fence restores the backup windows alone: the fence is gone', async () => {
    const plan = await cli(['restore', backupFile, '--context', 'west', '-n', NS, '--drop-fence']);
    assert.match(plan.out, /FENCE DROPPED: \d+ deny windows? on \d+ AppProjects?/);
    const applied = await cli(['restore', backupFile, '--context', 'west', '-n', NS, '--drop-fence', '--apply']);
    assert.equal(applied.code, 0, applied.err + applied.out);
    const projects = await listSyncWindows(west, NS);
    assert.deepEqual(projects.filter((p) => p.state === 'blocked').map((p) => p.project), [], 'no AppProject blocked any more');
    for (const p of await west.listAll<AppProject>(APP_PROJECT, NS)) assert.deepEqual(fenceOf(p).filter((f) => f.kind === 'gitops-dr'), []);
  });

  test('prune of an ApplicationSet orphans its Applications (the server records the Orphan delete)', async () => {
    const appSet = await west.create(APPLICATION_SET, NS, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'west-only' },
      spec: { generators: [{ list: { elements: [{ env: 'a' }, { env: 'b' }] } }], template: { metadata: { name: 'west-only-{{env}}' }, spec: { project: 'default', source: { repoURL: 'https://github.com/example/apps', path: 'x' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'x' } } } },
    });
    const owner = { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', name: 'west-only', uid: (appSet.metadata as { uid?: string }).uid!, controller: true, blockOwnerDeletion: true };
    for (const env of ['a', 'b']) {
      await west.create(APPLICATION, NS, {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: `west-only-${env}`, ownerReferences: [owner], finalizers: ['resources-finalizer.argocd.argoproj.io'] },
        spec: { project: 'default', source: { repoURL: 'https://github.com/example/apps', path: 'x' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'x' } },
      });
    }
    const plan = await cli(['restore', backupFile, '--context', 'west', '-n', NS]);
    assert.match(plan.out, /ApplicationSet west-only .*deleted with orphan propagation: its 2 generated Applications \(west-only-a, west-only-b\) stay/);
    assert.match(plan.out, /Application west-only-a .*not pruned: generated by ApplicationSet west-only/);

    const pruned = await cli(['restore', backupFile, '--context', 'west', '-n', NS, '--apply', '--prune']);
    assert.equal(pruned.code, 0, pruned.err + pruned.out);
    assert.match(pruned.out, /ApplicationSet west-only in namespace argocd pruned/);
    const live = await west.get(APPLICATION_SET, NS, 'west-only');
    // With Orphan the API server puts the `orphan` finalizer on it for the garbage collector (none runs here); a
    // default delete would have removed it at once and left the Applications to be collected.
    assert.ok(live?.metadata?.deletionTimestamp, 'deletion requested');
    assert.deepEqual(live?.metadata?.finalizers, ['orphan'], 'the server received propagationPolicy: Orphan');
    for (const env of ['a', 'b']) {
      const app = await west.get(APPLICATION, NS, `west-only-${env}`);
      assert.ok(app && !app.metadata?.deletionTimestamp, `west-only-${env} is still there, not being deleted`);
    }
  });

  test('a backup with bytes that are not UTF-8 is refused with its position; nothing is written', async () => {
    const text = fs.readFileSync(backupFile);
    const at = text.indexOf('url: ');
    const bad = Buffer.concat([text.subarray(0, at + 5), Buffer.from([0xff, 0xfe]), text.subarray(at + 5)]);
    const file = path.join(dir, 'latin1.backup.yaml');
    fs.writeFileSync(file, bad, { mode: 0o600 });
    const line = text.subarray(0, at).toString('utf8').split('\n').length;
    const before = await diffState(west, initial);
    const refused = await cli(['restore', file, '--context', 'west', '-n', NS, '--apply', '--prune']);
    assert.equal(refused.code, 1, refused.err);
    assert.ok(refused.err.includes(`${file}:${line}:`), refused.err);
    assert.match(refused.err, /not valid UTF-8 .*\[BK011\]/);
    console.log(`invalid UTF-8 refused: ${refused.err.split('\n')[1]?.trim()}`);
    assert.deepEqual(await diffState(west, initial), before, 'nothing written');
  });
});
