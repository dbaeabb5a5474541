// The stored backup a drill or restore into one member takes: the newest that verifies, taken on another cluster
// than the target's when there is one; encrypted ones are passed over (with a warning) when no key is given.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DirectoryStore, agentKey, listBackups, newestBackupForTarget, storeBackup, TOOL_VERSION } from '../../../src/core/store';
import type { BackupResult } from '../../../src/core/backup';

const RESULT: BackupResult = { mode: 'native', namespace: 'argocd', counts: { ConfigMap: 1, Secret: 0, AppProject: 0, Application: 0, ApplicationSet: 0 }, missing: [], warnings: [], applicationNamespaces: [], applicationSetNamespaces: [], bytes: 0, durationMs: 0 };
const IDENTITY = { account: 'acc', org: 'org', project: 'p', agent: 'dragent' };

async function put(store: DirectoryStore, clusterId: string, text: string, encryption?: { passphrase: string }): Promise<void> {
  await storeBackup({ store, source: { identity: IDENTITY, context: clusterId, clusterId, namespace: 'argocd' }, toolVersion: TOOL_VERSION, ...(encryption ? { encryption } : {}), produce: async (sink) => {
    await sink(text);
    return RESULT;
  } });
  await new Promise((r) => setTimeout(r, 5)); // distinct creation times
}

test('newest for a target: the other cluster first, then any; altered and encrypted ones passed over with why', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newest-target-'));
  try {
    const store = new DirectoryStore(dir);
    const key = agentKey(IDENTITY);
    assert.deepEqual(await newestBackupForTarget(store, key, { targetClusterId: 'west' }), { warnings: [] }, 'nothing stored');
    await put(store, 'east', 'east-old\n');
    await put(store, 'east', 'east-new\n');
    await put(store, 'west', 'west-newest\n');
    const forWest = await newestBackupForTarget(store, key, { targetClusterId: 'west' });
    assert.equal(forWest.text, 'east-new\n', "a drill on west takes the primary's (east's) newest, not west's own");
    assert.deepEqual(forWest.warnings, []);
    assert.equal((await newestBackupForTarget(store, key)).text, 'west-newest\n', 'no target: the newest of any member');

    // The newest of east altered: skipped with the reason, the older one taken.
    const newest = (await listBackups(store, { agentKey: key })).backups.find((b) => b.manifest.clusterId === 'east')!;
    const file = path.join(dir, ...newest.manifest.dataKey.split('/'));
    fs.writeFileSync(file, 'east-NEW\n');
    const skipped = await newestBackupForTarget(store, key, { targetClusterId: 'west' });
    assert.equal(skipped.text, 'east-old\n');
    assert.equal(skipped.warnings.length, 1);
    assert.match(skipped.warnings[0]!, /skipped a newer backup that does not verify: .*altered; refused/);

    // Only west's own backups verify: taken (a drill of any member's backup is still a drill).
    fs.writeFileSync(path.join(dir, ...(await listBackups(store, { agentKey: key })).backups.find((b) => b.manifest.clusterId === 'east' && b !== newest && b.manifest.id !== newest.manifest.id)!.manifest.dataKey.split('/')), 'east-OLD\n');
    assert.equal((await newestBackupForTarget(store, key, { targetClusterId: 'west' })).text, 'west-newest\n');

    await put(store, 'east', 'east-encrypted\n', { passphrase: 'correct horse battery staple' });
    const noKey = await newestBackupForTarget(store, key, { targetClusterId: 'west' });
    assert.ok(noKey.warnings.some((w) => /age-encrypted, and no key was given/.test(w)), noKey.warnings.join('\n'));
    assert.equal(noKey.text, 'west-newest\n');
    const withKey = await newestBackupForTarget(store, key, { targetClusterId: 'west', keys: { passphrase: 'correct horse battery staple' } });
    assert.equal(withKey.text, 'east-encrypted\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
