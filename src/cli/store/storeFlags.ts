// Flags every command that reads or writes a backup location shares: where the S3 server is, which profile, and
// the age keys. Keys and passphrases never come from the command line itself (it shows in `ps` and shell
// history): an identity FILE, or the NAME of an environment variable holding the passphrase.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringFlag, UsageError, type FlagSpec, type ParsedArgs } from '../args';
import type { CliIO } from '../io';
import { openStore, parseIdentityFile, parseLocation, type BackupLocation, type BlobStore, type DecryptionKeys, type EncryptionSpec, checkRecipients } from '../../core/store';
import { timeoutMsFromFlags } from '../kubeFlags';

export const LOCATION_FLAGS: FlagSpec[] = [
  { name: 'endpoint', value: true },
  { name: 'region', value: true },
  { name: 'profile', value: true },
  { name: 'path-style' },
  { name: 'virtual-hosted-style' },
];

export const DECRYPT_FLAGS: FlagSpec[] = [
  { name: 'identity', short: 'i', value: true, repeat: true },
  { name: 'passphrase-env', value: true },
];

export const ENCRYPT_FLAGS: FlagSpec[] = [
  { name: 'encrypt-to', value: true, repeat: true },
  { name: 'encrypt-passphrase-env', value: true },
];

export const LOCATION_USAGE = `  LOCATION is s3://bucket[/prefix] or a directory. S3 credentials and settings follow the AWS conventions:
  AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN], AWS_PROFILE with ~/.aws/config and ~/.aws/credentials
  (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE), AWS_REGION, and the endpoint of an S3-compatible server from
  AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL.
  --endpoint URL  --region R  --profile P   override those; --path-style / --virtual-hosted-style (default:
                  path-style when an endpoint is set, as MinIO and most S3-compatible servers expect)`;

export const DECRYPT_USAGE = `  -i, --identity FILE     age identity file (as age-keygen writes) for encrypted backups; repeatable
  --passphrase-env VAR    the passphrase of passphrase-encrypted backups is in environment variable VAR`;

function locationFromFlags(text: string, parsed: ParsedArgs, io: CliIO): BackupLocation {
  if (parsed.flags['path-style'] && parsed.flags['virtual-hosted-style']) throw new UsageError('--path-style and --virtual-hosted-style exclude each other');
  const endpoint = stringFlag(parsed, 'endpoint');
  const region = stringFlag(parsed, 'region');
  const profile = stringFlag(parsed, 'profile');
  return parseLocation(text, io.env, io.cwd, {
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    ...(profile ? { profile } : {}),
    ...(parsed.flags['path-style'] ? { forcePathStyle: true } : parsed.flags['virtual-hosted-style'] ? { forcePathStyle: false } : {}),
  });
}

export function storeFromFlags(text: string, parsed: ParsedArgs, io: CliIO): { store: BlobStore; location: BackupLocation } {
  const location = locationFromFlags(text, parsed, io);
  // Keys in the environment are what the SDK's chain would take first; read from io.env so a caller's own
  // environment (tests, an embedding) is the one used. Otherwise the SDK's chain: profiles, SSO, roles.
  const id = io.env.AWS_ACCESS_KEY_ID;
  const secret = io.env.AWS_SECRET_ACCESS_KEY;
  const credentials = id && secret ? { accessKeyId: id, secretAccessKey: secret, ...(io.env.AWS_SESSION_TOKEN ? { sessionToken: io.env.AWS_SESSION_TOKEN } : {}) } : undefined;
  return { store: openStore(location, { timeoutMs: timeoutMsFromFlags(parsed, 30), ...(credentials ? { credentials } : {}) }), location };
}

function passphraseFrom(parsed: ParsedArgs, flag: string, io: CliIO): string | undefined {
  const name = stringFlag(parsed, flag);
  if (name === undefined) return undefined;
  const v = io.env[name];
  if (v === undefined || v === '') throw new UsageError(`--${flag} ${name}: the environment variable ${name} is not set`);
  return v;
}

export function decryptionKeysFromFlags(parsed: ParsedArgs, io: CliIO): DecryptionKeys {
  const identities: string[] = [];
  for (const f of (parsed.flags.identity as string[] | undefined) ?? []) {
    const file = path.resolve(io.cwd, f);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`--identity ${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    identities.push(...parseIdentityFile(text, f));
  }
  const passphrase = passphraseFrom(parsed, 'passphrase-env', io);
  return { ...(identities.length ? { identities } : {}), ...(passphrase ? { passphrase } : {}) };
}

export function encryptionFromFlags(parsed: ParsedArgs, io: CliIO): EncryptionSpec | undefined {
  const recipients = (parsed.flags['encrypt-to'] as string[] | undefined) ?? [];
  const passphrase = passphraseFrom(parsed, 'encrypt-passphrase-env', io);
  if (recipients.length && passphrase) throw new UsageError('--encrypt-to and --encrypt-passphrase-env exclude each other (age encrypts to recipients or to a passphrase)');
  try {
    checkRecipients(recipients);
  } catch (e) {
    throw new UsageError(`--encrypt-to: ${(e as Error).message}`);
  }
  if (!recipients.length && !passphrase) return undefined;
  return { ...(recipients.length ? { recipients } : {}), ...(passphrase ? { passphrase } : {}) };
}
