// Proof test of the object-store harness: `down` leaves no MinIO running, even one whose state file is gone
// (a cold CI run once left the shared server alive after npm test).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

/** Whether pid runs (a zombie child of this process does not: it has exited and waits to be reaped). */
function running(pid) {
  try { return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z'; } catch { return false; }
}

test('objectstore down stops every MinIO under its home, also one whose server.json was lost', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-dr-objectstore-proof-'));
  process.env.GITOPS_DR_CLUSTER_HOME = home;
  const { up, down } = await import('../../objectstore/index.mjs');
  try {
    const s = await up();
    const { pid } = JSON.parse(fs.readFileSync(path.join(s.stateDir, 'server.json'), 'utf8'));
    assert.ok(running(pid), 'the server runs');
    fs.rmSync(path.join(s.stateDir, 'server.json'));
    await down();
    assert.ok(!running(pid), `minio pid ${pid} still runs after down`);
    assert.deepEqual(fs.readdirSync(path.join(home, 'objectstore')), []);
  } finally {
    await down();
    fs.rmSync(home, { recursive: true, force: true });
  }
});
