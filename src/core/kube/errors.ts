// Every failure talking to a cluster becomes a KubeError with a reason a person can act on.
import { ReasonedError, reasonOfHttpStatus } from '../util/reasonedError';

export type KubeErrorReason =
  | 'dns' // the server's host name does not resolve
  | 'refused' // nothing listens on the server's port
  | 'tls' // certificate or TLS handshake problem
  | 'unauthorized' // 401: credentials missing, expired or rejected
  | 'forbidden' // 403: RBAC denies this identity
  | 'notFound' // 404
  | 'conflict' // 409: the object changed or already exists
  | 'invalid' // 422 or 400: the server rejected the object
  | 'tooManyRequests' // 429
  | 'server' // 5xx
  | 'timeout' // no answer within the per-request timeout
  | 'cancelled' // the caller aborted
  | 'network' // connection reset or another socket error
  | 'config' // the kubeconfig entry cannot be used
  | 'http'; // any other HTTP status

export class KubeError extends ReasonedError<KubeErrorReason> {
  constructor(
    reason: KubeErrorReason,
    message: string,
    status?: number,
    /** The API's own Status.details, when it sent one (e.g. the forbidden verb and resource). */
    readonly details?: { verb?: string; resource?: string; group?: string; name?: string },
  ) {
    super(reason, message, status);
    this.name = 'KubeError';
  }
}

export function isKubeError(e: unknown, reason?: KubeErrorReason): e is KubeError {
  return e instanceof KubeError && (reason === undefined || e.reason === reason);
}

const SOCKET_REASONS: Record<string, KubeErrorReason> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'network',
  EPIPE: 'network',
  EHOSTUNREACH: 'network',
  ENETUNREACH: 'network',
  ETIMEDOUT: 'timeout',
};

/** Maps a socket or TLS error from node:https to a KubeError naming the server. */
export function fromSocketError(err: NodeJS.ErrnoException, server: string): KubeError {
  const code = err.code ?? '';
  if (code in SOCKET_REASONS) {
    const reason = SOCKET_REASONS[code]!;
    const what = reason === 'dns' ? 'host not found' : reason === 'refused' ? 'connection refused' : err.message;
    return new KubeError(reason, `${reason === 'network' ? 'network error' : reason}: ${what} (${server})`);
  }
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL') || /certificate|SSL|TLS/i.test(err.message)) {
    return new KubeError('tls', `tls: ${err.message} (${server})`);
  }
  return new KubeError('network', `network error: ${err.message} (${server})`);
}

/** Maps an HTTP error answer (with the API's Status body when present) to a KubeError. */
export function fromHttpStatus(status: number, body: string, method: string, path: string): KubeError {
  let message = '';
  let details: KubeError['details'];
  try {
    const parsed = JSON.parse(body) as { message?: string; details?: { kind?: string; name?: string; group?: string } };
    message = parsed.message ?? '';
    if (parsed.details) details = { resource: parsed.details.kind, group: parsed.details.group, name: parsed.details.name };
  } catch {
    message = body.slice(0, 200);
  }
  const reason = reasonOfHttpStatus(status);
  if (reason === 'forbidden') details = { ...details, verb: verbOf(method, path) };
  return new KubeError(reason, `${reason} (${status}) on ${method} ${path}${message ? `: ${message}` : ''}`, status, details);
}

function verbOf(method: string, path: string): string {
  const isCollection = !/\/[^/]+\/[^/]+$/.test(path.split('?')[0] ?? '') || /\/namespaces\/[^/]+\/[^/]+$/.test(path.split('?')[0] ?? '');
  switch (method) {
    case 'GET':
      return isCollection ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return method.toLowerCase();
  }
}

/** A short, secret-free reason for trees and tables: "refused: connection refused (https://127.0.0.1:6443)". */
export function describeError(e: unknown): string {
  if (e instanceof KubeError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
