/**
 * A JSON number exactly as written in the message. The inbound adapter's lossless parser yields these
 * instead of JS numbers, so a price never passes through a float.
 */
export class NumberLiteral {
  constructor(readonly text: string) {}
}
