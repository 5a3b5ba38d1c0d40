// How a connection waits for an answer: by turning the event loop over without sleeping for a short
// while after each request, then asleep. A process that sleeps in the kernel between writing a
// request and reading its answer pays a wake-up on every round trip; on this project's virtual
// machines that was 13 µs of a 29 µs round trip to a responder on the same host (npm run bench).
// The spin is bounded, as Linux's socket busy polling (SO_BUSY_POLL) is, and adaptive: only while the
// last answer on the connection came within the budget, and for at most the budget after a request.
// A server farther away than that (any real network) is waited for asleep and costs no CPU; a near
// one costs at most the budget per request. Each turn is a setImmediate: timers, I/O and the rest of
// the process's work run in between.

/** How long to spin after a request when answers come quickly. */
export const DEFAULT_RESPONSE_SPIN_MICROS = 50;

export class ResponseSpin {
  private spinning = false;
  private spinUntil = 0;
  /** whether the last answer came within the budget (the first request spins) */
  private answersComeQuickly = true;
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
    if (this.budgetMs <= 0 || !this.answersComeQuickly) return;
    this.spinUntil = now + this.budgetMs;
    if (this.spinning) return;
    this.spinning = true;
    setImmediate(this.turn);
  }

  /** An answer came `roundTripMs` after its request was written. */
  answered(roundTripMs: number): void {
    this.answersComeQuickly = roundTripMs <= this.budgetMs;
  }
}
