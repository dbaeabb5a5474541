// The backup store's pure parts and the directory location, end to end on a temporary directory: locations and
// their errors, manifests, retention, RPO, and a stored backup (plain and age-encrypted) that verifies, with the
// refusals of an altered, truncated or wrongly-keyed one.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DirectoryStore,
  IntegrityError,
  EncryptionError,
  LocationError,
  agentKey,
  listBackups,
  newestVerified,
  parseDuration,
  parseLocation,
  parseManifest,
  planRetention,
  readBackupText,
  rpoStatus,
  sourceOf,
  storeBackup,
  verifyBackup,
  TOOL_VERSION,
  type StoredBackup,
} from '../../../src/core/store';
import type { BackupResult } from '../../../src/core/backup';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { version: string };

test('TOOL_VERSION is the package version', () => assert.equal(TOOL_VERSION, pkg.version));

test('locations: s3:// with AWS endpoint variables, directories, and clear errors', () => {
  const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9000/', AWS_REGION: 'eu-west-1', AWS_PROFILE: 'dr' };
  assert.deepEqual(parseLocation('s3://my-bucket/dr/prod/', env), { kind: 's3', bucket: 'my-bucket', prefix: 'dr/prod', endpoint: 'http://127.0.0.1:9000', region: 'eu-west-1', profile: 'dr', forcePathStyle: true });
  assert.equal(parseLocation('s3://b12', { AWS_ENDPOINT_URL_S3: 'https://s3.example', AWS_ENDPOINT_URL: 'http://other' }).kind === 's3' && (parseLocation('s3://b12', { AWS_ENDPOINT_URL_S3: 'https://s3.example' }) as { endpoint?: string }).endpoint, 'https://s3.example');
  assert.deepEqual(parseLocation('s3://bucket', {}), { kind: 's3', bucket: 'bucket', prefix: '', forcePathStyle: false });
  assert.deepEqual(parseLocation('backups', {}, '/srv'), { kind: 'dir', path: '/srv/backups' });
  assert.throws(() => parseLocation('s3://Bad_Bucket/x', {}), (e: unknown) => e instanceof LocationError && /not a valid S3 bucket name/.test(e.message));
  assert.throws(() => parseLocation('s3://bucket/a/../b', {}), /has an empty, "\." or "\.\." segment/);
  assert.throws(() => parseLocation('gs://bucket', {}), /unsupported backup location/);
  assert.throws(() => parseLocation('s3://bucket', { AWS_ENDPOINT_URL_S3: 'http://user:pw@host' }), /must not carry credentials/);
  assert.throws(() => parseLocation(' ', {}), /empty/);
});

test('durations and retention: keep-last, keep-within, never the newest verified, nothing without a verified one', () => {
  assert.equal(parseDuration('1d12h'), 36 * 3_600_000);
  assert.throws(() => parseDuration('7 days'), /not a duration/);
  const now = new Date('2026-12-02T12:00:00Z');
  const mk = (hoursAgo: number, cluster = 'c1'): StoredBackup => ({
    manifestKey: `a/${hoursAgo}-${cluster}.manifest.json`,
    manifest: { agentKey: 'a', clusterId: cluster, created: new Date(now.getTime() - hoursAgo * 3_600_000).toISOString(), id: `a/${hoursAgo}` } as StoredBackup['manifest'],
  });
  const list = [mk(1), mk(2), mk(30), mk(50), mk(5, 'c2')];
  const verified = new Map([[sourceOf(list[0]!), list[2]!.manifestKey], [sourceOf(list[4]!), list[4]!.manifestKey]]);
  const d = planRetention(list, { keepLast: 1 }, verified, now);
  assert.deepEqual(d.filter((x) => !x.keep).map((x) => x.backup.manifestKey).sort(), [list[1]!.manifestKey, list[3]!.manifestKey].sort());
  const w = planRetention(list, { keepWithinMs: 3 * 3_600_000 }, verified, now);
  assert.deepEqual(w.filter((x) => !x.keep).map((x) => x.backup.manifestKey), [list[3]!.manifestKey]);
  assert.ok(planRetention(list, { keepLast: 1 }, new Map(), now).every((x) => x.keep), 'no verified backup: nothing removed');
  assert.throws(() => planRetention(list, {}, verified, now), /--keep-last N and\/or --keep-within D/);
});

test('RPO: ok, exceeded, no backup', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  assert.equal(rpoStatus('2026-12-02T11:30:00Z', 60, now).state, 'ok');
  assert.deepEqual(rpoStatus('2026-12-02T10:00:00Z', 60, now), { state: 'exceeded', ageMinutes: 120, objectiveMinutes: 60, newestCreated: '2026-12-02T10:00:00Z' });
  assert.equal(rpoStatus(undefined, 60, now).state, 'noBackup');
});

test('a manifest that is broken is refused naming the object', () => {
  assert.throws(() => parseManifest('{', 'loc: k'), /loc: k: the manifest is not JSON/);
  assert.throws(() => parseManifest('{"schema":"gitops-dr.backup-manifest/v1"}', 'loc: k'), /loc: k: the manifest has no id/);
});

const RESULT: BackupResult = { mode: 'native', namespace: 'argocd', counts: { ConfigMap: 2, Secret: 1, AppProject: 0, Application: 0, ApplicationSet: 0 }, missing: [], warnings: [], applicationNamespaces: [], applicationSetNamespaces: [], bytes: 0, durationMs: 0 };
const SOURCE = { identity: { account: 'acc', org: 'org', agent: 'east agent' }, context: 'east', clusterId: 'uid-1', namespace: 'argocd' };
const EXPORT = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n---\n'.repeat(5000);

async function stored(dir: string, encryption?: { passphrase: string }): Promise<DirectoryStore> {
  const store = new DirectoryStore(dir);
  await storeBackup({ store, source: SOURCE, toolVersion: TOOL_VERSION, ...(encryption ? { encryption } : {}), produce: async (sink) => {
    for (let i = 0; i < EXPORT.length; i += 4096) await sink(EXPORT.slice(i, i + 4096));
    return RESULT;
  } });
  return store;
}

test('directory location: stored backup (mode 0600) verifies and reads back; altered and truncated data are refused', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-unit-'));
  const store = await stored(dir);
  const { backups } = await listBackups(store);
  assert.equal(backups.length, 1);
  const b = backups[0]!;
  assert.equal(b.manifest.agentKey, agentKey(SOURCE.identity));
  assert.equal(b.manifest.agentKey, 'acc.org._.east%20agent');
  assert.equal(b.manifest.exportSize, Buffer.byteLength(EXPORT));
  const file = path.join(dir, ...b.manifest.dataKey.split('/'));
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  await verifyBackup(store, b);
  assert.equal(await readBackupText(store, b), EXPORT);

  const bytes = fs.readFileSync(file);
  bytes[100] = bytes[100]! ^ 1;
  fs.writeFileSync(file, bytes);
  await assert.rejects(readBackupText(store, b), (e: unknown) => e instanceof IntegrityError && e.message.includes(b.manifest.dataKey) && /altered; refused/.test(e.message));
  assert.equal((await newestVerified(store, await listBackups(store))).backup, undefined);
  fs.truncateSync(file, 10);
  const again = (await listBackups(store)).backups[0]!;
  await assert.rejects(verifyBackup(store, again), /truncated or replaced/);
  await assert.rejects(new DirectoryStore(path.join(dir, 'nope')).list(''), /does not exist/);
});

test('directory location with an age passphrase: right passphrase reads the export, a wrong one is refused', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-unit-age-'));
  const store = await stored(dir, { passphrase: 'a long passphrase' });
  const b = (await listBackups(store)).backups[0]!;
  assert.equal(b.manifest.encrypted, true);
  assert.ok(!fs.readFileSync(path.join(dir, ...b.manifest.dataKey.split('/'))).includes('argocd-cm'));
  assert.equal(await readBackupText(store, b, { passphrase: 'a long passphrase' }), EXPORT);
  await assert.rejects(readBackupText(store, b, { passphrase: 'wrong' }), (e: unknown) => e instanceof EncryptionError && /cannot be decrypted with the given passphrase/.test(e.message) && !e.message.includes('wrong'));
  await assert.rejects(readBackupText(store, b), /is encrypted: give an age identity/);
});
