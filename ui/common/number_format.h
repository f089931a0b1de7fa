// Compact numbers for tooltips, findings and labels: "0.2134", "1.23e-05".
#pragma once

#include <QString>
#include <cmath>

namespace layerscope {

inline QString formatNumber(double value) {
  if (!std::isfinite(value)) return QString::number(value);
  const double a = std::abs(value);
  if (a != 0 && (a < 1e-3 || a >= 1e5)) return QString::number(value, 'e', 2);
  return QString::number(value, 'g', 4);
}

}  // namespace layerscope
