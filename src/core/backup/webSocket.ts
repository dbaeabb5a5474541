// The exec API's WebSocket, opened with the `ws` package over the cluster's own TLS settings and auth headers.
// This file only maps what `ws` reports to KubeErrors and keeps the messages that arrive before a handler is set;
// framing, masking, ping/pong, close and the message size limit are the library's.
import type * as https from 'node:https';
import type * as http from 'node:http';
import type WebSocket from 'ws';
import { KubeError, fromHttpStatus, fromSocketError } from '../kube/errors';

/**
 * The largest message accepted from the server. Exec output arrives in chunks of tens of KiB; one object is at most
 * 1.5 MiB (etcd's limit), so a larger message is a broken or hostile peer, and `ws` closes the stream (1009).
 */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

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
export async function openWebSocket(url: URL, options: WebSocketOptions): Promise<WebSocketConnection> {
  const where = `${url.protocol}//${url.host}`;
  const shownPath = url.pathname;
  // Loaded on first use: only exec-mode backups need it, and activation should not evaluate it.
  const { default: WebSocketClass } = await import('ws');
  return new Promise<WebSocketConnection>((resolve, reject) => {
    if (options.signal?.aborted) return reject(new KubeError('cancelled', `cancelled before exec ${shownPath}`));
    let socket: WebSocket;
    try {
      socket = new WebSocketClass(url, options.protocols, { ...options.tls, headers: options.headers, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, followRedirects: false });
    } catch (e) {
      return reject(new KubeError('config', `exec ${shownPath}: cannot open a WebSocket to ${where}: ${(e as Error).message}`));
    }

    // Messages may arrive before the caller, resumed after `await`, attaches its handler.
    let handler: ((data: Buffer) => void) | undefined;
    const early: Buffer[] = [];
    socket.on('message', (data: Buffer) => {
      if (handler) handler(data);
      else early.push(data);
    });

    let opened = false;
    let settled = false;
    let resolveClosed!: () => void;
    let rejectClosed!: (e: Error) => void;
    const closed = new Promise<void>((res, rej) => {
      resolveClosed = res;
      rejectClosed = rej;
    });
    closed.catch(() => undefined);

    /** Before the upgrade: reject the open; after it: reject `closed`. Either way the socket goes. */
    const fail = (e: KubeError): void => {
      if (!opened) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(e);
      } else rejectClosed(e);
      socket.terminate();
    };
    const timer = setTimeout(() => fail(new KubeError('timeout', `timeout: no answer within ${options.timeoutMs / 1000}s on exec ${shownPath} (${where})`)), options.timeoutMs);
    const onAbort = (): void => fail(new KubeError('cancelled', opened ? 'cancelled: exec stopped' : `cancelled: exec ${shownPath}`));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    // Not upgraded: the API answered with an error status (forbidden, not found, bad request).
    socket.on('unexpected-response', (_req: http.ClientRequest, res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => fail(fromHttpStatus(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), 'POST', shownPath)));
      res.on('error', (e: NodeJS.ErrnoException) => fail(fromSocketError(e, where)));
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // Socket and TLS errors carry a code; `ws`'s own carry WS_ERR_* (bad frame, oversized message) or, for a bad
      // handshake (accept key, sub-protocol), none.
      if (!opened && !e.code) fail(new KubeError('http', `exec ${shownPath}: the server's WebSocket handshake is invalid (${where}): ${e.message}`));
      else if (e.code?.startsWith('WS_ERR_')) fail(new KubeError('network', `exec: ${e.message} (${where})`));
      else fail(fromSocketError(e, where));
    });
    socket.on('open', () => {
      if (settled) return;
      opened = true;
      settled = true;
      clearTimeout(timer);
      resolve({
        protocol: socket.protocol,
        onMessage(h) {
          handler = h;
          for (const m of early.splice(0)) h(m);
        },
        closed,
        close: () => socket.close(1000),
      });
    });
    socket.on('close', () => {
      options.signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
      if (opened) resolveClosed();
      else fail(new KubeError('network', `network error: the connection closed before the WebSocket upgrade on exec ${shownPath} (${where})`));
    });
  });
}
