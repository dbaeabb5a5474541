// Text of a pre-check report, as the CLI prints it and the extension logs it.
import type { SecondaryCheckReport } from './model';

const MARK = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;

export function formatSecondaryChecks(r: SecondaryCheckReport): string {
  const p = r.primary;
  const lines = [
    `Secondary for agent ${p.identity.agent} (primary ${p.id}${p.drIdentifier ? `, DR identifier ${p.drIdentifier}` : ''}; ${p.availability}, ${p.byoa ? 'BYOA' : 'Harness-managed'})`,
    `  target: ${r.target.context}/${r.target.namespace}, DR identifier ${r.target.drIdentifier}`,
    `  versions: primary Argo CD ${p.argoCdVersion ?? 'unknown'}, agent ${p.agentVersion ?? 'unknown'} | target Kubernetes ${r.target.kubernetesVersion ?? 'unknown'}`,
  ];
  for (const c of r.checks) {
    lines.push(`  [${MARK[c.status]}] ${c.title}: ${c.detail}`);
    if (c.action) lines.push(`         what to do: ${c.action}`);
  }
  const counts = (['pass', 'warn', 'fail'] as const).map((s) => `${r.checks.filter((c) => c.status === s).length} ${MARK[s]}`).join(', ');
  lines.push(r.ok ? `  pre-checks passed (${counts}): the secondary may be installed` : `  pre-checks FAILED (${counts}): do not install the secondary there`);
  return lines.join('\n') + '\n';
}
