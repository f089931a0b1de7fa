#include "export/animation_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTimer>
#include <limits>

namespace layerscope {

AnimationDialog::AnimationDialog(const RecordedRun& run, const QString& path, QWidget* parent)
    : QDialog(parent), run_(run), path_(path), plot_(new QComboBox), width_(new QSpinBox),
      height_(new QSpinBox), fps_(new QSpinBox), byDuration_(new QRadioButton(tr("Duration:"))),
      byStride_(new QRadioButton(tr("One frame every:"))), duration_(new QDoubleSpinBox),
      stepsPerFrame_(new QSpinBox), from_(new QSpinBox), to_(new QSpinBox), status_(new QLabel),
      progress_(new QProgressBar), exportButton_(new QPushButton(tr("Export"))),
      cancelButton_(new QPushButton(tr("Close"))) {
  setWindowTitle(tr("Export animation: %1").arg(QFileInfo(path).fileName()));
  plot_->setObjectName(QStringLiteral("animationPlot"));
  width_->setObjectName(QStringLiteral("animationWidth"));
  height_->setObjectName(QStringLiteral("animationHeight"));
  fps_->setObjectName(QStringLiteral("animationFps"));
  duration_->setObjectName(QStringLiteral("animationDuration"));
  stepsPerFrame_->setObjectName(QStringLiteral("animationStepsPerFrame"));
  from_->setObjectName(QStringLiteral("animationFrom"));
  to_->setObjectName(QStringLiteral("animationTo"));
  progress_->setObjectName(QStringLiteral("animationProgress"));
  status_->setObjectName(QStringLiteral("animationStatus"));
  exportButton_->setObjectName(QStringLiteral("animationExport"));
  cancelButton_->setObjectName(QStringLiteral("animationCancel"));

  // The dashboard first: what a slide usually wants.
  QStringList names = renderablePlotNames();
  names.removeAll(QStringLiteral("dashboard"));
  names.prepend(QStringLiteral("dashboard"));
  plot_->addItems(names);
  for (QSpinBox* box : {width_, height_}) {
    box->setRange(kAnimationMinSide, kAnimationMaxSide);
    box->setSuffix(tr(" px"));
  }
  const auto sizeFor = [this] {
    const QSize size = defaultAnimationSize(plot_->currentText());
    width_->setValue(size.width());
    height_->setValue(size.height());
  };
  sizeFor();
  connect(plot_, &QComboBox::currentTextChanged, this, sizeFor);
  const bool gif = QFileInfo(path).suffix().toLower() == QLatin1String("gif");
  fps_->setRange(1, gif ? kGifMaxFps : kAnimationMaxFps);
  fps_->setValue(10);
  fps_->setSuffix(tr(" frames/s"));
  duration_->setRange(0.1, 600);
  duration_->setDecimals(1);
  duration_->setValue(10);
  duration_->setSuffix(tr(" s"));
  const long last = run.snapshots.empty() ? 0 : run.snapshots.back().step;
  const int top = int(std::min<long>(last, std::numeric_limits<int>::max()));
  stepsPerFrame_->setRange(1, std::max(1, top));
  stepsPerFrame_->setValue(std::max(1, top / 100));
  stepsPerFrame_->setSuffix(tr(" steps"));
  // The recorded steps: from the first snapshot to the last.
  const int first = run.snapshots.empty() ? 0 : int(run.snapshots.front().step);
  for (QSpinBox* box : {from_, to_}) box->setRange(first, top);
  from_->setValue(first);
  to_->setValue(top);
  byDuration_->setChecked(true);
  const auto updateMode = [this] {
    duration_->setEnabled(byDuration_->isChecked());
    stepsPerFrame_->setEnabled(byStride_->isChecked());
  };
  connect(byDuration_, &QRadioButton::toggled, this, updateMode);
  updateMode();

  auto* size = new QHBoxLayout;
  size->addWidget(width_);
  size->addWidget(new QLabel(QStringLiteral("x")));
  size->addWidget(height_);
  auto* range = new QHBoxLayout;
  range->addWidget(from_);
  range->addWidget(new QLabel(tr("to")));
  range->addWidget(to_);
  auto* form = new QFormLayout(this);
  form->addRow(tr("Plot:"), plot_);
  form->addRow(tr("Frame size:"), size);
  form->addRow(tr("Frame rate:"), fps_);
  form->addRow(byDuration_, duration_);
  form->addRow(byStride_, stepsPerFrame_);
  form->addRow(tr("Steps:"), range);
  form->addRow(new QLabel(tr("Each frame draws the run as it was at its step (the nearest "
                             "recorded step at or below).")));
  progress_->setRange(0, 1);
  progress_->setValue(0);
  form->addRow(progress_);
  status_->setWordWrap(true);
  form->addRow(status_);
  auto* buttons = new QDialogButtonBox;
  buttons->addButton(exportButton_, QDialogButtonBox::AcceptRole);
  buttons->addButton(cancelButton_, QDialogButtonBox::RejectRole);
  exportButton_->setDefault(true);
  connect(exportButton_, &QPushButton::clicked, this, &AnimationDialog::startExport);
  connect(cancelButton_, &QPushButton::clicked, this, &AnimationDialog::cancelExport);
  form->addRow(buttons);
}

AnimationDialog::~AnimationDialog() = default;  // an unfinished export is cancelled

AnimationRequest AnimationDialog::request() const {
  AnimationRequest r;
  r.path = path_;
  r.plot = plot_->currentText();
  r.size = QSize(width_->value(), height_->value());
  r.fps = fps_->value();
  r.durationSeconds = duration_->value();
  r.stepsPerFrame = byStride_->isChecked() ? stepsPerFrame_->value() : 0;
  r.fromStep = from_->value();
  r.toStep = to_->value();
  return r;
}

void AnimationDialog::startExport() {
  if (export_) return;
  error_.clear();
  export_ = std::make_unique<AnimationExport>(request(), run_);
  if (const QString error = export_->start(); !error.isEmpty()) {
    stop(false, error);
    return;
  }
  progress_->setRange(0, export_->frameCount());
  progress_->setValue(0);
  status_->setText(tr("Frame 0 of %1...").arg(export_->frameCount()));
  for (QWidget* w : std::initializer_list<QWidget*>{plot_, width_, height_, fps_, byDuration_,
                                                    byStride_, duration_, stepsPerFrame_, from_,
                                                    to_, exportButton_})
    w->setEnabled(false);
  cancelButton_->setText(tr("Cancel"));
  QTimer::singleShot(0, this, &AnimationDialog::nextFrame);
}

void AnimationDialog::nextFrame() {
  if (!export_) return;  // cancelled since the timer was set
  if (const QString error = export_->next(); !error.isEmpty()) {
    stop(false, error);
    return;
  }
  progress_->setValue(export_->framesDone());
  if (export_->done()) {
    stop(true, tr("Wrote %1 frames to %2").arg(export_->frameCount()).arg(path_));
    return;
  }
  status_->setText(tr("Frame %1 of %2...").arg(export_->framesDone()).arg(export_->frameCount()));
  // The next frame after the events queued meanwhile (paints, a click on Cancel).
  QTimer::singleShot(0, this, &AnimationDialog::nextFrame);
}

void AnimationDialog::cancelExport() {
  if (!export_) {
    QDialog::reject();
    return;
  }
  export_->cancel();
  stop(false, tr("Cancelled: %1 was not written").arg(path_));
}

void AnimationDialog::reject() {
  if (export_) cancelExport();
  else QDialog::reject();
}

void AnimationDialog::stop(bool written, const QString& message) {
  export_.reset();
  if (!written) error_ = message;
  status_->setText(message);
  status_->setStyleSheet(written ? QString() : QStringLiteral("color: #b00020"));
  for (QWidget* w : std::initializer_list<QWidget*>{plot_, width_, height_, fps_, byDuration_,
                                                    byStride_, from_, to_, exportButton_})
    w->setEnabled(true);
  duration_->setEnabled(byDuration_->isChecked());
  stepsPerFrame_->setEnabled(byStride_->isChecked());
  cancelButton_->setText(tr("Close"));
  emit exportFinished(written, message);
}

}  // namespace layerscope
