// The walkthrough (contributes.walkthroughs) goes from "connect kubeconfig" to "first verified backup": every step
// links a command the extension contributes, completes on a command or view event, and has its media file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../../src/extension/commandIds';

const root = path.join(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

test('the walkthrough runs kubeconfig -> agents -> backup -> lint -> verify, each step linking a known command with its media', () => {
  const [walk] = pkg.contributes.walkthroughs as Array<{ title: string; steps: Array<{ id: string; description: string; media: { markdown: string }; completionEvents: string[] }> }>;
  assert.ok(walk);
  assert.match(walk.title, /first verified backup/);
  assert.deepEqual(walk.steps.map((s) => s.id), ['kubeconfig', 'agents', 'backup', 'lint', 'verify']);
  const known = new Set<string>(Object.values(COMMANDS));
  for (const s of walk.steps) {
    const linked = [...s.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]!);
    assert.ok(linked.length > 0 && linked.every((c) => known.has(c)), `${s.id}: ${linked.join(', ')}`);
    assert.ok(s.completionEvents.length > 0 && s.completionEvents.every((e) => /^onCommand:|^onView:/.test(e) && (!e.startsWith('onCommand:') || known.has(e.slice(10)))), `${s.id}: ${s.completionEvents.join(', ')}`);
    assert.ok(fs.existsSync(path.join(root, s.media.markdown)), `${s.id}: ${s.media.markdown}`);
  }
});
