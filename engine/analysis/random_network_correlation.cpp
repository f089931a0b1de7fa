#include "analysis/random_network_correlation.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "rng.h"

namespace layerscope {
namespace {

double correlation(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const double norms = std::sqrt(a.squaredNorm() * b.squaredNorm());
  return norms > 0.0 ? a.dot(b) / norms : 1.0;
}

void applyInPlace(const Activation& phi, Eigen::VectorXd& h) {
  for (Eigen::Index i = 0; i < h.size(); ++i) h(i) = phi.value(h(i));
}

void dropInPlace(Rng& rng, double keep, Eigen::VectorXd& a) {
  if (keep >= 1.0) return;
  for (Eigen::Index i = 0; i < a.size(); ++i) a(i) = rng.uniform() < keep ? a(i) / keep : 0.0;
}

}  // namespace

std::vector<double> measureCorrelationOverDepth(const Activation& phi, const MeanFieldInit& init,
                                                const CorrelationMeasurement& how) {
  const int n = std::max(1, how.width);
  const int networks = std::max(1, how.networks);
  std::vector<double> sum(static_cast<size_t>(std::max(0, how.depth)) + 1, 0.0);
  const double c0 = std::clamp(how.c0, -1.0, 1.0);
  const double weightStd = std::sqrt(init.weightVariance / n);
  const double biasStd = std::sqrt(init.biasVariance);
  Eigen::MatrixXd w(n, n);
  Eigen::VectorXd b(n);
  for (int net = 0; net < networks; ++net) {
    Rng rng = Rng::derived(how.seed, static_cast<std::uint64_t>(net) + 1);
    // Layer 1's pre-activations: the mean-field Gaussian itself, variance q1, correlation c0.
    // z2 is made orthogonal to z1 and both of norm sqrt(n), so the drawn inputs have exactly
    // mean square q1 and correlation c0: in the chaotic phase the map contracts slowly (chi_c
    // near 1), and a sampling error in the input would persist through every layer.
    Eigen::VectorXd z1(n), z2(n);
    for (int i = 0; i < n; ++i) z1(i) = rng.normal(), z2(i) = rng.normal();
    z1 *= std::sqrt(static_cast<double>(n)) / std::max(z1.norm(), 1e-300);
    z2 -= z2.dot(z1) / n * z1;
    z2 *= std::sqrt(static_cast<double>(n)) / std::max(z2.norm(), 1e-300);
    const double s = std::sqrt(std::max(0.0, how.q1));
    Eigen::VectorXd h1 = s * z1;
    Eigen::VectorXd h2 = s * (c0 * z1 + std::sqrt(1.0 - c0 * c0) * z2);
    sum[0] += correlation(h1, h2);
    for (int l = 1; l <= how.depth; ++l) {
      for (Eigen::Index k = 0; k < w.size(); ++k) w.data()[k] = weightStd * rng.normal();
      for (int i = 0; i < n; ++i) b(i) = biasStd * rng.normal();
      applyInPlace(phi, h1);
      applyInPlace(phi, h2);
      dropInPlace(rng, init.keepProbability, h1);
      dropInPlace(rng, init.keepProbability, h2);
      h1 = w * h1 + b;
      h2 = w * h2 + b;
      sum[l] += correlation(h1, h2);
    }
  }
  for (double& v : sum) v /= networks;
  return sum;
}

std::vector<std::size_t> phaseOverlayIndices(const GridAxis& w, const GridAxis& b, int count) {
  std::vector<std::size_t> indices;
  count = std::min(count, w.count);
  const int j = (b.count - 1) / 2;
  for (int k = 0; k < count; ++k) {
    const int i = count == 1 ? (w.count - 1) / 2
                             : static_cast<int>(std::lround(double(k) * (w.count - 1) / (count - 1)));
    const std::size_t index = static_cast<std::size_t>(i) * b.count + j;
    if (indices.empty() || indices.back() != index) indices.push_back(index);
  }
  return indices;
}

std::vector<PhaseMeasurement> measurePhaseOverlay(const Activation& phi,
                                                  const std::vector<PhasePoint>& points,
                                                  const GridAxis& sigmaW2, const GridAxis& sigmaB2,
                                                  double keep, const PhaseOverlay& how,
                                                  const std::function<bool()>& cancelled) {
  std::vector<PhaseMeasurement> measurements;
  for (std::size_t index : phaseOverlayIndices(sigmaW2, sigmaB2, how.points)) {
    if (index >= points.size() || (cancelled && cancelled())) break;
    const PhasePoint& p = points[index];
    const MeanFieldInit init{p.sigmaW2, p.sigmaB2, keep};
    PhaseMeasurement m;
    m.index = index;
    // Start at the fixed point's length, so only the correlation has a transient.
    m.q1 = std::isfinite(p.qStar) && p.qStar > 0 ? p.qStar : 1.0;
    m.theory = correlationOverDepth(phi, init, m.q1, how.inputCorrelation, how.depth).back();
    CorrelationMeasurement measure;
    measure.width = how.width;
    measure.depth = how.depth;
    measure.q1 = m.q1;
    measure.c0 = how.inputCorrelation;
    measure.seed = how.seed;
    m.measured = measureCorrelationOverDepth(phi, init, measure).back();
    measurements.push_back(m);
  }
  return measurements;
}

}  // namespace layerscope
