// The JSON schema contributed for backups (media/schemas/backup.schema.json) accepts every object of a real backup
// and rejects what the API server would reject. Validated with ajv (draft-07), when it is installed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readBackup } from '../../../src/core/yaml/readBackup';
import { lintFixturesDir } from '../../fixtures/lint/expectations';

const dir = lintFixturesDir(__dirname);
const schemaFile = path.resolve(dir, '..', '..', '..', 'media', 'schemas', 'backup.schema.json');

type Validate = ((data: unknown) => boolean) & { errors?: unknown };

function compile(): Validate {
  // ajv is a declared devDependency: a missing one fails the test instead of skipping it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('ajv') as { default?: new (o: object) => { compile(s: object): Validate } } & (new (o: object) => { compile(s: object): Validate });
  const Ajv = mod.default ?? mod;
  return new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);
}

test('schema: every object of the clean backup is valid; bad Secret data and a nameless object are not', () => {
  const validate = compile();
  const parsed = readBackup(fs.readFileSync(path.join(dir, 'clean.backup.yaml'), 'utf8'));
  for (const d of parsed.documents) assert.equal(validate(d.object), true, `${d.object?.kind} ${d.object?.metadata?.name}: ${JSON.stringify(validate.errors)}`);
  assert.equal(validate({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'not base64!' } }), false);
  assert.equal(validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }), false);
  assert.equal(validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { enabled: true } }), false, 'ConfigMap data must be strings');
  // Not a backup kind, but files named *backup* may hold other things: the schema does not forbid kinds.
  assert.equal(validate({ apiVersion: 'velero.io/v1', kind: 'Backup', metadata: { name: 'nightly' }, spec: {} }), true);
});
