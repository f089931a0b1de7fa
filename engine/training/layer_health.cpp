#include "training/layer_health.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>

namespace layerscope {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Singular values below this fraction of the largest are rounding noise (layer_health.h).
constexpr double kRankTolerance = 1e-6;

}  // namespace

double effectiveRank(const Eigen::MatrixXd& m) {
  if (m.size() == 0) return 0.0;
  if (!m.allFinite()) return kNaN;
  // The singular values are the square roots of the eigenvalues of m m^T or m^T m, whichever is
  // smaller: a k x k symmetric eigenproblem (k = min(rows, cols)) instead of a full SVD.
  Eigen::MatrixXd gram = m.rows() <= m.cols() ? Eigen::MatrixXd(m * m.transpose())
                                              : Eigen::MatrixXd(m.transpose() * m);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(gram, Eigen::EigenvaluesOnly);
  const Eigen::VectorXd s = solver.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  const double largest = s.maxCoeff();
  if (!(largest > 0.0)) return 0.0;
  const double floor = kRankTolerance * largest;
  double sum = 0.0;
  for (double v : s) sum += v > floor ? v : 0.0;
  // erank = exp(H), H = -sum p_i ln p_i with p_i = s_i / sum s.
  double entropy = 0.0;
  for (double v : s)
    if (v > floor) {
      const double p = v / sum;
      entropy -= p * std::log(p);
    }
  return std::exp(entropy);
}

RepresentationRank representationRank(const Eigen::Ref<const Matrix>& activations) {
  RepresentationRank r;
  const Eigen::Index n = activations.cols();
  const Eigen::Index units = activations.rows();
  const Eigen::Index used = std::min<Eigen::Index>(n, kRankSamples);
  r.samples = int(used);
  if (used < 2 || units == 0) {
    r.rank = r.normalized = kNaN;
    return r;
  }
  // Evenly spaced columns: j * n / used, the first and a spread over the rest.
  Eigen::MatrixXd a(units, used);
  for (Eigen::Index j = 0; j < used; ++j) a.col(j) = activations.col(j * n / used).cast<double>();
  a.colwise() -= a.rowwise().mean();
  r.rank = effectiveRank(a);
  r.normalized = r.rank / double(std::min<Eigen::Index>(units, used - 1));
  return r;
}

double gradientSignalToNoise(const Eigen::Ref<const Matrix>& delta, const Eigen::Ref<const Matrix>& a,
                             const Eigen::Ref<const Matrix>& batchGradient) {
  const Eigen::Index n = delta.cols();
  if (n < 2 || a.cols() != n || batchGradient.size() == 0) return kNaN;
  // Per example, g_n = delta_n a_n^T is an outer product, so its squared Frobenius norm
  // factorizes: ||g_n||^2 = ||delta_n||^2 ||a_n||^2 (O(N (units + inputs)), no g_n is formed).
  const Eigen::ArrayXd deltaNorms = delta.colwise().squaredNorm().cast<double>().transpose();
  const Eigen::ArrayXd inputNorms = a.colwise().squaredNorm().cast<double>().transpose();
  const double meanSquaredNorm = (deltaNorms * inputNorms).sum() / double(n);
  // ||mean g||^2 = (1/N^2) sum_{n,m} <g_n, g_m> and <g_n, g_m> = (delta_n . delta_m)(a_n . a_m),
  // so it equals (1/N^2) 1^T [(D^T D) .* (A^T A)] 1 with the Gram matrices of the deltas and the
  // inputs (the diagonal being the ||g_n||^2 above). That sum is exactly ||sum_n g_n||^2 of the
  // batch gradient the backward pass already formed, O(units x inputs) to read instead of the
  // Grams' O(N^2 (units + inputs)).
  const double meanNorm = batchGradient.cast<double>().squaredNorm() / (double(n) * double(n));
  // mean_n ||g_n - mean g||^2 = mean_n ||g_n||^2 - ||mean g||^2.
  const double noise = meanSquaredNorm - meanNorm;
  if (!(meanSquaredNorm > 0.0)) return kNaN;
  // Every example's gradient the same: no noise; keep the ratio finite (rounding can make the
  // difference 0 or negative).
  return meanNorm / std::max(noise, 1e-12 * meanSquaredNorm);
}

}  // namespace layerscope
