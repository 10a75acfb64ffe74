/**
 * Sample statistics for checking random draws against the distributions they stand for (random-noise.test.ts).
 * Test-only: plain formulas, each with the source of its standard error or critical value.
 */

export interface Moments {
  mean: number;
  variance: number;
  /** standardised third central moment; 0 for a normal */
  skewness: number;
  /** standardised fourth central moment (not the excess); 3 for a normal */
  kurtosis: number;
}

export function momentsOf(x: ArrayLike<number>): Moments {
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i]!;
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { mean, variance: m2, skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}

/** Pearson correlation of a[i] and b[i] over i < length. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>, length = Math.min(a.length, b.length)): number {
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < length; i++) {
    sa += a[i]!;
    sb += b[i]!;
  }
  const ma = sa / length;
  const mb = sb / length;
  let cab = 0;
  let caa = 0;
  let cbb = 0;
  for (let i = 0; i < length; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    cab += da * db;
    caa += da * da;
    cbb += db * db;
  }
  return cab / Math.sqrt(caa * cbb);
}

/** Correlation of x[i] with x[i + lag]: neighbours (lag 1), rows of a row-major matrix (lag = its width). */
export function lagCorrelation(x: Float32Array | Float64Array, lag: number): number {
  return correlation(x.subarray(0, x.length - lag), x.subarray(lag));
}

/**
 * erfc by the Chebyshev fit of Numerical Recipes (Press et al., 2nd ed., §6.2, `erfcc`): fractional error below
 * 1.2e-7 everywhere, far below the Kolmogorov–Smirnov distances tested here (~1e-3).
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** The standard normal CDF Φ. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Kolmogorov–Smirnov statistic D = sup |F_n(x) − F(x)| of a sample against a continuous CDF. */
export function kolmogorovSmirnov(x: ArrayLike<number>, cdf: (v: number) => number): number {
  const sorted = Float64Array.from(x).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/**
 * The one-sample KS critical value at significance α for large n: √(−ln(α/2)/2)/√n (the asymptotic Kolmogorov
 * distribution; Smirnov 1948). At α = 0.001: 1.949/√n.
 */
export function ksCriticalValue(alpha: number, n: number): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2) / Math.sqrt(n);
}

/** Pearson's χ² statistic of a sample over `bins` equiprobable bins of a continuous CDF (bin = ⌊bins·F(x)⌋). */
export function chiSquareEquiprobable(x: ArrayLike<number>, cdf: (v: number) => number, bins: number): number {
  const counts = new Float64Array(bins);
  for (let i = 0; i < x.length; i++) counts[Math.min(bins - 1, Math.floor(bins * cdf(x[i]!)))]! += 1;
  const expected = x.length / bins;
  let chi2 = 0;
  for (const c of counts) chi2 += (c - expected) ** 2 / expected;
  return chi2;
}

/**
 * The χ² quantile with `df` degrees of freedom above which a fraction α lies, by Wilson and Hilferty (1931):
 * df·(1 − 2/(9df) + z_α·√(2/(9df)))³, z_α the standard normal quantile (3.0902 for α = 0.001). Within 0.1 % of the
 * tables for df ≥ 30 (df 49, α 0.001: 85.43 against 85.35).
 */
export function chiSquareCritical(df: number, zAlpha: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + zAlpha * Math.sqrt(a)) ** 3;
}
