// The shape both API error types share (KubeError, HarnessError): a reason a person can act on, the HTTP status
// when there was one, and which reasons a retry may cure.

/** Reasons that are transient on both APIs: rate limiting, a server error, a dropped connection. */
const RETRYABLE = new Set(['tooManyRequests', 'server', 'network']);

export abstract class ReasonedError<Reason extends string> extends Error {
  constructor(
    readonly reason: Reason,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }

  /** Transient failures a retry may cure. */
  get retryable(): boolean {
    return RETRYABLE.has(this.reason);
  }
}

/** The reason an HTTP error status means, alike for the Kubernetes API and Harness. */
export type HttpStatusReason = 'invalid' | 'unauthorized' | 'forbidden' | 'notFound' | 'conflict' | 'tooManyRequests' | 'server' | 'http';

const STATUS_REASONS: Record<number, HttpStatusReason> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'notFound',
  409: 'conflict',
  422: 'invalid',
  429: 'tooManyRequests',
};

export function reasonOfHttpStatus(status: number): HttpStatusReason {
  return STATUS_REASONS[status] ?? (status >= 500 ? 'server' : 'http');
}
