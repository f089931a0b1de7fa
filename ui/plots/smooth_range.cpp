#include "plots/smooth_range.h"

#include <algorithm>
#include <cmath>

namespace layerscope {

double niceCeil(double x) {
  if (!(x > 0)) return 1.0;
  const double p = std::pow(10.0, std::floor(std::log10(x)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * p >= x * (1 - 1e-12)) return m * p;
  return 10 * p;
}

bool SmoothRange::fit(double dataLo, double dataHi) {
  if (!std::isfinite(dataLo) || !std::isfinite(dataHi) || dataLo > dataHi) return false;
  if (log_) {
    if (!(dataLo > 0)) return false;
    // Whole decades: grow when data leaves them, shrink when the data spans a third of them.
    const double lo = std::floor(std::log10(dataLo) - 1e-9);
    const double hi = std::ceil(std::log10(dataHi) + 1e-9);
    // At least two decades, so the axis always carries three labelled powers of ten.
    const double newLo = std::pow(10.0, std::min(lo, hi - 2)), newHi = std::pow(10.0, hi);
    const bool outside = !valid_ || dataLo < lo_ || dataHi > hi_;
    const double used = std::log10(dataHi) - std::log10(dataLo);
    const double span = std::log10(hi_) - std::log10(lo_);
    const bool tooWide = valid_ && span > 3 && used < span / 3;
    if (!outside && !tooWide) return false;
    lo_ = outside && valid_ ? std::min(lo_, newLo) : newLo;
    hi_ = outside && valid_ ? std::max(hi_, newHi) : newHi;
    if (tooWide) lo_ = newLo, hi_ = newHi;
    valid_ = true;
    return true;
  }
  double span = dataHi - dataLo;
  if (span <= 0) span = std::max(std::abs(dataHi) * 0.1, 1e-12);
  const bool outside = !valid_ || dataLo < lo_ || dataHi > hi_;
  const bool tooWide = valid_ && span < (hi_ - lo_) / 4;
  if (!outside && !tooWide) return false;
  // Bounds on a grid of step = a nice fraction of the span, with a ~5% margin.
  const double step = niceCeil(span / 8);
  double lo = std::floor((dataLo - 0.05 * span) / step) * step;
  double hi = std::ceil((dataHi + 0.05 * span) / step) * step;
  if (hasFloor_ && lo < floor_ && dataLo >= floor_) lo = floor_;
  if (outside && valid_ && !tooWide) {  // grow only: keep what is already shown
    lo = std::min(lo, lo_);
    hi = std::max(hi, hi_);
  }
  if (valid_ && lo == lo_ && hi == hi_) return false;
  lo_ = lo;
  hi_ = hi;
  valid_ = true;
  return true;
}

}  // namespace layerscope
