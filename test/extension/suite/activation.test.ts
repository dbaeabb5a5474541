/// <reference types="mocha" />
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'gitops-dr.gitops-agent-dr';

suite('activation', () => {
  test(`${EXTENSION_ID} is installed and activates`, async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found`);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });
});
