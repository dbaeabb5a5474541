// The failover as a view: the pre-flight checks and the five steps in an editor-area webview that scrolls and fits
// any window, each step with its state (pending, running, done, failed, skipped) and the buttons to run the next
// step, skip it, stop, or resume from a step. Buttons are plain <button>s: mouse and keyboard (Tab, Enter, Space).
// The only modal is the short confirmation before the first step changes anything.
import * as vscode from 'vscode';
import type { PreparedFailover } from '../../core/failover/failover';
import { executeFailover } from '../../core/failover/failover';
import type { ApplicationsAfterFailover } from '../../core/failover/applications';
import { formatApplications } from '../../core/failover/format';
import type { FailoverReport, StepId, StepResult } from '../../core/failover/model';
import type { RunEvent } from '../../core/failover/runner';

export type StepState = 'pending' | 'waiting' | 'running' | 'done' | 'failed' | 'skipped';
export type ViewAction = { action: 'run' | 'skip' | 'stop' } | { action: 'resume'; step: StepId };

export interface FailoverViewState {
  title: string;
  preflightOk: boolean;
  checks: Array<{ title: string; status: string; detail: string }>;
  steps: Array<{ id: StepId; title: string; description: string; undoHint: string; state: StepState; summary?: string }>;
  running: boolean;
  outcome?: FailoverReport['outcome'];
  next: string[];
  /** The new primary's Applications once syncs were allowed: held back while denied, asked to refresh. */
  applications?: ApplicationsAfterFailover;
}

type Answer = 'run' | 'skip' | 'stop';

function stateOf(r: StepResult): StepState {
  return r.status === 'failed' ? 'failed' : r.status === 'skipped' ? 'skipped' : r.status === 'notRun' ? 'pending' : 'done';
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export class FailoverView {
  readonly state: FailoverViewState;
  private waiting: ((a: Answer) => void) | undefined;
  private queued: Answer | undefined;
  private abort: AbortController | undefined;
  private confirmed = false;
  private readonly panel: vscode.WebviewPanel;
  private readonly done = new vscode.EventEmitter<FailoverReport>();
  /** A run (first or resumed) ended. */
  readonly onDidFinish = this.done.event;

  constructor(
    private readonly prepared: PreparedFailover,
    private readonly options: {
      title: string;
      /** Short final confirmation before the first change; true to go on. */
      confirmStart: () => Promise<boolean>;
      onEvent: (e: RunEvent) => void;
      howToContinue: (id: StepId) => string;
    },
  ) {
    const report = prepared.preflight.report;
    this.state = {
      title: options.title,
      preflightOk: report.ok,
      checks: report.checks.map((c) => ({ title: c.title, status: c.status, detail: c.detail })),
      steps: prepared.steps.map((s) => ({ id: s.id, title: s.title, description: s.description, undoHint: s.undoHint, state: 'pending' })),
      running: false,
      next: [],
    };
    this.panel = vscode.window.createWebviewPanel('gitopsDr.failover', options.title, vscode.ViewColumn.Active, { enableScripts: true, retainContextWhenHidden: true });
    this.panel.webview.onDidReceiveMessage((m: ViewAction) => void this.act(m));
    this.panel.onDidDispose(() => {
      this.answer('stop');
      this.abort?.abort();
      this.done.dispose();
    });
    this.render();
  }

  /** What a button does (also the command entry point); resolves once the view waits for a button again. */
  act(m: ViewAction): Promise<void> {
    const settled = new Promise<void>((resolve) => (this.settled = resolve));
    if (m.action === 'stop') {
      if (!this.state.running) return Promise.resolve();
      this.answer('stop');
    } else if (m.action === 'resume') {
      if (this.state.running) return Promise.resolve();
      void this.start(m.step);
    } else if (this.state.running) this.answer(m.action);
    else if (m.action === 'run') void this.start(this.nextPending());
    return settled;
  }

  private settled: (() => void) | undefined;

  private settle(): void {
    const s = this.settled;
    this.settled = undefined;
    s?.();
  }

  private nextPending(): StepId | undefined {
    return this.state.steps.find((s) => s.state === 'pending' || s.state === 'failed')?.id;
  }

  private answer(a: Answer): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w(a);
    } else if (this.state.running) this.queued = a;
  }

  private async start(startAt: StepId | undefined): Promise<void> {
    if (!this.state.preflightOk || !startAt) return this.settle();
    if (!this.confirmed) {
      if (!(await this.options.confirmStart())) return this.settle();
      this.confirmed = true;
    }
    this.state.running = true;
    this.state.outcome = undefined;
    this.queued = 'run'; // the click that started the run answers the first step
    const from = this.state.steps.findIndex((s) => s.id === startAt);
    for (const s of this.state.steps.slice(from)) s.state = 'pending';
    this.render();
    this.abort = new AbortController();
    const report = await executeFailover(this.prepared, {
      signal: this.abort.signal,
      startAt,
      howToContinue: this.options.howToContinue,
      confirm: (step) => {
        const q = this.queued;
        this.queued = undefined;
        if (q) return Promise.resolve(q);
        this.setStep(step.id, 'waiting');
        const answer = new Promise<Answer>((resolve) => (this.waiting = resolve));
        this.settle();
        return answer;
      },
      onEvent: (e) => {
        if (e.kind === 'start') this.setStep(e.step.id, 'running');
        else {
          if (e.result.applications) this.state.applications = e.result.applications;
          this.setStep(e.step.id, stateOf(e.result), e.result.summary);
        }
        this.options.onEvent(e);
      },
    });
    // Steps before startAt are reported skipped by the runner; they keep the state they had.
    for (const r of report.steps.slice(from)) this.setStep(r.id, stateOf(r), r.summary, false);
    this.state.running = false;
    this.state.outcome = report.outcome;
    this.state.next = report.next;
    this.render();
    this.settle();
    this.done.fire(report);
  }

  private setStep(id: StepId, state: StepState, summary?: string, render = true): void {
    const s = this.state.steps.find((x) => x.id === id);
    if (!s) return;
    s.state = state;
    if (summary !== undefined) s.summary = summary;
    if (render) this.render();
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    this.panel.dispose();
  }

  private render(): void {
    const st = this.state;
    const nonce = Math.random().toString(36).slice(2);
    const icon: Record<string, string> = { pass: '✔', warn: '⚠', fail: '✖', pending: '○', waiting: '◔', running: '◐', done: '✔', failed: '✖', skipped: '↷' };
    const waitingStep = st.steps.find((s) => s.state === 'waiting');
    const canRun = st.preflightOk && (st.running ? Boolean(waitingStep) : Boolean(this.nextPending()));
    const runLabel = st.running ? (waitingStep ? `Run step: ${waitingStep.title}` : 'Running…') : st.steps.every((s) => s.state === 'pending') ? 'Start failover (run step 1)' : 'Run next step';
    const checks = st.checks.map((c) => `<li class="check ${c.status}"><span class="icon" aria-hidden="true">${icon[c.status]}</span><span class="label">${esc(c.title)}</span><span class="status">${c.status.toUpperCase()}</span><div class="detail">${esc(c.detail)}</div></li>`).join('');
    const resumable = !st.running && st.preflightOk && st.steps.some((s) => s.state !== 'pending');
    const steps = st.steps
      .map(
        (s, i) => `<li class="step ${s.state}"><span class="icon" aria-hidden="true">${icon[s.state]}</span><span class="label">${i + 1}. ${esc(s.title)}</span><span class="status">${s.state}</span>
        ${resumable ? `<button class="secondary" data-action="resume" data-step="${s.id}">Resume from here</button>` : ''}
        <div class="detail">${esc(s.summary ?? s.description)}</div><div class="undo">Undo: ${esc(s.undoHint)}</div></li>`,
      )
      .join('');
    const outcome = st.outcome ? `<p class="outcome ${st.outcome}" role="status">Outcome: ${esc(st.outcome)}</p>${st.next.map((n) => `<p class="next">${esc(n)}</p>`).join('')}` : '';
    this.panel.webview.html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="${nonce}">
body{font-family:var(--vscode-font-family);font-size:var(--vscode-font-size);color:var(--vscode-foreground);padding:0 16px 24px;margin:0}
.toolbar{position:sticky;top:0;background:var(--vscode-editor-background);padding:12px 0;display:flex;flex-wrap:wrap;gap:8px;align-items:center;border-bottom:1px solid var(--vscode-panel-border);z-index:1}
h1{font-size:1.3em;margin:0 12px 0 0;flex:1 1 100%}
h2{font-size:1.1em;margin:16px 0 6px}
button{font:inherit;padding:4px 12px;border:1px solid var(--vscode-button-border,transparent);background:var(--vscode-button-background);color:var(--vscode-button-foreground);cursor:pointer;border-radius:2px}
button:hover{background:var(--vscode-button-hoverBackground)}
button.secondary{background:var(--vscode-button-secondaryBackground);color:var(--vscode-button-secondaryForeground)}
button:disabled{opacity:.5;cursor:default}
button:focus-visible{outline:1px solid var(--vscode-focusBorder);outline-offset:2px}
ul{list-style:none;padding:0;margin:0}
li{display:grid;grid-template-columns:1.5em 1fr auto auto;gap:2px 8px;align-items:center;padding:6px 4px;border-bottom:1px solid var(--vscode-panel-border)}
li .detail,li .undo{grid-column:2/-1;color:var(--vscode-descriptionForeground);white-space:pre-wrap;overflow-wrap:anywhere}
li .undo{font-size:.9em}
.status{font-size:.85em;text-transform:uppercase;color:var(--vscode-descriptionForeground)}
.pass .icon,.done .icon{color:var(--vscode-testing-iconPassed)}
.warn .icon{color:var(--vscode-problemsWarningIcon-foreground)}
.fail .icon,.failed .icon{color:var(--vscode-errorForeground)}
.running .icon,.waiting .icon{color:var(--vscode-progressBar-background)}
.waiting,.running{background:var(--vscode-list-inactiveSelectionBackground)}
.outcome{font-weight:bold}
.app-line{margin:2px 0;white-space:pre-wrap;overflow-wrap:anywhere}
</style></head><body>
<div class="toolbar" role="toolbar" aria-label="Failover controls">
<h1>${esc(st.title)}</h1>
<button id="run" data-action="run" ${canRun ? '' : 'disabled'}>${esc(runLabel)}</button>
<button class="secondary" data-action="skip" ${st.running && waitingStep ? '' : 'disabled'}>Skip step</button>
<button class="secondary" data-action="stop" ${st.running ? '' : 'disabled'}>Stop</button>
<span class="status" role="status">${st.preflightOk ? (st.running ? 'running' : st.outcome ?? 'ready: nothing changed yet') : 'pre-flight failed: nothing can be changed'}</span>
</div>
${outcome}
<h2>Pre-flight</h2><ul>${checks}</ul>
<h2>Steps</h2><ul>${steps}</ul>
${st.applications ? `<h2>Applications of the new primary</h2><div class="applications">${formatApplications(st.applications).map((l) => `<p class="app-line">${esc(l.trim())}</p>`).join('')}</div>` : ''}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => { const b = e.target.closest('button[data-action]'); if (b && !b.disabled) vscode.postMessage(b.dataset.step ? { action: b.dataset.action, step: b.dataset.step } : { action: b.dataset.action }); });
document.getElementById('run')?.focus();
</script></body></html>`;
  }
}
