// The backup linter in VS Code: diagnostics for open backup files, quick fixes, and gitopsDr.lintFile.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { BackupLintController } from './backupLintController';
import { LintCodeActionProvider } from './lintCodeActions';
import { lintFileCommand } from './lintFileCommand';
import { defaultWorkerScript, LintRunner } from './lintRunner';
import { readLintSettings } from './lintSettings';
import { COMMANDS } from '../commandIds';

/** Where quick fixes are offered: any YAML or JSON document (the controller decides which ones have findings). */
const SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml' },
  { language: 'json' },
  { scheme: 'file', pattern: '**/*.{yaml,yml,json}' },
  { scheme: 'untitled' },
];

export function registerLint(services: ExtensionServices): void {
  const { context, log } = services;
  const runner = new LintRunner(defaultWorkerScript(context.extensionPath), (m) => log.warn(m));
  const controller = new BackupLintController(runner, log, readLintSettings);
  context.subscriptions.push(
    runner,
    controller,
    vscode.languages.registerCodeActionsProvider(SELECTOR, new LintCodeActionProvider(controller), { providedCodeActionKinds: LintCodeActionProvider.kinds }),
    vscode.commands.registerCommand(COMMANDS.lintFile, (arg?: unknown) => lintFileCommand(controller, runner, readLintSettings, arg)),
  );
}
