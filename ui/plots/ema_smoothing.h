// TensorBoard's scalar smoothing: an exponential moving average with its start-up bias removed.
//   last_i = w * last_{i-1} + (1 - w) * y_i,  last_0 = 0
//   smoothed_i = last_i / (1 - w^i)            (i = 1, 2, ...: the debiasing of Adam's moments)
// w = 0 draws the raw values; w = 0.99 averages over ~100 points. Non-finite values are passed
// through and do not enter the average (TensorBoard does the same).
#pragma once

#include <cmath>
#include <vector>

namespace layerscope {

inline std::vector<double> emaSmooth(const std::vector<double>& y, double weight) {
  std::vector<double> out(y.size());
  double last = 0.0, debias = 1.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (!std::isfinite(y[i])) {
      out[i] = y[i];
      continue;
    }
    last = weight * last + (1.0 - weight) * y[i];
    debias *= weight;  // w^i
    out[i] = weight >= 1.0 ? y[i] : last / (1.0 - debias);
  }
  return out;
}

}  // namespace layerscope
