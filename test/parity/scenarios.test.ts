// Export parity on the default Argo CD version, for every install of every scenario (test/cluster/scenarios),
// scale included: `gitops-dr backup` writes the same bytes as the real `argocd admin export`. The other versions of
// the matrix run the parity scenario only (matrix.test.ts): it holds every case the others do, and the scale
// scenario (5,000 Applications) on three versions would triple the tier's longest step for no new case.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { argocdKube, assertSameBytes, harness, installsOf, runArgocd, runGitopsDr } from './support';

test('default Argo CD version: argocd admin export and gitops-dr backup are byte-identical on every scenario', async (t) => {
  const h = await harness();
  const argocd = await h.ensureArgocd(h.DEFAULT_ARGOCD_VERSION);
  for (const name of h.listScenarios()) {
    if (h.loadScenario(name).argocdVersion !== h.DEFAULT_ARGOCD_VERSION) continue;
    await t.test(name, async () => {
      const wasUp = h.status(name)?.ready === true;
      const s = await h.up(name);
      try {
        const installs = installsOf(h, name);
        for (const { context, namespace } of installs) {
          const theirs = await runArgocd(argocd, ['admin', 'export', ...argocdKube(s, context), '-n', namespace]);
          assert.equal(theirs.code, 0, `argocd admin export ${context}/${namespace}: ${theirs.stderr}`);
          const ours = await runGitopsDr(s, ['backup', '--context', context, '-n', namespace, '-o', '-']);
          assert.equal(ours.code, 0, `gitops-dr backup ${context}/${namespace}: ${ours.stderr}`);
          assert.ok(theirs.stdout.length > 0);
          assertSameBytes(ours.stdout, theirs.stdout, `${name} ${context}/${namespace}`);
        }
        t.diagnostic(`${name}: ${installs.length} install(s) identical`);
      } finally {
        // Scenarios this test started are stopped again (memory); those already running stay for later tiers.
        if (!wasUp && process.env.GITOPS_DR_KEEP_CLUSTERS !== '1') await h.down(name);
      }
    });
  }
});
