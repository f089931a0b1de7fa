// Percentiles of a layer's values read back from its fixed-grid histogram (training/stats.h),
// for the percentile bands over training (the window's "Over time" view): the probe keeps
// histograms, not the values, so the bands are computed from what every snapshot already
// carries.
#pragma once

#include <array>
#include <vector>

#include "training/stats.h"

namespace layerscope {

// TensorBoard's distribution bands: the normal distribution's Phi(k) for k = -inf, -1.5, -1,
// -0.5, 0, 0.5, 1, 1.5, +inf (min, 6.68%, 15.87%, 30.85%, median, ..., max), so for normally
// distributed values the nested bands are +-0.5, 1 and 1.5 standard deviations.
constexpr std::array<double, 9> kBandFractions = {0.0,    0.0668, 0.1587, 0.3085, 0.5,
                                                  0.6915, 0.8413, 0.9332, 1.0};

// The q-quantiles (each q in [0, 1], any order) of the finite values histogram `h` counted,
// with `min` and `max` the values' extremes (Moments::min / max of the same values; NaN when
// unknown). The distribution is read as:
//   - each bin's count spread uniformly over its bin [edge(first + b), edge(first + b + 1)],
//   - Histogram::zeros a point mass at exactly 0 (ReLU's dead outputs),
//   - underflow spread uniformly over [min, lo], overflow over [hi, max] (when min / max are
//     unknown, they sit at lo / hi),
// and the quantile is the value where this piecewise-linear CDF reaches q * (number of finite
// values). q = 0 and q = 1 give min and max when they are known, and every result is clamped to
// [min, max]. Results are non-decreasing in q. All NaN when the histogram holds no finite value.
std::vector<double> histogramPercentiles(const Histogram& h, double min, double max,
                                         const std::vector<double>& q);

// kBandFractions' quantiles, for one snapshot's layer.
std::array<double, 9> percentileBands(const Histogram& h, double min, double max);

}  // namespace layerscope
