/// <reference types="mocha" />
// Activation for linting (a YAML file opened) contacts no cluster and runs no credential plugin: the kubeconfig
// named here has an exec plugin that leaves a marker file. Discovery starts once the view is shown, and the plugin
// runs then (which shows the marker would appear). This file runs first: the suite sorts by name.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../../../src/extension/services';

const EXTENSION_ID = 'gitops-dr.gitops-agent-dr';

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

suite('activation', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-dr-activation-'));
  const marker = path.join(dir, 'credential-plugin-ran');
  const kubeconfig = path.join(dir, 'exec.kubeconfig');
  const settings = () => vscode.workspace.getConfiguration('gitopsDr');

  suiteSetup(async () => {
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 'exec-t0ken' } });
    fs.writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]',
        'contexts: [{ name: plugin-ctx, context: { cluster: c, user: u } }]',
        'current-context: plugin-ctx',
        'users:',
        '- name: u',
        '  user:',
        '    exec:',
        '      apiVersion: client.authentication.k8s.io/v1beta1',
        '      command: /bin/sh',
        `      args: ["-c", ${JSON.stringify(`touch '${marker}'; printf '%s' '${credential}'`)}]`,
        '      interactiveMode: Never',
        '',
      ].join('\n'),
    );
    await settings().update('kubeconfigPaths', [kubeconfig], vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    await settings().update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    const ext = vscode.extensions.getExtension<ExtensionServices>(EXTENSION_ID);
    if (ext?.isActive) await ext.exports.agents?.refresh();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('opening a YAML file activates the extension without contacting any cluster or running a credential plugin', async function () {
    this.timeout(60_000);
    const ext = vscode.extensions.getExtension<ExtensionServices>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found`);
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n' });
    await vscode.window.showTextDocument(doc);
    await until('activation by onLanguage:yaml', () => ext.isActive, 30_000);
    const api = ext.exports;
    console.log(`      activate() took ${api.activationMs} ms`);
    await new Promise((r) => setTimeout(r, 1500));
    assert.strictEqual(api.agents?.started, false, 'discovery has not started');
    assert.strictEqual(fs.existsSync(marker), false, 'the credential plugin did not run');
    // The untitled document is dirty: revert it so that closing it asks nothing.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('showing the view starts discovery (and so runs the credential plugin)', async function () {
    this.timeout(60_000);
    const api = vscode.extensions.getExtension<ExtensionServices>(EXTENSION_ID)!.exports;
    await vscode.commands.executeCommand('gitopsDr.agents.focus');
    await until('discovery to start', () => api.agents?.started === true, 30_000);
    await api.agents!.whenIdle();
    await until('the credential plugin to run', () => fs.existsSync(marker), 15_000);
  });
});
