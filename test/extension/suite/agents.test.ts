/// <reference types="mocha" />
// The DR Agents tree inside a real VS Code, against the demo test clusters (east/west pair, lab, offline).
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TreeNode } from '../../../src/extension/tree/nodes';
import { demoKubeconfig, services } from './support';
import { COMMANDS } from '../../../src/extension/commandIds';

suite('agents tree', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    demoKubeconfig();
    const api = await services();
    await api.agents!.whenIdle();
  });

  test('activation returns the services and registers the tree commands', async () => {
    const api = await services();
    assert.ok(api.agents, 'the agents controller is exposed');
    assert.ok(typeof api.activationMs === 'number' && api.activationMs >= 0);
    console.log(`activation time: ${api.activationMs} ms`);
    const all = await vscode.commands.getCommands(true);
    for (const id of ['gitopsDr.refresh', 'gitopsDr.retryContext', 'gitopsDr.copyIdentifier', 'gitopsDr.revealKubeconfig']) assert.ok(all.includes(id), `${id} registered`);
  });

  test('refresh shows the demo: the east/west pair first, lab single, offline unreachable', async () => {
    const api = await services();
    await vscode.commands.executeCommand(COMMANDS.refresh);
    const roots: TreeNode[] = api.agents!.model.roots();
    assert.deepStrictEqual(roots.map((r) => r.contextValue), ['agentGroup', 'agent.single', 'context.unreachable']);
    const pair = roots[0]!;
    assert.strictEqual(pair.label, 'dragent');
    const members = pair.children!.filter((c) => c.agent);
    assert.deepStrictEqual(members.map((m) => m.label), ['east', 'west']);
    assert.match(members[0]!.description!, /^argocd · primary\? · \d+ apps$/);
    assert.strictEqual(members[1]!.description, 'argocd · secondary? · 0 apps');
    assert.ok(members.every((m) => m.contextValue === 'agent.member.unknownRole'));
    assert.match(members[0]!.tooltip!, /role unknown: connect to Harness/);
    assert.ok(pair.children!.some((c) => c.finding?.code === 'DR008') || members[1]!.children!.some((c) => c.finding?.code === 'DR008'), 'west is flagged as not yet restored');
    assert.strictEqual(roots[1]!.label, 'labagent');
    assert.match(roots[2]!.description!, /^unreachable: timeout/);
  });

  test('copy identifier puts the agent and DR identifier on the clipboard', async () => {
    const api = await services();
    const east = api.agents!.model.find('agent:east/argocd');
    assert.ok(east);
    const copied = await vscode.commands.executeCommand<string>(COMMANDS.copyIdentifier, east);
    assert.strictEqual(copied, 'dragent / east');
    assert.strictEqual(await vscode.env.clipboard.readText(), 'dragent / east');
  });

  test('retry on the unreachable context probes it again and it stays unreachable with a reason', async () => {
    const api = await services();
    const offline = api.agents!.model.roots().find((r) => r.contextValue === 'context.unreachable');
    const status = await vscode.commands.executeCommand<{ state: string; reason: string }>(COMMANDS.retryContext, offline);
    assert.strictEqual(status.state, 'unreachable');
    assert.match(status.reason, /timeout/);
  });

  test('no secret values reach tree labels, descriptions or tooltips', async () => {
    const api = await services();
    const text: string[] = [];
    const walk = (nodes: TreeNode[]): void => nodes.forEach((n) => { text.push(n.label, n.description ?? '', n.tooltip ?? ''); walk(n.children ?? []); });
    walk(api.agents!.model.roots());
    assert.doesNotMatch(text.join('\n'), /GITOPS_AGENT_TOKEN|password|BEGIN (RSA|EC|PRIVATE)/i);
  });
});
