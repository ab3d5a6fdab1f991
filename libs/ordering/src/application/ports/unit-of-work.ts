/**
 * The transactional boundary. A `run` inside another `run` joins the outer transaction, so the two
 * use cases of one order (receive, calculate) commit together, and a caller may wrap several orders.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
}
