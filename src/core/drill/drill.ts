// A restore drill: prove a backup restores, and how long it takes, without touching the live Argo CD. The backup
// goes through the restore gate, then into a scratch namespace on the secondary that no Argo CD watches (every
// AppProject also gets gitops-dr's deny window, so no sync could start even if one did), every object is read back
// and compared with the backup, and the scratch namespace is removed again: also after a failure or a cancel.
// RTO = time from start until every object is verified.
import { randomBytes } from 'node:crypto';
import { APPLICATION, APPLICATION_SET, APP_PROJECT, CONFIG_MAP, NAMESPACE, SECRET, resourceTypeOfKind, type ResourceType } from '../objects/resources';
import type { KubeClient } from '../kube/client';
import { KubeError, describeError } from '../kube/errors';
import type { KubeObject } from '../objects/kubeObject';
import { applyRestore } from '../restore/apply';
import { diffForUpdate } from '../restore/diff';
import { objectsEqual } from '../restore/equality';
import { gateBackup, type BackupInput } from '../restore/gate';
import { RestoreRefusedError, type BackupObject } from '../restore/input';
import { CREATED_BY_LABEL } from '../restore/namespaces';
import { planRestoreObjects } from '../restore/plan';
import { withOurDenyWindow, type AppProject } from '../syncWindows/model';

export type DrillPhase = 'gate' | 'namespace' | 'plan' | 'apply' | 'verify' | 'cleanup';

export interface DrillOptions {
  /** The live Argo CD namespace of the target: never used as the scratch namespace. */
  argoNamespace?: string;
  /** Default `gitops-dr-drill-<random>`; must not exist. */
  scratchNamespace?: string;
  signal?: AbortSignal;
  /** Called as each phase starts (progress; tests inject failures here). */
  onPhase?: (phase: DrillPhase) => void | Promise<void>;
  sourceLabel?: string;
}

export interface DrillReport {
  ok: boolean;
  context: string;
  server: string;
  scratchNamespace: string;
  source: string;
  startedAt: string;
  /** Start to every object verified; undefined when the drill did not get there. */
  rtoMs?: number;
  totalMs: number;
  counts: { objects: number; created: number; verified: number; mismatched: number; notDrilled: number };
  mismatches: string[];
  notDrilled: string[];
  error?: string;
  cleanup: { namespaceDeleted: boolean; objectsDeleted: number; error?: string };
}

const DRILL_KINDS: ResourceType[] = [APPLICATION_SET, APPLICATION, APP_PROJECT, SECRET, CONFIG_MAP];

/** Every object moved into the scratch namespace (a name used twice across namespaces is drilled once). */
function intoScratch(objects: readonly BackupObject[], scratch: string): { objects: BackupObject[]; notDrilled: string[] } {
  const seen = new Set<string>();
  const out: BackupObject[] = [];
  const notDrilled: string[] = [];
  for (const o of objects) {
    const key = `${o.object.apiVersion}/${o.object.kind}/${o.object.metadata!.name}`;
    if (seen.has(key)) {
      notDrilled.push(`${o.object.kind} ${o.object.metadata!.namespace}/${o.object.metadata!.name}: same name as another object once in the scratch namespace`);
      continue;
    }
    seen.add(key);
    let object: KubeObject = { ...o.object, metadata: { ...o.object.metadata, namespace: scratch } };
    if (object.kind === 'AppProject') {
      const change = withOurDenyWindow(object as AppProject, { reason: 'restore drill: no sync from the scratch namespace' });
      if (change) object = { ...object, spec: { ...(object.spec as object), syncWindows: change.syncWindows }, metadata: { ...object.metadata, annotations: { ...(object.metadata?.annotations ?? {}), 'gitops-agent-dr/added-sync-windows': change.annotation! } } };
    }
    out.push({ index: o.index, ...(o.range ? { range: o.range } : {}), object });
  }
  return { objects: out, notDrilled };
}

/** Deletes what the drill wrote (finalizers first: no controller watches the scratch namespace), then the namespace. */
async function removeScratch(client: KubeClient, scratch: string): Promise<DrillReport['cleanup']> {
  let objectsDeleted = 0;
  try {
    for (const type of DRILL_KINDS) {
      for (const o of await client.listAll(type, scratch)) {
        const name = o.metadata!.name!;
        if (o.metadata?.finalizers?.length) await client.patchMerge(type, scratch, name, { metadata: { finalizers: null } });
        await client.delete(type, scratch, name).catch((e: unknown) => {
          if (!(e instanceof KubeError && e.reason === 'notFound')) throw e;
        });
        objectsDeleted++;
      }
    }
    await client.delete(NAMESPACE, undefined, scratch).catch((e: unknown) => {
      if (!(e instanceof KubeError && e.reason === 'notFound')) throw e;
    });
    return { namespaceDeleted: true, objectsDeleted };
  } catch (e) {
    return { namespaceDeleted: false, objectsDeleted, error: `${describeError(e)}: delete namespace ${scratch} by hand` };
  }
}

/** An AppProject as a CRD that prunes sync-window descriptions (Argo CD < 2.13) stores it; other objects as they are. */
function asServerKeepsIt(expected: KubeObject, live: KubeObject): KubeObject {
  if (expected.kind !== 'AppProject') return expected;
  const want = (expected as AppProject).spec?.syncWindows;
  const got = (live as AppProject).spec?.syncWindows;
  if (!Array.isArray(want) || !Array.isArray(got) || want.length !== got.length) return expected;
  const syncWindows = want.map((w, i) => (got[i] && got[i]!.description === undefined ? (({ description: _d, ...rest }) => rest)(w) : w));
  return { ...expected, spec: { ...(expected.spec as object), syncWindows } };
}

export async function runDrill(client: KubeClient, input: BackupInput, options: DrillOptions = {}): Promise<DrillReport> {
  const started = Date.now();
  const scratch = options.scratchNamespace ?? `gitops-dr-drill-${randomBytes(4).toString('hex')}`;
  if (options.argoNamespace && scratch === options.argoNamespace) throw new Error(`the scratch namespace must not be the live Argo CD namespace ${scratch}`);
  const report: DrillReport = {
    ok: false,
    context: client.context,
    server: client.server,
    scratchNamespace: scratch,
    source: options.sourceLabel ?? 'backup',
    startedAt: new Date(started).toISOString(),
    totalMs: 0,
    counts: { objects: 0, created: 0, verified: 0, mismatched: 0, notDrilled: 0 },
    mismatches: [],
    notDrilled: [],
    cleanup: { namespaceDeleted: false, objectsDeleted: 0 },
  };
  const phase = async (p: DrillPhase): Promise<void> => {
    if (options.signal?.aborted) throw new KubeError('cancelled', 'cancelled');
    await options.onPhase?.(p);
  };
  await phase('gate');
  const gated = gateBackup(input, { namespace: scratch });
  if (gated.problems.length > 0) throw new RestoreRefusedError(gated.problems);
  const { objects, notDrilled } = intoScratch(gated.objects, scratch);
  report.notDrilled = notDrilled;
  report.counts = { ...report.counts, objects: objects.length, notDrilled: notDrilled.length };

  await phase('namespace');
  if (await client.get(NAMESPACE, undefined, scratch, options.signal)) throw new Error(`namespace ${scratch} exists already: a drill only uses a namespace it creates`);
  await client.create(NAMESPACE, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: scratch, labels: { [CREATED_BY_LABEL]: 'drill' } } }, options.signal ? { signal: options.signal } : {});
  try {
    await phase('plan');
    const call = options.signal ? { signal: options.signal } : {};
    const plan = await planRestoreObjects(client, objects, { namespace: scratch, applicationNamespaces: [scratch], applicationSetNamespaces: [scratch], stopOperation: true }, { ...call, sourceLabel: report.source });
    await phase('apply');
    const result = await applyRestore(client, plan, call);
    report.counts.created = result.counts.created;
    const failed = result.results.filter((r) => r.outcome === 'failed');
    if (failed.length) throw new Error(`${failed.length} object(s) failed to restore: ${failed.slice(0, 5).map((r) => r.line).join('; ')}`);

    await phase('verify');
    for (const e of plan.entries) {
      if (!e.backup) continue;
      const type = resourceTypeOfKind(e.backup.apiVersion, e.backup.kind)!;
      const live = await client.get(type, scratch, e.ref.name, options.signal);
      if (live && objectsEqual(asServerKeepsIt(e.backup, live), live)) report.counts.verified++;
      else report.mismatches.push(`${e.ref.kind} ${e.ref.name}: ${live ? `differs from the backup after the restore (${diffForUpdate(live, e.backup, true).map((c) => c.path).slice(0, 5).join(', ')})` : 'missing after the restore'}`);
    }
    report.counts.mismatched = report.mismatches.length;
    if (report.counts.mismatched === 0) report.rtoMs = Date.now() - started;
    report.ok = report.counts.mismatched === 0;
  } catch (e) {
    report.error = describeError(e);
  } finally {
    // A failed or cancelled drill still cleans up (its requests carry no signal: the cancel must not stop them).
    try {
      await options.onPhase?.('cleanup');
    } catch {
      /* progress only */
    }
    report.cleanup = await removeScratch(client, scratch);
    report.totalMs = Date.now() - started;
  }
  return report;
}

export function formatDrillMarkdown(r: DrillReport): string {
  const lines = [
    `# Restore drill: ${r.ok ? 'PASSED' : 'FAILED'}`,
    '',
    `- Backup: ${r.source}`,
    `- Target: context ${r.context} (${r.server}), scratch namespace \`${r.scratchNamespace}\` (no Argo CD watches it; every AppProject denied syncs)`,
    `- Started: ${r.startedAt}`,
    `- **RTO (start to every object verified): ${r.rtoMs !== undefined ? `${(r.rtoMs / 1000).toFixed(2)} s` : 'not reached'}**; whole drill with cleanup ${(r.totalMs / 1000).toFixed(2)} s`,
    '',
    '| objects | created | verified | mismatched | not drilled |',
    '|---:|---:|---:|---:|---:|',
    `| ${r.counts.objects} | ${r.counts.created} | ${r.counts.verified} | ${r.counts.mismatched} | ${r.counts.notDrilled} |`,
    '',
  ];
  if (r.error) lines.push(`**Error:** ${r.error}`, '');
  if (r.mismatches.length) lines.push('## Mismatches', '', ...r.mismatches.slice(0, 50).map((m) => `- ${m}`), '');
  if (r.notDrilled.length) lines.push('## Not drilled', '', ...r.notDrilled.slice(0, 50).map((m) => `- ${m}`), '');
  lines.push(
    '## Cleanup',
    '',
    r.cleanup.namespaceDeleted ? `- ${r.cleanup.objectsDeleted} objects deleted, namespace \`${r.scratchNamespace}\` deleted` : `- **namespace \`${r.scratchNamespace}\` NOT removed**: ${r.cleanup.error ?? ''}`,
    '',
  );
  return lines.join('\n');
}
