// ResponseSpin: how a connection waits for an answer. It turns the event loop over (asking
// `waiting()` on every turn) only while a request waits, only for its budget, and only while answers
// have been coming within that budget (with a re-probe now and then); otherwise the process sleeps
// until the socket wakes it.
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { defaultResponseSpinMicros, REPROBE_EVERY, ResponseSpin } from '../../../main/kmip/transport/response-spin';

const BUDGET_MICROS = 200;

/** A spin whose `waiting()` answers `state.waiting` and counts how often it was asked (once per turn). */
function countedSpin(budgetMicros = BUDGET_MICROS) {
  const state = { waiting: true, turns: 0 };
  const spin = new ResponseSpin(budgetMicros, () => {
    state.turns += 1;
    return state.waiting;
  });
  return { spin, state };
}

/** How long to let the event loop run before looking at what a spin did (far beyond BUDGET_MICROS). */
const SETTLE_MS = 20;

describe('ResponseSpin', () => {
  it('turns the event loop over without sleeping while an answer is awaited, and stops by itself when the budget is spent', async () => {
    // 200 ms: room for a loaded machine to hold this process off the CPU. A thousand turns take a few
    // ms when each is a setImmediate, and over a second if each slept for a timer's 1 ms.
    const { spin, state } = countedSpin(200_000);
    spin.sent(performance.now());
    await expect.poll(() => state.turns, { interval: 1 }).toBeGreaterThan(1000);
    await delay(300);
    const turns = state.turns;
    await delay(SETTLE_MS);
    expect(state.turns).toBe(turns);
  });

  it('stops on the next turn once nothing waits, and runs one spinner however many requests were sent', async () => {
    const { spin, state } = countedSpin(1_000_000);
    spin.sent(performance.now());
    spin.sent(performance.now());
    await new Promise<void>((resolve) => setImmediate(resolve));
    state.waiting = false;
    const turns = state.turns;
    await delay(SETTLE_MS);
    expect(state.turns).toBe(turns + 1);
  });

  it('waits asleep after an answer that took longer than the budget, and spins again after a quick one', async () => {
    const { spin, state } = countedSpin();
    spin.answered((2 * BUDGET_MICROS) / 1000);
    spin.sent(performance.now());
    await delay(SETTLE_MS);
    expect(state.turns).toBe(0);

    spin.answered(BUDGET_MICROS / 2 / 1000);
    spin.sent(performance.now());
    await delay(SETTLE_MS);
    expect(state.turns).toBeGreaterThan(0);
  });

  it('while answers are slow, spins for one request in REPROBE_EVERY (an answer timed asleep includes the wake-up)', async () => {
    const { spin, state } = countedSpin();
    const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    const spun: number[] = [];
    spin.answered((2 * BUDGET_MICROS) / 1000);
    // One request at a time, each answered slowly, as a connection to a far server goes.
    for (let request = 1; request <= 2 * REPROBE_EVERY + 1; request += 1) {
      const turns = state.turns;
      state.waiting = true;
      spin.sent(performance.now());
      await nextTurn(); // a spin started by sent() has taken its first turn by now
      if (state.turns > turns) spun.push(request);
      state.waiting = false;
      await nextTurn(); // ...and stopped
      spin.answered((2 * BUDGET_MICROS) / 1000);
    }
    expect(spun).toEqual([REPROBE_EVERY, 2 * REPROBE_EVERY]);
  });

  it('never spins with a budget of 0', async () => {
    const { spin, state } = countedSpin(0);
    spin.answered(0);
    spin.sent(performance.now());
    await delay(SETTLE_MS);
    expect(state.turns).toBe(0);
  });

  it('lets timers run between its turns', async () => {
    const { spin, state } = countedSpin(1_000_000);
    spin.sent(performance.now());
    await delay(5); // a timer fires although the spin's budget is far from spent...
    const turns = state.turns;
    await expect.poll(() => state.turns, { interval: 1 }).toBeGreaterThan(turns); // ...and the spin goes on
    state.waiting = false;
    await delay(1);
  });

  it('spins 50 µs by default under Node, and not at all under Electron (each turn would be a cross-thread task there)', () => {
    expect(defaultResponseSpinMicros({ ...process.versions })).toBe(50);
    expect(defaultResponseSpinMicros({ ...process.versions, electron: '39.0.0' })).toBe(0);
  });
});
