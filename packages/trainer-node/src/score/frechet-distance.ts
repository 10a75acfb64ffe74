import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { FeatureStatistics } from './feature-statistics.js';
import { ScoreError } from './score-error.js';

/**
 * The Fréchet distance between two Gaussians fitted to feature vectors (Heusel et al. 2017, "FID"):
 *   ‖μa − μb‖² + tr Σa + tr Σb − 2 tr (Σa Σb)^½.
 * tr (Σa Σb)^½ is computed as Σ √λ over the eigenvalues λ of the symmetric Σa^½ Σb Σa^½, which has the same
 * eigenvalues as Σa Σb; both square roots come from symmetric eigendecompositions, so no complex square root of a
 * non-symmetric matrix is needed (the usual scipy `sqrtm` route). Eigenvalues that rounding made slightly
 * negative count as 0.
 */
export function frechetDistance(a: FeatureStatistics, b: FeatureStatistics): number {
  if (a.dimension !== b.dimension) throw new ScoreError('bad-input', `feature dimensions differ: ${a.dimension} and ${b.dimension}`);
  const d = a.dimension;
  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += (a.mean[i]! - b.mean[i]!) ** 2;
  let traceA = 0;
  let traceB = 0;
  for (let i = 0; i < d; i++) {
    traceA += a.covariance[i * d + i]!;
    traceB += b.covariance[i * d + i]!;
  }
  const sqrtA = symmetricSquareRoot(toMatrix(a.covariance, d));
  const middle = sqrtA.mmul(toMatrix(b.covariance, d)).mmul(sqrtA);
  const traceSqrt = symmetricEigenvalues(symmetrize(middle)).reduce((sum, lambda) => sum + Math.sqrt(Math.max(lambda, 0)), 0);
  // Rounding can leave a tiny negative result for identical statistics.
  return Math.max(meanTerm + traceA + traceB - 2 * traceSqrt, 0);
}

function toMatrix(values: Float64Array, d: number): Matrix {
  return Matrix.from1DArray(d, d, values);
}

function symmetrize(m: Matrix): Matrix {
  return m.add(m.transpose()).mul(0.5);
}

function symmetricEigenvalues(m: Matrix): number[] {
  return new EigenvalueDecomposition(m, { assumeSymmetric: true }).realEigenvalues;
}

/** U diag(√λ) Uᵀ of a symmetric positive semi-definite matrix. */
function symmetricSquareRoot(m: Matrix): Matrix {
  const e = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const u = e.eigenvectorMatrix;
  const roots = e.realEigenvalues.map((lambda) => Math.sqrt(Math.max(lambda, 0)));
  return u.mmul(Matrix.diag(roots)).mmul(u.transpose());
}
