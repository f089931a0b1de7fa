// The panel headers' texts (layer, std, zeros or saturation) in long and short forms, and
// drawing a label only when it fits.
#include "plots/histogram_strip.h"

#include <algorithm>
#include <cmath>

#include "common/number_format.h"
#include "training/stats.h"

namespace layerscope {

namespace histogram_strip {

QString compactNumber(double x) {
  if (std::isnan(x)) return QStringLiteral("NaN");
  if (std::isinf(x)) return x > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
  const double a = std::abs(x);
  if (a == 0) return QStringLiteral("0");
  if (a >= 0.01 && a < 100) return QString::number(x, 'g', 2);
  if (a >= 100 && a < 10000) return QString::number(x, 'f', 0);
  int exponent = static_cast<int>(std::floor(std::log10(a)));
  double mantissa = x / std::pow(10.0, exponent);
  if (std::abs(std::round(mantissa * 10) / 10) >= 10) mantissa /= 10, ++exponent;  // 9.96 -> 1.0e+1
  return QStringLiteral("%1e%2").arg(mantissa, 0, 'f', 1).arg(exponent);
}

// A count in at most 4 characters: "37", "4.2k", "12k", "1.3M".
QString compactCount(std::uint64_t n) {
  if (n < 1000) return QString::number(n);
  if (n < 10000) return QString::number(n / 1e3, 'f', 1) + QLatin1Char('k');
  if (n < 1000000) return QString::number(std::llround(n / 1e3)) + QLatin1Char('k');
  return QString::number(n / 1e6, 'f', 1) + QLatin1Char('M');
}

QString percent(double fraction) {
  const double pct = 100.0 * fraction;
  if (pct >= 1.0 || pct == 0.0) return QString::number(std::lround(pct)) + QLatin1Char('%');
  return QString::number(pct, 'g', 1) + QLatin1Char('%');
}

}  // namespace histogram_strip

using namespace histogram_strip;

QString HistogramStrip::layerText(const Panel& panel, bool longForm) {
  return longForm ? QObject::tr("layer %1").arg(panel.layer)
                  : QStringLiteral("L%1").arg(panel.layer);
}

QString HistogramStrip::sigmaText(const Panel& panel, bool longForm) {
  const QString v = compactNumber(panel.std);
  return longForm ? QStringLiteral("σ %1").arg(v) : v;
}

QString HistogramStrip::thirdText(size_t i, int form) const {
  const Beside& b = beside_[i];
  if (hasZero_) {
    if (b.zeros == 0 || b.total == 0) return {};
    const QString pct = percent(double(b.zeros) / double(b.total));
    if (form == 0) return QObject::tr("%1 exactly 0").arg(pct);
    if (form == 1) return QObject::tr("%1 =0").arg(pct);
    return pct;
  }
  if (!hasSaturation_ || panels_[i].saturated <= 0) return {};
  const QString pct = percent(panels_[i].saturated);
  if (form == 0) return QObject::tr("%1 saturated").arg(pct);
  if (form == 1) return QObject::tr("%1 sat.").arg(pct);
  return pct;
}

void HistogramStrip::drawLabel(QPainter& p, const QFontMetrics& m, const QRectF& box, int align,
                               const QString& label, bool header) {
  if (label.isEmpty()) return;
  const double w = m.horizontalAdvance(label);
  if (w > box.width() + 0.5) return;
  double x = box.left();
  if (align & Qt::AlignHCenter) x = box.center().x() - w / 2;
  else if (align & Qt::AlignRight) x = box.right() - w;
  const QRectF tight(x, box.top(), w, m.height());
  p.drawText(tight, Qt::AlignLeft | Qt::AlignTop, label);
  texts_.push_back({label, tight});
  if (header) headers_.push_back({label, tight});
}

}  // namespace layerscope
