/**
 * What a simulator does with each order, chosen by shares: each kind takes its share of the draws
 * (0 to 1, together at most 1) and the rest fall to the default kind.
 */
export class ShareTable<Kind extends string> {
  constructor(
    private readonly shares: readonly (readonly [kind: Kind, share: number])[],
    private readonly rest: Kind,
  ) {
    const sum = shares.reduce((total, [, share]) => total + share, 0);
    if (sum > 1 + 1e-9) {
      throw new Error(`the shares of ${shares.map(([kind]) => kind).join(', ')} add up to more than 1`);
    }
  }

  /** The kind a draw in [0, 1) falls on. */
  pick(draw: number): Kind {
    let upTo = 0;
    for (const [kind, share] of this.shares) {
      upTo += share;
      if (draw < upTo) return kind;
    }
    return this.rest;
  }
}
