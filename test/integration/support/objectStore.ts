// The real S3 server of the tests (test/objectstore: MinIO built from the Go module proxy), started once per test
// process like the clusters; private servers for tests that stop one.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

export interface MinioServer {
  stateDir: string;
  endpoint: string;
  port: number;
  accessKey: string;
  secretKey: string;
  region: string;
  logFile: string;
}

interface ObjectStoreApi {
  up(): Promise<MinioServer>;
  startMinio(opts: { stateDir: string }): Promise<MinioServer>;
  stopMinio(stateDir: string): Promise<boolean>;
  killMinio(stateDir: string): Promise<boolean>;
  ensureAgeCli(): Promise<void>;
}

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
let api: Promise<ObjectStoreApi> | undefined;
let shared: Promise<MinioServer> | undefined;

export function objectStoreApi(): Promise<ObjectStoreApi> {
  api ??= import(pathToFileURL(path.join(repoRoot, 'test', 'objectstore', 'index.mjs')).href) as Promise<ObjectStoreApi>;
  return api;
}

export function minio(): Promise<MinioServer> {
  shared ??= objectStoreApi().then((a) => a.up());
  return shared;
}

/** The environment the AWS tools read, pointed at the server. */
export function s3Env(s: MinioServer, over: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
  return {
    ...env,
    AWS_ENDPOINT_URL_S3: s.endpoint,
    AWS_REGION: s.region,
    AWS_ACCESS_KEY_ID: s.accessKey,
    AWS_SECRET_ACCESS_KEY: s.secretKey,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    ...over,
  };
}

export async function createBucket(s: MinioServer, bucket: string): Promise<void> {
  const c = new S3Client({ endpoint: s.endpoint, region: s.region, forcePathStyle: true, credentials: { accessKeyId: s.accessKey, secretAccessKey: s.secretKey } });
  try {
    await c.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    c.destroy();
  }
}
