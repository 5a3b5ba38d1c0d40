// The operator's request to stop a Test, Apply or Recover. It is honoured until the run reaches its
// point of no return (the first step that changes local state), after which the run finishes what it
// started: stopping half-way through writing the store would leave nothing anyone could trust.

export class RunCancel {
  private readonly controller = new AbortController();
  private committed = false;

  /** aborted once a cancel was accepted */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get requested(): boolean {
    return this.controller.signal.aborted;
  }

  /** Asks the run to stop: true when it will (or already did), false once it is past its point of no return. */
  request(): boolean {
    if (this.committed && !this.requested) return false;
    this.controller.abort();
    return true;
  }

  /** Marks the point of no return: from here on request() is refused. */
  commit(): void {
    this.committed = true;
  }
}
