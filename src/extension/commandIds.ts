// Every command the extension contributes, by one name: registering, running and the package.json list use these.
export const COMMANDS = {
  refresh: 'gitopsDr.refresh',
  retryContext: 'gitopsDr.retryContext',
  copyIdentifier: 'gitopsDr.copyIdentifier',
  revealKubeconfig: 'gitopsDr.revealKubeconfig',
  openKubeconfigSetting: 'gitopsDr.openKubeconfigSetting',
  backupAgent: 'gitopsDr.backupAgent',
  saveBackupAs: 'gitopsDr.saveBackupAs',
  restoreBackup: 'gitopsDr.restoreBackup',
  compareWithLive: 'gitopsDr.compareWithLive',
  drill: 'gitopsDr.drill',
  showPlanDiff: 'gitopsDr.showPlanDiff',
  lintFile: 'gitopsDr.lintFile',
  failover: 'gitopsDr.failover',
  setHarnessApiKey: 'gitopsDr.setHarnessApiKey',
  clearHarnessApiKey: 'gitopsDr.clearHarnessApiKey',
  refreshHarnessRoles: 'gitopsDr.refreshHarnessRoles',
  blockSyncs: 'gitopsDr.syncWindows.block',
  allowSyncs: 'gitopsDr.syncWindows.allow',
  showSyncWindows: 'gitopsDr.syncWindows.show',
  addSecondary: 'gitopsDr.addSecondary',
  restoreIntoSecondary: 'gitopsDr.restoreIntoSecondary',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
