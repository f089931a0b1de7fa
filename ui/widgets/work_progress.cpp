#include "widgets/work_progress.h"

#include <QProgressBar>
#include <QToolButton>
#include <algorithm>

namespace layerscope {

namespace {
constexpr int kSteps = 1000;  // the bar's resolution while it shows work: 0.1%
}  // namespace

WorkProgress::WorkProgress(QProgressBar* bar, QObject* parent)
    : QObject(parent), bar_(bar), cancel_(new QToolButton) {
  cancel_->setObjectName(QStringLiteral("cancelWork"));
  cancel_->setText(tr("Cancel"));
  cancel_->setToolTip(tr("Stop loading, building or evaluating; nothing half-done is kept"));
  cancel_->setVisible(false);
  connect(cancel_, &QToolButton::clicked, this, [this] {
    cancel_->setEnabled(false);  // once: the work stops at its next chunk
    emit cancelRequested();
  });
}

void WorkProgress::show(const QString& phase, double fraction) {
  if (phase.isEmpty()) {
    if (!active_) return;
    active_ = false;
    bar_->setRange(minimum_, maximum_);
    bar_->setValue(value_);
    bar_->setFormat(format_);
    cancel_->setVisible(false);
    return;
  }
  if (!active_) {
    active_ = true;
    minimum_ = bar_->minimum();
    maximum_ = bar_->maximum();
    value_ = bar_->value();
    format_ = bar_->format();
    bar_->setRange(0, kSteps);
    cancel_->setEnabled(true);
    cancel_->setVisible(true);
  }
  const int value = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * kSteps + 0.5);
  bar_->setValue(value);
  // "%" written out: the bar's own %p would be of the borrowed range, and phases carry their own
  // numbers ("layer 4/11").
  bar_->setFormat(QStringLiteral("%1 %2%").arg(phase).arg(value / 10));
}

}  // namespace layerscope
