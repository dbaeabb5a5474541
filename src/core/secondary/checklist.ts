// Without a Harness API key: the seed's UI steps to create the secondary, with the values to enter, and then the
// way back into this tool with the manifest Harness offers for download.
import type { SecondaryCheckReport } from './model';

export interface ChecklistStep {
  text: string;
  /** The value to enter or choose, when the step has one. */
  value?: string;
}

export function secondaryChecklist(r: SecondaryCheckReport): ChecklistStep[] {
  const id = r.primary.identity;
  const scope = id.project ? `project ${id.project} (org ${id.org ?? 'default'})` : id.org ? `org ${id.org} (account level settings of that org)` : 'the account (account-level agent)';
  return [
    { text: `In Harness, open ${scope} and select GitOps > Settings > Agents`, value: `account ${id.account}` },
    { text: 'Click New Agent' },
    { text: 'Name', value: `${id.agent} (overridden by the primary's identifier once the primary is selected)` },
    { text: 'Namespace', value: r.target.namespace },
    { text: `Type: as the primary (${r.primary.availability}, ${r.primary.byoa ? 'bring your own Argo CD' : 'Harness-managed Argo CD'})` },
    { text: 'Scroll down to the Advanced section and toggle Disaster Recovery on' },
    { text: 'Select the Secondary radio button and give the secondary identifier', value: r.target.drIdentifier },
    { text: 'Select the primary agent from the list', value: `${id.agent}${r.primary.drIdentifier ? ` (DR identifier ${r.primary.drIdentifier})` : ''}` },
    { text: 'Complete the agent creation and download the install YAML Harness offers', value: `namespace ${r.target.namespace}` },
    {
      text: 'Apply the downloaded file with this tool (dry run first, then the apply, then the readiness watch)',
      value: `gitops-dr secondary install --agent ${r.primary.id} --context ${r.target.context} --dr-identifier ${r.target.drIdentifier} --manifest <downloaded file> --yes`,
    },
  ];
}

export function formatChecklist(steps: readonly ChecklistStep[]): string {
  return steps.map((s, i) => `  ${String(i + 1).padStart(2)}. [ ] ${s.text}${s.value ? `: ${s.value}` : ''}`).join('\n') + '\n';
}
