#include "widgets/log_spin_box.h"

#include <QLocale>
#include <algorithm>
#include <cmath>

namespace layerscope {

LogSpinBox::LogSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
  setDecimals(12);  // QDoubleSpinBox rounds values to `decimals`
  setRange(1e-8, 10);
  setKeyboardTracking(false);
}

void LogSpinBox::stepBy(int steps) {
  static const double mantissas[] = {1, 2, 5};
  double v = value();
  for (int i = 0; i < std::abs(steps); ++i) {
    if (v <= 0) {
      if (steps > 0) v = std::max(minimum(), 1e-6);
      continue;
    }
    const double e = std::floor(std::log10(v) + 1e-9);
    const double p = std::pow(10.0, e);
    const double m = v / p;
    double next = v;
    if (steps > 0) {
      next = 10 * p;
      for (double c : mantissas)
        if (c > m * (1 + 1e-9)) {
          next = c * p;
          break;
        }
    } else {
      next = 0.5 * p;
      for (int k = 2; k >= 0; --k)
        if (mantissas[k] < m * (1 - 1e-9)) {
          next = mantissas[k] * p;
          break;
        }
      if (allowZero_ && next < 1e-6 * (1 - 1e-9)) next = 0;
    }
    v = next;
  }
  setValue(std::clamp(v, allowZero_ ? 0.0 : minimum(), maximum()));
}

QString LogSpinBox::textFromValue(double value) const {
  if (value == 0) return QStringLiteral("0");
  return QString::number(value, 'g', 4);
}

double LogSpinBox::valueFromText(const QString& text) const {
  return QLocale::c().toDouble(text.trimmed());
}

QValidator::State LogSpinBox::validate(QString& text, int&) const {
  const QString t = text.trimmed();
  if (t.isEmpty() || t.endsWith('e') || t.endsWith('-') || t.endsWith('.'))
    return QValidator::Intermediate;
  bool ok = false;
  const double v = QLocale::c().toDouble(t, &ok);
  if (!ok) return QValidator::Invalid;
  return (v >= minimum() && v <= maximum()) || (allowZero_ && v == 0) ? QValidator::Acceptable
                                                                       : QValidator::Intermediate;
}

}  // namespace layerscope
