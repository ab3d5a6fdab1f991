/**
 * The transactional boundary. A `run` inside another `run` joins the outer transaction, so the two
 * use cases of one order (receive, calculate) commit together.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;

  /**
   * Runs `work` for every item in one transaction and commits them together: how many deliveries
   * share one commit. Each item gets its own outcome, the one it would get alone: an item whose work
   * fails without having written anything just gets its error back; if a failed item had written,
   * nothing of the batch is kept and every item runs again alone, in a transaction of its own.
   * Rejects as a whole only when the store itself is unavailable (DependencyUnavailableError).
   */
  abstract runEach<I, T>(items: readonly I[], work: (item: I) => Promise<T>): Promise<PromiseSettledResult<T>[]>;
}
