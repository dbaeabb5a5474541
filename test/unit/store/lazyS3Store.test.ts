// The S3 location loads the AWS SDK on its first request only (the extension's activation does not pay for it),
// and behaves as the S3 store then: an endpoint nobody listens on is "unreachable", named without credentials.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { openStore, parseLocation, StoreError } from '../../../src/core/store';

const sdkLoaded = (): boolean => Object.keys(require.cache).some((k) => k.includes(`${'@aws-sdk'}/client-s3`));

test('an S3 location is opened, labelled and closed without loading the AWS SDK; the first request loads it', async () => {
  // Through the public surface the CLI imports: it exports S3Store's types only, so nothing loads the SDK early.
  const loc = parseLocation('s3://dr-backups/prod', { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1' });
  const store = openStore(loc, { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI-not-a-real-secret' }, timeoutMs: 2000 });
  assert.equal(store.label, 's3://dr-backups/prod at http://127.0.0.1:1');
  assert.ok(!sdkLoaded(), 'opening and labelling a location loads no SDK');
  await assert.rejects(store.list(''), (e: unknown) => e instanceof StoreError && e.reason === 'unreachable' && /ECONNREFUSED/.test(e.message) && !e.message.includes('not-a-real-secret'));
  assert.ok(sdkLoaded(), 'the SDK is loaded once a request is made');
  store.close();
  const unused = openStore(loc);
  unused.close(); // closing a store that never loaded its client is a no-op
});
