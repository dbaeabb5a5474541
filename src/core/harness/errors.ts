// Every failure talking to Harness becomes a HarnessError with a reason a person can act on. Messages are built
// from the method, the path (never the query: it is harmless, but kept short) and the server's own message, with
// the API key cut out wherever it might appear.
import { ReasonedError, reasonOfHttpStatus } from '../util/reasonedError';

export type HarnessErrorReason =
  | 'unauthorized' // 401: the key is missing, expired or wrong
  | 'forbidden' // 403: the key's principal may not do this
  | 'notFound' // 404: no such agent or DR node in that scope
  | 'conflict' // 409: the identifier (or DR identifier) is taken
  | 'invalid' // 400 / 422: the request was refused as malformed
  | 'tooManyRequests' // 429, after the retries
  | 'server' // 5xx, after the retries
  | 'timeout' // no answer within the per-request timeout
  | 'cancelled' // the caller aborted
  | 'network' // DNS, refused, reset, TLS
  | 'config' // no key, no account, a bad base URL
  | 'badResponse' // 2xx with a body that is not what the API documents
  | 'http'; // any other status

export class HarnessError extends ReasonedError<HarnessErrorReason> {
  constructor(reason: HarnessErrorReason, message: string, status?: number) {
    super(reason, message, status);
    this.name = 'HarnessError';
  }
}

/** Removes every occurrence of the secret (and of its URL-encoded form) from a text. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  let out = text.split(secret).join('[redacted]');
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) out = out.split(encoded).join('[redacted]');
  return out;
}

export function reasonOfStatus(status: number): HarnessErrorReason {
  return reasonOfHttpStatus(status);
}

/** What the person should do next, per reason. */
const ADVICE: Partial<Record<HarnessErrorReason, string>> = {
  unauthorized: 'the Harness API key was rejected: set a valid key (VS Code: "GitOps DR: Set Harness API Key"; CLI: HARNESS_API_KEY)',
  forbidden: 'the Harness API key is valid but its user or service account lacks the GitOps agent permission for this call (view for reads, edit for changes) in that scope',
  notFound: 'no such agent or disaster recovery node in that account/org/project: check the identifiers and the scope',
  conflict: 'Harness already has an agent (or DR node) with that identifier in this scope: choose another DR identifier, or use the existing node',
  tooManyRequests: 'Harness is rate limiting this key: wait a minute and try again',
  server: 'Harness answered with a server error: try again later',
};

export function adviceFor(reason: HarnessErrorReason): string | undefined {
  return ADVICE[reason];
}
