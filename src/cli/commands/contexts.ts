// gitops-dr contexts: every context of the merged kubeconfig, probed in parallel.
import { choiceFlag, parseArgs } from '../args';
import { EXIT, type CliCommand } from '../io';
import { KUBE_FLAGS, kubeconfigFromFlags, timeoutMsFromFlags } from '../kubeFlags';
import { formatTable } from '../table';
import { discoverAll } from '../../core/agents/discover';

export const contextsCommand: CliCommand = {
  summary: 'list kube contexts with reachability, version and agent count',
  usage: 'usage: gitops-dr contexts [--kubeconfig P]... [--timeout S] [-o table|json]',
  async run(args, io) {
    const parsed = parseArgs(args, [...KUBE_FLAGS, { name: 'output', short: 'o', value: true }]);
    const output = choiceFlag(parsed, 'output', ['table', 'json'], 'table');
    const kubeconfig = await kubeconfigFromFlags(parsed, io);
    const snapshot = await discoverAll(kubeconfig, { timeoutMs: timeoutMsFromFlags(parsed, 5) });
    if (output === 'json') {
      const rows = snapshot.contexts.map(({ agents, ...c }) => ({ ...c, agents: agents.map((a) => a.id) }));
      io.stdout.write(JSON.stringify({ contexts: rows }, null, 2) + '\n');
    } else {
      io.stdout.write(
        formatTable(
          ['CURRENT', 'NAME', 'STATE', 'VERSION', 'AGENTS', 'SERVER', 'REASON'],
          snapshot.contexts.map((c) => [c.isCurrent ? '*' : '', c.name, c.state, c.serverVersion ?? '', c.state === 'reachable' ? String(c.agents.length) : '', c.server ?? '', c.reason ?? c.partial ?? '']),
        ),
      );
    }
    return EXIT.ok;
  },
};
