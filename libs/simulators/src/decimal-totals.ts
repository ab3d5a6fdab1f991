const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** `"45.30"` as 4530n minor units at scale 2: the scale is the number of decimals written. */
export function minorUnitsOf(amount: string): { minorUnits: bigint; scale: number } {
  const match = DECIMAL.exec(amount);
  if (!match) throw new Error(`not a plain decimal amount: ${JSON.stringify(amount)}`);
  const fraction = match[2] ?? '';
  return { minorUnits: BigInt(match[1] + fraction), scale: fraction.length };
}

/** A non-negative amount in minor units, rendered with `scale` decimal places. */
export function formatMinorUnits(minorUnits: bigint, scale: number): string {
  if (scale === 0) return minorUnits.toString();
  const digits = minorUnits.toString().padStart(scale + 1, '0');
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/**
 * Exact sums of money per currency, from minor units or from the decimal strings of the contract
 * (`"45.30"`): no float ever touches an amount, as the service promises.
 */
export class DecimalTotals {
  private readonly sums = new Map<string, { minorUnits: bigint; scale: number }>();

  addMinorUnits(currency: string, minorUnits: bigint, scale: number): void {
    const sum = this.sums.get(currency) ?? { minorUnits: 0n, scale };
    if (sum.scale !== scale) throw new Error(`${currency} amounts with ${sum.scale} and ${scale} decimal places`);
    sum.minorUnits += minorUnits;
    this.sums.set(currency, sum);
  }

  add(currency: string, amount: string): void {
    const { minorUnits, scale } = minorUnitsOf(amount);
    this.addMinorUnits(currency, minorUnits, scale);
  }

  /** `{ BRL: "1234.50", JPY: "1200" }`, currencies in alphabetical order. */
  toJSON(): Record<string, string> {
    return Object.fromEntries(
      [...this.sums.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, sum]) => [currency, formatMinorUnits(sum.minorUnits, sum.scale)]),
    );
  }
}

/** Whether two `{ currency: amount }` maps hold the same amounts (zero sums count as absent). */
export function sameTotals(left: Record<string, string>, right: Record<string, string>): boolean {
  const nonZero = (totals: Record<string, string>) =>
    JSON.stringify(
      Object.entries(totals)
        .filter(([, amount]) => /[1-9]/.test(amount))
        .sort(),
    );
  return nonZero(left) === nonZero(right);
}
