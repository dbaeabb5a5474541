// Hazards inside otherwise fine objects: a sync that starts on restore, Secrets the API server rejects or
// that come back empty, a status claiming a sync is running.
import { removeFieldFix } from '../fixes';
import { describeObject, type LintRun } from '../lintRun';
import { isBase64 } from '../secretData';
import type { BackupDocument } from '../../yaml/readBackup';

export function checkHazards(run: LintRun): void {
  for (const o of run.objects) {
    const what = describeObject(o);
    if (o.group === 'argoproj.io' && o.kind === 'Application') {
      if (o.obj.operation !== undefined && o.obj.operation !== null) {
        run.add(
          'DRL014',
          `${what} carries .operation: Argo CD starts that sync as soon as the Application is restored (remove it, or restore with argocd admin import --stop-operation)`,
          o.doc.rangeOf(['operation']) ?? run.headRange(o.doc),
          o.doc,
          removeFieldFix(run.parsed, o.doc, ['operation'], 'Remove .operation (no sync starts on restore)'),
        );
      }
      const status = o.obj.status as { operationState?: { phase?: unknown } } | undefined;
      const phase = status?.operationState?.phase;
      if (phase === 'Running' || phase === 'Terminating') {
        run.add(
          'DRL017',
          `${what} has status.operationState.phase ${phase}: restored as is, the target shows a sync that no controller is running`,
          o.doc.rangeOf(['status', 'operationState', 'phase']) ?? run.headRange(o.doc),
          o.doc,
        );
      }
      continue;
    }
    if (o.group === '' && o.kind === 'Secret') checkSecretData(run, o.obj, what, o.doc);
  }
}

function checkSecretData(run: LintRun, obj: Record<string, unknown>, what: string, doc: BackupDocument): void {
  const data = obj.data;
  const stringData = obj.stringData;
  const dataKeys = data && typeof data === 'object' && !Array.isArray(data) ? Object.keys(data) : [];
  const stringKeys = stringData && typeof stringData === 'object' && !Array.isArray(stringData) ? Object.keys(stringData) : [];
  if (dataKeys.length === 0 && stringKeys.length === 0) {
    run.add('DRL015', `${what} has no data: a restore writes an empty Secret over the target's`, doc.rangeOf(['data']) ?? run.headRange(doc), doc);
    return;
  }
  for (const key of dataKeys) {
    const value = (data as Record<string, unknown>)[key];
    if (value === null || value === undefined || value === '') continue; // an empty value is valid base64
    if (typeof value === 'string' && isBase64(value)) continue;
    // Never the value itself in a message: it is a credential.
    const reason = typeof value === 'string' ? 'is not valid base64' : `is a ${Array.isArray(value) ? 'list' : typeof value}, not a base64 string`;
    run.add('DRL016', `${what} has data.${key} that ${reason}: the API server rejects the Secret on restore (put plain text under stringData instead)`, doc.rangeOf(['data', key]) ?? run.headRange(doc), doc);
  }
}
