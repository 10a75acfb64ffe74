/**
 * One-sided label smoothing (Salimans et al. 2016, "Improved Techniques for
 * Training GANs", §3.4): train D toward 0.9 instead of 1 on real images and
 * keep the fake target at 0, so D cannot grow extremely confident and the
 * generator keeps a gradient. Smoothing the fake side too would reward samples
 * where data is absent, hence one-sided.
 */
export const SMOOTHED_REAL_TARGET = 0.9;

/** The real-image target of a run: `realTarget` if set, else 1 (no smoothing). */
export function realTargetOf(options: { realTarget?: number }): number {
  return options.realTarget ?? 1;
}
