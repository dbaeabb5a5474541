import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentsController, REFRESH_COALESCE_MS } from '../../../src/extension/tree/agentsController';
import type { KubeAccess } from '../../../src/extension/kubeAccess';
import type { MergedKubeconfig } from '../../../src/core/kube/kubeconfig';
import type { Settings } from '../../../src/extension/settings';

/** A KubeAccess with no contexts that counts the discoveries (each one starts with a reset). */
function countingKube(): { kube: KubeAccess; resets(): number } {
  let resets = 0;
  const empty: MergedKubeconfig = { files: [], contexts: [], problems: [], configFor: () => { throw new Error('no contexts'); } };
  const kube = { reset: () => void resets++, kubeconfig: () => Promise.resolve(empty) } as unknown as KubeAccess;
  return { kube, resets: () => resets };
}

const settings = (() => ({ agentNamespaces: [] })) as unknown as () => Settings;

test('a burst of refreshes is one discovery now and one when the window ends, and every caller waits for a discovery started after its call', async () => {
  const { kube, resets } = countingKube();
  const controller = new AgentsController(kube, settings, () => undefined);
  try {
    const first = controller.refresh();
    assert.equal(resets(), 1, 'the first refresh starts at once');
    const burst = Array.from({ length: 50 }, () => controller.refresh());
    assert.equal(resets(), 1, 'requests within the window start nothing yet');
    const before = Date.now();
    await Promise.all([first, ...burst]);
    assert.equal(resets(), 2, 'the burst shares one trailing discovery');
    assert.ok(Date.now() - before >= REFRESH_COALESCE_MS - 50, 'which started when the window ended');
    const idle = controller.whenIdle();
    await idle;
    assert.equal(resets(), 2, 'waiting for idle starts nothing');
  } finally {
    controller.dispose();
  }
});

test('dispose releases a refresh still waiting for its window, and starts nothing', async () => {
  const { kube, resets } = countingKube();
  const controller = new AgentsController(kube, settings, () => undefined);
  await controller.refresh();
  const waiting = controller.refresh();
  controller.dispose();
  await waiting;
  await new Promise((r) => setTimeout(r, REFRESH_COALESCE_MS + 50));
  assert.equal(resets(), 1);
});
