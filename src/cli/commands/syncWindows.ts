// gitops-dr sync-windows: show the sync windows in force on an Argo CD's AppProjects, or block / allow its syncs
// with the deny window this tool adds (and removes only its own).
import { parseArgs, stringFlag, UsageError } from '../args';
import { EXIT, type CliCommand } from '../io';
import { KUBE_FLAGS, clientFromFlags } from '../kubeFlags';
import { formatTable } from '../table';
import { allowSyncs, blockSyncs, describeOutcomes, listSyncWindows } from '../../core/syncWindows/onCluster';
import type { ProjectWindows } from '../../core/syncWindows/evaluate';

const USAGE = `usage: gitops-dr sync-windows list|block|allow --context C [-n NS] [--project P]... [-o text|json]
                              [--kubeconfig P]... [--timeout S]
  list    the sync windows of every AppProject in NS, which are in force now, and what that means for syncs
  block   add a deny window (every minute, 24h, all applications, manual syncs denied) to every AppProject in NS
  allow   remove the windows gitops-dr added; windows written by others stay
  NS defaults to the context's namespace in the kubeconfig, else argocd. --project limits to named AppProjects.
  exit 3 when an AppProject could not be changed`;

function windowsTable(projects: ProjectWindows[]): string {
  const rows: string[][] = [];
  for (const p of projects) {
    if (p.windows.length === 0) rows.push([p.project, p.state, '-', '', '', '', '', '']);
    for (const s of p.windows) {
      const w = s.window;
      const targets = [w.applications?.length ? `apps=${w.applications.join(',')}` : '', w.namespaces?.length ? `ns=${w.namespaces.join(',')}` : '', w.clusters?.length ? `clusters=${w.clusters.join(',')}` : ''].filter((t) => t).join(w.andOperator ? '&' : ' ');
      rows.push([p.project, p.state, w.kind ?? '?', w.schedule ?? '', w.duration ?? '', s.invalid ? 'invalid' : s.active ? 'yes' : 'no', s.ours ? 'yes' : 'no', `${targets}${w.manualSync ? ' manualSync' : ''}${w.timeZone ? ` tz=${w.timeZone}` : ''}`]);
    }
  }
  return formatTable(['PROJECT', 'SYNCS', 'KIND', 'SCHEDULE', 'DURATION', 'IN FORCE', 'OURS', 'APPLIES TO'], rows);
}

export const syncWindowsCommand: CliCommand = {
  summary: 'list, block or allow syncs with Argo CD sync windows on AppProjects',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, [...KUBE_FLAGS, { name: 'output', short: 'o', value: true }, { name: 'project', value: true, repeat: true }]);
    const [action, ...extra] = parsed.positional;
    if (!action) throw new UsageError('name an action: list, block or allow');
    if (!['list', 'block', 'allow'].includes(action)) throw new UsageError(`unknown action "${action}": use list, block or allow`);
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const output = stringFlag(parsed, 'output') ?? 'text';
    if (output !== 'text' && output !== 'json') throw new UsageError(`-o must be text or json, got "${output}"`);
    if (!stringFlag(parsed, 'context')) throw new UsageError('--context is required: the Argo CD whose AppProjects to read or change');
    const { client, kubeconfig, context } = await clientFromFlags(parsed, io);
    const namespace = stringFlag(parsed, 'namespace') ?? kubeconfig.contexts.find((c) => c.name === context)?.namespace ?? 'argocd';
    const projects = parsed.flags.project as string[] | undefined;
    const options = projects ? { projects } : {};
    try {
      if (action === 'list') {
        const list = await listSyncWindows(client, namespace, options);
        if (output === 'json') io.stdout.write(JSON.stringify({ context, namespace, projects: list }, null, 2) + '\n');
        else if (list.length === 0) io.stdout.write(`${context}/${namespace}: no AppProjects\n`);
        else io.stdout.write(windowsTable(list));
        return EXIT.ok;
      }
      const result = action === 'block' ? await blockSyncs(client, namespace, options) : await allowSyncs(client, namespace, options);
      if (output === 'json') io.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else io.stdout.write(`${describeOutcomes(result)}\n`);
      return result.ok ? EXIT.ok : EXIT.failed;
    } finally {
      client.close();
    }
  },
};
