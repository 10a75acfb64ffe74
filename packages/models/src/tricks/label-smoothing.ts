/**
 * One-sided label smoothing (Salimans et al. 2016, "Improved Techniques for
 * Training GANs", §3.4): train D toward 0.9 instead of 1 on real images and
 * keep the fake target at 0, so D cannot grow extremely confident and the
 * generator keeps a gradient. Smoothing the fake side too would reward samples
 * where data is absent, hence one-sided.
 */
export const SMOOTHED_REAL_TARGET = 0.9;

/**
 * The two-sided variant the chapter quotes (targets 0.9 for real, 0.1 for
 * generated images; Salimans et al. 2016 §3.4 explain why the fake side is
 * usually left at 0): the fake target of the 0.9 / 0.1 pair.
 */
export const SMOOTHED_FAKE_TARGET = 0.1;

/** The real-image target of a run: `realTarget` if set, else 1 (no smoothing). */
export function realTargetOf(options: { realTarget?: number }): number {
  return options.realTarget ?? 1;
}

/** The generated-image target of a run: `fakeTarget` if set, else 0 (no smoothing). */
export function fakeTargetOf(options: { fakeTarget?: number }): number {
  return options.fakeTarget ?? 0;
}
