// Two backups side by side (the "Diff Stored Backups" view) and the keys a person types to open an encrypted one.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { diffBackups } from '../../../src/core/compare/backupDiff';
import { decryptionKeysFromText, describeKeys, EncryptionError } from '../../../src/core/store/encryption';
import { writeArgoYamlDocument } from '../../../src/core/yaml/argoYaml';
import { app, cm, demoBackup, secret } from '../restore/fixtures';
import type { KubeObject } from '../../../src/core/objects/kubeObject';

const exportOf = (objects: KubeObject[]): string => objects.map((o) => writeArgoYamlDocument(o)).join('');
const b64 = (s: string): string => Buffer.from(s).toString('base64');

test('two backups: objects paired by kind/namespace/name, added/removed/changed counted, a changed Secret key shown per key, no Secret value anywhere', () => {
  const older = demoBackup();
  const newer = demoBackup()
    .filter((o) => o.metadata?.name !== 'billing')
    .map((o) => {
      if (o.metadata?.name === 'repo-one') return secret('repo-one', { url: 'https://github.com/example/apps', password: 'rotated-password-2', username: 'deploy-user-7' });
      if (o.metadata?.name === 'argocd-cm') return cm('argocd-cm', { 'admin.enabled': 'false', url: 'https://argocd.example.com' });
      return o;
    });
  newer.push(app('payments', { revision: 'v3' }));
  const d = diffBackups(exportOf(older), exportOf(newer), { before: 'older', after: 'newer' });

  assert.deepEqual(d.counts, { added: 1, removed: 1, changed: 2, unchanged: older.length - 3 });
  const byName = new Map(d.entries.map((e) => [`${e.kind}/${e.name}`, e]));
  assert.equal(byName.get('Application/payments')?.action, 'added');
  assert.deepEqual(byName.get('Application/billing'), { kind: 'Application', namespace: 'team-a', name: 'billing', action: 'removed' });
  assert.deepEqual(byName.get('ConfigMap/argocd-cm')?.changes, [{ path: 'data["admin.enabled"]', before: 'true', after: 'false' }]);
  assert.deepEqual(byName.get('Secret/repo-one')?.changes, [
    { path: 'data.password', before: '<changed>', after: '<changed>' },
    { path: 'data.username', after: '<changed>' },
  ]);
  assert.equal(byName.get('Secret/cluster-east')?.action, 'unchanged');

  // Each Secret key says only whether it differs, differently on each side, so a diff editor marks that line.
  assert.match(d.left, /password: <hidden, before>/);
  assert.match(d.right, /password: <hidden, changed>/);
  assert.match(d.right, /username: <hidden, added>/);
  assert.match(d.left, /url: <hidden, same on both sides>/);
  assert.match(d.right, /url: <hidden, same on both sides>/);
  for (const secretValue of ['hunter2-repo-password', 'rotated-password-2', 's3cr3t-server-key', 'tok-abc', 'deploy-user-7']) {
    for (const side of [d.left, d.right]) {
      assert.ok(!side.includes(secretValue) && !side.includes(b64(secretValue)), `no ${secretValue} in a side`);
    }
    assert.ok(!JSON.stringify(d.entries).includes(b64(secretValue)), `no ${secretValue} in the entries`);
  }
  // Both sides list every object in export order, with a line where one side lacks it: the editor aligns them.
  assert.equal(d.left.split('---\n').length, d.entries.length);
  assert.equal(d.right.split('---\n').length, d.entries.length);
  assert.match(d.left, /# Application payments: not in this backup/);
  assert.match(d.right, /# Application team-a\/billing: not in this backup/);
  assert.ok(d.left.indexOf('kind: ConfigMap') < d.left.indexOf('kind: Secret') && d.left.indexOf('kind: Secret') < d.left.indexOf('kind: Application'));
});

test('two equal backups: everything unchanged, both sides the same text', () => {
  const text = exportOf(demoBackup());
  const d = diffBackups(text, text, { before: 'a', after: 'b' });
  assert.equal(d.counts.unchanged, demoBackup().length);
  assert.equal(d.counts.changed + d.counts.added + d.counts.removed, 0);
  assert.equal(d.left, d.right);
});

test('a backup that cannot be read is refused naming it and the line', () => {
  assert.throws(() => diffBackups('kind: ConfigMap\nmetadata: {name: [\n', exportOf(demoBackup()), { before: 's3://b/x/1', after: 's3://b/x/2' }), /^Error: s3:\/\/b\/x\/1 cannot be read: line \d+:/);
});

test('decryption keys typed by a person: identities, a passphrase, and refusals', () => {
  const id = 'AGE-SECRET-KEY-1QQPQQ9ZXJ4YRNH7ZP5G4Q8W8N3M4V0N8Q6PDKJ2D9VYC8E3ZJ3QSAVQXW9';
  assert.deepEqual(decryptionKeysFromText(`${id}\n`), { identities: [id] });
  assert.deepEqual(decryptionKeysFromText(` ${id}  ${id} `), { identities: [id, id] });
  assert.deepEqual(decryptionKeysFromText('correct horse battery staple'), { passphrase: 'correct horse battery staple' });
  assert.deepEqual(decryptionKeysFromText('  spaces kept  '), { passphrase: '  spaces kept  ' });
  assert.throws(() => decryptionKeysFromText(`${id} age-secret-key-1lower`), (e: unknown) => e instanceof EncryptionError && /word 2 is not an age identity/.test(e.message) && !e.message.includes(id));
  assert.throws(() => decryptionKeysFromText(' \n'), /no key given/);
  assert.equal(describeKeys({ identities: [id] }), 'an age identity');
  assert.equal(describeKeys({ identities: [id, id] }), '2 age identities');
  assert.equal(describeKeys({ passphrase: 'x' }), 'a passphrase');
});
