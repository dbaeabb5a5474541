// Sync-window commands on one agent, usable alone: block its syncs (our deny window on every AppProject), allow
// them (remove only ours), show the windows in force.
import * as vscode from 'vscode';
import type { DiscoveredAgent } from '../../core/agents/model';
import { allowSyncs, blockSyncs, describeOutcomes, listSyncWindows, type SyncWindowsResult } from '../../core/syncWindows/onCluster';
import { describeWindow, type ProjectWindows } from '../../core/syncWindows/evaluate';
import { withOperation, type ExtensionServices } from '../services';
import { currentSnapshot, memberIdOf, pickAgent, type AgentArg } from './pickMember';
import { COMMANDS } from '../commandIds';
import { refreshTouched } from '../tree/refreshTouched';

export type SyncWindowsArgs = AgentArg & { yes?: boolean; confirm?: boolean; projects?: string[] };

function interactiveFor(arg: SyncWindowsArgs | undefined): boolean {
  return !(arg?.yes === true || arg?.confirm === false);
}

/** `{context, namespace}` does not need discovery: the command works on any Argo CD namespace, agent or not. */
async function memberOf(services: ExtensionServices, arg: SyncWindowsArgs | undefined, interactive: boolean, title: string): Promise<{ context: string; namespace: string } | undefined> {
  const id = memberIdOf(arg);
  if (id) {
    const slash = id.indexOf('/');
    if (slash <= 0) throw new Error(`"${id}" is not context/namespace`);
    return { context: id.slice(0, slash), namespace: id.slice(slash + 1) };
  }
  const picked: DiscoveredAgent | undefined = await pickAgent(await currentSnapshot(services), arg, { title, interactive });
  return picked ? { context: picked.context, namespace: picked.namespace } : undefined;
}

async function change(services: ExtensionServices, arg: SyncWindowsArgs | undefined, action: 'block' | 'allow'): Promise<SyncWindowsResult | undefined> {
  const interactive = interactiveFor(arg);
  const member = await memberOf(services, arg, interactive, action === 'block' ? 'Block syncs of which Argo CD?' : 'Allow syncs of which Argo CD?');
  if (!member) return undefined;
  const where = `${member.context}/${member.namespace}`;
  if (interactive) {
    const detail =
      action === 'block'
        ? `Adds a deny sync window (every minute for 24h, all applications, manual syncs denied) to every AppProject in ${where}. Its Argo CD stops syncing until the window is removed.`
        : `Removes the deny windows gitops-dr added from the AppProjects in ${where}; windows written by others stay.`;
    const ok = await vscode.window.showWarningMessage(`${action === 'block' ? 'Block' : 'Allow'} syncs of ${where}?`, { modal: true, detail }, action === 'block' ? 'Block Syncs' : 'Allow Syncs');
    if (!ok) return undefined;
  }
  const client = await services.kube.client(member.context);
  const options = arg?.projects ? { projects: arg.projects } : {};
  let result: SyncWindowsResult;
  try {
    result = action === 'block' ? await blockSyncs(client, member.namespace, options) : await allowSyncs(client, member.namespace, options);
  } finally {
    // Fenced or not is in the tree: the member is probed again however the change ended (a part may have been written).
    await refreshTouched(services, [member.context]);
  }
  (result.ok ? services.log.info : services.log.error)(`sync windows ${action}: ${describeOutcomes(result)}`);
  if (interactive) void (result.ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage)(`GitOps DR: ${describeOutcomes(result)}`);
  return result;
}

async function show(services: ExtensionServices, arg: SyncWindowsArgs | undefined): Promise<ProjectWindows[] | undefined> {
  const interactive = interactiveFor(arg);
  const member = await memberOf(services, arg, interactive, 'Show the sync windows of which Argo CD?');
  if (!member) return undefined;
  const client = await services.kube.client(member.context);
  const projects = await listSyncWindows(client, member.namespace, arg?.projects ? { projects: arg.projects } : {});
  const where = `${member.context}/${member.namespace}`;
  services.log.info(`sync windows of ${where}: ${projects.length} AppProjects`);
  for (const p of projects) {
    services.log.info(`  ${p.project}: syncs ${p.state}${p.manualSyncAllowed ? '' : ', manual syncs blocked'}${p.windows.length ? '' : ' (no windows)'}`);
    for (const w of p.windows) services.log.info(`    ${describeWindow(w)}`);
  }
  if (interactive) {
    const items = projects.flatMap((p): vscode.QuickPickItem[] => [
      { label: p.project, kind: vscode.QuickPickItemKind.Separator },
      ...(p.windows.length
        ? p.windows.map((w) => ({ label: `${w.active ? '$(circle-filled)' : '$(circle-outline)'} ${w.window.kind ?? '?'} ${w.window.schedule ?? ''} for ${w.window.duration ?? '?'}`, description: w.ours ? 'added by gitops-dr' : '', detail: describeWindow(w) }))
        : [{ label: `$(check) no windows: syncs ${p.state}` }]),
    ]);
    void vscode.window.showQuickPick(items.length ? items : [{ label: 'no AppProjects' }], { title: `Sync windows of ${where} (filled = in force now)`, canPickMany: false });
  }
  return projects;
}

export function syncWindowsCommands(services: ExtensionServices): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.blockSyncs, (arg?: SyncWindowsArgs) => withOperation(services, 'syncWindows', (scoped) => change(scoped, arg, 'block'))),
    vscode.commands.registerCommand(COMMANDS.allowSyncs, (arg?: SyncWindowsArgs) => withOperation(services, 'syncWindows', (scoped) => change(scoped, arg, 'allow'))),
    vscode.commands.registerCommand(COMMANDS.showSyncWindows, (arg?: SyncWindowsArgs) => withOperation(services, 'syncWindows', (scoped) => show(scoped, arg))),
  ];
}
