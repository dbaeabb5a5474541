// The floor of the restore benchmark: the same create bodies our restore sends, POSTed by a minimal concurrent
// HTTP client (one keep-alive agent, N in flight, the same phase barriers), with no planning, no checks and no
// retries. What it takes is what the API server allows on this machine. Run as its own process so its CPU and
// peak RSS are measured like ours:
//   node floorClient.js BODIES.jsonl --kubeconfig K --context C --concurrency N
// BODIES.jsonl: one {"phase":0,"path":"/api/v1/namespaces/x/configmaps","body":"{...}"} per line, phases ascending.
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as http from 'node:http';
import { KubeClient } from '../../src/core/kube/client';
import { loadKubeconfig } from '../../src/core/kube/kubeconfig';

interface Write {
  phase: number;
  path: string;
  body: string;
}

function flag(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`--${name} is required`);
  return process.argv[i + 1]!;
}

async function main(): Promise<void> {
  const writes: Write[] = fs
    .readFileSync(process.argv[2]!, 'utf8')
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l) as Write);
  const concurrency = Number(flag('concurrency'));
  const kube = await KubeClient.forContext(await loadKubeconfig([flag('kubeconfig')]), flag('context'));
  const { server, headers, tls } = await kube.connectionOptions();
  kube.close();
  const agent = server.startsWith('http:') ? new http.Agent({ keepAlive: true, maxSockets: concurrency }) : new https.Agent({ keepAlive: true, maxSockets: concurrency, ...tls });
  const transport = server.startsWith('http:') ? http : https;
  let failed = 0;
  const post = (w: Write): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = transport.request(server + w.path, { method: 'POST', agent, headers: { ...headers, Accept: 'application/json', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(w.body) } }, (res) => {
        res.resume(); // the answer is not read: nothing is checked
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 300) failed++;
          resolve();
        });
      });
      req.on('error', reject);
      req.end(w.body);
    });
  for (let phase = 0, start = 0; start < writes.length; phase++) {
    let end = start;
    while (end < writes.length && writes[end]!.phase <= phase) end++;
    const batch = writes.slice(start, end);
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, async () => {
      while (next < batch.length) await post(batch[next++]!);
    }));
    start = end;
  }
  agent.destroy();
  process.stdout.write(`${JSON.stringify({ writes: writes.length, failed })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`floor client failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
