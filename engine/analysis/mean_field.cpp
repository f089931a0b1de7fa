#include "analysis/mean_field.h"

#include "model/initializer.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>

#include "analysis/theory.h"
#include "model/initializer.h"

namespace layerscope {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Below this variance a pre-activation counts as 0 (the length map's trivial fixed point); the
// correlation map is then taken at this q, where phi is linear to ~1e-12 (docs/THEORY.md).
constexpr double kSmallestLength = 1e-12;
// Terms of the Hermite (Mehler) series of the correlation map; the rest is one tail term.
constexpr int kHermiteTerms = 120;

// -1 / ln chi: the depth over which a deviation from the fixed point shrinks by e. A slope within
// rounding of 1 is the critical line itself: the quadrature gives ReLU's chi at sigma_w^2 = 2 as
// 1 - 1e-16 or 1 + 1e-16 depending on the compiler's floating-point contraction, and a depth
// scale of 1e15 layers is no different from an infinite one.
constexpr double kCriticalTolerance = 1e-12;
double depthScale(double chi) {
  return chi < 1.0 - kCriticalTolerance ? -1.0 / std::log(chi) : kInfinity;
}

// E[phi(u1) phi(u2)] for u1, u2 ~ N(0, q) with correlation c, as a power series in c (Mehler's
// formula, docs/THEORY.md): with h_k = He_k / sqrt(k!) the normalized Hermite polynomials and
// a_k = E[phi(sqrt(q) z) h_k(z)],
//   S(c) = sum_k a_k^2 c^k.
// One pass over the 1-D quadrature gives every a_k, so iterating the map over depth or solving
// for c* costs no further integrals. The terms past kHermiteTerms are one term R c^(K+1), R
// chosen so that S(1) = E[phi^2] exactly: exact at c = 0 and c = 1, and R is < 1e-3 of S(1) for
// ReLU's kink (smooth activations: ~1e-12).
struct CorrelationSeries {
  std::vector<double> b;       // a_k^2
  double tail = 0.0;           // R
  double meanSquare = 0.0;     // E[phi^2] = S(1)

  double at(double c) const {
    double sum = 0.0, power = 1.0;
    for (double bk : b) {
      sum += bk * power;
      power *= c;
    }
    return sum + tail * power;
  }
  double slope(double c) const {  // S'(c) = sum_k k a_k^2 c^(k-1)
    double sum = 0.0, power = 1.0;
    for (size_t k = 1; k < b.size(); ++k) {
      sum += static_cast<double>(k) * b[k] * power;
      power *= c;
    }
    return sum + tail * static_cast<double>(b.size()) * power;
  }
};

CorrelationSeries correlationSeries(const Activation& phi, double q) {
  q = std::max(q, kSmallestLength);
  const GaussianRule rule = gaussianRule(q);
  const double s = std::sqrt(q);
  // h_0 = 1, h_1 = u, h_{k+1} = (u h_k - sqrt(k) h_{k-1}) / sqrt(k + 1)
  static const auto roots = [] {
    std::vector<std::pair<double, double>> r;  // sqrt(k), 1 / sqrt(k + 1)
    for (int k = 0; k < kHermiteTerms; ++k) r.emplace_back(std::sqrt(k), 1.0 / std::sqrt(k + 1.0));
    return r;
  }();
  // Node by node inside, term by term outside: the inner loop vectorizes.
  const size_t nodes = rule.z.size();
  std::vector<double> u(nodes), weighted(nodes), previous(nodes, 0.0), current(nodes, 1.0);
  CorrelationSeries series;
  for (size_t n = 0; n < nodes; ++n) {
    u[n] = rule.z[n] / s;
    const double value = phi.value(rule.z[n]);
    weighted[n] = rule.w[n] * value;
    series.meanSquare += weighted[n] * value;
  }
  std::vector<double> a(kHermiteTerms, 0.0);
  for (int k = 0; k < kHermiteTerms; ++k) {
    double sum = 0.0;
    const double rootK = roots[k].first, inverseRootK1 = roots[k].second;
    for (size_t n = 0; n < nodes; ++n) {
      sum += weighted[n] * current[n];
      const double next = (u[n] * current[n] - rootK * previous[n]) * inverseRootK1;
      previous[n] = current[n];
      current[n] = next;
    }
    a[k] = sum;
  }
  double sum = 0.0;
  for (double ak : a) {
    series.b.push_back(ak * ak);
    sum += ak * ak;
  }
  series.tail = std::max(0.0, series.meanSquare - sum);
  return series;
}

double meanOf(const Activation& phi, double q, double (*term)(const Activation&, double)) {
  const GaussianRule rule = gaussianRule(q);
  double sum = 0.0;
  for (size_t n = 0; n < rule.z.size(); ++n) sum += rule.w[n] * term(phi, rule.z[n]);
  return sum;
}

double squared(const Activation& phi, double x) {
  const double v = phi.value(x);
  return v * v;
}
double slopeSquared(const Activation& phi, double x) {
  const double d = phi.slope(x);
  return d * d;
}
// phi'^2 + phi phi'' = (phi^2)'' / 2: the length map's slope (Gaussian integration by parts).
double lengthSlopeTerm(const Activation& phi, double x) {
  const double d = phi.slope(x);
  return d * d + phi.value(x) * phi.curvature(x);
}

// c_{l+1} from c_l given the series at q_l and q_{l+1}.
double correlationStep(const CorrelationSeries& series, const MeanFieldInit& init,
                       double nextLength, double c) {
  return (init.weightVariance * series.at(c) + init.biasVariance) / nextLength;
}

// The stable fixed point of the correlation map at q and its slope there. Without dropout
// c = 1 is a fixed point; it is stable for chi_1 <= 1 (the map is convex and increasing on
// [0, 1]: its series has non-negative coefficients), else the other root in [0, 1) is. With
// dropout map(1) < 1 and the one root lies in [0, 1) (docs/THEORY.md).
void correlationFixedPoint(const Activation& phi, const MeanFieldInit& init, double q,
                           double chi1, PhasePoint& point) {
  const CorrelationSeries series = correlationSeries(phi, q);
  const double length = std::max(q, kSmallestLength);
  if (init.keepProbability >= 1.0 && chi1 <= 1.0) {
    point.cStar = 1.0;
    point.chiC = chi1;
    return;
  }
  const double nextLength = lengthMap(phi, init, length);
  double lo = 0.0, hi = 1.0;
  if (correlationStep(series, init, nextLength, 0.0) <= 0.0) {
    hi = 0.0;
  } else {
    for (int i = 0; i < 200 && hi - lo > 1e-15; ++i) {
      const double mid = 0.5 * (lo + hi);
      (correlationStep(series, init, nextLength, mid) - mid > 0.0 ? lo : hi) = mid;
    }
  }
  point.cStar = hi;
  point.chiC = init.weightVariance * series.slope(hi) / length;  // Price: dS/dc = q E[phi' phi']
}

}  // namespace

double lengthMap(const Activation& phi, const MeanFieldInit& init, double q) {
  return init.weightVariance / init.keepProbability * meanOf(phi, q, squared) +
         init.biasVariance;
}

double lengthFixedPoint(const Activation& phi, const MeanFieldInit& init) {
  const auto excess = [&phi, &init](double q) { return lengthMap(phi, init, q) - q; };
  const auto isRoot = [](double q, double g) { return std::abs(g) <= 1e-13 * std::max(q, 1e-300); };
  double q0 = init.weightVariance + init.biasVariance;
  if (!(q0 > 0.0)) q0 = 1.0;
  const double g0 = excess(q0);
  if (isRoot(q0, g0)) return q0;
  // The map is increasing in q, so the iteration from q0 moves monotonically to the nearest
  // fixed point on the side it starts moving to: bracket it by doubling or halving, then solve.
  double lo, hi, glo, ghi;  // excess(lo) > 0 > excess(hi)
  if (g0 > 0.0) {
    lo = q0, glo = g0, hi = 2.0 * q0, ghi = excess(hi);
    while (ghi > 0.0 && !isRoot(hi, ghi)) {
      if (hi > kUnboundedLength) return kInfinity;
      lo = hi, glo = ghi, hi *= 2.0, ghi = excess(hi);
    }
  } else {
    hi = q0, ghi = g0, lo = 0.5 * q0, glo = excess(lo);
    while (glo < 0.0 && !isRoot(lo, glo)) {
      if (lo < kSmallestLength) return 0.0;
      hi = lo, ghi = glo, lo *= 0.5, glo = excess(lo);
    }
  }
  if (isRoot(lo, glo)) return lo;
  if (isRoot(hi, ghi)) return hi;
  // Illinois false position: superlinear, and never leaves the bracket.
  int side = 0;
  double q = lo;
  for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i) {
    q = (lo * ghi - hi * glo) / (ghi - glo);
    if (!(q > lo && q < hi)) q = 0.5 * (lo + hi);
    const double g = excess(q);
    if (isRoot(q, g)) return q;
    if (g > 0.0) {
      lo = q, glo = g;
      if (side == 1) ghi *= 0.5;
      side = 1;
    } else {
      hi = q, ghi = g;
      if (side == -1) glo *= 0.5;
      side = -1;
    }
  }
  return q;
}

PhasePoint phasePoint(const Activation& phi, const MeanFieldInit& init) {
  PhasePoint p;
  p.sigmaW2 = init.weightVariance;
  p.sigmaB2 = init.biasVariance;
  p.qStar = lengthFixedPoint(phi, init);
  // An unbounded length: the slopes where the map was left (their limit for ReLU-like phi).
  const double q = std::isinf(p.qStar) ? kUnboundedLength : std::max(p.qStar, kSmallestLength);
  if (p.qStar == 0.0) {
    // A vanishing length: the limits q -> 0+, E[g(sqrt(q) z)] -> (g(0-) + g(0+)) / 2, exact
    // (tanh at sigma_w^2 = 1 is critical to the last digit; ReLU's phi'(0) is neither 0 nor 1).
    const double eps = std::numeric_limits<double>::min();
    const auto limit = [&phi, eps](double (*g)(const Activation&, double)) {
      return 0.5 * (g(phi, -eps) + g(phi, eps));
    };
    p.chi1 = init.weightVariance * limit(slopeSquared);
    p.chiQ = init.weightVariance / init.keepProbability * limit(lengthSlopeTerm);
  } else {
    p.chi1 = init.weightVariance * meanOf(phi, q, slopeSquared);
    p.chiQ = init.weightVariance / init.keepProbability * meanOf(phi, q, lengthSlopeTerm);
  }
  p.xiQ = std::isinf(p.qStar) ? kInfinity : depthScale(p.chiQ);
  correlationFixedPoint(phi, init, q, p.chi1, p);
  p.xiC = depthScale(p.chiC);
  return p;
}

std::vector<PhasePoint> phaseDiagram(const Activation& phi, const GridAxis& sigmaW2,
                                     const GridAxis& sigmaB2, double keepProbability) {
  const int rows = std::max(0, sigmaW2.count), columns = std::max(0, sigmaB2.count);
  std::vector<PhasePoint> points(static_cast<size_t>(rows) * columns);
  // Every point is independent (~1 ms each): rows are shared out over the cores.
  std::atomic<int> nextRow{0};
  const auto work = [&]() {
    for (int i = nextRow++; i < rows; i = nextRow++)
      for (int j = 0; j < columns; ++j)
        points[static_cast<size_t>(i) * columns + j] =
            phasePoint(phi, {sigmaW2.at(i), sigmaB2.at(j), keepProbability});
  };
  const int threads =
      std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, std::max(1, rows));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  return points;
}

std::vector<double> correlationOverDepth(const Activation& phi, const MeanFieldInit& init,
                                         double q1, double c0, int depth) {
  std::vector<double> out{c0};
  double q = q1, c = c0;
  for (int l = 0; l < depth; ++l) {
    const CorrelationSeries series = correlationSeries(phi, q);
    const double next = init.weightVariance / init.keepProbability * series.meanSquare +
                        init.biasVariance;
    c = correlationStep(series, init, std::max(next, kSmallestLength), c);
    q = next;
    out.push_back(c);
  }
  return out;
}

int hiddenFanIn(const ExperimentConfig& experiment) {
  const std::vector<int> widths = hiddenWidths(experiment.model);
  return widths.empty() ? 1 : widths.front();
}

std::optional<double> initWeightVariance(const ExperimentConfig& experiment) {
  const ModelConfig& m = experiment.model;
  if (m.init == "zeros" || m.init == "constant") return std::nullopt;
  const std::vector<int> widths = hiddenWidths(m);
  const int fanIn = hiddenFanIn(experiment);
  const int fanOut = widths.size() > 1 ? widths[1] : std::max(1, experiment.data.classes);
  try {
    const double std = initializerStd({m.init, m.initStd, m.initBound, m.initConstant}, fanIn, fanOut);
    return fanIn * std * std;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace layerscope
