/** p-th percentile (0–100) of a sample, nearest-rank; NaN for an empty one. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function latencySummary(samplesMs: number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** The middle of a sample, the mean of the two middle values for an even size; NaN for an empty one. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * A 95 % interval of a small sample's median, by resampling the sample with replacement: how far
 * the median of a few noisy rounds may lie from the one many rounds would give. Seeded, so the same
 * runs always report the same interval.
 */
export function medianInterval(values: readonly number[], resamples = 4_000): [low: number, high: number] {
  if (values.length === 0) return [Number.NaN, Number.NaN];
  const random = seededRandom(values.length);
  const resample = () => values.map(() => values[Math.floor(random() * values.length)]);
  const medians = Array.from({ length: resamples }, () => median(resample())).sort((a, b) => a - b);
  return [percentile(medians, 2.5), percentile(medians, 97.5)];
}

/** mulberry32: small, fast and seedable, which Math.random is not. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}
