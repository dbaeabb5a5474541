// The Harness API key (VS Code SecretStorage, never shown back), the client built from it and the settings, and the
// roles the agents tree shows beside each pair member.
import * as vscode from 'vscode';
import { HarnessClient } from '../../core/harness/client';
import { describeHealth, fetchRoles, roleOf, type RolesByAgent } from '../../core/harness/roles';
import type { AgentsSnapshot } from '../../core/agents/model';
import type { ExtensionServices } from '../services';
import type { RoleLookup } from '../tree/nodes';

export const API_KEY_SECRET = 'gitopsDr.harness.apiKey';

function harnessTimeoutMs(): number {
  return Math.max(1, vscode.workspace.getConfiguration('gitopsDr').get<number>('harness.timeoutSeconds', 15)) * 1000;
}

/** A client when a key is stored; undefined without one. Throws HarnessError('config') on a bad base URL. */
export async function harnessClient(services: ExtensionServices): Promise<HarnessClient | undefined> {
  const apiKey = await services.context.secrets.get(API_KEY_SECRET);
  if (!apiKey) return undefined;
  const settings = services.settings();
  return new HarnessClient({
    baseUrl: settings.harnessBaseUrl,
    apiKey,
    ...(settings.harnessAccount ? { account: settings.harnessAccount } : {}),
    timeoutMs: harnessTimeoutMs(),
    log: (line) => services.log.info(`harness: ${line}`),
  });
}

function roleLookupOf(roles: RolesByAgent): RoleLookup {
  return {
    connected: true,
    roleOf(agent) {
      const role = roleOf(roles, agent);
      return role ? { role: role.role, health: describeHealth(role) } : undefined;
    },
  };
}

const NO_ROLES: RoleLookup = { connected: false, roleOf: () => undefined };

/** Keeps the tree's roles in step with Harness: on key changes, on new pairs, and after a failover. */
export class HarnessRoles {
  private lastSignature = '';
  private inFlight: Promise<RolesByAgent | undefined> | undefined;
  private timer: NodeJS.Timeout | undefined;
  latest: RolesByAgent | undefined;

  constructor(private readonly services: ExtensionServices) {
    const model = services.agents?.model;
    if (model) {
      const sub = model.onDidChange(() => this.schedule());
      services.context.subscriptions.push(sub, { dispose: () => this.timer && clearTimeout(this.timer) });
    }
  }

  private signature(snapshot: AgentsSnapshot): string {
    return snapshot.groups.map((g) => `${g.key}:${g.members.map((m) => m.drIdentifier ?? '').join(',')}`).join('|');
  }

  /** Debounced: discovery streams many changes; roles are read once it settles on a new set of pairs. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const model = this.services.agents?.model;
      if (!model || model.state === 'loading') return;
      if (this.signature(model.snapshot) !== this.lastSignature) void this.refresh();
    }, 300);
  }

  /** Reads the roles now; the tree shows them. Undefined without a key. Never throws. */
  refresh(): Promise<RolesByAgent | undefined> {
    this.inFlight ??= this.read().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async read(): Promise<RolesByAgent | undefined> {
    const model = this.services.agents?.model;
    let client: HarnessClient | undefined;
    try {
      client = await harnessClient(this.services);
    } catch (e) {
      this.services.log.error(`Harness: ${(e as Error).message}`);
    }
    const snapshot = model?.snapshot;
    if (snapshot) this.lastSignature = this.signature(snapshot);
    if (!client || !snapshot) {
      this.latest = undefined;
      if (model && model.roles.connected) model.setRoles(NO_ROLES);
      return undefined;
    }
    const identities = snapshot.groups.map((g) => g.identity);
    const roles = await fetchRoles(client, identities);
    for (const entry of roles.values()) if (entry.error) this.services.log.warn(`Harness roles of ${entry.key}: ${entry.error}`);
    this.latest = roles;
    model?.setRoles(roleLookupOf(roles));
    return roles;
  }
}
