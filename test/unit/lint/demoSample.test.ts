// The sample backup of `npm start` and the walkthrough (test/fixtures/backups/demo.backup.yaml, copied into the demo
// workspace as sample.backup.yaml) shows the linter at work: more than two rules, none an error, so the same file
// still restores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintBackupText } from '../../../src/core/lint/lintBackup';
import { lintFixturesDir } from '../../fixtures/lint/expectations';

test('the demo sample backup shows more than two lint rules and no error', () => {
  const file = path.join(lintFixturesDir(__dirname), '..', 'backups', 'demo.backup.yaml');
  const { findings } = lintBackupText(fs.readFileSync(file));
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  assert.deepEqual(codes, ['DRL010', 'DRL011', 'DRL012', 'DRL014', 'DRL017']);
  assert.deepEqual(findings.filter((f) => f.severity === 'error'), []);
});
