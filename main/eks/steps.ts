// Runs the steps of Test / Apply / Recover in order, timing each and reporting every change.
import { performance } from 'node:perf_hooks';
import type { StepReport } from '../../common/ipc';
import { EksError } from './errors';
import { explain } from './explain';
import type { RunCancel } from './run-cancel';

export type StepListener = (step: StepReport) => void;

export interface StepContext {
  /** what the step found; shown next to it */
  detail(text: string): void;
  /** ends the step as warn instead of pass */
  warn(detail: string, fix: string): void;
}

/** How a run is stopped by the operator, and what a step stopped that way reports. */
export interface StepCancel {
  request: RunCancel;
  /** the failure of the step in progress (or about to start) when the cancel came */
  error: (step: StepReport) => Error;
}

export class StepRunner {
  readonly steps: StepReport[];

  constructor(
    plan: readonly { id: string; label: string }[],
    private readonly onStep: StepListener,
    private readonly cancel?: StepCancel,
  ) {
    this.steps = plan.map(({ id, label }) => ({ id, label, status: 'pending' }));
  }

  /**
   * Runs one step. On failure the step shows the cause and fix, the later steps are marked skipped,
   * and an EksError (code of the cause) is thrown. Until a step that `commits` (the run's point of no
   * return), a cancel fails the step in progress there and then, and keeps the next one from starting.
   */
  async run<T>(id: string, body: (context: StepContext) => Promise<T>, { commits = false }: { commits?: boolean } = {}): Promise<T> {
    const step = this.step(id);
    const started = performance.now();
    // Past the point of no return before the step shows as running: a cancel the operator sends on
    // seeing it running is refused, not taken and then ignored.
    if (commits && this.cancel && !this.cancel.request.requested) this.cancel.request.commit();
    this.update(step, { status: 'running' });
    let outcome: Pick<StepReport, 'status' | 'detail' | 'fix'> = { status: 'pass' };
    const context: StepContext = {
      detail: (text) => {
        outcome = { ...outcome, detail: text };
      },
      warn: (detail, fix) => {
        outcome = { status: 'warn', detail, fix };
      },
    };
    try {
      const value = await this.untilCanceled(step, commits, () => body(context));
      this.update(step, { ...outcome, ms: elapsed(started) });
      return value;
    } catch (error) {
      const explanation = explain(error);
      this.update(step, { status: 'fail', ms: elapsed(started), detail: explanation.detail, fix: explanation.fix, code: explanation.code });
      this.skipRemaining();
      throw new EksError(explanation.code, `${step.label}: ${explanation.detail}`, this.snapshot(), {
        cause: error,
        ...(explanation.field ? { field: explanation.field } : {}),
      });
    }
  }

  /** Marks a step skipped (with why) without running it. */
  skip(id: string, detail: string): void {
    this.update(this.step(id), { status: 'skipped', detail });
  }

  skipRemaining(): void {
    for (const step of this.steps) if (step.status === 'pending') this.update(step, { status: 'skipped' });
  }

  get failed(): boolean {
    return this.steps.some((s) => s.status === 'fail');
  }

  snapshot(): StepReport[] {
    return this.steps.map((s) => ({ ...s }));
  }

  /**
   * What `start` gives, or the cancel error as soon as a cancel is accepted. The work itself goes on
   * until what it holds open is closed (the run's connection listens to the same signal); its late
   * outcome is ignored.
   */
  private untilCanceled<T>(step: StepReport, commits: boolean, start: () => Promise<T>): Promise<T> {
    const cancel = this.cancel;
    if (!cancel) return start();
    if (cancel.request.requested) return Promise.reject(cancel.error(step));
    if (commits) return start(); // committed (see run): a cancel is refused, so the signal cannot fire
    const { signal } = cancel.request;
    const work = start();
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(cancel.error(step));
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private step(id: string): StepReport {
    const step = this.steps.find((s) => s.id === id);
    if (!step) throw new Error(`StepRunner: no step '${id}' in the plan`);
    return step;
  }

  private update(step: StepReport, change: Partial<StepReport>): void {
    Object.assign(step, change);
    this.onStep({ ...step });
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
