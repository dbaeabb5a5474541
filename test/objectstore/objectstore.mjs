#!/usr/bin/env node
// node test/objectstore/objectstore.mjs build|up|down|env
import { ensureAgeCli, ensureMinio, up, down } from './index.mjs';

const cmd = process.argv[2] ?? 'up';
if (cmd === 'build') { console.log(await ensureMinio()); await ensureAgeCli(); }
else if (cmd === 'up' || cmd === 'env') {
  const s = await up();
  if (cmd === 'env') {
    console.log(`export AWS_ENDPOINT_URL_S3=${s.endpoint} AWS_REGION=${s.region} AWS_ACCESS_KEY_ID=${s.accessKey} AWS_SECRET_ACCESS_KEY=${s.secretKey}`);
  } else console.log(`minio on ${s.endpoint} (state ${s.stateDir})`);
} else if (cmd === 'down') await down();
else {
  console.error('usage: objectstore.mjs build|up|down|env');
  process.exit(2);
}
