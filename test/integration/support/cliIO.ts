// A CliIO whose output the test reads back.
import { PassThrough, Readable } from 'node:stream';
import type { CliIO } from '../../../src/cli/io';

export function captureIO(stdinText: string | Buffer = '', env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CliIO & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { stdout, stderr, stdin: Readable.from([stdinText]), env, cwd, out: () => out, err: () => err };
}
