/// <reference types="mocha" />
// "Add Secondary DR Agent…" inside a real VS Code against the demo clusters, with the local Harness server: a
// secondary of dragent (east/argocd) is created in Harness and installed into the fresh namespace argocd of `lab`;
// the test plays kubelet (ready status through the status subresource); the tree then shows the new member in the
// dragent group. Every setup step is bounded and names itself when it fails; the teardown runs each undo step bounded,
// even after a failed setup. Everything the install wrote is deleted in suiteTeardown (the empty namespace stays: without a
// controller manager a namespace never finishes deleting).
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { AddSecondaryResult } from '../../../src/extension/secondary/addSecondaryCommand';
import { FakeHarness } from '../../support/fakeHarness';
import { keepMarkingReady } from '../../integration/secondary/support';
import { TypeResolver } from '../../../src/core/secondary/apply';
import { demoKubeconfig, services } from './support';

const KEY = 'pat.kmpySmUISimoRrJL6NL73w.secondary.Z9y8X7';
const ACCOUNT = 'kmpySmUISimoRrJL6NL73w';

/** `promise`, or a rejection naming the step when it takes longer than `ms` (a setup step fails clearly, never hangs). */
async function step<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } catch (e) {
    const message = (e as Error).message;
    throw new Error(message.startsWith(`${what}:`) ? message : `${what}: ${message}`);
  } finally {
    clearTimeout(timer);
  }
}

suite('secondary', () => {
  let fake: FakeHarness | undefined;
  let result: AddSecondaryResult | undefined;

  suiteSetup(async function () {
    this.timeout(90_000);
    demoKubeconfig();
    const api = await step('activate the extension', 30_000, services());
    await step('wait for discovery of the demo contexts', 45_000, api.agents!.whenIdle());
    const lab = api.agents!.model.snapshot.contexts.find((c) => c.name === 'lab');
    assert.strictEqual(lab?.state, 'reachable', `the demo context lab must be reachable (got ${lab?.state ?? 'none'}: ${lab?.reason ?? ''})`);
    fake = await step('start the local Harness server', 10_000, FakeHarness.start({
      apiKeys: [KEY],
      nodes: [
        { account: ACCOUNT, org: 'default', project: 'gitops_dr_demo', identifier: 'dragent', drIdentifier: 'east', type: 'PRIMARY', namespace: 'argocd' },
        { account: ACCOUNT, org: 'default', project: 'gitops_dr_demo', identifier: 'dragent', drIdentifier: 'west', type: 'SECONDARY', namespace: 'argocd' },
      ],
    }));
    await step('point harness.baseUrl at it', 15_000, Promise.resolve(vscode.workspace.getConfiguration('gitopsDr').update('harness.baseUrl', fake.url, vscode.ConfigurationTarget.Global)));
  });

  // Every step is bounded and runs even when an earlier one failed (or suiteSetup never got far): the teardown
  // returns within its timeout and names what it could not undo.
  suiteTeardown(async function () {
    this.timeout(120_000);
    const problems: string[] = [];
    const attempt = async (what: string, ms: number, run: () => Promise<unknown>): Promise<void> => {
      try {
        await step(what, ms, run());
      } catch (e) {
        problems.push((e as Error).message);
      }
    };
    const created = [...(result?.install?.apply?.objects ?? [])].reverse().filter((o) => !o.dryRun && o.action === 'created' && o.kind !== 'Namespace');
    if (created.length > 0) {
      await attempt('delete what the install created on lab', 60_000, async () => {
        const lab = await (await services()).kube.client('lab');
        const resolver = new TypeResolver(lab);
        for (const o of created) {
          const apiVersion = o.kind === 'Deployment' || o.kind === 'StatefulSet' ? 'apps/v1' : /Role/.test(o.kind) ? 'rbac.authorization.k8s.io/v1' : 'v1';
          const type = await resolver.resolve(apiVersion, o.kind);
          if (type) await lab.delete(type, o.namespace, o.name).catch(() => undefined);
        }
      });
    }
    await attempt('clear the Harness API key', 15_000, () => Promise.resolve(vscode.commands.executeCommand('gitopsDr.clearHarnessApiKey')));
    await attempt('reset harness.baseUrl', 15_000, () => Promise.resolve(vscode.workspace.getConfiguration('gitopsDr').update('harness.baseUrl', undefined, vscode.ConfigurationTarget.Global)));
    if (fake) await attempt('stop the local Harness server', 10_000, () => fake!.close());
    await attempt('refresh the tree', 30_000, () => Promise.resolve(vscode.commands.executeCommand('gitopsDr.refresh')));
    if (problems.length > 0) throw new Error(`secondary suite teardown: ${problems.join('; ')}`);
  });

  test('pre-checks only: lab on lab fails (same cluster), lab on west passes or warns', async () => {
    const same = (await vscode.commands.executeCommand('gitopsDr.addSecondary', { agent: 'lab/harness-gitops', targetContext: 'lab', checkOnly: true, confirm: false })) as AddSecondaryResult;
    assert.strictEqual(same.report?.ok, false);
    assert.strictEqual(same.report?.checks.find((c) => c.id === 'target')?.status, 'fail');
    const west = (await vscode.commands.executeCommand('gitopsDr.addSecondary', { agent: 'lab/harness-gitops', targetContext: 'west', checkOnly: true, confirm: false })) as AddSecondaryResult;
    assert.strictEqual(west.report?.ok, true, JSON.stringify(west.report?.checks));
  });

  test('with a key: created in Harness, installed into lab/argocd, ready, and the tree shows it in the dragent group', async function () {
    this.timeout(180_000);
    await vscode.commands.executeCommand('gitopsDr.setHarnessApiKey', { apiKey: KEY });
    const api = await services();
    const kubelet = keepMarkingReady(await api.kube.client('lab'), 'argocd');
    try {
      result = (await vscode.commands.executeCommand('gitopsDr.addSecondary', { agent: 'east/argocd', targetContext: 'lab', drIdentifier: 'lab', confirm: false, readyTimeoutSeconds: 90 })) as AddSecondaryResult;
    } finally {
      await kubelet.stop();
    }
    assert.strictEqual(result?.error, undefined, result?.error);
    assert.strictEqual(result?.install?.status, 'installed');
    assert.strictEqual(result?.install?.readiness?.ready, result?.install?.readiness?.total);
    assert.strictEqual(fake?.node('dragent', 'lab')?.type, 'SECONDARY');
    assert.strictEqual(result?.member, 'lab/argocd');
    const node = api.agents!.model.find('agent:lab/argocd');
    assert.ok(node, 'the tree has the new member');
    const group = api.agents!.model.snapshot.groups.find((g) => g.identity.agent === 'dragent');
    assert.deepStrictEqual(group?.members.map((m) => m.id).sort(), ['east/argocd', 'lab/argocd', 'west/argocd']);
  });
});
