// What a restore accepts as input and how a refusal is reported. The checks themselves are the gate
// (src/core/restore/gate.ts), built on the lint findings.
import type { KubeObject } from '../objects/kubeObject';
import type { Range } from './types';

/** A reason to refuse the input, with where it is (0-based range) when known. */
export interface InputProblem {
  /** The lint code (BK…/DRL…) when a lint rule refused it. */
  code?: string;
  message: string;
  range?: Range;
  documentIndex?: number;
}

/** One backup object that passed the checks. */
export interface BackupObject {
  index: number;
  range?: Range;
  object: KubeObject;
}

/** Deeper nesting than this is not something Argo CD objects need; refusing it keeps every walk bounded. */
export const MAX_OBJECT_DEPTH = 200;

export class RestoreRefusedError extends Error {
  constructor(readonly problems: InputProblem[]) {
    super(`restore refused: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the input\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'RestoreRefusedError';
  }
}

/** `12:3: message` (1-based line:col), with a file prefix when given. */
export function formatProblem(p: InputProblem, file?: string): string {
  const where = p.range ? `${p.range.start.line + 1}:${p.range.start.character + 1}` : p.documentIndex !== undefined ? `document ${p.documentIndex + 1}` : '';
  return [file, where].filter((s) => s).join(':') + (file || where ? ': ' : '') + p.message;
}
