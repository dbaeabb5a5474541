// Runs steps in order, each confirmed first; the first failure stops the run and the report says how to continue
// (run again from that step) or undo (the undo hints of the steps done, newest first).
import type { FailoverStep, RunOutcome, StepId, StepResult } from './model';

export type Confirmation = 'run' | 'skip' | 'stop';

export type RunEvent = { kind: 'start'; step: FailoverStep; index: number; total: number } | { kind: 'done'; step: FailoverStep; result: StepResult; error?: unknown };

export interface RunOptions {
  /** Asked before each step; default: run. */
  confirm?: (step: FailoverStep, index: number, total: number) => Promise<Confirmation>;
  onEvent?: (event: RunEvent) => void;
  /** Start at this step (the ones before are reported as skipped): how a stopped run continues. */
  startAt?: StepId;
  signal?: AbortSignal;
  /** How a person re-runs from a step, e.g. the CLI line with --from-step. */
  howToContinue?: (step: StepId) => string;
}

export interface RunResult {
  steps: StepResult[];
  outcome: RunOutcome;
  next: string[];
}

export async function runSteps(steps: readonly FailoverStep[], options: RunOptions = {}): Promise<RunResult> {
  const results: StepResult[] = [];
  const startIndex = options.startAt ? steps.findIndex((s) => s.id === options.startAt) : 0;
  if (startIndex < 0) throw new Error(`no step "${options.startAt}"; steps: ${steps.map((s) => s.id).join(', ')}`);
  const howToContinue = options.howToContinue ?? ((id: StepId) => `run the failover again starting at step "${id}"`);
  const done: FailoverStep[] = [];
  const notRun = (from: number, why: string): void => {
    for (const s of steps.slice(from)) results.push({ id: s.id, title: s.title, status: 'notRun', summary: why, details: [], durationMs: 0 });
  };
  const undoLines = (): string[] => [...done].reverse().filter((s) => s.undoHint !== 'nothing to undo (read only)').map((s) => `undo "${s.title}": ${s.undoHint}`);

  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (i < startIndex) {
      results.push({ id: step.id, title: step.title, status: 'skipped', summary: `skipped: the run starts at step "${options.startAt}"`, details: [], durationMs: 0 });
      continue;
    }
    if (options.signal?.aborted) {
      notRun(i, 'not run: cancelled');
      return { steps: results, outcome: 'stopped', next: [`cancelled before "${step.title}": to continue, ${howToContinue(step.id)}`, ...undoLines()] };
    }
    const answer = options.confirm ? await options.confirm(step, i, steps.length) : 'run';
    if (answer === 'stop') {
      notRun(i, 'not run: stopped before this step');
      return { steps: results, outcome: 'stopped', next: [`stopped before "${step.title}": to continue, ${howToContinue(step.id)}`, ...undoLines()] };
    }
    if (answer === 'skip') {
      results.push({ id: step.id, title: step.title, status: 'skipped', summary: 'skipped when asked', details: [], durationMs: 0 });
      continue;
    }
    options.onEvent?.({ kind: 'start', step, index: i, total: steps.length });
    const started = Date.now();
    try {
      const outcome = await step.run(options.signal);
      const result: StepResult = { id: step.id, title: step.title, status: outcome.status, summary: outcome.summary, details: outcome.details ?? [], durationMs: Date.now() - started, ...(outcome.applications ? { applications: outcome.applications } : {}) };
      results.push(result);
      done.push(step);
      options.onEvent?.({ kind: 'done', step, result });
    } catch (error) {
      const result: StepResult = { id: step.id, title: step.title, status: 'failed', summary: (error as Error)?.message ?? String(error), details: [], durationMs: Date.now() - started };
      results.push(result);
      options.onEvent?.({ kind: 'done', step, result, error });
      notRun(i + 1, `not run: "${step.title}" failed`);
      return {
        steps: results,
        outcome: 'failed',
        next: [`"${step.title}" failed: ${result.summary}`, `to continue after fixing the cause, ${howToContinue(step.id)}`, ...undoLines()],
      };
    }
  }
  const manual = results.filter((r) => r.status === 'manual');
  return {
    steps: results,
    outcome: manual.length ? 'completedWithManualStep' : 'completed',
    next: manual.flatMap((r) => [`manual: ${r.summary}`, ...(r.id === 'switch-primary' ? r.details.map((d) => `  ${d}`) : [])]),
  };
}
