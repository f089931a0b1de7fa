#include "stats.h"

#include <algorithm>
#include <cmath>

namespace layerscope {

Moments computeMoments(const Matrix& v) {
  Moments m;
  const Eigen::Index n = v.size();
  if (n == 0) return m;
  // Two passes in double: the mean first, then the mean squared deviation, so a layer whose
  // std is 1e-9 of its mean (a collapsed layer) still gets an accurate std.
  const double mean = v.cast<double>().mean();
  const double var = (v.cast<double>().array() - mean).square().mean();
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
  if (!(lo < hi)) {
    lo = std::numeric_limits<double>::infinity();
    hi = -lo;
    for (Eigen::Index i = 0; i < n; ++i)
      if (std::isfinite(d[i])) {
        lo = std::min<double>(lo, d[i]);
        hi = std::max<double>(hi, d[i]);
      }
    if (!(lo <= hi)) lo = hi = 0.0;
    if (hi - lo < 1e-12 * std::max(1.0, std::abs(lo))) {  // all equal: a bin around the value
      const double pad = std::max(1e-6, std::abs(lo) * 1e-3);
      lo -= pad;
      hi += pad;
    }
  }
  h.lo = lo;
  h.hi = hi;
  const int last = static_cast<int>(h.counts.size()) - 1;
  const double scale = h.counts.size() / (hi - lo);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double x = d[i];
    if (!std::isfinite(x)) {
      ++h.nonFinite;
      continue;
    }
    const int b = static_cast<int>((x - lo) * scale);
    ++h.counts[std::clamp(b, 0, last)];
  }
  return h;
}

}  // namespace layerscope
