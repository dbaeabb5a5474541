// Parity with the real `argocd` CLI, for every Argo CD version of the matrix (test/cluster/lib/argocd.mjs), on the
// `parity` scenario: parity-origin holds the cases `argocd admin export` treats specially; parity-argo and
// parity-ours are empty clusters, restored by `argocd admin import` and by `gitops-dr restore`.
//   export    argocd admin export and gitops-dr backup are byte-identical (both installs of parity-origin)
//   import    after gitops-dr restore --apply, argocd admin import --dry-run --verbose finds every object unchanged,
//             except ApplicationSets, which Argo CD always reports "updated"
//   state     what argocd admin import restores and what gitops-dr restore restores export the same bytes, apart
//             from the deliberate differences named below
//   failures  where Argo CD fails (no argocd-cmd-params-cm; an identity that may not read Secrets), gitops-dr says so
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubeClient } from '../../src/core/kube/client';
import type { ScenarioClusters } from '../integration/support/clusters';
import { clientFor, documentTexts } from '../integration/restore/support';
import { prepareTarget } from './targets';
import {
  argocdKube, assertSameBytes, differingKeys, docsByKey, harness, importLines, installsOf, matrixVersions, runArgocd, runGitopsDr, scenarioOn,
  type Doc, type Run,
} from './support';

const ORIGIN = 'parity-origin';
const BY_ARGO = 'parity-argo';
const BY_US = 'parity-ours';
const NS = 'argocd';
/** Namespaces of the backup's Applications outside NS: enabled by `team-*` on parity-origin. */
const APP_NAMESPACES = ['team-alpha', 'team-beta'];

function ok(r: Run, what: string): string {
  assert.equal(r.code, 0, `${what} exited ${r.code}:\n${r.stderr}`);
  return r.stdout;
}

test('Argo CD version matrix: export, import and state parity with the real argocd CLI', async (t) => {
  const h = await harness();
  for (const version of await matrixVersions()) {
    await t.test(`Argo CD ${version}`, async (tv) => {
      const argocd = await h.ensureArgocd(version);
      const s: ScenarioClusters = await scenarioOn('parity', version);
      const clients: KubeClient[] = [];
      const client = async (ctx: string): Promise<KubeClient> => {
        const c = await clientFor(s, ctx, 60_000);
        clients.push(c);
        return c;
      };
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `parity-${version}-`));
      try {
        const version_ = ok(await runArgocd(argocd, ['version', '--client', '--short']), 'argocd version');
        assert.match(version_, new RegExp(`${version.replace(/\./g, '\\.')}\\b`), 'the CLI under test is the version named');

        let backup = '';
        await tv.test('export: argocd admin export and gitops-dr backup are byte-identical', async () => {
          for (const { context, namespace } of installsOf(h, 'parity').filter((i) => i.context === ORIGIN)) {
            const theirs = ok(await runArgocd(argocd, ['admin', 'export', ...argocdKube(s, context), '-n', namespace]), `argocd admin export ${namespace}`);
            const ours = ok(await runGitopsDr(s, ['backup', '--context', context, '-n', namespace, '-o', '-']), `gitops-dr backup ${namespace}`);
            assertSameBytes(ours, theirs, `${context}/${namespace}`);
            if (namespace === NS) backup = theirs;
          }
          // The cases the scenario seeds are really in it (and the one Argo CD leaves out is not).
          const keys = [...docsByKey(backup).keys()];
          for (const k of ['Secret//label-only-1', 'Secret//annotation-only-1', 'Application//odd-strings', 'Application/team-alpha/team-alpha-app-1', 'ApplicationSet//']) {
            assert.ok(keys.some((x) => x === k || x.startsWith(k)), `backup holds ${k}`);
          }
          assert.ok(!keys.some((k) => k.includes('unrelated-') || k.includes('/sandbox/')), 'no unmarked Secret, no Application of a namespace that is not enabled');
        });
        assert.ok(backup, 'the export test produced the backup the next tests restore');
        const file = path.join(dir, 'origin.backup.yaml');
        fs.writeFileSync(file, backup, { mode: 0o600 });
        const docs = docsByKey(backup);

        await tv.test('import: after gitops-dr restore --apply, argocd admin import --dry-run --verbose finds nothing to change but ApplicationSets', async () => {
          await prepareTarget(await client(BY_US), NS, APP_NAMESPACES);
          ok(await runGitopsDr(s, ['restore', file, '--context', BY_US, '-n', NS, '--apply']), 'gitops-dr restore --apply');
          const r = await runArgocd(argocd, ['admin', 'import', file, ...argocdKube(s, BY_US), '-n', NS, '--dry-run', '--verbose']);
          const { lines, other } = importLines(ok(r, 'argocd admin import --dry-run'));
          assert.deepEqual(other, [], 'every output line is an object line');
          const expected = [...docs.values()].map((d) => `${d.kind} ${d.metadata.name} ${d.kind === 'ApplicationSet' ? 'updated' : 'unchanged'}`).sort();
          assert.deepEqual(lines.map((l) => `${l.kind} ${l.name} ${l.action}`).sort(), expected);
        });

        await tv.test('state: argocd admin import and gitops-dr restore leave the same objects, apart from the named differences', async () => {
          await prepareTarget(await client(BY_ARGO), NS, APP_NAMESPACES);
          ok(await runArgocd(argocd, ['admin', 'import', file, ...argocdKube(s, BY_ARGO), '-n', NS]), 'argocd admin import');
          const byArgo = ok(await runArgocd(argocd, ['admin', 'export', ...argocdKube(s, BY_ARGO), '-n', NS]), 'export of parity-argo');
          const byUs = ok(await runArgocd(argocd, ['admin', 'export', ...argocdKube(s, BY_US), '-n', NS]), 'export of parity-ours');
          const a = docsByKey(byArgo);
          const b = docsByKey(byUs);
          assert.deepEqual([...b.keys()], [...a.keys()], 'the same objects, in the same order');
          // Deliberate: gitops-dr clears an Application's in-flight .operation (as `argocd admin import
          // --stop-operation` means to, which Argo CD applies to updates only), and restores an ApplicationSet's
          // status through the status subresource (Argo CD's create drops it).
          const named = (d: Doc): string[] => [
            ...(d.kind === 'Application' && 'operation' in d ? ['operation'] : []),
            ...(d.kind === 'ApplicationSet' && 'status' in d ? ['status'] : []),
          ];
          const expected = [...docs.values()].filter((d) => named(d).length).map((d) => `${d.kind}/${d.metadata.name}: ${named(d).join(',')}`);
          const actual = [...a.keys()].map((k) => [k, differingKeys(a.get(k)!, b.get(k)!)] as const).filter(([, d]) => d.length).map(([k, d]) => `${k.split('/')[0]}/${k.split('/')[2]}: ${d.join(',')}`);
          assert.deepEqual(actual.sort(), expected.sort());
          assert.ok(expected.some((e) => e.startsWith('Application/')) && expected.some((e) => e.startsWith('ApplicationSet/')), 'the backup exercises both differences');
          // Every other document: the same bytes.
          const ta = documentTexts(byArgo);
          const tb = documentTexts(byUs);
          const keys = [...a.keys()];
          keys.forEach((k, i) => {
            if (!actual.some((x) => x.startsWith(`${k.split('/')[0]}/${k.split('/')[2]}:`))) assert.equal(tb[i], ta[i], k);
          });
        });

        await tv.test('failures: no argocd-cmd-params-cm, and an identity that may not read Secrets', async () => {
          // A namespace with everything a backup holds but argocd-cmd-params-cm.
          await prepareTarget(await client(BY_US), 'no-params', [], false);
          ok(await runGitopsDr(s, ['restore', file, '--context', BY_US, '-n', 'no-params', '--apply', '--application-namespaces', '', '--applicationset-namespaces', '']), 'gitops-dr restore into no-params');
          const theirs = await runArgocd(argocd, ['admin', 'export', ...argocdKube(s, BY_US), '-n', 'no-params']);
          assert.notEqual(theirs.code, 0, 'argocd admin export fails without argocd-cmd-params-cm');
          assert.match(theirs.stderr, /argocd-cmd-params-cm/);
          const ours = await runGitopsDr(s, ['backup', '--context', BY_US, '-n', 'no-params', '-o', '-']);
          assert.equal(ours.code, 0, ours.stderr);
          assert.match(ours.stderr, /argocd-cmd-params-cm/, 'ours says what it did without it');
          const imp = await runArgocd(argocd, ['admin', 'import', file, ...argocdKube(s, BY_US), '-n', 'no-params', '--dry-run']);
          assert.notEqual(imp.code, 0, 'argocd admin import fails without argocd-cmd-params-cm');
          assert.match(imp.stderr, /argocd-cmd-params-cm/);

          // The limited identity reads everything but Secrets.
          const limited = `${ORIGIN}-limited`;
          const lim = await runArgocd(argocd, ['admin', 'export', ...argocdKube(s, limited, true), '-n', NS]);
          assert.notEqual(lim.code, 0, 'argocd admin export fails when Secrets are forbidden');
          assert.match(lim.stderr, /forbidden/i);
          const out = path.join(dir, 'limited.backup.yaml');
          const mine = await runGitopsDr(s, ['backup', '--context', limited, '-n', NS, '-o', out]);
          assert.notEqual(mine.code, 0);
          assert.match(mine.stderr, /secrets/i);
          assert.match(mine.stderr, /no backup file was written/);
          assert.equal(fs.existsSync(out), false);
          tv.diagnostic(`argocd: ${lim.stderr.trim().split('\n').pop()}`);
          tv.diagnostic(`gitops-dr: ${mine.stderr.trim().split('\n')[0]}`);
        });
      } finally {
        for (const c of clients) c.close();
        fs.rmSync(dir, { recursive: true, force: true });
        if (version !== h.DEFAULT_ARGOCD_VERSION && process.env.GITOPS_DR_KEEP_CLUSTERS !== '1') await h.down(`parity@${version}`);
      }
    });
  }
});
