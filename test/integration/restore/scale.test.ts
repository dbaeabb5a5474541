// A legitimately large backup (scenario scale: 5,000 Applications, 200 AppProjects, 500 Secrets) restores into an
// empty namespace, and a second plan finds every object unchanged; a drill of it measures the RTO.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { KubeClient } from '../../../src/core/kube/client';
import { APPLICATION, NAMESPACE } from '../../../src/core/objects/resources';
import { runDrill } from '../../../src/core/drill/drill';
import { applyRestore, planRestore, formatResultCounts } from '../../../src/core/restore';
import { readBackup } from '../../../src/core/yaml/readBackup';
import { gateBackup } from '../../../src/core/restore/gate';
import { scenario } from '../support/clusters';
import { backupText, clientFor, createNamespace, freshName, removeNamespace } from './support';

let client: KubeClient;
let ns: string;

before(async () => {
  const s = await scenario('scale');
  client = await clientFor(s, 'bench', 60_000);
  ns = freshName('restore-scale');
  await createNamespace(client, ns);
});

after(async () => {
  await removeNamespace(client, ns);
  client?.close();
});

test('the scale backup passes the checks, restores completely and is unchanged on a second plan', { timeout: 30 * 60_000 }, async () => {
  const { text } = await backupText(client, 'argocd');
  const checked = gateBackup(text, { namespace: ns });
  assert.deepEqual(checked.problems.slice(0, 5), []);
  const t0 = Date.now();
  const plan = await planRestore(client, readBackup(text), { namespace: ns });
  const planMs = Date.now() - t0;
  assert.equal(plan.counts.error, 0);
  const result = await applyRestore(client, plan, { concurrency: 16 });
  assert.equal(result.counts.failed, 0, result.results.filter((r) => r.outcome === 'failed').slice(0, 5).map((r) => r.line).join('\n'));
  assert.equal((await client.listAll(APPLICATION, ns)).length, 5000);
  const t1 = Date.now();
  const again = await planRestore(client, readBackup(text), { namespace: ns });
  const replanMs = Date.now() - t1;
  assert.equal(again.counts.create + again.counts.update + again.counts.error, 0);
  console.log(`scale: ${checked.objects.length} objects, ${(text.length / 1048576).toFixed(1)} MiB; plan ${planMs} ms, apply ${result.durationMs} ms (${formatResultCounts(result)}), re-plan ${replanMs} ms`);
});

// Issue 14's closing figure: the drill's RTO on the scale scenario (start to every object verified).
test('a restore drill of the scale backup on bench: every object verified, the RTO measured, no scratch namespace left', { timeout: 30 * 60_000 }, async () => {
  const { text } = await backupText(client, 'argocd');
  const report = await runDrill(client, text, { argoNamespace: 'argocd', sourceLabel: 'scale backup of bench/argocd' });
  assert.equal(report.error, undefined, report.error);
  assert.deepEqual(report.mismatches.slice(0, 5), []);
  assert.ok(report.ok && report.rtoMs !== undefined);
  assert.ok(report.counts.verified >= 5000, JSON.stringify(report.counts));
  assert.equal(report.cleanup.namespaceDeleted, true, report.cleanup.error);
  assert.deepEqual((await client.listAll(APPLICATION, report.scratchNamespace)).map((a) => a.metadata!.name), []);
  // No namespace controller runs in the test clusters: finish the deletion it would.
  const live = await client.get(NAMESPACE, undefined, report.scratchNamespace);
  if (live) await client.request(`/api/v1/namespaces/${report.scratchNamespace}/finalize`, { method: 'PUT', body: { ...live, spec: { finalizers: [] } } });
  console.log(`scale drill: RTO ${(report.rtoMs! / 1000).toFixed(1)} s for ${report.counts.objects} objects (${report.counts.verified} verified, ${report.counts.notDrilled} not drilled); whole drill with cleanup ${(report.totalMs / 1000).toFixed(1)} s`);
});
