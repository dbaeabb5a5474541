#!/usr/bin/env node
// `npm start`: the demo clusters, a workspace with a sample backup, and VS Code (code-server) in the browser with
// the extension loaded and KUBECONFIG pointing at the demo clusters. Ctrl-C stops code-server and the clusters.
// Assumes `npm install` and the build ran (prestart).
//
//   node scripts/start.mjs [--port 8080] [--scenario demo] [--kubeconfig PATH (skip the demo clusters)]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { clusterUp, prepareWorkspace, startDemoServer } from '../test/extension/runner/lib/demo.mjs';
import { exitWith, freePortFrom, installSignalHandlers, stoppingSignal } from '../test/extension/runner/lib/processes.mjs';

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    scenario: { type: 'string', default: 'demo' },
    kubeconfig: { type: 'string' },
  },
});

async function main() {
  installSignalHandlers();
  const kubeconfig = opts.kubeconfig ? path.resolve(opts.kubeconfig) : await clusterUp(opts.scenario);
  const workspace = prepareWorkspace();
  const port = await freePortFrom(Number(opts.port));
  const { server, url, how } = await startDemoServer({ port, kubeconfig, workspace });
  process.stdout.write([
    '',
    'GitOps Agent DR is running in VS Code (code-server). Open:',
    '',
    `  ${url}`,
    '',
    `  extension:  ${how}`,
    `  KUBECONFIG: ${kubeconfig}`,
    `  workspace:  ${workspace} (sample.backup.yaml)`,
    '',
    'Ctrl-C stops code-server' + (opts.kubeconfig ? '.' : ' and the demo clusters.'),
    '',
  ].join('\n'));
  const { code, signal } = await server.child.exited;
  if (stoppingSignal()) return new Promise(() => {}); // Ctrl-C: the signal handler cleans up and exits
  process.stderr.write(`code-server exited (${signal || `exit ${code}`})\n${server.tail.slice(-20).join('\n')}\n`);
  return 1;
}

main().then((code) => exitWith(code), (e) => {
  if (stoppingSignal()) return;
  process.stderr.write(`start: ${e.message}\n`);
  exitWith(1);
});
