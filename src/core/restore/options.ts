// What a caller may choose for a restore, named after `argocd admin import`'s flags, and their defaults.
import type { EffectiveRestoreOptions } from './types';

export interface RestoreOptions {
  /** The target Argo CD namespace: objects without a namespace go here. */
  namespace: string;
  /** Globs (or /regex/) of namespaces whose Applications may be restored; default: the target's argocd-cmd-params-cm. */
  applicationNamespaces?: string[];
  /** Same for ApplicationSets. */
  applicationSetNamespaces?: string[];
  /** Clear `.operation` of Applications so the restored side does not start the sync in flight. Default true. */
  stopOperation?: boolean;
  /** `key=value`: backup objects with this label are not restored, live ones are never pruned. */
  skipResourcesWithLabel?: string;
  /** Keep the live tracking annotation / instance label when both sides carry one. */
  ignoreTracking?: boolean;
  /** After a 409, update over changes someone else made since the plan (default: only over status-only changes). */
  overrideOnConflict?: boolean;
  /** Restore the backup's sync windows in place of the target's fence (default false: the fence is kept; see syncWindows/fence.ts). */
  dropTargetFence?: boolean;
}

/** Parses `key=value`; undefined when empty. Throws on a malformed value, so a typo never means "skip nothing". */
export function parseSkipLabel(value: string | undefined): { key: string; value: string } | undefined {
  if (value === undefined || value === '') return undefined;
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw new Error(`skip label must look like key=value, got "${value}"`);
  return { key: value.slice(0, eq), value: value.slice(eq + 1) };
}

export function effectiveOptions(
  options: RestoreOptions,
  enabled: { applicationNamespaces: string[]; applicationSetNamespaces: string[] },
): EffectiveRestoreOptions {
  parseSkipLabel(options.skipResourcesWithLabel);
  return {
    namespace: options.namespace,
    applicationNamespaces: options.applicationNamespaces?.length ? [...options.applicationNamespaces] : enabled.applicationNamespaces,
    applicationSetNamespaces: options.applicationSetNamespaces?.length ? [...options.applicationSetNamespaces] : enabled.applicationSetNamespaces,
    stopOperation: options.stopOperation ?? true,
    ...(options.skipResourcesWithLabel ? { skipResourcesWithLabel: options.skipResourcesWithLabel } : {}),
    ignoreTracking: options.ignoreTracking ?? false,
    overrideOnConflict: options.overrideOnConflict ?? false,
    keepTargetFence: !options.dropTargetFence,
  };
}
