// A run's step list as progress reports it: a step reports more than once (running, then how it
// ended), and each report replaces the earlier one in place.
import type { StepReport } from './ipc';

/** `steps` with `step` in place of the report with its id, or appended when it is new. */
export function withStep(steps: readonly StepReport[], step: StepReport): StepReport[] {
  const index = steps.findIndex((earlier) => earlier.id === step.id);
  if (index === -1) return [...steps, step];
  return steps.map((earlier, i) => (i === index ? step : earlier));
}
