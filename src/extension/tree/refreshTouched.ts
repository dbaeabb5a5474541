// After an operation that changed clusters (restore, failover, block or allow syncs), the tree probes the contexts
// it touched again, so counts, rules and fences are current without a manual refresh.
import type { ExtensionServices } from '../services';

export async function refreshTouched(services: ExtensionServices, contexts: Iterable<string>): Promise<void> {
  const agents = services.agents;
  if (!agents?.started) return;
  const unique = [...new Set(contexts)];
  try {
    await Promise.all(unique.map((c) => agents.retry(c)));
    agents.model.finish();
  } catch (e) {
    services.log.warn(`tree: could not refresh ${unique.join(', ')}: ${(e as Error).message}`);
  }
}
