import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openBackupFile, saveBackupFile, writeBackupFile } from '../../../src/core/backup/backupFile';
import { defaultBackupFileName, utcStamp } from '../../../src/core/backup/backupName';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-dr-backup-'));
}

test('backup file: written with mode 0600 under the final name only when complete', async () => {
  const dir = tempDir();
  const target = path.join(dir, 'east.backup.yaml');
  await saveBackupFile(target, async (sink) => {
    await sink('a: 1\n---\n');
    assert.equal(fs.existsSync(target), false, 'nothing under the final name while writing');
    assert.equal(fs.readdirSync(dir).length, 1, 'one temporary file in the same directory');
    await sink('b: 2\n---\n');
  });
  assert.equal(fs.readFileSync(target, 'utf8'), 'a: 1\n---\nb: 2\n---\n');
  assert.equal(fs.statSync(target).mode & 0o777, 0o600);
  assert.deepEqual(fs.readdirSync(dir), ['east.backup.yaml']);
});

test('backup file: a failure part-way leaves no file behind and keeps an older file intact', async () => {
  const dir = tempDir();
  const target = path.join(dir, 'east.backup.yaml');
  fs.writeFileSync(target, 'old\n');
  await assert.rejects(
    saveBackupFile(target, async (sink) => {
      await sink('partial\n');
      throw new Error('cluster went away');
    }),
    /cluster went away/,
  );
  assert.deepEqual(fs.readdirSync(dir), ['east.backup.yaml']);
  assert.equal(fs.readFileSync(target, 'utf8'), 'old\n');
});

test('backup file: abort removes the temporary file', async () => {
  const dir = tempDir();
  const f = await openBackupFile(path.join(dir, 'x.yaml'));
  await f.write('x');
  assert.ok(fs.existsSync(f.tempPath));
  await f.abort();
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('backup file: a directory that does not exist is an error and creates nothing', async () => {
  const dir = tempDir();
  await assert.rejects(writeBackupFile(path.join(dir, 'missing', 'x.yaml'), 'a'), /ENOENT/);
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('backup file: unicode is written as UTF-8', async () => {
  const dir = tempDir();
  const target = path.join(dir, 'u.yaml');
  await writeBackupFile(target, 'a: é日本\n');
  assert.deepEqual(fs.readFileSync(target), Buffer.from('a: é日本\n', 'utf8'));
});

test('backup name: <context>-<namespace>-<UTC timestamp>.backup.yaml, safe for any context name', () => {
  const d = new Date(Date.UTC(2024, 4, 1, 10, 0, 5, 123));
  assert.equal(utcStamp(d), '20240501T100005Z');
  assert.equal(defaultBackupFileName('east', 'argocd', d), 'east-argocd-20240501T100005Z.backup.yaml');
  assert.equal(defaultBackupFileName('arn:aws:eks:eu-west-1:123:cluster/prod', 'argocd', d), 'arn_aws_eks_eu-west-1_123_cluster_prod-argocd-20240501T100005Z.backup.yaml');
  assert.equal(defaultBackupFileName('../x', 'ns', d), '__x-ns-20240501T100005Z.backup.yaml');
});
