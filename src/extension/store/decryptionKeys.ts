// The age key of encrypted stored backups in VS Code: kept in SecretStorage when the user saves one ("Set Backup
// Decryption Key…"), else asked for in a password box each time it is needed (used for that command, then
// forgotten). Never in settings, never in the log: messages say only what kind of key it was.
import * as vscode from 'vscode';
import { decryptionKeysFromText, describeKeys, type DecryptionKeys } from '../../core/store/encryption';
import type { StoredBackup } from '../../core/store/readStored';
import type { ExtensionServices } from '../services';

export const DECRYPTION_KEY_SECRET = 'gitopsDr.backupStore.decryptionKey';

export interface ResolvedKeys {
  keys: DecryptionKeys;
  /** Where the key came from, for the message of a wrong key. */
  from: string;
}

function validate(v: string): string | undefined {
  try {
    decryptionKeysFromText(v);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The keys to read these backups with: none when none is encrypted; the saved key; else the user types one. */
export async function keysFor(services: ExtensionServices, backups: StoredBackup[], interactive: boolean): Promise<ResolvedKeys | undefined> {
  const encrypted = backups.filter((b) => b.manifest.encrypted);
  if (encrypted.length === 0) return { keys: {}, from: '' };
  const saved = await services.context.secrets.get(DECRYPTION_KEY_SECRET);
  if (saved) return { keys: decryptionKeysFromText(saved), from: 'the key saved in VS Code SecretStorage (replace it with "GitOps DR: Set Backup Decryption Key…")' };
  const names = encrypted.map((b) => b.manifest.id.split('/').pop()).join(', ');
  if (!interactive) {
    throw new Error(`stored backup ${names} is age-encrypted and no decryption key is saved: run "GitOps DR: Set Backup Decryption Key…"`);
  }
  const typed = await vscode.window.showInputBox({
    title: `Decrypt stored backup ${names}`,
    prompt: 'The age identity (AGE-SECRET-KEY-1…, as age-keygen writes it) or the passphrase it was encrypted with. Used for this command only; "Set Backup Decryption Key…" keeps one in VS Code SecretStorage.',
    password: true,
    ignoreFocusOut: true,
    validateInput: validate,
  });
  if (typed === undefined) return undefined;
  const keys = decryptionKeysFromText(typed);
  return { keys, from: `the ${describeKeys(keys).replace(/^an? /, '')} typed` };
}

export function registerDecryptionKeyCommands(services: ExtensionServices, ids: { set: string; clear: string }): vscode.Disposable[] {
  const { context, log } = services;
  return [
    vscode.commands.registerCommand(ids.set, async (arg?: { key?: string }) => {
      // A key given as an argument is for automation and tests; people get a password box.
      const text =
        arg?.key ??
        (await vscode.window.showInputBox({
          title: 'Backup store: age decryption key',
          prompt: 'The age identity (AGE-SECRET-KEY-1…) or passphrase of encrypted stored backups. Kept in VS Code SecretStorage; never shown again.',
          password: true,
          ignoreFocusOut: true,
          validateInput: validate,
        }));
      if (text === undefined || text.trim() === '') return { stored: false };
      const keys = decryptionKeysFromText(text);
      await context.secrets.store(DECRYPTION_KEY_SECRET, text);
      log.info(`backup store: ${describeKeys(keys)} saved in VS Code SecretStorage for encrypted stored backups`);
      return { stored: true };
    }),
    vscode.commands.registerCommand(ids.clear, async () => {
      await context.secrets.delete(DECRYPTION_KEY_SECRET);
      log.info('backup store: the decryption key was removed from VS Code SecretStorage');
      return { cleared: true };
    }),
  ];
}
