// Backups in a real S3 server (MinIO on loopback, real SigV4 checking) from the real demo clusters: backup of east
// to s3://, restore of the newest stored backup into west, integrity refusals (altered, truncated, unmanifested),
// wrong credentials and bucket, age interop with Debian's `age` both ways, retention, and an upload whose server
// dies half-way.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { KubeClient } from '../../../src/core/kube/client';
import { runCli } from '../../../src/cli/main';
import { readBackup } from '../../../src/core/yaml/readBackup';
import { decryptStream, verifyBackup, listBackups, parseLocation, storeBackup, StoreError, TOOL_VERSION, type S3Location } from '../../../src/core/store';
import { S3Store } from '../../../src/core/store/s3Store';
import { readAll } from '../../../src/core/store/blobStore';
import { Readable } from 'node:stream';
import { scenario, type ScenarioClusters } from '../support/clusters';
import { captureIO } from '../support/cliIO';
import { createBucket, minio, objectStoreApi, s3Env, type MinioServer } from '../support/objectStore';
import { backupText, clientFor, createNamespace, documentTexts, freshName, removeNamespace, withoutTopLevelKey } from '../restore/support';

let s: ScenarioClusters;
let m: MinioServer;
let east: KubeClient;
let west: KubeClient;
let eastExport: string;
let tmp: string;
const created: string[] = [];

before(async () => {
  [s, m] = await Promise.all([scenario('demo'), minio()]);
  await (await objectStoreApi()).ensureAgeCli();
  east = await clientFor(s, 'east');
  west = await clientFor(s, 'west');
  eastExport = (await backupText(east, 'argocd')).text;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'store-it-'));
});

after(async () => {
  for (const ns of created) await removeNamespace(west, ns);
  east?.close();
  west?.close();
});

async function freshBucket(): Promise<string> {
  const b = freshName('bk');
  await createBucket(m, b);
  return b;
}

const cli = async (args: string[], env: NodeJS.ProcessEnv = s3Env(m)): Promise<{ code: number; out: string; err: string }> => {
  const io = captureIO('', env, tmp);
  const kube = args[0] === 'backups' ? [] : ['--kubeconfig', s.kubeconfig, '--kubeconfig', s.limitedKubeconfig];
  const code = await runCli([...args, ...kube], io);
  return { code, out: io.out(), err: io.err() };
};

function rawClient(): S3Client {
  return new S3Client({ endpoint: m.endpoint, region: m.region, forcePathStyle: true, credentials: { accessKeyId: m.accessKey, secretAccessKey: m.secretKey } });
}

async function overwrite(bucket: string, key: string, body: Buffer): Promise<void> {
  const c = rawClient();
  try {
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  } finally {
    c.destroy();
  }
}

function storeOf(bucket: string, prefix = ''): S3Store {
  const loc = parseLocation(`s3://${bucket}${prefix ? `/${prefix}` : ''}`, s3Env(m)) as S3Location;
  return new S3Store(loc, { credentials: { accessKeyId: m.accessKey, secretAccessKey: m.secretKey } });
}

async function getObject(bucket: string, key: string): Promise<Buffer> {
  const st = storeOf(bucket);
  try {
    return await readAll(await st.get(key), 1 << 30, key);
  } finally {
    st.close();
  }
}

function assertNoSecrets(text: string): void {
  assert.ok(!text.includes(m.secretKey), 'the secret access key never appears in output');
  for (const [k, v] of secretValues(eastExport)) assert.ok(!text.includes(v), `the value of Secret key ${k} never appears in output`);
}

/** Credential values of the export's Secrets (base64 and decoded). Names and URLs are not secret and may be shown. */
function secretValues(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const d of readBackup(text).documents) {
    const o = d.object as { kind?: string; data?: Record<string, string> } | undefined;
    if (o?.kind !== 'Secret') continue;
    for (const [k, v] of Object.entries(o.data ?? {})) {
      if (typeof v !== 'string' || !/pass|token|key|secret|config/i.test(k)) continue;
      out.push([k, v], [k, Buffer.from(v, 'base64').toString('utf8')]);
    }
  }
  return out.filter(([, v]) => v.length >= 8);
}

test('backup --to s3:// of east, list, restore --from-store into west: west\'s export equals east\'s', async () => {
  const bucket = await freshBucket();
  const loc = `s3://${bucket}/dr/prod`;
  const b = await cli(['backup', '--context', 'east', '-n', 'argocd', '--to', loc]);
  assert.equal(b.code, 0, b.err);
  assert.match(b.err, /stored .* in s3:\/\//);
  assertNoSecrets(b.err + b.out);

  const list = await cli(['backups', 'list', loc]);
  assert.equal(list.code, 0, list.err);
  assert.match(list.out, /east\s+argocd\s+\d+m\s+\d+/);
  const json = JSON.parse((await cli(['backups', 'list', loc, '-o', 'json'])).out) as { backups: Array<{ exportSha256: string; exportSize: number; context: string; toolVersion: string; encrypted: boolean; clusterId: string; counts: Record<string, number> }> };
  assert.equal(json.backups.length, 1);
  const manifest = json.backups[0]!;
  assert.equal(manifest.context, 'east');
  assert.equal(manifest.toolVersion, TOOL_VERSION);
  assert.equal(manifest.encrypted, false);
  assert.ok(manifest.counts.Application! > 0);
  // The stored data is the export, byte for byte (a fresh export of an unchanged namespace is identical).
  assert.equal(manifest.exportSize, Buffer.byteLength(eastExport));
  const got = path.join(tmp, 'got.backup.yaml');
  const g = await cli(['backups', 'get', loc, '-o', got]);
  assert.equal(g.code, 0, g.err);
  assert.equal(fs.readFileSync(got, 'utf8'), eastExport);
  assert.equal(fs.statSync(got).mode & 0o777, 0o600);
  assert.equal((await cli(['backups', 'verify', loc])).code, 0);

  const ns = freshName('store-restore');
  await createNamespace(west, ns);
  created.push(ns);
  const r = await cli(['restore', '--from-store', loc, '--context', 'west', '-n', ns, '--apply']);
  assert.equal(r.code, 0, r.err + r.out);
  assert.match(r.err, /restoring the stored backup s3:\/\//);
  assertNoSecrets(r.err + r.out);
  const westExport = (await backupText(west, ns)).text;
  // What a restore changes: Applications lose .operation; those of team-* namespaces are not enabled in a fresh one.
  const expected = documentTexts(eastExport)
    .filter((d) => {
      const o = readBackup(d).documents[0]?.object;
      return !((o?.kind === 'Application' || o?.kind === 'ApplicationSet') && o.metadata?.namespace);
    })
    .map((d) => (/^kind: Application\n/m.test(d) ? withoutTopLevelKey(d, 'operation') : d));
  assert.deepEqual(documentTexts(westExport), expected);

  const c = await cli(['compare', '--from-store', loc, '--context', 'west', '-n', ns]);
  assert.equal(c.code, 0, c.err + c.out);
});

test('an altered or truncated object is refused by verify, get and restore; data without a manifest is no backup', async () => {
  const bucket = await freshBucket();
  const loc = `s3://${bucket}`;
  assert.equal((await cli(['backup', '--context', 'east', '-n', 'argocd', '--to', loc])).code, 0);
  const st = storeOf(bucket);
  const [backup] = (await listBackups(st)).backups;
  st.close();
  const key = backup!.manifest.dataKey;
  const original = await getObject(bucket, key);

  const altered = Buffer.from(original);
  altered[Math.floor(altered.length / 2)] ^= 0x01;
  await overwrite(bucket, key, altered);
  const v = await cli(['backups', 'verify', loc]);
  assert.equal(v.code, 1);
  assert.match(v.out, new RegExp(`FAILED .*${key.replace(/[.]/g, '\\.')}.*SHA-256.*altered; refused`));
  const ns = freshName('store-refused');
  await createNamespace(west, ns);
  created.push(ns);
  const r = await cli(['restore', '--from-store', loc, '--backup', backup!.manifest.id, '--context', 'west', '-n', ns, '--apply']);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /altered; refused/);
  const r2 = await cli(['restore', '--from-store', loc, '--context', 'west', '-n', ns, '--apply']);
  assert.notEqual(r2.code, 0);
  assert.match(r2.err, /no verified backup/);
  const out = path.join(tmp, 'refused.yaml');
  assert.equal((await cli(['backups', 'get', loc, '--backup', backup!.manifest.id, '-o', out])).code, 1);
  assert.ok(!fs.existsSync(out), 'nothing is written from a refused backup');

  await overwrite(bucket, key, original.subarray(0, original.length - 100));
  const t = await cli(['backups', 'verify', loc]);
  assert.equal(t.code, 1);
  assert.match(t.out, /is \d+ bytes, the manifest says \d+: truncated or replaced/);

  // Data without its manifest (an upload that never finished) is not listed as a backup.
  await overwrite(bucket, 'x._._.y/20260101T000000.000Z-abcdef.backup.yaml', original);
  const l = await cli(['backups', 'list', loc, '-o', 'json']);
  assert.equal((JSON.parse(l.out) as { backups: unknown[]; unfinished: string[] }).unfinished.length, 1);
  assert.equal((JSON.parse(l.out) as { backups: unknown[] }).backups.length, 1);
});

test('wrong credentials get 403 with a clear message and no secret; a missing bucket is named', async () => {
  const bucket = await freshBucket();
  const wrongSecret = 'wrong-secret-value-1234567890';
  const bad = await cli(['backup', '--context', 'east', '-n', 'argocd', '--to', `s3://${bucket}`], s3Env(m, { AWS_SECRET_ACCESS_KEY: wrongSecret }));
  assert.equal(bad.code, 3);
  assert.match(bad.err, /403 SignatureDoesNotMatch/);
  assert.match(bad.err, /no backup was stored/);
  assert.ok(!bad.err.includes(wrongSecret));
  assertNoSecrets(bad.err);
  const unknown = await cli(['backups', 'list', `s3://${bucket}`], s3Env(m, { AWS_ACCESS_KEY_ID: 'nosuchkey' }));
  assert.equal(unknown.code, 3);
  assert.match(unknown.err, /InvalidAccessKeyId/);
  const missing = await cli(['backup', '--context', 'east', '-n', 'argocd', '--to', 's3://no-such-bucket-here']);
  assert.equal(missing.code, 3);
  assert.match(missing.err, /the bucket "no-such-bucket-here" does not exist/);
  assert.equal((await cli(['backups', 'list', `s3://${bucket}`])).out.split('\n').filter((l) => l.trim()).length, 1, 'only the header: nothing was stored');
});

test('age: gitops-dr encrypts, `age -d` decrypts to the exact export; `age -r` encrypts, gitops-dr restores; a wrong key is refused', async () => {
  const bucket = await freshBucket();
  const loc = `s3://${bucket}/enc`;
  const keyFile = path.join(tmp, 'key.txt');
  const wrongKey = path.join(tmp, 'wrong.txt');
  for (const f of [keyFile, wrongKey]) fs.rmSync(f, { force: true });
  execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' });
  execFileSync('age-keygen', ['-o', wrongKey], { stdio: 'ignore' });
  const recipient = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim();

  const b = await cli(['backup', '--context', 'east', '-n', 'argocd', '--to', loc, '--encrypt-to', recipient]);
  assert.equal(b.code, 0, b.err);
  const st = storeOf(bucket, 'enc');
  const [backup] = (await listBackups(st)).backups;
  st.close();
  assert.equal(backup!.manifest.encrypted, true);
  assert.match(backup!.manifest.dataKey, /\.backup\.yaml\.age$/);
  const stored = await getObject(bucket, `enc/${backup!.manifest.dataKey}`);
  assert.ok(!stored.includes(Buffer.from('argocd-cm')), 'the stored object is ciphertext');
  const plain = execFileSync('age', ['-d', '-i', keyFile], { input: stored, maxBuffer: 1 << 30 });
  assert.equal(plain.toString('utf8'), eastExport);

  const got = path.join(tmp, 'dec.yaml');
  assert.equal((await cli(['backups', 'get', loc, '-i', keyFile, '-o', got])).code, 0);
  assert.equal(fs.readFileSync(got, 'utf8'), eastExport);
  const wrong = await cli(['backups', 'get', loc, '-i', wrongKey, '-o', got + '2']);
  assert.equal(wrong.code, 3);
  assert.match(wrong.err, /cannot be decrypted with the given identity/);
  const none = await cli(['backups', 'get', loc, '-o', got + '3']);
  assert.match(none.err, /is encrypted: give an age identity file/);

  // The other way round: a file encrypted by Debian's age opens with the library.
  const cipher = execFileSync('age', ['-r', recipient], { input: eastExport, maxBuffer: 1 << 30 });
  const identity = fs.readFileSync(keyFile, 'utf8').split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'))!;
  const out = await readAll(await decryptStream(Readable.from([cipher]), { identities: [identity] }, 'age-cli file'), 1 << 30, 'x');
  assert.equal(out.toString('utf8'), eastExport);

  // Passphrase encryption round trip (age's scrypt recipient) through the store.
  const pass = await cli(['backup', '--context', 'east', '-n', 'argocd', '--to', `s3://${bucket}/pass`, '--encrypt-passphrase-env', 'BK_PASS'], s3Env(m, { BK_PASS: 'correct horse battery staple' }));
  assert.equal(pass.code, 0, pass.err);
  const p = await cli(['backups', 'get', `s3://${bucket}/pass`, '--passphrase-env', 'BK_PASS', '-o', got + '4'], s3Env(m, { BK_PASS: 'correct horse battery staple' }));
  assert.equal(p.code, 0, p.err);
  assert.equal(fs.readFileSync(got + '4', 'utf8'), eastExport);
  const pw = await cli(['backups', 'get', `s3://${bucket}/pass`, '--passphrase-env', 'BK_PASS', '-o', got + '5'], s3Env(m, { BK_PASS: 'wrong' }));
  assert.equal(pw.code, 3);
  assert.match(pw.err, /cannot be decrypted with the given passphrase/);
  assert.ok(!pw.err.includes('correct horse'));
});

test('retention keeps the newest N, --dry-run removes nothing, and the newest verified backup is never removed', async () => {
  const bucket = await freshBucket();
  const loc = `s3://${bucket}`;
  for (let i = 0; i < 4; i++) assert.equal((await cli(['backup', '--context', 'east', '-n', 'argocd', '--to', loc])).code, 0);
  const st = storeOf(bucket);
  const before = (await listBackups(st)).backups;
  assert.equal(before.length, 4);
  // Break the newest: the newest verified one is now the second.
  await overwrite(bucket, before[0]!.manifest.dataKey, Buffer.from('not the export'));
  const dry = await cli(['backups', 'prune', loc, '--keep-last', '1', '--dry-run']);
  assert.equal(dry.code, 0, dry.err);
  assert.equal((dry.err.match(/^would remove /gm) ?? []).length, 2);
  assert.equal((await listBackups(st)).backups.length, 4, '--dry-run removed nothing');
  const pr = await cli(['backups', 'prune', loc, '--keep-last', '1']);
  assert.equal(pr.code, 0, pr.err);
  const left = (await listBackups(st)).backups.map((b) => b.manifest.id);
  assert.deepEqual(left, [before[0]!.manifest.id, before[1]!.manifest.id], 'the newest (kept by --keep-last) and the newest verified remain');
  // Backup with --keep-last 1: the fresh one is verified and newest; the broken one goes, so does the old.
  const again = await cli(['backup', '--context', 'east', '-n', 'argocd', '--to', loc, '--keep-last', '1']);
  assert.equal(again.code, 0, again.err);
  const final = (await listBackups(st)).backups;
  st.close();
  assert.equal(final.length, 1);
  assert.ok(!before.some((b) => b.manifest.id === final[0]!.manifest.id));
});

test('the server dies half-way through an upload: no backup appears; the next run succeeds', async () => {
  const api = await objectStoreApi();
  const stateDir = path.join(tmp, 'minio-private');
  const own = await api.startMinio({ stateDir });
  try {
    await createBucket(own, 'crash');
    const loc = parseLocation('s3://crash', s3Env(own)) as S3Location;
    const creds = { accessKeyId: own.accessKey, secretAccessKey: own.secretKey };
    const source = { identity: { account: 'acc', agent: 'crashy' }, context: 'east', clusterId: 'uid-1', namespace: 'argocd' };
    const chunk = 'x'.repeat(1 << 20);
    const store = new S3Store(loc, { credentials: creds, timeoutMs: 5000 });
    await assert.rejects(
      storeBackup({
        store,
        source,
        toolVersion: TOOL_VERSION,
        produce: async (sink) => {
          for (let i = 0; i < 40; i++) {
            await sink(chunk);
            if (i === 12) await api.killMinio(stateDir);
          }
          return { mode: 'native', namespace: 'argocd', counts: { ConfigMap: 0, Secret: 0, AppProject: 0, Application: 0, ApplicationSet: 0 }, missing: [], warnings: [], applicationNamespaces: [], applicationSetNamespaces: [], bytes: 40 << 20, durationMs: 0 };
        },
      }),
      (e: unknown) => e instanceof StoreError && e.reason === 'unreachable',
    );
    store.close();
    const again = await api.startMinio({ stateDir });
    assert.equal(again.port, own.port, 'same port after the restart');
    const store2 = new S3Store(loc, { credentials: creds });
    assert.equal((await listBackups(store2)).backups.length, 0, 'no backup appeared');
    const ok = await storeBackup({
      store: store2,
      source,
      toolVersion: TOOL_VERSION,
      produce: async (sink) => {
        for (let i = 0; i < 18; i++) await sink(chunk); // 18 MiB: a multipart upload (8 MiB parts)
        return { mode: 'native', namespace: 'argocd', counts: { ConfigMap: 1, Secret: 0, AppProject: 0, Application: 0, ApplicationSet: 0 }, missing: [], warnings: [], applicationNamespaces: [], applicationSetNamespaces: [], bytes: eastExport.length, durationMs: 0 };
      },
    });
    const listed = await listBackups(store2);
    assert.deepEqual(listed.backups.map((b) => b.manifest.id), [ok.manifest.id]);
    assert.equal(ok.manifest.size, 18 << 20);
    await verifyBackup(store2, listed.backups[0]!);
    store2.close();
  } finally {
    await api.stopMinio(stateDir);
  }
});
