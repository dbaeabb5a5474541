// npm run bench: compiles, then runs every test/bench/*.bench.ts (compiled to out/test/bench) one after another.
// Each prints its figures and the ratio against a baseline measured in the same run. --only=name[,name]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const tsc = spawnSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
// The CLI bundle (dist/cli.js) is what users run; the restore bench measures it.
const bundle = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
if (bundle.status !== 0) process.exit(bundle.status ?? 1);
const dir = join(root, 'out', 'test', 'bench');
const benches = readdirSync(dir).filter((f) => f.endsWith('.bench.js')).filter((f) => !only || only.includes(f.replace('.bench.js', '')));
let failed = 0;
for (const file of benches) {
  console.log(`\n### ${file.replace('.bench.js', '')}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(dir, file)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
