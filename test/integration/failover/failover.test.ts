// A real failover on the demo scenario: east (primary) -> west (secondary) through the core with the local Harness
// server, then the fail back through the CLI. The Kubernetes side is real (sync windows, restore with
// stop-operation, readiness); Harness is the local server. Both clusters are put back exactly as seeded.
import { test, describe, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { scenario } from '../support/clusters';
import { captureIO } from '../support/cliIO';
import { runCli } from '../../../src/cli/main';
import { KubeClient } from '../../../src/core/kube/client';
import { kubeconfigFiles, loadKubeconfig, type MergedKubeconfig } from '../../../src/core/kube/kubeconfig';
import { APPLICATION, APPLICATION_SET, APP_PROJECT } from '../../../src/core/objects/resources';
import { discoverAll } from '../../../src/core/agents/discover';
import { HarnessClient } from '../../../src/core/harness/client';
import { executeFailover, prepareFailover } from '../../../src/core/failover/failover';
import { formatPreflight, formatReport } from '../../../src/core/failover/format';
import { harnessPort, kubeApplicationsPort, kubeProbePort, kubeSyncWindowsPort, liveRestorePort } from '../../../src/core/failover/realPorts';
import type { FailoverPorts } from '../../../src/core/failover/ports';
import { blockSyncs, describeOutcomes, listSyncWindows } from '../../../src/core/syncWindows/onCluster';
import { OUR_WINDOWS_ANNOTATION, type AppProject } from '../../../src/core/syncWindows/model';
import type { KubeObject } from '../../../src/core/objects/kubeObject';
import { FakeHarness } from '../../support/fakeHarness';
import { captureState, diffState, restoreState, type CapturedState } from './clusterState';

const NS = 'argocd';
const KEY = 'pat.kmpySmUISimoRrJL6NL73w.integration.Z9x8Y7';
const ACCOUNT = 'kmpySmUISimoRrJL6NL73w';

describe('failover east -> west on the demo clusters (west fenced), and back', () => {
  let kubeconfigPath: string;
  let kubeconfig: MergedKubeconfig;
  const clients = new Map<string, KubeClient>();
  const initial = new Map<string, CapturedState>();
  let fake: FakeHarness;

  const clientFor = async (context: string): Promise<KubeClient> => {
    let c = clients.get(context);
    if (!c) {
      c = await KubeClient.forContext(kubeconfig, context, { timeoutMs: 10_000 });
      clients.set(context, c);
    }
    return c;
  };

  before(async () => {
    const s = await scenario('demo');
    kubeconfigPath = s.kubeconfig;
    kubeconfig = await loadKubeconfig(kubeconfigFiles([s.kubeconfig]));
    for (const ctx of ['east', 'west']) initial.set(ctx, await captureState(await clientFor(ctx), NS));
    fake = await FakeHarness.start({
      apiKeys: [KEY],
      nodes: [
        { account: ACCOUNT, org: 'default', project: 'gitops_dr_demo', identifier: 'dragent', drIdentifier: 'east', type: 'PRIMARY', syncAllowed: true },
        { account: ACCOUNT, org: 'default', project: 'gitops_dr_demo', identifier: 'dragent', drIdentifier: 'west', type: 'SECONDARY', syncAllowed: false },
      ],
    });
  });

  after(async () => {
    // Put the shared clusters back whatever happened above.
    for (const ctx of ['west', 'east']) {
      const c = clients.get(ctx);
      const before = initial.get(ctx);
      if (c && before) {
        await restoreState(c, before);
        assert.deepEqual(await diffState(c, before), [], `${ctx} is back as seeded`);
      }
    }
    for (const c of clients.values()) c.close();
    await fake?.close();
  });

  const appsOn = async (ctx: string): Promise<KubeObject[]> => (await (await clientFor(ctx)).listAll(APPLICATION, undefined)).filter((a) => a.metadata?.namespace === NS || a.metadata?.namespace?.startsWith('team-'));

  test('the CLI without --yes prints the pre-flight and the steps and changes nothing', async () => {
    const io = captureIO('', { ...process.env, KUBECONFIG: kubeconfigPath, HARNESS_API_KEY: KEY });
    const code = await runCli(['failover', '--agent', 'dragent', '--to', 'west', '--harness-url', fake.url], io);
    assert.equal(code, 0, io.out() + io.err());
    assert.match(io.out(), /Pre-flight: fail over agent dragent to west \(west\/argocd\) from east \(east\/argocd\)/);
    assert.match(io.out(), /\[PASS\] Harness roles: primary: east; west is SECONDARY/);
    assert.match(io.out(), /\[PASS\] Target agent ready: gitops-agent ready 1\/1/);
    assert.match(io.out(), /\[PASS\] Latest backup: live export of east\/argocd/);
    assert.match(io.out(), /Steps:\n {2}1\. Block syncs on the current primary east\/argocd/);
    assert.match(io.out(), /Nothing was changed\. Run again with --yes/);
    assert.ok(!io.out().includes(KEY) && !io.err().includes(KEY));
    assert.deepEqual(await diffState(await clientFor('west'), initial.get('west')!), []);
    assert.deepEqual(await diffState(await clientFor('east'), initial.get('east')!), []);
    assert.equal(fake.requests.filter((r) => r.method !== 'GET').length, 0, 'no change asked of Harness');
  });

  test('east -> west from a fenced west: every step runs and checks out; west holds the Applications, is primary, unfenced, its Applications asked to refresh; east fenced', async () => {
    const eastApps = await appsOn('east');
    assert.ok(eastApps.length >= 40);
    assert.ok(eastApps.some((a) => a.operation !== undefined), 'the demo has an operation in flight on east');
    assert.equal((await appsOn('west')).length, 0);
    // The secondary starts fenced, as a warm standby is kept: every AppProject of west denies syncs.
    const fence = await blockSyncs(await clientFor('west'), NS);
    assert.ok(fence.ok && fence.projects.length >= 1, describeOutcomes(fence));
    assert.ok((await listSyncWindows(await clientFor('west'), NS)).every((p) => p.state === 'blocked'), 'west is fenced before the failover');

    const snapshot = await discoverAll(kubeconfig, { clientFor, timeoutMs: 5000 });
    const harness = harnessPort(new HarnessClient({ baseUrl: fake.url, apiKey: KEY, retries: 1, retryBaseMs: 10 }));
    const prepared = await prepareFailover(
      snapshot,
      { agent: 'dragent', to: 'west' },
      (r): FailoverPorts => ({ harness, syncWindows: kubeSyncWindowsPort(clientFor), probe: kubeProbePort(clientFor), applications: kubeApplicationsPort(clientFor), restore: liveRestorePort(clientFor, r.from!) }),
      { harness },
    );
    const pre = prepared.preflight.report;
    assert.equal(pre.ok, true, formatPreflight(pre));
    assert.ok((pre.drift?.create ?? 0) >= eastApps.length, `drift shows the Applications to create: ${JSON.stringify(pre.drift)}`);
    // The demo's Applications all deploy to the in-cluster server: after the failover, into west's own cluster.
    const inClusterOnEast = eastApps.filter((a) => (a.spec as { destination?: { server?: string; name?: string } } | undefined)?.destination?.server === 'https://kubernetes.default.svc' || (a.spec as { destination?: { name?: string } } | undefined)?.destination?.name === 'in-cluster');
    assert.ok(inClusterOnEast.length > 0);
    // ApplicationSets count by their template: the demo's "tenants" generates into the in-cluster server.
    const inClusterSets = (await (await clientFor('east')).listAll(APPLICATION_SET, NS)).filter((a) => (a.spec as { template?: { spec?: { destination?: { server?: string } } } } | undefined)?.template?.spec?.destination?.server === 'https://kubernetes.default.svc');
    assert.ok(inClusterSets.length >= 1);
    const inCluster = pre.checks.find((c) => c.id === 'in-cluster')!;
    assert.equal(inCluster.status, 'warn');
    assert.match(inCluster.detail, new RegExp(`^${inClusterOnEast.length + inClusterSets.length} of the backup's Applications deploy to the in-cluster server \\(https://kubernetes\\.default\\.svc or in-cluster\\): after the failover they deploy into west's own cluster, not into east's: `));
    assert.match(formatPreflight(pre), /\[WARN\] In-cluster destinations: /);

    const report = await executeFailover(prepared);
    assert.equal(report.outcome, 'completed', formatReport(report));
    assert.deepEqual(report.steps.map((s) => [s.id, s.status]), [
      ['block-old', 'ok'],
      ['restore', 'ok'],
      ['switch-primary', 'ok'],
      ['allow-new', 'ok'],
      ['verify', 'ok'],
    ]);

    // Harness (the local server) says west is primary and syncs; east is blocked.
    assert.equal(fake.node('dragent', 'west')!.type, 'PRIMARY');
    assert.equal(fake.node('dragent', 'east')!.type, 'SECONDARY');
    assert.equal(fake.node('dragent', 'west')!.syncAllowed, true);
    assert.equal(fake.node('dragent', 'east')!.syncAllowed, false);
    // West holds every Application, without the operation that was in flight on east.
    const westApps = await appsOn('west');
    // Every Application of west was asked to refresh once syncs were allowed; those OutOfSync or with an unfinished
    // operation while west was denied are listed (the restore copied their status from east).
    const apps = report.applications!;
    assert.equal(apps.member, 'west/argocd');
    assert.equal(apps.total, westApps.length);
    assert.equal(apps.refreshed, westApps.length);
    assert.deepEqual(apps.refreshFailed, []);
    assert.ok(westApps.every((a) => a.metadata?.annotations?.['argocd.argoproj.io/refresh'] === 'normal'), 'every Application of west carries the refresh annotation');
    type Status = { sync?: { status?: string }; operationState?: { phase?: string } };
    const expectedHeldBack = eastApps
      .filter((a) => (a.status as Status | undefined)?.sync?.status === 'OutOfSync' || (a.status as Status | undefined)?.operationState?.phase === 'Running')
      .map((a) => `${a.metadata!.namespace}/${a.metadata!.name}`)
      .sort();
    assert.ok(expectedHeldBack.length >= 2, 'the demo has OutOfSync Applications and one operation in flight');
    assert.deepEqual(apps.heldBack.map((h) => `${h.namespace}/${h.name}`).sort(), expectedHeldBack);
    assert.ok(apps.heldBack.some((h) => h.operation === 'Running'), 'the operation that was in flight on east is listed as unfinished');
    assert.match(formatReport(report), new RegExp(`Applications of west/argocd: ${westApps.length} of ${westApps.length} asked to refresh\\n {2}OutOfSync or with an operation pending while syncs were denied \\(${expectedHeldBack.length}\\):`));
    assert.deepEqual(westApps.map((a) => `${a.metadata!.namespace}/${a.metadata!.name}`).sort(), eastApps.map((a) => `${a.metadata!.namespace}/${a.metadata!.name}`).sort());
    assert.ok(westApps.every((a) => a.operation === undefined), 'stop-operation: nothing in flight on west');
    // East's AppProjects carry our deny window; west's carry none of ours.
    const eastWindows = await listSyncWindows(await clientFor('east'), NS);
    assert.ok(eastWindows.length >= 4 && eastWindows.every((p) => p.state === 'blocked' && p.windows.some((w) => w.ours)));
    const westProjects = await (await clientFor('west')).listAll<AppProject>(APP_PROJECT, NS);
    assert.ok(westProjects.length >= 4);
    assert.ok(westProjects.every((p) => !(p.spec?.syncWindows ?? []).some((w) => (w.description ?? '').startsWith('gitops-dr:'))));
    // West started fenced and ends unfenced: no window of ours and no list of ours left; east ends fenced.
    assert.ok((await listSyncWindows(await clientFor('west'), NS)).every((p) => !p.windows.some((w) => w.ours)), 'west is unfenced');
    assert.ok(westProjects.every((p) => !p.metadata?.annotations?.[OUR_WINDOWS_ANNOTATION]), 'the fence annotation is gone from west');
  });

  test('fail back west -> east through the CLI with --yes', async () => {
    const io = captureIO('', { ...process.env, KUBECONFIG: kubeconfigPath, HARNESS_API_KEY: KEY });
    const code = await runCli(['failover', '--agent', 'dragent', '--to', 'east', '--yes', '--harness-url', fake.url], io);
    assert.equal(code, 0, io.out() + io.err());
    assert.match(io.out(), /from west \(west\/argocd\)/);
    assert.match(io.out(), /5\. \[OK\] Verify: read the agents back: east is the primary and syncs; west is blocked/);
    assert.match(io.out(), /Failover completed\./);
    assert.match(io.out(), /\[WARN\] In-cluster destinations: \d+ of the backup's Applications deploy to the in-cluster server/);
    assert.match(io.out(), /Applications of east\/argocd: (\d+) of \1 asked to refresh\n {2}OutOfSync or with an operation pending while syncs were denied \(\d+\):\n {4}argocd\//);
    assert.ok(!io.out().includes(KEY));
    assert.equal(fake.node('dragent', 'east')!.type, 'PRIMARY');
    assert.equal(fake.node('dragent', 'west')!.syncAllowed, false);
    const eastWindows = await listSyncWindows(await clientFor('east'), NS);
    assert.ok(eastWindows.every((p) => !p.windows.some((w) => w.ours)), 'east is open again');
    const westWindows = await listSyncWindows(await clientFor('west'), NS);
    assert.ok(westWindows.every((p) => p.state === 'blocked'), 'west is blocked');
  });
});
