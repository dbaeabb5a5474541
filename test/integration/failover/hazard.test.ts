// The seed's hazard on real clusters (scenario rule-no-dr: agent nodragent installed in nodr-east and nodr-west
// without DR identifiers, both running): the guard refuses, and the failover pre-flight refuses before any change.
import { test, describe, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { scenario } from '../support/clusters';
import { captureIO } from '../support/cliIO';
import { runCli } from '../../../src/cli/main';
import { KubeClient } from '../../../src/core/kube/client';
import { kubeconfigFiles, loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { discoverAll } from '../../../src/core/agents/discover';
import { checkDuplicateAgentHazard, SEED_WARNING } from '../../../src/core/failover/hazard';
import { captureState, diffState, type CapturedState } from './clusterState';

describe('hazard guard on the rule-no-dr clusters', () => {
  let kubeconfigPath: string;
  let west: KubeClient;
  let before0: CapturedState;

  before(async () => {
    const s = await scenario('rule-no-dr');
    kubeconfigPath = s.kubeconfig;
    west = await KubeClient.forContext(await loadKubeconfig(kubeconfigFiles([s.kubeconfig])), 'nodr-west', { timeoutMs: 10_000 });
    before0 = await captureState(west, 'argocd');
  });
  after(() => west?.close());

  test('discovery + guard: running nodr-west next to nodr-east without DR identifiers is refused with the seed warning', async () => {
    const snapshot = await discoverAll(await loadKubeconfig(kubeconfigFiles([kubeconfigPath])), { timeoutMs: 5000 });
    const group = snapshot.groups.find((g) => g.identity.agent === 'nodragent');
    assert.ok(group, 'the two installs pair up by identity');
    const verdict = checkDuplicateAgentHazard(snapshot, 'nodr-west/argocd', 'running');
    assert.equal(verdict.refuse, true);
    assert.deepEqual(verdict.conflicting.map((a) => a.id), ['nodr-east/argocd']);
    assert.ok(verdict.message.includes(SEED_WARNING));
    assert.match(verdict.message, /all entities on Harness will be deleted/);
  });

  test('the failover pre-flight refuses and changes nothing', async () => {
    const io = captureIO('', { ...process.env, KUBECONFIG: kubeconfigPath, HARNESS_API_KEY: '' });
    const code = await runCli(['failover', '--agent', 'nodr-west/argocd', '--yes'], io);
    assert.equal(code, 1, io.out() + io.err());
    assert.match(io.out(), /\[FAIL\] Disaster recovery identifiers: nodr-west\/argocd has no disaster recovery identifier/);
    assert.match(io.out(), /\[FAIL\] Pair rules: DR006: /);
    assert.match(io.out(), /Refused: nodr-west\/argocd \(no DR identifier\) running while nodr-east\/argocd/);
    assert.match(io.out(), /Failover refused by the pre-flight:/);
    assert.deepEqual(await diffState(west, before0), []);
  });
});
