// A spin box for quantities that span decades (learning rate, L2, init std): the arrows step
// through 1, 2, 5 x 10^k, and the text shows compact scientific notation.
#pragma once

#include <QDoubleSpinBox>

namespace layerscope {

class LogSpinBox : public QDoubleSpinBox {
  Q_OBJECT
 public:
  explicit LogSpinBox(QWidget* parent = nullptr);
  void stepBy(int steps) override;
  QString textFromValue(double value) const override;
  double valueFromText(const QString& text) const override;
  QValidator::State validate(QString& text, int& pos) const override;
  // For 0 <= value: allowZero makes 0 reachable by stepping below the minimum positive value.
  void setAllowZero(bool allow) { allowZero_ = allow; }

 private:
  bool allowZero_ = false;
};

}  // namespace layerscope
