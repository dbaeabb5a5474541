// Every `gitops-dr` subcommand, by name. Each lives in its own file beside this one.
import type { CliCommand } from '../io';
import { contextsCommand } from './contexts';
import { agentsCommand } from './agents';

export const commands: Record<string, CliCommand> = {
  contexts: contextsCommand,
  agents: agentsCommand,
};
