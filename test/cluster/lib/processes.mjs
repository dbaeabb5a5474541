// Processes of a scenario: only pids whose command line is a testcluster process naming the state dir are ever
// signalled. Also the ports they listen on and the probes that tell they are up.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { pidAlive, sleep } from './locks.mjs';

/** True when pid is a live testcluster process started for stateDir. */
export function isOurProcess(pid, stateDir) {
  if (!pidAlive(pid)) return false;
  let argv;
  try {
    argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return false;
  }
  if (!argv.length || path.basename(argv[0]) !== 'testcluster') return false;
  const prefix = stateDir.endsWith(path.sep) ? stateDir : stateDir + path.sep;
  return argv.some((a) => a.startsWith(prefix) || a === stateDir);
}

export function readPid(file) {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

export async function killOurs(pid, stateDir, { graceMs = 15_000 } = {}) {
  if (!isOurProcess(pid, stateDir)) return false;
  try { process.kill(pid, 'SIGTERM'); } catch { return false; }
  const t0 = Date.now();
  while (pidAlive(pid)) {
    if (Date.now() - t0 > graceMs) {
      if (isOurProcess(pid, stateDir)) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
      const t1 = Date.now();
      while (pidAlive(pid) && Date.now() - t1 < 5000) await sleep(50);
      break;
    }
    await sleep(50);
  }
  return true;
}

export function spawnDetached(bin, args, logFile) {
  const fd = fs.openSync(logFile, 'a');
  try {
    const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd] });
    child.on('error', () => {});
    child.unref();
    return child.pid;
  } finally {
    fs.closeSync(fd);
  }
}

export async function freePorts(n) {
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = net.createServer();
      await new Promise((res, rej) => { s.once('error', rej); s.listen(0, '127.0.0.1', res); });
      servers.push(s);
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

export function portFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export function tcpOpen(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const done = (ok) => { sock.destroy(); resolve(ok); };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

export function pkiFiles(stateDir) {
  const p = path.join(stateDir, 'pki');
  const r = (f) => fs.readFileSync(path.join(p, f));
  return { ca: r('ca.crt'), cert: r('admin.crt'), key: r('admin.key') };
}

export function httpsGet(port, urlPath, tls, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const req = https.request({
      host: '127.0.0.1', port, path: urlPath, method: 'GET', ...tls, timeout: timeoutMs, agent: false,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => { req.destroy(); resolve({ status: 0, body: 'timeout' }); });
    req.on('error', (e) => resolve({ status: 0, body: e.message }));
    req.end();
  });
}

/** Lists every pid file of a scenario's state dir: [{file, pid}]. */
export function pidFiles(stateDir) {
  const out = [];
  const visit = (d, depth) => {
    let ents = [];
    try { ents = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of ents) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && depth < 1 && e.name !== 'pki') visit(p, depth + 1);
      else if (e.isFile() && (e.name === 'pid' || e.name.endsWith('.pid'))) out.push({ file: p, pid: readPid(p) });
    }
  };
  visit(stateDir, 0);
  return out;
}
