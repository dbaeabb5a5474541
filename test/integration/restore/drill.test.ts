// Restore drills on the demo clusters: east's backup drilled on west (CLI, with its Markdown report and RTO), a
// drill that fails in verification, one cancelled during apply, and one interrupted with SIGINT: each leaves no
// object behind and its scratch namespace deleted (Terminating here: no namespace controller runs), and west's live
// Argo CD namespace untouched.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubeClient } from '../../../src/core/kube/client';
import { APPLICATION, APP_PROJECT, CONFIG_MAP, NAMESPACE, SECRET } from '../../../src/core/objects/resources';
import { runDrill, type DrillPhase } from '../../../src/core/drill/drill';
import { runCli } from '../../../src/cli/main';
import { scenario, type ScenarioClusters } from '../support/clusters';
import { captureIO } from '../support/cliIO';
import { captureState, diffState, type CapturedState } from '../failover/clusterState';
import { backupText, clientFor } from './support';

const NS = 'argocd';

describe('restore drill on west', () => {
  let s: ScenarioClusters;
  let west: KubeClient;
  let initial: CapturedState;
  let dir: string;
  let backupFile: string;
  const scratches: string[] = [];

  before(async () => {
    s = await scenario('demo');
    const east = await clientFor(s, 'east');
    west = await clientFor(s, 'west');
    initial = await captureState(west, NS);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-it-'));
    backupFile = path.join(dir, 'east.backup.yaml');
    fs.writeFileSync(backupFile, (await backupText(east, NS, { applicationNamespaces: ['team-*', 'sandbox'] })).text, { mode: 0o600 });
    east.close();
  });

  /** The drill deleted everything it wrote and asked for the namespace's deletion. */
  async function assertCleanedUp(scratch: string): Promise<void> {
    for (const type of [APPLICATION, APP_PROJECT, SECRET, CONFIG_MAP]) {
      const left = (await west.listAll(type, scratch)).filter((o) => !(type === CONFIG_MAP && o.metadata?.name === 'kube-root-ca.crt'));
      assert.deepEqual(left.map((o) => o.metadata!.name), [], `no ${type.kind} left in ${scratch}`);
    }
    const ns = await west.get(NAMESPACE, undefined, scratch);
    assert.ok(!ns || ns.metadata?.deletionTimestamp, `${scratch} is deleted (or Terminating: no namespace controller here)`);
  }

  after(async () => {
    // Finish what the namespace controller would: the test clusters have none.
    for (const name of scratches) {
      const live = await west.get(NAMESPACE, undefined, name).catch(() => undefined);
      if (live) await west.request(`/api/v1/namespaces/${name}/finalize`, { method: 'PUT', body: { ...live, spec: { finalizers: [] } } }).catch(() => undefined);
    }
    if (west && initial) assert.deepEqual(await diffState(west, initial), [], 'west/argocd untouched by every drill');
    west?.close();
  });

  test('gitops-dr drill: every object verified, RTO measured, Markdown report, no scratch namespace left', async () => {
    const scratch = 'drill-cli-ok';
    scratches.push(scratch);
    const report = path.join(dir, 'drill.md');
    const io = captureIO();
    const code = await runCli(['drill', backupFile, '--context', 'west', '-n', NS, '--scratch-namespace', scratch, '--report', report, '--kubeconfig', s.kubeconfig], io);
    assert.equal(code, 0, io.err() + io.out());
    const md = fs.readFileSync(report, 'utf8');
    assert.match(md, /^# Restore drill: PASSED/);
    const rto = /RTO \(start to every object verified\): ([\d.]+) s/.exec(md);
    assert.ok(rto, md);
    const row = /\| (\d+) \| (\d+) \| (\d+) \| 0 \| (\d+) \|/.exec(md)!;
    assert.ok(Number(row[1]) > 40 && row[1] === row[3], `every drilled object verified: ${row[0]}`);
    console.log(`drill on demo west: RTO ${rto![1]} s for ${row[1]} objects (${row[4]} not drilled: same name in another namespace)`);
    assert.equal((fs.statSync(report).mode & 0o777).toString(8), '600');
    await assertCleanedUp(scratch);
  });

  test('a drill that fails (in verification) still removes its scratch namespace and says why', async () => {
    const scratch = 'drill-fails';
    scratches.push(scratch);
    const r = await runDrill(west, fs.readFileSync(backupFile), { argoNamespace: NS, scratchNamespace: scratch, onPhase: (p) => { if (p === 'verify') throw new Error('injected failure in verify'); } });
    assert.equal(r.ok, false);
    assert.equal(r.rtoMs, undefined);
    assert.match(r.error ?? '', /injected failure/);
    assert.ok(r.cleanup.namespaceDeleted && r.cleanup.objectsDeleted > 40, JSON.stringify(r.cleanup));
    await assertCleanedUp(scratch);
  });

  test('a drill cancelled during apply removes what it wrote', async () => {
    const scratch = 'drill-cancelled';
    scratches.push(scratch);
    const abort = new AbortController();
    const phases: DrillPhase[] = [];
    const r = await runDrill(west, fs.readFileSync(backupFile), { argoNamespace: NS, scratchNamespace: scratch, signal: abort.signal, onPhase: (p) => { phases.push(p); if (p === 'apply') setTimeout(() => abort.abort(), 30); } });
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /cancel/i);
    assert.deepEqual(phases.slice(-1), ['cleanup']);
    assert.ok(r.cleanup.namespaceDeleted);
    await assertCleanedUp(scratch);
  });

  test('Ctrl-C (SIGINT) during a CLI drill removes the scratch namespace before the process ends', async () => {
    const scratch = 'drill-sigint';
    scratches.push(scratch);
    const main = path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
    const child = spawn(process.execPath, [main, 'drill', backupFile, '--context', 'west', '-n', NS, '--scratch-namespace', scratch, '--kubeconfig', s.kubeconfig], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('drill: apply') && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.match(err, /interrupted; removing the scratch namespace/);
    assert.notEqual(code, 0);
    await assertCleanedUp(scratch);
  });

  test('gitops-dr drill --from-store DIR: the newest stored backup that verifies is drilled (a newer altered one is skipped, with a warning)', async () => {
    const loc = path.join(dir, 'store');
    fs.mkdirSync(loc);
    const cli = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
      const io = captureIO('', process.env, dir);
      const code = await runCli(args[0] === 'backups' ? args : [...args, '--kubeconfig', s.kubeconfig], io);
      return { code, out: io.out(), err: io.err() };
    };
    const first = await cli(['backup', '--context', 'east', '-n', NS, '--to', loc]);
    assert.equal(first.code, 0, first.err);
    const second = await cli(['backup', '--context', 'east', '-n', NS, '--to', loc]);
    assert.equal(second.code, 0, second.err);
    const listed = JSON.parse((await cli(['backups', 'list', loc, '-o', 'json'])).out) as { backups: Array<{ id: string; dataKey: string; created: string }> };
    assert.equal(listed.backups.length, 2);
    const newest = listed.backups[0]!;
    const older = listed.backups[1]!;
    // Alter the newest backup's stored bytes: its SHA-256 no longer matches its manifest.
    fs.appendFileSync(path.join(loc, ...newest.dataKey.split('/')), '# altered\n');

    const scratch = 'drill-from-store';
    scratches.push(scratch);
    const r = await cli(['drill', '--from-store', loc, '--context', 'west', '-n', NS, '--scratch-namespace', scratch, '-o', 'json']);
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.err, new RegExp(`warning: skipped a newer backup that does not verify: .*${newest.dataKey.replace(/[.]/g, '\\.')}`));
    assert.match(r.err, new RegExp(`drilling the stored backup .*: ${older.id} \\(created `));
    const report = JSON.parse(r.out) as { ok: boolean; source: string; rtoMs?: number; counts: { objects: number; verified: number } };
    assert.equal(report.ok, true);
    assert.ok(report.counts.objects > 40 && report.counts.verified === report.counts.objects, JSON.stringify(report.counts));
    assert.match(report.source, new RegExp(older.id));
    assert.ok(typeof report.rtoMs === 'number' && report.rtoMs > 0);
    await assertCleanedUp(scratch);

    // Bad input: an empty location, a FILE together with --from-store, --agent without --from-store.
    const empty = path.join(dir, 'empty-store');
    fs.mkdirSync(empty);
    const none = await cli(['drill', '--from-store', empty, '--context', 'west', '-n', NS]);
    assert.equal(none.code, 2, none.err);
    assert.match(none.err, /holds no backup/);
    const both = await cli(['drill', backupFile, '--from-store', loc, '--context', 'west', '-n', NS]);
    assert.equal(both.code, 2);
    assert.match(both.err, /give a FILE or --from-store, not both/);
    const agentOnly = await cli(['drill', backupFile, '--agent', 'x', '--context', 'west', '-n', NS]);
    assert.equal(agentOnly.code, 2);
    assert.match(agentOnly.err, /--agent only applies with --from-store/);
  });

  test('the drill refuses the live Argo CD namespace as its scratch namespace', async () => {
    await assert.rejects(runDrill(west, fs.readFileSync(backupFile), { argoNamespace: NS, scratchNamespace: NS }), /must not be the live Argo CD namespace/);
  });
});
