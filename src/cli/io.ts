// What a CLI command reads and writes; tests pass their own.
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export type CliCommand = {
  summary: string;
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
};

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  /** The command ran and found problems (lint errors, a plan with errors). */
  findings: 1,
  /** Bad arguments or unreadable input. */
  usage: 2,
  /** An apply or a cluster call failed part-way. */
  failed: 3,
} as const;
