// How a connection waits for an answer: by turning the event loop over without sleeping for a short
// while after each request, then asleep. A process that sleeps in the kernel between writing a
// request and reading its answer pays a wake-up on every round trip; on this project's virtual
// machines that was 13–14 µs of a 29–30 µs round trip to a responder on the same host that answers
// without sleeping itself (npm run bench). A server that sleeps between requests, or one across a
// network, answers later than the budget, and the connection then waits asleep.
// The spin is bounded, as Linux's socket busy polling (SO_BUSY_POLL) is, and adaptive: it runs only
// while the last answer on the connection came within the budget, and for at most the budget after a
// request. Once asleep, one request in REPROBE_EVERY spins again, because an answer timed asleep
// includes the wake-up and would otherwise keep a near server from ever being spun for. So a far
// server costs at most one budget for the first request and one per REPROBE_EVERY after it.
// Each turn is a setImmediate: timers, I/O and the rest of the process's work run in between.
// Under Electron a setImmediate is a task posted through Chromium's message loop from another
// thread (electron/electron shell/common/node_bindings.cc), so each turn would be a wake-up of its
// own: there the default is not to spin.

/** The budget's upper bound: a longer spin is no longer a short wait. */
export const MAX_RESPONSE_SPIN_MICROS = 10_000;

/** While answers are slow, every this-many-th request spins again to see whether they still are. */
export const REPROBE_EVERY = 32;

/**
 * 50 µs: the busy-poll time Linux's documentation recommends for a few sockets; it covers a round
 * trip to a near server that answers at once (16–25 µs here) with room to spare. 0 under Electron.
 */
export function defaultResponseSpinMicros(versions: NodeJS.ProcessVersions = process.versions): number {
  return versions.electron ? 0 : 50;
}

export class ResponseSpin {
  private spinning = false;
  private spinUntil = 0;
  /** whether the last answer came within the budget (the first request spins) */
  private answersComeQuickly = true;
  /** requests sent asleep since answers stopped coming quickly */
  private sentAsleep = 0;
  private readonly budgetMs: number;
  private readonly turn = (): void => {
    if (this.waiting() && performance.now() < this.spinUntil) setImmediate(this.turn);
    else this.spinning = false;
  };

  /** `waiting` tells whether a request is still waiting for its answer. 0 µs: never spin. */
  constructor(
    budgetMicros: number,
    private readonly waiting: () => boolean,
  ) {
    this.budgetMs = budgetMicros / 1000;
  }

  /** A request was written at `now` (a performance.now() reading). */
  sent(now: number): void {
    if (this.budgetMs <= 0) return;
    if (!this.answersComeQuickly) {
      this.sentAsleep += 1;
      if (this.sentAsleep % REPROBE_EVERY !== 0) return;
    }
    this.spinUntil = now + this.budgetMs;
    if (this.spinning) return;
    this.spinning = true;
    setImmediate(this.turn);
  }

  /** An answer came `roundTripMs` after its request was written. */
  answered(roundTripMs: number): void {
    this.answersComeQuickly = roundTripMs <= this.budgetMs;
    if (this.answersComeQuickly) this.sentAsleep = 0;
  }
}
