// An abortable delay for backoff between retries (Kubernetes and Harness clients alike).

/** Resolves after `ms`; rejects at once when the signal aborts, with `cancelled()` or the signal's reason. */
export function sleep(ms: number, signal?: AbortSignal, cancelled?: () => Error): Promise<void> {
  const reason = (): unknown => (cancelled ? cancelled() : (signal?.reason ?? new Error('cancelled')));
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(reason());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(reason());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
