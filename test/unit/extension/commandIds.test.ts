import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../../src/extension/commandIds';

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8'));

test('package.json contributes exactly the commands the code names', () => {
  const contributed = (pkg.contributes.commands as Array<{ command: string }>).map((c) => c.command).sort();
  assert.deepEqual(contributed, Object.values(COMMANDS).sort());
});

test('every menu entry names a known command', () => {
  const known = new Set<string>(Object.values(COMMANDS));
  for (const [menu, entries] of Object.entries(pkg.contributes.menus as Record<string, Array<{ command?: string }>>)) {
    for (const e of entries) if (e.command) assert.ok(known.has(e.command), `${menu}: ${e.command}`);
  }
});
