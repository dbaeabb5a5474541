// Backup files this user saved or restored from recently (paths only, in the extension's global state), offered
// first when a restore asks for its source.
import * as fs from 'node:fs';
import type { ExtensionServices } from '../services';

const KEY = 'gitopsDr.recentBackupFiles';
const KEEP = 10;

export function recentBackupFiles(services: ExtensionServices): string[] {
  const list = services.context.globalState.get<string[]>(KEY, []);
  return list.filter((f) => fs.existsSync(f));
}

export async function rememberBackupFile(services: ExtensionServices, file: string): Promise<void> {
  const list = [file, ...services.context.globalState.get<string[]>(KEY, []).filter((f) => f !== file)].slice(0, KEEP);
  await services.context.globalState.update(KEY, list);
}
