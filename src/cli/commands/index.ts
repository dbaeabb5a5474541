// Every `gitops-dr` subcommand, by name. Each lives in its own file beside this one.
import type { CliCommand } from '../io';

export const commands: Record<string, CliCommand> = {};
