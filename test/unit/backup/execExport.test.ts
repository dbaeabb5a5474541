// Exec mode: pods never run in the test clusters (no kubelet), so the request construction, the WebSocket
// handshake and the channel decoding are tested here against a loopback WebSocket server that plays the API.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createHash } from 'node:crypto';
import { KubeError } from '../../../src/core/kube/errors';
import {
  ExportStreamCounter,
  decodeChannelMessage,
  execPath,
  exportBackupViaExec,
  exportCommand,
  labelSelectorQuery,
  parseExecStatus,
  pickExecTarget,
  type ExecApi,
} from '../../../src/core/backup/execExport';
import { MAX_MESSAGE_BYTES } from '../../../src/core/backup/webSocket';
import { FakeKubeApi } from '../../support/fakeKubeApi';

function pod(name: string, phase: string, ready: boolean, containers = ['argocd-application-controller'], annotations?: Record<string, string>) {
  return {
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: { containers: containers.map((c) => ({ name: c })) },
    status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

test('exec: label selector of the StatefulSet in query form', () => {
  assert.equal(
    labelSelectorQuery({ matchLabels: { 'app.kubernetes.io/name': 'argocd-application-controller' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'DoesNotExist' }] }),
    'app.kubernetes.io/name=argocd-application-controller,tier in (a,b),!x',
  );
});

test('exec: the pod kubectl exec would pick, and its default container', () => {
  assert.deepEqual(pickExecTarget([pod('c-1', 'Running', false), pod('c-0', 'Running', true)], 'c'), { pod: 'c-0', container: 'argocd-application-controller' });
  assert.deepEqual(pickExecTarget([pod('c-1', 'Running', true), pod('c-0', 'Pending', false)], 'c'), { pod: 'c-1', container: 'argocd-application-controller' });
  assert.deepEqual(pickExecTarget([pod('c-0', 'Running', true, ['sidecar', 'main'], { 'kubectl.kubernetes.io/default-container': 'main' })], 'c').container, 'main');
  assert.throws(() => pickExecTarget([pod('c-0', 'Pending', false)], 'argocd-application-controller'), /no running pod of statefulset argocd-application-controller .*c-0 \(Pending\)/);
});

test('exec: URL path and query, one command parameter per argument', () => {
  assert.equal(
    execPath('argocd', { pod: 'argocd-application-controller-0', container: 'argocd-application-controller' }, exportCommand({ applicationNamespaces: ['team-*', '/^x$/'] })),
    '/api/v1/namespaces/argocd/pods/argocd-application-controller-0/exec?container=argocd-application-controller&command=argocd&command=admin&command=export&command=--application-namespaces&command=team-*%2C%2F%5Ex%24%2F&stdout=true&stderr=true',
  );
  assert.deepEqual(exportCommand({}), ['argocd', 'admin', 'export']);
});

test('exec: channel messages and the exit status', () => {
  assert.deepEqual(decodeChannelMessage(Buffer.from([1, 0x61])), { channel: 1, data: Buffer.from('a') });
  assert.deepEqual(parseExecStatus('{"metadata":{},"status":"Success"}'), { success: true, message: '' });
  assert.deepEqual(
    parseExecStatus('{"status":"Failure","message":"command terminated with non-zero exit code: error executing command [argocd admin export], exit code 20","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"20"}]}}'),
    { success: false, exitCode: 20, message: 'command terminated with non-zero exit code: error executing command [argocd admin export], exit code 20' },
  );
  assert.equal(parseExecStatus('not json').success, false);
});

test('exec: object counting over a stream split anywhere', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\ndata:\n  kind: x\nkind: Secret\n---\n';
  for (let cut = 0; cut < text.length; cut++) {
    const c = new ExportStreamCounter();
    c.push(text.slice(0, cut));
    c.push(text.slice(cut));
    assert.deepEqual(c.counts, { ConfigMap: 1, Secret: 1, AppProject: 0, Application: 0, ApplicationSet: 0 }, `cut at ${cut}`);
  }
});

// The server's side of RFC 6455 written by hand, so the `ws` client is fed frames it did not encode itself.
const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9 } as const;
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function acceptKeyFor(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** An unmasked server frame; `length` may claim more than the payload (for the size-limit case). */
function serverFrame(opcode: number, payload: Buffer, { fin = true, length = payload.length }: { fin?: boolean; length?: number } = {}): Buffer {
  const first = (fin ? 0x80 : 0) | opcode;
  let head: Buffer;
  if (length < 126) head = Buffer.from([first, length]);
  else if (length < 65536) head = Buffer.from([first, 126, length >> 8, length & 0xff]);
  else {
    head = Buffer.alloc(10);
    head[0] = first;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([head, payload]);
}

function channel(n: number, data: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from([n]), Buffer.from(data)]);
}

interface FakeExecServer {
  url: string;
  requests: Array<{ url: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** Answers the exec upgrade like the API server: stdout in two pieces, something on stderr, then the status. */
async function fakeExecServer(script: (socket: Duplex) => void, { protocol = 'v4.channel.k8s.io', accept = acceptKeyFor } = {}): Promise<FakeExecServer> {
  const requests: FakeExecServer['requests'] = [];
  const server = http.createServer((_req, res) => {
    res.writeHead(400);
    res.end('exec needs a WebSocket upgrade');
  });
  const sockets: Duplex[] = [];
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    sockets.push(socket);
    requests.push({ url: req.url ?? '', headers: req.headers });
    if (req.headers.authorization !== 'Bearer test-token') {
      const body = JSON.stringify({ kind: 'Status', status: 'Failure', message: 'pods "argocd-application-controller-0" is forbidden: User "limited" cannot create resource "pods/exec"', reason: 'Forbidden', code: 403 });
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(String(req.headers['sec-websocket-key']))}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
    );
    script(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

function execApi(server: string, withSecondPod = false): ExecApi {
  const api = new FakeKubeApi();
  api.add('statefulsets', 'argocd', 'argocd-application-controller', { spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-application-controller' } } } });
  const { spec, status } = pod('x', 'Running', true);
  api.add('pods', 'argocd', 'argocd-application-controller-0', { spec, status }, { labels: { 'app.kubernetes.io/name': 'argocd-application-controller' } });
  if (withSecondPod) api.add('pods', 'argocd', 'another-0', { spec, status }, { labels: { app: 'other' } });
  return Object.assign(api, {
    timeoutMs: 5000,
    connectionOptions: async () => ({ server, headers: { Authorization: 'Bearer test-token' }, tls: {} }),
  });
}

const CHUNK1 = 'apiVersion: v1\ndata:\n  admin.enabled: "true"\nkind: ConfigMap\nmeta';
const CHUNK2 = 'data:\n  name: argocd-cm\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: é\n---\n';

test('exec mode: request to the application controller pod, stdout streamed, exit status read', async () => {
  const srv = await fakeExecServer((socket) => {
    const utf8 = Buffer.from(CHUNK2, 'utf8');
    const splitInsideE = utf8.indexOf(Buffer.from('é')) + 1; // a multi-byte character split across two messages
    socket.write(serverFrame(OPCODE.binary, Buffer.concat([Buffer.from([1]), Buffer.from(CHUNK1)])));
    socket.write(serverFrame(OPCODE.binary, Buffer.concat([Buffer.from([2]), Buffer.from('time="..." level=info msg="export"\n')])));
    socket.write(serverFrame(OPCODE.ping, Buffer.from('p')));
    socket.write(serverFrame(OPCODE.binary, Buffer.concat([Buffer.from([1]), utf8.subarray(0, splitInsideE)])));
    socket.write(serverFrame(OPCODE.binary, Buffer.concat([Buffer.from([1]), utf8.subarray(splitInsideE)])));
    socket.write(serverFrame(OPCODE.binary, Buffer.concat([Buffer.from([3]), Buffer.from('{"metadata":{},"status":"Success"}')])));
    socket.end(serverFrame(OPCODE.close, Buffer.from([0x03, 0xe8])));
  });
  try {
    const out: string[] = [];
    const progress: number[] = [];
    const result = await exportBackupViaExec(execApi(srv.url, true), { namespace: 'argocd', onProgress: (p) => progress.push(p.total) }, (c) => {
      out.push(c);
    });
    assert.equal(out.join(''), CHUNK1 + CHUNK2);
    assert.equal(srv.requests.length, 1);
    assert.equal(
      srv.requests[0]!.url,
      '/api/v1/namespaces/argocd/pods/argocd-application-controller-0/exec?container=argocd-application-controller&command=argocd&command=admin&command=export&stdout=true&stderr=true',
    );
    assert.deepEqual(String(srv.requests[0]!.headers['sec-websocket-protocol']).split(/\s*,\s*/), ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    assert.equal(srv.requests[0]!.headers.upgrade, 'websocket');
    assert.equal(result.mode, 'exec');
    assert.deepEqual(result.counts, { ConfigMap: 1, Secret: 1, AppProject: 0, Application: 0, ApplicationSet: 0 });
    assert.deepEqual(progress, [1, 2]);
    assert.match(result.warnings[0]!, /level=info/);
    assert.equal(result.bytes, Buffer.byteLength(CHUNK1 + CHUNK2));
  } finally {
    await srv.close();
  }
});

test('exec mode: a non-zero exit of argocd admin export fails with its stderr', async () => {
  const srv = await fakeExecServer((socket) => {
    socket.write(serverFrame(OPCODE.binary, Buffer.concat([Buffer.from([2]), Buffer.from('FATA[0000] configmaps "argocd-tls-certs-cm" not found\n')])));
    socket.write(
      serverFrame(OPCODE.binary, Buffer.concat([Buffer.from([3]), Buffer.from('{"status":"Failure","message":"exit code 1","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"1"}]}}')])),
    );
    socket.end();
  });
  try {
    await assert.rejects(
      exportBackupViaExec(execApi(srv.url), { namespace: 'argocd' }, () => undefined),
      /argocd admin export failed in pod argocd-application-controller-0 \(container argocd-application-controller\) with exit code 1: FATA\[0000\] configmaps "argocd-tls-certs-cm" not found/,
    );
  } finally {
    await srv.close();
  }
});

test('exec mode: a connection that ends without a status is an error, never a silent partial backup', async () => {
  const srv = await fakeExecServer((socket) => {
    socket.write(serverFrame(OPCODE.binary, Buffer.concat([Buffer.from([1]), Buffer.from(CHUNK1)])));
    socket.destroy();
  });
  try {
    await assert.rejects(exportBackupViaExec(execApi(srv.url), { namespace: 'argocd' }, () => undefined), /ended without an exit status/);
  } finally {
    await srv.close();
  }
});

test('exec mode: forbidden pods/exec is reported with the API message', async () => {
  const srv = await fakeExecServer(() => undefined);
  try {
    const api = Object.assign(execApi(srv.url), { connectionOptions: async () => ({ server: srv.url, headers: {}, tls: {} }) });
    await assert.rejects(exportBackupViaExec(api, { namespace: 'argocd' }, () => undefined), (e: unknown) => {
      assert.ok(e instanceof KubeError);
      assert.equal(e.reason, 'forbidden');
      assert.match(e.message, /cannot create resource "pods\/exec"/);
      return true;
    });
  } finally {
    await srv.close();
  }
});

test('exec mode: no StatefulSet means a clear not-found error', async () => {
  const api = Object.assign(new FakeKubeApi(), { connectionOptions: async () => ({ server: 'http://127.0.0.1:1', headers: {}, tls: {} }) });
  await assert.rejects(exportBackupViaExec(api, { namespace: 'argocd' }, () => undefined), /statefulset argocd-application-controller not found in namespace argocd/);
});

test('exec mode: cancellation closes the stream and rejects with reason cancelled', async () => {
  const srv = await fakeExecServer((socket) => {
    socket.write(serverFrame(OPCODE.binary, Buffer.concat([Buffer.from([1]), Buffer.from(CHUNK1)])));
    // never finishes
  });
  try {
    const abort = new AbortController();
    const p = exportBackupViaExec(execApi(srv.url), { namespace: 'argocd', signal: abort.signal }, () => {
      abort.abort();
    });
    await assert.rejects(p, (e: unknown) => e instanceof KubeError && e.reason === 'cancelled');
  } finally {
    await srv.close();
  }
});

test('exec mode: messages of every frame length class, fragmented and cut at any byte, arrive whole and in order', async () => {
  const small = 'apiVersion: v1\n';
  const medium = `kind: ConfigMap\nmetadata:\n  name: ${'m'.repeat(280)}\n`; // 16-bit length
  const large = `data:\n  big: ${'é'.repeat(35_000)}\n---\n`; // 64-bit length (70 kB)
  const fragmented = ['apiVersion: v1\nkind: Se', 'cret\nmetadata:\n  name: s\n---\n'];
  const stream = Buffer.concat([
    serverFrame(OPCODE.binary, channel(1, small)),
    serverFrame(OPCODE.binary, channel(1, medium)),
    serverFrame(OPCODE.binary, channel(1, large)),
    serverFrame(OPCODE.binary, channel(1, fragmented[0]!), { fin: false }),
    serverFrame(OPCODE.ping, Buffer.from('p')), // a control frame between the fragments of a message
    serverFrame(OPCODE.continuation, Buffer.from(fragmented[1]!)),
    serverFrame(OPCODE.binary, channel(3, '{"metadata":{},"status":"Success"}')),
    serverFrame(OPCODE.close, Buffer.from([0x03, 0xe8])),
  ]);
  // Cuts of 1, 2, 3, 5, 8 … bytes, restarting at 1 past 4 kB: every header falls across some cut.
  const pieces: Buffer[] = [];
  for (let at = 0, a = 1, b = 1; at < stream.length; at += a, [a, b] = b > 4096 ? [1, 1] : [b, a + b]) pieces.push(stream.subarray(at, at + a));
  const srv = await fakeExecServer((socket) => {
    void (async () => {
      for (const p of pieces) {
        socket.write(p);
        await new Promise((r) => setImmediate(r));
      }
      socket.end();
    })();
  });
  try {
    const out: string[] = [];
    const result = await exportBackupViaExec(execApi(srv.url), { namespace: 'argocd' }, (c) => {
      out.push(c);
    });
    assert.ok(pieces.length > 100, `${pieces.length} pieces`);
    assert.equal(out.join(''), small + medium + large + fragmented.join(''));
    assert.deepEqual(result.counts, { ConfigMap: 1, Secret: 1, AppProject: 0, Application: 0, ApplicationSet: 0 });
  } finally {
    await srv.close();
  }
});

test('exec mode: a message over the size limit ends the backup with an error, and nothing waits for its bytes', async () => {
  const srv = await fakeExecServer((socket) => {
    socket.write(serverFrame(OPCODE.binary, channel(1, 'apiVersion: v1\n')));
    socket.write(serverFrame(OPCODE.binary, Buffer.from([1]), { length: MAX_MESSAGE_BYTES + 1 })); // the header alone
  });
  try {
    await assert.rejects(exportBackupViaExec(execApi(srv.url), { namespace: 'argocd' }, () => undefined), (e: unknown) => {
      assert.ok(e instanceof KubeError, String(e));
      assert.equal(e.reason, 'network');
      assert.match(e.message, /Max payload size exceeded/);
      return true;
    });
  } finally {
    await srv.close();
  }
});

test('exec mode: a wrong Sec-WebSocket-Accept from the server is refused before any output is taken', async () => {
  const srv = await fakeExecServer((socket) => socket.write(serverFrame(OPCODE.binary, channel(1, 'apiVersion: v1\n'))), { accept: () => 'bm90IHRoZSBrZXk=' });
  try {
    let written = 0;
    await assert.rejects(
      exportBackupViaExec(execApi(srv.url), { namespace: 'argocd' }, () => {
        written++;
      }),
      (e: unknown) => e instanceof KubeError && e.reason === 'http' && /handshake is invalid/.test(e.message),
    );
    assert.equal(written, 0);
  } finally {
    await srv.close();
  }
});

test('websocket: the RFC 6455 example accept key (the fake server above computes it the same way)', () => {
  assert.equal(acceptKeyFor('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});
