// The floor of the backup benchmarks: the same GETs and list pages as a backup (page size 500), bodies read and
// dropped, with no parsing and no writing. What it takes is what the API server allows for a backup on this
// machine. Run as its own process so its CPU and peak RSS are measured like ours:
//   node rawListClient.js --kubeconfig K --context C --namespace N
// Prints {"ms","cpuMs","maxRssMb","bytes"}: the figures of the listing alone (start-up excluded).
import { loadKubeconfig } from '../../src/core/kube/kubeconfig';
import { KubeClient } from '../../src/core/kube/client';
import { APPLICATION, APPLICATION_SET, APP_PROJECT, CONFIG_MAP, SECRET, resourcePath } from '../../src/core/objects/resources';
import { REQUIRED_CONFIG_MAPS } from '../../src/core/argo/argoFacts';
import { BACKUP_PAGE } from './backupBaselines';

function flag(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`--${name} is required`);
  return process.argv[i + 1]!;
}

async function main(): Promise<void> {
  const namespace = flag('namespace');
  const client = await KubeClient.forContext(await loadKubeconfig([flag('kubeconfig')]), flag('context'), { timeoutMs: 60_000 });
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let bytes = 0;
  for (const name of REQUIRED_CONFIG_MAPS) {
    try {
      bytes += (await client.requestText(resourcePath(CONFIG_MAP, namespace, name))).length;
    } catch {
      /* missing is fine for the floor */
    }
  }
  for (const type of [SECRET, APP_PROJECT, APPLICATION, APPLICATION_SET]) {
    let token: string | undefined;
    do {
      const text = await client.requestText(resourcePath(type, namespace), { query: { limit: BACKUP_PAGE, continue: token } });
      bytes += text.length;
      // Only the continue token is needed: find it without parsing the page (list metadata comes first in
      // core lists, last in custom-resource lists).
      const m = /"continue":"([^"]*)"/.exec(text.slice(0, 2000)) ?? /"continue":"([^"]*)"/.exec(text.slice(-2000));
      token = m?.[1] || undefined;
    } while (token);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  client.close();
  process.stdout.write(`${JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, bytes })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`raw list client failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
