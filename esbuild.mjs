// Bundles the extension (dist/extension.js) and the CLI (dist/cli.js).
//   node esbuild.mjs            development build with source maps
//   node esbuild.mjs --production   minified, no source maps (packaging)
//   node esbuild.mjs --watch
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The backup linter's worker thread: large files are linted off the extension host's main thread.
  { ...common, entryPoints: ['src/extension/lint/lintWorker.ts'], outfile: 'dist/lintWorker.js' },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync('dist/cli.js', 0o755);
}
