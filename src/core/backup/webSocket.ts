// A small WebSocket client (RFC 6455), enough for the Kubernetes exec API: the HTTP/1.1 upgrade over the
// cluster's own TLS settings and auth headers, binary/text frames from the server, ping/pong, close. The socket
// never sends data frames here (exec without stdin), only pong and close, masked as clients must.
import * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import { createHash, randomBytes } from 'node:crypto';
import { KubeError, fromHttpStatus, fromSocketError } from '../kube/errors';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface WebSocketFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Parses frames out of a byte stream; keeps the incomplete tail for the next chunk. */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): WebSocketFrame[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: WebSocketFrame[] = [];
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) break;
      const fin = (b[0]! & 0x80) !== 0;
      const opcode = b[0]! & 0x0f;
      const masked = (b[1]! & 0x80) !== 0;
      let len = b[1]! & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) break;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) break;
        const big = b.readBigUInt64BE(2);
        if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('websocket frame too large');
        len = Number(big);
        off = 10;
      }
      const maskOff = off;
      if (masked) off += 4;
      if (b.length < off + len) break;
      let payload = b.subarray(off, off + len);
      if (masked) {
        const mask = b.subarray(maskOff, maskOff + 4);
        payload = Buffer.from(payload);
        for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
      }
      frames.push({ fin, opcode, payload });
      this.buffer = b.subarray(off + len);
    }
    return frames;
  }
}

/** One client frame (always masked). */
export function encodeClientFrame(opcode: number, payload: Buffer = Buffer.alloc(0), mask: Buffer = randomBytes(4)): Buffer {
  const len = payload.length;
  const header = len < 126 ? Buffer.alloc(2) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (len < 126) header[1] = 0x80 | len;
  else if (len < 65536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(len, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([header, mask, body]);
}

export function acceptKeyFor(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

export interface WebSocketOptions {
  headers: Record<string, string>;
  tls: https.AgentOptions;
  protocols: string[];
  signal?: AbortSignal;
  /** Time allowed for the upgrade answer. */
  timeoutMs: number;
}

export interface WebSocketConnection {
  /** The sub-protocol the server chose. */
  protocol: string;
  /** Called for each complete data message (continuations joined). */
  onMessage(handler: (data: Buffer) => void): void;
  /** Resolves when the connection is closed (by either side); rejects on a socket error or abort. */
  closed: Promise<void>;
  close(): void;
}

/** Opens a WebSocket to `url` (https:// or http://). */
export function openWebSocket(url: URL, options: WebSocketOptions): Promise<WebSocketConnection> {
  const key = randomBytes(16).toString('base64');
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  const where = `${url.protocol}//${url.host}`;
  const shownPath = url.pathname;
  return new Promise<WebSocketConnection>((resolve, reject) => {
    if (options.signal?.aborted) return reject(new KubeError('cancelled', `cancelled before exec ${shownPath}`));
    const headers = {
      ...options.headers,
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': key,
      'Sec-WebSocket-Protocol': options.protocols.join(', '),
    };
    const reqOptions: https.RequestOptions = { method: 'GET', headers, agent: false, ...(secure ? options.tls : {}) };
    const req = (secure ? https : http).request(url, reqOptions);
    let settled = false;
    const fail = (e: KubeError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      reject(e);
    };
    const timer = setTimeout(() => fail(new KubeError('timeout', `timeout: no answer within ${options.timeoutMs / 1000}s on exec ${shownPath} (${where})`)), options.timeoutMs);
    const onAbort = (): void => fail(new KubeError('cancelled', `cancelled: exec ${shownPath}`));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => fail(fromSocketError(e, where)));
    req.on('response', (res: http.IncomingMessage) => {
      // Not upgraded: the API answered with an error status (forbidden, not found, bad request).
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => fail(fromHttpStatus(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), 'POST', shownPath)));
    });
    req.on('upgrade', (res: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      if (settled) {
        socket.destroy();
        return;
      }
      if (res.headers['sec-websocket-accept'] !== acceptKeyFor(key)) {
        socket.destroy();
        return fail(new KubeError('http', `exec ${shownPath}: the server's WebSocket handshake is invalid (${where})`));
      }
      settled = true;
      clearTimeout(timer);
      resolve(connectionOver(socket, head, String(res.headers['sec-websocket-protocol'] ?? ''), where, options.signal, onAbort));
    });
    req.end();
  });
}

function connectionOver(socket: Duplex, head: Buffer, protocol: string, where: string, signal: AbortSignal | undefined, previousAbort: () => void): WebSocketConnection {
  signal?.removeEventListener('abort', previousAbort);
  const reader = new FrameReader();
  let handler: ((data: Buffer) => void) | undefined;
  const early: Buffer[] = []; // messages that arrive before the caller attached its handler
  let fragments: Buffer[] = [];
  let closing = false;
  let resolveClosed!: () => void;
  let rejectClosed!: (e: Error) => void;
  const closed = new Promise<void>((res, rej) => {
    resolveClosed = res;
    rejectClosed = rej;
  });
  closed.catch(() => undefined);
  const sendClose = (): void => {
    if (closing) return;
    closing = true;
    if (!socket.destroyed) socket.write(encodeClientFrame(OPCODE.close, Buffer.from([0x03, 0xe8])));
    socket.end();
  };
  const onAbort = (): void => {
    rejectClosed(new KubeError('cancelled', 'cancelled: exec stopped'));
    socket.destroy();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const onData = (chunk: Buffer): void => {
    let frames: WebSocketFrame[];
    try {
      frames = reader.push(chunk);
    } catch (e) {
      rejectClosed(new KubeError('network', `exec: ${(e as Error).message} (${where})`));
      socket.destroy();
      return;
    }
    for (const f of frames) {
      switch (f.opcode) {
        case OPCODE.text:
        case OPCODE.binary:
        case OPCODE.continuation:
          fragments.push(f.payload);
          if (f.fin) {
            const data = fragments.length === 1 ? fragments[0]! : Buffer.concat(fragments);
            fragments = [];
            if (handler) handler(data);
            else early.push(data);
          }
          break;
        case OPCODE.ping:
          socket.write(encodeClientFrame(OPCODE.pong, f.payload));
          break;
        case OPCODE.close:
          sendClose();
          break;
      }
    }
  };
  socket.on('data', onData);
  socket.on('error', (e: NodeJS.ErrnoException) => rejectClosed(fromSocketError(e, where)));
  socket.on('close', () => {
    signal?.removeEventListener('abort', onAbort);
    resolveClosed();
  });
  if (head.length > 0) queueMicrotask(() => onData(head));
  return {
    protocol,
    onMessage(h) {
      handler = h;
      for (const m of early.splice(0)) h(m);
    },
    closed,
    close: sendClose,
  };
}
