// A promise started ahead of time (a prefetch) may fail before anyone awaits it, or never be awaited at all when
// an earlier step fails. Marking it handled keeps Node from reporting an unhandled rejection; whoever awaits it
// still gets the error.

/** `p`, marked handled: its failure is reported when (and only if) it is awaited. */
export function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}
