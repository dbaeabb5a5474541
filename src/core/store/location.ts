// Where stored backups live: an S3-compatible bucket (AWS S3, MinIO, anything speaking the S3 API) or a local
// directory. Written `s3://bucket/prefix` or a path. The endpoint, region and profile follow the AWS conventions
// (AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL; AWS_REGION / AWS_DEFAULT_REGION; AWS_PROFILE), overridable here.
import * as path from 'node:path';

export interface S3Location {
  kind: 's3';
  bucket: string;
  /** Key prefix without leading or trailing slash ('' for the bucket root). */
  prefix: string;
  /** http(s)://host[:port] of an S3-compatible server; undefined: AWS S3 of the region. */
  endpoint?: string;
  region?: string;
  /** Path-style addressing (http://host/bucket/key): what MinIO and most S3-compatible servers expect. */
  forcePathStyle: boolean;
  /** Shared config/credentials profile. */
  profile?: string;
}

export interface DirectoryLocation {
  kind: 'dir';
  path: string;
}

export type BackupLocation = S3Location | DirectoryLocation;

export class LocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocationError';
  }
}

export interface LocationOverrides {
  endpoint?: string;
  region?: string;
  profile?: string;
  /** Default: path-style whenever an endpoint is set (S3-compatible servers), virtual-hosted for AWS. */
  forcePathStyle?: boolean;
}

// S3 bucket naming rules (the part that matters for a clear error).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses `s3://bucket[/prefix]` or a directory path (relative to cwd). */
export function parseLocation(text: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), overrides: LocationOverrides = {}): BackupLocation {
  const raw = text.trim();
  if (raw === '') throw new LocationError('the backup location is empty: give s3://bucket/prefix or a directory');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) && !/^s3:\/\//i.test(raw)) {
    throw new LocationError(`unsupported backup location "${raw}": use s3://bucket/prefix or a directory path`);
  }
  if (!/^s3:\/\//i.test(raw)) return { kind: 'dir', path: path.resolve(cwd, raw) };
  const rest = raw.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = (slash < 0 ? '' : rest.slice(slash + 1)).replace(/^\/+|\/+$/g, '');
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    throw new LocationError(`"${bucket}" in ${raw} is not a valid S3 bucket name (3-63 characters: lower-case letters, digits, dots and hyphens)`);
  }
  if (prefix !== '' && prefix.split('/').some((p) => p === '.' || p === '..' || p === '')) {
    throw new LocationError(`the prefix "${prefix}" in ${raw} has an empty, "." or ".." segment`);
  }
  const endpoint = overrides.endpoint ?? nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  if (endpoint !== undefined) checkEndpoint(endpoint);
  const region = overrides.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  const profile = overrides.profile ?? nonEmpty(env.AWS_PROFILE);
  return {
    kind: 's3',
    bucket,
    prefix,
    ...(endpoint ? { endpoint: endpoint.replace(/\/+$/, '') } : {}),
    ...(region ? { region } : {}),
    ...(profile ? { profile } : {}),
    forcePathStyle: overrides.forcePathStyle ?? endpoint !== undefined,
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v && v.trim() !== '' ? v.trim() : undefined;
}

function checkEndpoint(endpoint: string): void {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw new LocationError(`the S3 endpoint "${endpoint}" is not a URL (expected e.g. https://s3.example.com or http://127.0.0.1:9000)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new LocationError(`the S3 endpoint "${endpoint}" must be http:// or https://`);
  if (u.username || u.password) throw new LocationError('the S3 endpoint must not carry credentials; use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile');
}

/** How a location is shown (never with credentials: a location holds none). */
export function formatLocation(loc: BackupLocation): string {
  if (loc.kind === 'dir') return loc.path;
  return `s3://${loc.bucket}${loc.prefix ? `/${loc.prefix}` : ''}${loc.endpoint ? ` at ${loc.endpoint}` : ''}`;
}
