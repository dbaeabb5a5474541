// Child-process bookkeeping: everything started is registered here and torn down exactly once, on normal exit,
// on SIGINT/SIGTERM/SIGHUP, on an uncaught error or on a timeout. Processes are spawned in their own process
// group (detached) so that their children (extension host, pty host, ...) are killed with them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const cleanups = [];
const groups = new Set();
let cleaning = null;

/** Registers an async cleanup step; steps run in reverse order of registration. */
export function onCleanup(fn) {
  cleanups.push(fn);
}

export function cleanupAll() {
  if (!cleaning) {
    cleaning = (async () => {
      while (cleanups.length) {
        const fn = cleanups.pop();
        try { await fn(); } catch (e) { process.stderr.write(`cleanup: ${e.message}\n`); }
      }
    })();
  }
  return cleaning;
}

/** Exits after cleaning up (idempotent). */
export async function exitWith(code) {
  await cleanupAll();
  process.exit(code);
}

let handlersInstalled = false;
let signalled = null;
/** The signal that is stopping us, or null. */
export function stoppingSignal() {
  return signalled;
}

export function installSignalHandlers({ onSignal } = {}) {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.on(sig, () => {
      signalled = sig;
      process.stderr.write(`\n${sig}: stopping...\n`);
      Promise.resolve(onSignal?.(sig)).finally(() => exitWith(code));
      // A second signal while cleaning up forces the exit.
      process.once(sig, () => { killGroupsNow(); process.exit(code); });
    });
  }
  process.on('uncaughtException', (e) => {
    process.stderr.write(`uncaught: ${e.stack || e}\n`);
    exitWith(70);
  });
  process.on('unhandledRejection', (e) => {
    process.stderr.write(`unhandled rejection: ${e?.stack || e}\n`);
    exitWith(70);
  });
  // Last resort: never leave a server behind, even on process.exit() without cleanup.
  process.on('exit', killGroupsNow);
}

function killGroupsNow() {
  for (const pid of groups) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
  }
  groups.clear();
}

/**
 * Spawns cmd (argument array, no shell) in its own process group and registers its teardown:
 * SIGTERM to the group, SIGKILL after graceMs.
 */
export function spawnGroup(cmd, args, { graceMs = 3000, ...opts } = {}) {
  const child = spawn(cmd, args, { ...opts, detached: true });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.on('error', () => {});
  if (child.pid) groups.add(child.pid);
  child.exited = exited;
  child.stopGroup = async () => {
    if (!child.pid || !groups.has(child.pid)) return;
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    const timer = new Promise((r) => setTimeout(r, graceMs, 'timeout'));
    if (child.exitCode === null && child.signalCode === null && (await Promise.race([exited, timer])) === 'timeout') {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    } else {
      // The leader is gone; make sure no straggler of the group survives.
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    groups.delete(child.pid);
  };
  onCleanup(child.stopGroup);
  return child;
}

/** A fresh temporary directory, removed at cleanup unless keep is set. */
export function tempDir(prefix, { keep = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (!keep) onCleanup(() => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
  return dir;
}

export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The first free port at or above `start`. */
export async function freePortFrom(start, host = '127.0.0.1', tries = 50) {
  for (let port = start; port < start + tries; port++) {
    const ok = await new Promise((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, host, () => srv.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error(`no free port in ${start}..${start + tries - 1}`);
}

/** Rejects after ms with a message (the timer does not keep the process alive). */
export function timeout(ms, message) {
  return new Promise((_, reject) => {
    const t = setTimeout(() => reject(new Error(message)), ms);
    t.unref();
  });
}
