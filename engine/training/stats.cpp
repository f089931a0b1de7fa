#include "training/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace layerscope {

Moments computeMoments(const Matrix& v) {
  Moments m;
  const Eigen::Index n = v.size();
  if (n == 0) return m;
  // Two passes, the mean first, then the mean squared deviation, so a layer whose std is 1e-9 of
  // its mean (a collapsed layer) still gets an accurate std. Each column is summed in float
  // (vectorized, a few hundred terms) and the column sums in double: accurate and ~8x faster
  // than summing every element in double.
  double mean = v.colwise().sum().cast<double>().sum() / double(n);
  double var = (v.array() - static_cast<Scalar>(mean)).square().colwise().sum().cast<double>().sum() /
               double(n);
  if (!std::isfinite(mean) || !std::isfinite(var)) {
    // Finite values near FLT_MAX overflow a float sum (a diverging layer): redo it in double.
    const auto d = v.cast<double>().array();
    mean = d.mean();
    var = (d - mean).square().mean();
  }
  m.mean = mean;
  m.std = std::sqrt(var);
  m.min = v.minCoeff();
  m.max = v.maxCoeff();
  return m;
}

Histogram computeHistogram(const Matrix& v, int bins, double lo, double hi) {
  Histogram h;
  h.counts.assign(std::max(bins, 1), 0);
  const Scalar* d = v.data();
  const Eigen::Index n = v.size();
  const bool allFinite = v.allFinite();
  // A range asked for must be finite, ordered, and wide enough that its bin width is a normal
  // float: a diverged layer gives +-inf bounds, a collapsed gradient a span of 1e-40, and either
  // once made the bin index NaN. Otherwise the histogram spans the finite data.
  const auto usable = [](double a, double b) {
    return std::isfinite(a) && std::isfinite(b) && a < b && std::isfinite(1.0 / (b - a)) &&
           (b - a) > 1e-12 * std::max(1.0, std::max(std::abs(a), std::abs(b)));
  };
  if (!usable(lo, hi)) {
    if (allFinite && n > 0) {
      lo = v.minCoeff();
      hi = v.maxCoeff();
    } else {
      lo = std::numeric_limits<double>::infinity();
      hi = -lo;
      for (Eigen::Index i = 0; i < n; ++i)
        if (std::isfinite(d[i])) {
          lo = std::min<double>(lo, d[i]);
          hi = std::max<double>(hi, d[i]);
        }
      if (!(lo <= hi)) lo = hi = 0.0;
    }
    if (!usable(lo, hi)) {  // all equal (or all but equal): a bin around the value
      const double pad = std::max(1e-6, std::max(std::abs(lo), std::abs(hi)) * 1e-3);
      lo -= pad;
      hi += pad;
    }
  }
  h.lo = lo;
  h.hi = hi;
  const int last = static_cast<int>(h.counts.size()) - 1;
  const double scale = h.counts.size() / (hi - lo);  // finite and > 0: see usable()
  std::uint32_t* counts = h.counts.data();
  if (allFinite && std::isfinite(Scalar(lo)) && std::isfinite(Scalar(scale)) && Scalar(scale) > 0) {
    // Bin index floor((x - lo) * scale) clamped into [0, last]: branch-free, in float. The
    // product may overflow to +inf (x - lo beyond FLT_MAX), never NaN; max(0, .) with 0 first
    // would also map a NaN to bin 0.
    const Scalar loF = Scalar(lo), scaleF = Scalar(scale), lastF = Scalar(last);
    for (Eigen::Index i = 0; i < n; ++i) {
      const Scalar b = std::min(lastF, std::max(Scalar(0), (d[i] - loF) * scaleF));
      ++counts[static_cast<int>(b)];
    }
    return h;
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    const double x = d[i];
    if (!std::isfinite(x)) {
      ++h.nonFinite;
      continue;
    }
    const double t = (x - lo) * scale;
    ++counts[t > 0 ? (t < last ? static_cast<int>(t) : last) : 0];
  }
  return h;
}

}  // namespace layerscope
