/// <reference types="mocha" />
// The status-bar item of the current kubeconfig context's DR role, in a real VS Code on the demo clusters: it names
// the role, a click reveals that context's row in the tree, and the current context is never changed.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { kubeconfigFiles, loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import type { RevealResult } from '../../../src/extension/tree/roleStatusBar';
import { COMMANDS } from '../../../src/extension/commandIds';
import { demoKubeconfig, services } from './support';

suite('status bar: DR role of the current context', () => {
  test('names the current context\'s role; a click reveals its row and leaves the kubeconfig as it was', async function () {
    this.timeout(60_000);
    demoKubeconfig();
    const api = await services();
    await api.agents!.whenIdle();
    const files = kubeconfigFiles([]);
    const before = files.map((f) => fs.readFileSync(f));
    const current = (await loadKubeconfig(files)).contexts.find((c) => c.isCurrent);
    assert.ok(current, 'the demo kubeconfig sets a current context');
    const agent = api.agents!.model.snapshot.contexts.find((c) => c.name === current.name)!.agents[0];
    assert.ok(agent, `the demo's current context ${current.name} runs an agent`);

    const r = await vscode.commands.executeCommand<RevealResult>(COMMANDS.revealCurrentContext);
    assert.strictEqual(r.revealed, `agent:${agent.id}`);
    assert.ok(api.agents!.model.find(r.revealed!), 'the revealed row is in the tree');
    // The demo's current context is the pair's primary (east holds the Applications); without Harness a guess.
    assert.match(r.text, new RegExp(`^\\$\\((shield|lock)\\) DR ${current.name}: primary\\??`), r.text);
    assert.match(r.tooltip, new RegExp(`Current context \\*\\*${current.name}\\*\\*: agent \`${agent.identity.agent}\``));

    assert.deepStrictEqual(files.map((f) => fs.readFileSync(f)), before, 'the kubeconfig files are byte for byte as before');
    assert.strictEqual((await loadKubeconfig(files)).contexts.find((c) => c.isCurrent)?.name, current.name);
  });
});
