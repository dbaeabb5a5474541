// Starts code-server (or, for the "latest" flavour, code-server's bundled VS Code server) on 127.0.0.1 with
// throw-away user data, extensions and XDG folders, and waits until it answers HTTP.
import fs from 'node:fs';
import path from 'node:path';
import { freePort, spawnGroup, tempDir, timeout } from './processes.mjs';

/**
 * @param runner       result of ensureRunner()
 * @param opts.port    port to bind (default: a free one)
 * @param opts.env     extra environment for the server and so the extension host (merged over process.env)
 * @param opts.stateDir where user-data/extensions/xdg dirs live (default: a fresh temp dir removed at cleanup)
 * @param opts.extensionsDir override the extensions dir
 * @param opts.args    extra server arguments
 * @param opts.onLine  called with each line of server output
 */
export async function startCodeServer(runner, { port, env = {}, stateDir, extensionsDir, args = [], onLine } = {}) {
  const host = '127.0.0.1';
  port ||= await freePort(host);
  const root = stateDir || tempDir('gitops-dr-vscode-');
  const dirs = {
    userData: path.join(root, 'user-data'),
    extensions: extensionsDir || path.join(root, 'extensions'),
    xdgConfig: path.join(root, 'xdg-config'),
    xdgData: path.join(root, 'xdg-data'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });

  const childEnv = {
    // No extension gallery: offline, and it only produces ENOTFOUND noise (open-vsx.org).
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }),
    ...process.env, ...env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData,
  };
  // Never let a parent VS Code / code-server session leak into ours.
  for (const k of Object.keys(childEnv)) {
    if (/^(VSCODE_|ELECTRON_RUN_AS_NODE$|CODE_SERVER_)/.test(k) && !(k in env)) delete childEnv[k];
  }

  let argv;
  if (runner.flavour === 'latest') {
    // code-server 4.13x ignores the test payload; its bundled VS Code server honours it.
    argv = [path.join(runner.codeServerDir, 'lib/vscode/out/server-main.js'),
      '--host', host, '--port', String(port),
      '--without-connection-token', '--enable-smoke-test-driver', '--accept-server-license-terms',
      '--disable-telemetry', '--disable-workspace-trust',
      '--server-data-dir', dirs.userData, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, ...args];
  } else {
    argv = [path.join(runner.codeServerDir, 'out/node/entry.js'),
      '--auth', 'none', '--bind-addr', `${host}:${port}`,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, ...args];
  }
  const tail = [];
  const child = spawnGroup(runner.node, argv, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const feed = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 200) tail.shift();
      onLine?.(line);
    }
  };
  child.stdout.on('data', feed);
  child.stderr.on('data', feed);

  const base = `http://${host}:${port}`;
  const died = child.exited.then(({ code, signal }) => {
    throw new Error(`VS Code server exited early (${signal || `exit ${code}`}):\n${tail.slice(-30).join('\n')}`);
  });
  const ready = (async () => {
    for (;;) {
      try {
        const res = await fetch(`${base}/`, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
        if (res.status < 500) return;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  await Promise.race([ready, died, timeout(90_000, `VS Code server did not answer on ${base} within 90 s`)]);
  died.catch(() => {}); // later exits are reported by the caller through child.exited
  return { base, host, port, child, dirs, tail, env: childEnv };
}

/** vscode-remote:// URI of a server-side path, as the workbench payload wants it. */
export function remoteUri(server, absPath) {
  return `vscode-remote://${server.host}:${server.port}${encodeURI(path.resolve(absPath))}`;
}

/** Workbench URL opening `folder`, with an optional test payload (list of [key, value] pairs). */
export function workbenchUrl(server, { folder, payload } = {}) {
  const q = [];
  if (folder) q.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
  if (payload) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.base}/${q.length ? `?${q.join('&')}` : ''}`;
}
