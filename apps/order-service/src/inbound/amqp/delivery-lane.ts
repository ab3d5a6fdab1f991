interface Waiting {
  readonly alone: boolean;
  readonly start: () => void;
}

/**
 * Where the process handles its deliveries, in arrival order: any number together, or one alone,
 * once everything that came before it has settled, with whatever comes after waiting behind it
 * until it ends or releases the lane (to go on waiting for something, together with the others).
 * One lane serves every inbound queue, so that a process that dies while a delivery runs alone
 * died of that delivery (or of something outside the deliveries), never of another one in flight.
 */
export class DeliveryLane {
  private running = 0;
  private runningAlone = false;
  private readonly waiting: Waiting[] = [];

  together<T>(work: () => Promise<T>): Promise<T> {
    return this.run(false, work);
  }

  /** `release` lets what waits behind start; the work goes on as if it had run together. */
  alone<T>(work: (release: () => void) => Promise<T>): Promise<T> {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.runningAlone = false;
      this.admit();
    };
    return this.run(true, () => work(release));
  }

  private async run<T>(alone: boolean, work: () => Promise<T>): Promise<T> {
    if (this.waiting.length > 0 || !this.mayStart(alone)) {
      await new Promise<void>((start) => this.waiting.push({ alone, start }));
    } else {
      this.started(alone);
    }
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.runningAlone = false;
      this.admit();
    }
  }

  private mayStart(alone: boolean): boolean {
    return !this.runningAlone && (!alone || this.running === 0);
  }

  private started(alone: boolean): void {
    this.running += 1;
    this.runningAlone = alone;
  }

  private admit(): void {
    while (this.waiting.length > 0 && this.mayStart(this.waiting[0].alone)) {
      const next = this.waiting.shift() as Waiting;
      this.started(next.alone);
      next.start();
    }
  }
}
