// Encryption at rest with age (https://age-encryption.org), through `age-encryption` (the TypeScript
// implementation by age's author). X25519 recipients (`age1…`) and passphrases (scrypt), the two kinds Debian's
// `age` CLI reads, so a stored backup opens with `age -d` and a file made by `age` opens here.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

type AgeModule = typeof import('age-encryption', { with: { 'resolution-mode': 'import' } });
let agePromise: Promise<AgeModule> | undefined;
/** The library is ESM-only; loaded on first use. */
function age(): Promise<AgeModule> {
  agePromise ??= import('age-encryption');
  return agePromise;
}

export interface EncryptionSpec {
  /** `age1…` X25519 recipients. */
  recipients?: string[];
  passphrase?: string;
}

export interface DecryptionKeys {
  /** `AGE-SECRET-KEY-1…` identities (lines of an age identity file). */
  identities?: string[];
  passphrase?: string;
}

export class EncryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionError';
  }
}

export function hasEncryption(spec: EncryptionSpec | undefined): boolean {
  return !!spec && ((spec.recipients?.length ?? 0) > 0 || !!spec.passphrase);
}

/** Checks recipients before anything is read from a cluster: a typo must not cost a whole export. */
export function checkRecipients(recipients: readonly string[]): void {
  for (const r of recipients) {
    if (!/^age1[02-9ac-hj-np-z]{58}$/.test(r)) {
      throw new EncryptionError(`"${r.length > 80 ? `${r.slice(0, 80)}…` : r}" is not an age X25519 recipient (age1 followed by 58 characters, as age-keygen prints)`);
    }
  }
}

/** The identities in the text of an age identity file (comments and blank lines skipped). */
export function parseIdentityFile(text: string, where: string): string[] {
  const ids = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (ids.length === 0) throw new EncryptionError(`${where} holds no age identity (expected lines AGE-SECRET-KEY-1…)`);
  for (const [i, id] of ids.entries()) {
    if (!/^AGE-SECRET-KEY-1[0-9A-Z]+$/.test(id)) throw new EncryptionError(`${where}: line ${i + 1} is not an age identity (AGE-SECRET-KEY-1…)`);
  }
  return ids;
}

/**
 * The keys in one line a person typed or pasted (VS Code's password box, SecretStorage): one or more
 * `AGE-SECRET-KEY-1…` identities separated by spaces, else the whole text is a passphrase.
 */
export function decryptionKeysFromText(text: string): DecryptionKeys {
  const trimmed = text.replace(/[\r\n]+$/, '');
  if (trimmed.trim() === '') throw new EncryptionError('no key given: an age identity (AGE-SECRET-KEY-1…) or the passphrase');
  const words = trimmed.trim().split(/\s+/);
  if (words[0]!.toUpperCase().startsWith('AGE-SECRET-KEY-1')) {
    for (const [i, w] of words.entries()) {
      if (!/^AGE-SECRET-KEY-1[0-9A-Z]+$/.test(w)) throw new EncryptionError(`word ${i + 1} is not an age identity (AGE-SECRET-KEY-1 followed by upper-case letters and digits, as age-keygen writes)`);
    }
    return { identities: words };
  }
  return { passphrase: trimmed };
}

/** What kind of key was given, for messages (never the key). */
export function describeKeys(keys: DecryptionKeys): string {
  const n = keys.identities?.length ?? 0;
  const ids = n === 1 ? 'an age identity' : n > 1 ? `${n} age identities` : '';
  return [ids, keys.passphrase ? 'a passphrase' : ''].filter(Boolean).join(' and ') || 'no key';
}

/** Wraps a plaintext stream into an age-encrypted stream. */
export async function encryptStream(plain: Readable, spec: EncryptionSpec): Promise<Readable> {
  const { Encrypter } = await age();
  const e = new Encrypter();
  if (spec.passphrase) {
    if ((spec.recipients?.length ?? 0) > 0) throw new EncryptionError('age encrypts to recipients or to a passphrase, not both');
    e.setPassphrase(spec.passphrase);
  }
  for (const r of spec.recipients ?? []) e.addRecipient(r);
  const web = Readable.toWeb(plain) as unknown as ReadableStream<Uint8Array>;
  const out = await e.encrypt(web);
  return Readable.fromWeb(out as unknown as WebReadableStream<Uint8Array>);
}

/** Decrypts a stream; a wrong key fails with EncryptionError before any plaintext is produced. */
export async function decryptStream(stored: Readable, keys: DecryptionKeys, where: string): Promise<Readable> {
  const { Decrypter } = await age();
  const d = new Decrypter();
  if (!keys.passphrase && (keys.identities?.length ?? 0) === 0) {
    throw new EncryptionError(`${where} is encrypted: give an age identity file (--identity FILE) or a passphrase (--passphrase-env VAR)`);
  }
  if (keys.passphrase) d.addPassphrase(keys.passphrase);
  for (const id of keys.identities ?? []) d.addIdentity(id);
  try {
    const out = await d.decrypt(Readable.toWeb(stored) as unknown as ReadableStream<Uint8Array>);
    return Readable.fromWeb(out as unknown as WebReadableStream<Uint8Array>);
  } catch (e) {
    throw new EncryptionError(`${where} cannot be decrypted with the given ${keys.passphrase ? 'passphrase' : 'identity'}: ${(e as Error).message}`);
  }
}
