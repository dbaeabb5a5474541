/// <reference types="mocha" />
// The backup store on a real S3 server (MinIO, test/objectstore) inside a real VS Code: the extension bundle loads
// its S3 client on the first request only (LazyS3Store), so this is the test that the lazily loaded client works
// from the bundle. Credentials come the AWS way, from the extension host's environment; the endpoint from
// AWS_ENDPOINT_URL_S3. Back Up Now to Store writes to the bucket, the backup is listed and verified under east,
// and it opens masked.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { BackupToStoreResult } from '../../../src/extension/store/registerStore';
import type { TreeNode } from '../../../src/extension/tree/nodes';
import { createBucket, minio, type MinioServer } from '../../integration/support/objectStore';
import { freshName } from '../../integration/restore/support';
import { demoKubeconfig, services } from './support';
import { COMMANDS } from '../../../src/extension/commandIds';

const AWS_KEYS = ['AWS_ENDPOINT_URL_S3', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'];

suite('backup store on S3 (MinIO)', () => {
  let m: MinioServer;
  let bucket: string;
  const saved = new Map<string, string | undefined>();
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('gitopsDr');

  suiteSetup(async function () {
    this.timeout(30 * 60_000); // a cold machine builds MinIO first (test/objectstore)
    demoKubeconfig();
    await (await services()).agents!.whenIdle();
    m = await minio();
    bucket = freshName('ext');
    await createBucket(m, bucket);
    const env: Record<string, string> = {
      AWS_ENDPOINT_URL_S3: m.endpoint,
      AWS_REGION: m.region,
      AWS_ACCESS_KEY_ID: m.accessKey,
      AWS_SECRET_ACCESS_KEY: m.secretKey,
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    };
    for (const k of AWS_KEYS) {
      saved.set(k, process.env[k]);
      process.env[k] = env[k];
    }
    await config().update('backupLocation', `s3://${bucket}/dr`, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    await config().update('backupLocation', undefined, vscode.ConfigurationTarget.Global);
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  test('Back Up Now to Store writes to the bucket; the backup is listed and verified under east and opens masked', async function () {
    this.timeout(180_000);
    const api = await services();
    const r = await vscode.commands.executeCommand<BackupToStoreResult>(COMMANDS.backupToStore, api.agents!.model.find('agent:east/argocd'), { confirm: false });
    assert.ok(r?.id, JSON.stringify(r));
    assert.match(r.location, new RegExp(`^s3://${bucket}/dr at http://127\\.0\\.0\\.1:\\d+$`));

    const s3 = new S3Client({ endpoint: m.endpoint, region: m.region, forcePathStyle: true, credentials: { accessKeyId: m.accessKey, secretAccessKey: m.secretKey } });
    try {
      const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'dr/' }))).Contents ?? []).map((o) => o.Key).sort();
      assert.deepStrictEqual(keys, [`dr/${r.id}.backup.yaml`, `dr/${r.id}.manifest.json`]);
    } finally {
      s3.destroy();
    }

    let row: TreeNode | undefined;
    for (let i = 0; i < 100 && !row; i++) {
      row = api.agents!.model.find('agent:east/argocd#stored')?.children?.find((c) => c.storedBackup?.id === r.id);
      if (!row) await new Promise((res) => setTimeout(res, 100));
    }
    assert.ok(row, `listed under east: ${api.agents!.model.find('agent:east/argocd#stored')?.description}`);
    assert.match(row.description!, /· verified$/);
    const opened = await vscode.commands.executeCommand<{ document: string }>(COMMANDS.openStoredBackup, row, { confirm: false });
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === opened.document)!;
    assert.ok(doc.getText().includes('name: argocd-cm') && doc.getText().includes('<hidden>'));
  });
});
