// "Add Secondary DR Agent…" on a primary or single agent: pick the target context, run the pre-checks (shown in the
// log and a summary), then either create the secondary in Harness and install its deploy.yaml (with an API key), or
// show the seed's UI steps and apply the manifest file the person downloaded. The install is a dry run first, then
// the apply, then a cancellable readiness watch; the tree is refreshed and the first restore is offered.
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import * as fs from 'node:fs';
import type { DiscoveredAgent } from '../../core/agents/model';
import { discoverAndCheck } from '../../core/secondary/run';
import { defaultDrIdentifier } from '../../core/secondary/prechecks';
import { formatSecondaryChecks } from '../../core/secondary/format';
import { formatChecklist, secondaryChecklist } from '../../core/secondary/checklist';
import { createSecondaryNode, scopeOf } from '../../core/secondary/harnessNode';
import { installManifest, type InstallResult } from '../../core/secondary/install';
import { formatApplied } from '../../core/secondary/apply';
import type { SecondaryCheckReport } from '../../core/secondary/model';
import type { ExtensionServices } from '../services';
import { harnessClient } from '../failover/harnessAccess';
import { currentSnapshot, pickAgent, type AgentArg } from '../failover/pickMember';
import { signalOf } from '../lifecycle';

export type AddSecondaryArgs = AgentArg & {
  /** The kube context of the secondary's cluster. */
  targetContext?: string;
  drIdentifier?: string;
  /** A manifest downloaded from Harness (no API key needed). */
  manifestFile?: string;
  /** No modal, no pickers (tests, automation). */
  confirm?: boolean;
  readyTimeoutSeconds?: number;
  /** Stop after the pre-checks. */
  checkOnly?: boolean;
};

export interface AddSecondaryResult {
  report?: SecondaryCheckReport;
  install?: InstallResult;
  /** Without a key and a file: the UI steps shown. */
  checklist?: string;
  /** The member id of the new secondary once the tree shows it. */
  member?: string;
  error?: string;
  cancelled?: boolean;
}

function interactiveOf(_services: ExtensionServices, arg: AddSecondaryArgs | undefined): boolean {
  return arg?.confirm !== false;
}

async function pickTargetContext(services: ExtensionServices, primary: DiscoveredAgent): Promise<string | undefined> {
  const snapshot = services.agents?.model.snapshot;
  const items = (snapshot?.contexts ?? [])
    .filter((c) => c.name !== primary.context)
    .map((c) => ({ label: c.name, description: c.state === 'reachable' ? (c.clusterId === primary.clusterId ? 'same cluster as the primary' : c.serverVersion ?? '') : `unreachable: ${c.reason ?? ''}` }));
  return (await vscode.window.showQuickPick(items, { title: `Add a secondary for ${primary.identity.agent}: which cluster (context)?` }))?.label;
}

export async function addSecondaryCommand(services: ExtensionServices, arg?: AddSecondaryArgs): Promise<AddSecondaryResult> {
  const { log } = services;
  const interactive = interactiveOf(services, arg);
  const snapshot = await currentSnapshot(services);
  const primary = await pickAgent(snapshot, arg, { title: 'Add a secondary DR agent for which agent?', interactive });
  if (!primary) return { cancelled: true };
  const targetContext = arg?.targetContext ?? (interactive ? await pickTargetContext(services, primary) : undefined);
  if (!targetContext) return interactive ? { cancelled: true } : { error: 'name the target: { targetContext }' };
  let drIdentifier = arg?.drIdentifier;
  if (!drIdentifier && interactive) {
    drIdentifier = await vscode.window.showInputBox({ title: 'Disaster recovery identifier of the secondary', value: defaultDrIdentifier(targetContext), validateInput: (v) => (/^[a-zA-Z_][0-9a-zA-Z_]{0,127}$/.test(v) ? undefined : 'A letter or _, then letters, digits or _') });
    if (!drIdentifier) return { cancelled: true };
  }
  const harness = arg?.manifestFile ? undefined : await harnessClient(services);
  const kubeconfig = await services.kube.kubeconfig();
  const clientFor = (c: string): ReturnType<typeof services.kube.client> => services.kube.client(c);
  let report: SecondaryCheckReport;
  try {
    ({ report } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `GitOps DR: pre-checks for a secondary on ${targetContext}` }, () =>
      discoverAndCheck(kubeconfig, { primary: primary.id, targetContext, ...(drIdentifier ? { drIdentifier } : {}) }, clientFor, { snapshot, ...(harness ? { harness } : {}) }),
    ));
  } catch (e) {
    const message = (e as Error).message;
    log.error(`secondary: ${message}`);
    if (interactive) void vscode.window.showErrorMessage(`GitOps DR: ${message}`);
    return { error: message };
  }
  for (const line of formatSecondaryChecks(report).trimEnd().split('\n')) log.info(`secondary: ${line}`);
  const failed = report.checks.filter((c) => c.status === 'fail');
  if (!report.ok) {
    const message = `Pre-checks failed for ${targetContext}: ${failed.map((c) => `${c.title}: ${c.detail}`).join(' | ')}`;
    if (interactive) void vscode.window.showErrorMessage(`GitOps DR: ${message.slice(0, 600)}`, 'Show Log').then((b) => b && log.show());
    return { report, error: message };
  }
  if (arg?.checkOnly) return { report };

  let manifestFile = arg?.manifestFile;
  if (!harness && !manifestFile) {
    const checklist = formatChecklist(secondaryChecklist(report));
    for (const line of checklist.trimEnd().split('\n')) log.info(`secondary: ${line}`);
    if (!interactive) return { report, checklist };
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `# Create the secondary of ${report.primary.identity.agent} in Harness\n\nNo Harness API key is set. In the Harness UI:\n\n${checklist}` });
    await vscode.window.showTextDocument(doc, { preview: true });
    const choice = await vscode.window.showInformationMessage('Once Harness offers the install YAML, download it and apply it here.', 'Apply This Manifest File…');
    if (!choice) return { report, checklist };
    manifestFile = (await vscode.window.showOpenDialog({ title: 'The install YAML downloaded from Harness', canSelectMany: false, filters: { YAML: ['yaml', 'yml'] } }))?.[0]?.fsPath;
    if (!manifestFile) return { report, checklist, cancelled: true };
  }

  const target = `${report.target.context}/${report.target.namespace}`;
  if (interactive) {
    const go = await vscode.window.showWarningMessage(
      `Install the secondary ${report.target.drIdentifier} of ${report.primary.identity.agent} on ${target}?`,
      { modal: true, detail: `${harness ? 'Creates the secondary node in Harness, fetches its install manifest, ' : `Applies ${manifestFile}: `}a server-side dry run first, then the apply, then waits until the agent and Argo CD are ready.` },
      'Install',
    );
    if (go !== 'Install') return { report, cancelled: true };
  }
  let install: InstallResult;
  try {
    let text: string;
    let source: string;
    if (manifestFile) {
      text = fs.readFileSync(manifestFile, 'utf8');
      source = manifestFile;
    } else {
      const id = report.primary.identity;
      const node = await createSecondaryNode(harness!, id, report.primary.drIdentifier, report.target.drIdentifier, report.target.namespace);
      log.info(`secondary: Harness ${node.created ? 'created' : 'already had'} DR node ${report.target.drIdentifier} of agent ${id.agent}`);
      text = await harness!.getDeployYaml(id.agent, { ...scopeOf(id), namespace: report.target.namespace, drIdentifier: report.target.drIdentifier });
      source = `Harness deploy.yaml of ${id.agent} (${report.target.drIdentifier})`;
    }
    const client = await services.kube.client(report.target.context);
    install = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `GitOps DR: installing the secondary on ${target}`, cancellable: true }, (progress, token) => {
      const signal = signalOf(token);
      return installManifest(
        { report, manifestText: text, manifestSource: source, client, readinessTimeoutMs: (arg?.readyTimeoutSeconds ?? 300) * 1000, apply: true, signal },
        {
          review: async (masked) => {
            // Masked text only: Secret values never reach an editor.
            if (interactive) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'yaml', content: `# Install manifest of ${report.target.drIdentifier}, Secret values masked\n${masked}` }), { preview: true, preserveFocus: true });
            return true;
          },
          onStep: (line) => {
            log.info(`secondary: ${line}`);
            progress.report({ message: line });
          },
          onObject: (o) => log.info(`secondary: ${formatApplied(o)}`),
          onProgress: (p) => progress.report({ message: `ready ${p.ready}/${p.total}${p.ready < p.total ? `: waiting on ${p.workloads.filter((w) => !w.isReady).map((w) => w.name).join(', ')}` : ''}` }),
        },
      );
    });
  } catch (e) {
    const message = (e as Error).message;
    log.error(`secondary: ${message}`);
    if (interactive) void vscode.window.showErrorMessage(`GitOps DR: the secondary install stopped: ${message.slice(0, 600)}`, 'Show Log').then((b) => b && log.show());
    return { report, error: message };
  }
  log.info(`secondary: ${target} installed and ready`);
  await services.agents?.refresh();
  const member = services.agents?.model.snapshot.groups.flatMap((g) => g.members).find((m) => m.context === report.target.context && m.namespace === report.target.namespace)?.id;
  if (interactive) {
    const next = await vscode.window.showInformationMessage(`Secondary ${report.target.drIdentifier} is up on ${target}. Restore the primary's backup into it (it stays fenced)?`, 'Restore into Secondary…');
    if (next) await vscode.commands.executeCommand(COMMANDS.restoreIntoSecondary, { context: report.target.context, namespace: report.target.namespace });
  }
  return { report, install, ...(member ? { member } : {}) };
}
