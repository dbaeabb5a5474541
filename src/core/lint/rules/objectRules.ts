// Which objects the backup holds: required ones missing, ones it must not hold, duplicates, wrong namespaces.
import {
  ARGOCD_SECRET,
  CMD_PARAMS_CONFIG_MAP,
  GPG_KEYS_CONFIG_MAP,
  isArgoSecret,
  isHarnessAgentObject,
  REQUIRED_CONFIG_MAPS,
} from '../../argo/argoFacts';
import { isNamespaceEnabled } from '../../argo/namespaces';
import { resourceTypeOfKind } from '../../objects/resources';
import { insertConfigMapStubFix, removeDocumentFix } from '../fixes';
import { describeObject, type LintedObject, type LintRun } from '../lintRun';

const isCore = (o: LintedObject) => o.group === '';
const isConfigMap = (o: LintedObject) => isCore(o) && o.kind === 'ConfigMap';
const isSecret = (o: LintedObject) => isCore(o) && o.kind === 'Secret';

/** DRL001/DRL002: the four Argo CD ConfigMaps and argocd-secret (objects in another namespace do not count). */
export function checkRequiredObjects(run: LintRun): void {
  const present = new Set<string>();
  for (const o of run.objects) {
    if (o.namespace !== undefined && o.namespace !== run.options.argoNamespace) continue;
    if (isConfigMap(o) || isSecret(o)) present.add(`${o.kind}/${o.name}`);
  }
  if (run.objects.length === 0) return; // an empty or unreadable file: the reader's problems say why
  for (const name of REQUIRED_CONFIG_MAPS) {
    if (present.has(`ConfigMap/${name}`)) continue;
    run.add(
      'DRL001',
      `ConfigMap ${name} is missing: a restore leaves the target's own ${name} as it is, so its settings are not recovered (argocd admin export always writes it)`,
      run.fileRange(),
      undefined,
      insertConfigMapStubFix(run.parsed, name),
    );
  }
  if (!present.has(`Secret/${ARGOCD_SECRET}`)) {
    run.add('DRL002', `Secret ${ARGOCD_SECRET} is missing: the target keeps its own admin password, server signing key and webhook secrets`, run.fileRange());
  }
}

/** DRL003–DRL006: agent objects, ConfigMaps Argo CD does not restore, kinds a restore cannot write, strays. */
export function checkForbiddenObjects(run: LintRun): void {
  for (const o of run.objects) {
    const what = describeObject(o);
    const remove = () => removeDocumentFix(run.parsed, o.doc, what);
    if (isHarnessAgentObject(o.obj)) {
      const why = isConfigMap(o)
        ? o.name === 'gitops-agent-upgrader'
          ? "the target agent's upgrader settings"
          : "the target agent's identity (account, agent and DR identifiers)"
        : isSecret(o)
          ? "the target agent's token or certificates"
          : 'a part of the target Harness agent';
      run.add('DRL003', `${what} belongs to the Harness GitOps agent: restoring it overwrites ${why}; backups must not hold it`, run.headRange(o.doc), o.doc, remove());
      continue;
    }
    const type = resourceTypeOfKind(typeof o.obj.apiVersion === 'string' ? o.obj.apiVersion : undefined, o.kind);
    if (!type) {
      run.add('DRL005', `${o.kind} (${o.obj.apiVersion ?? 'no apiVersion'}) is not a kind a restore handles: only ConfigMaps, Secrets, AppProjects, Applications and ApplicationSets are restored`, run.rangeOfKind(o.doc), o.doc, remove());
      continue;
    }
    if (isConfigMap(o)) {
      if (o.name === CMD_PARAMS_CONFIG_MAP || o.name === GPG_KEYS_CONFIG_MAP) {
        run.add(
          'DRL004',
          `${what} is not restored by Argo CD: argocd admin export/import never handle it, and restoring it here replaces the target's own ${o.name === CMD_PARAMS_CONFIG_MAP ? 'controller parameters (application namespaces, server flags)' : 'GnuPG keys'}`,
          run.headRange(o.doc),
          o.doc,
          remove(),
        );
      } else if (!(REQUIRED_CONFIG_MAPS as readonly string[]).includes(o.name)) {
        run.add('DRL006', `${what} is not one of Argo CD's ConfigMaps: argocd admin export never writes it, and a restore would create it next to Argo CD`, run.headRange(o.doc), o.doc, remove());
      }
    } else if (isSecret(o) && !isArgoSecret(o.obj)) {
      run.add('DRL006', `${what} is not an Argo CD Secret (no argocd.argoproj.io/secret-type label): argocd admin export never writes it, and a restore would create it next to Argo CD`, run.headRange(o.doc), o.doc, remove());
    }
  }
}

/** DRL007: the same group/kind/namespace/name twice; the later copy is reported, naming the first's line. */
export function checkDuplicates(run: LintRun): void {
  const seen = new Map<string, LintedObject>();
  for (const o of run.objects) {
    const key = `${o.group}/${o.kind}/${o.namespace ?? run.options.argoNamespace ?? ''}/${o.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, o);
      continue;
    }
    const line = first.doc.range.start.line + 1;
    run.add('DRL007', `${describeObject(o)} is already in the file (document at line ${line}): on restore the later copy overwrites the first`, run.headRange(o.doc), o.doc, removeDocumentFix(run.parsed, o.doc, `this duplicate ${o.kind} ${o.name}`));
  }
}

const APP_KINDS = new Set(['Application', 'ApplicationSet']);

/** DRL008/DRL009: objects in another namespace than the Argo CD namespace. */
export function checkNamespaces(run: LintRun): void {
  const argoNs = run.options.argoNamespace;
  const enabled = run.options.enabledNamespaces;
  for (const o of run.objects) {
    const ns = o.namespace;
    if (ns === undefined || ns === argoNs) continue;
    const range = o.doc.rangeOf(['metadata', 'namespace']) ?? run.headRange(o.doc);
    if (o.group === 'argoproj.io' && APP_KINDS.has(o.kind)) {
      if (!enabled) continue; // which namespaces are enabled is unknown: infer nothing
      if (isNamespaceEnabled(ns, argoNs ?? '', enabled)) continue;
      run.add('DRL009', `${o.kind} ${o.name} is in namespace ${ns}, which is not an enabled application namespace (${enabled.length ? enabled.join(', ') : 'none'}): Argo CD on the target ignores it`, range, o.doc);
      continue;
    }
    const argoKind = (isCore(o) && (o.kind === 'ConfigMap' || o.kind === 'Secret')) || (o.group === 'argoproj.io' && o.kind === 'AppProject');
    if (!argoKind) continue; // other kinds are reported as such (DRL005)
    run.add('DRL008', `${describeObject(o)} is outside ${run.argoNamespaceLabel()}: Argo CD reads ${o.kind}s only from its own namespace, and a restore writes this one into ${ns}`, range, o.doc);
  }
}
