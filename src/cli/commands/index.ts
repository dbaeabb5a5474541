// Every `gitops-dr` subcommand, by name. Each lives in its own file beside this one.
import type { CliCommand } from '../io';
import { contextsCommand } from './contexts';
import { agentsCommand } from './agents';
import { backupCommand } from './backup';
import { failoverCommand } from './failover';
import { syncWindowsCommand } from './syncWindows';
import { restoreCommand } from './restore';
import { compareCommand } from './compare';
import { lintCommand } from './lint';
import { secondaryCommand } from './secondary';
import { backupsCommand } from './backups';
import { drillCommand } from './drill';

export const commands: Record<string, CliCommand> = {
  contexts: contextsCommand,
  agents: agentsCommand,
  backup: backupCommand,
  backups: backupsCommand,
  failover: failoverCommand,
  'sync-windows': syncWindowsCommand,
  restore: restoreCommand,
  compare: compareCommand,
  lint: lintCommand,
  secondary: secondaryCommand,
  drill: drillCommand,
};
