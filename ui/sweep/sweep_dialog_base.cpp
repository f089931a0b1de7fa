#include "sweep/sweep_dialog_base.h"

#include <QCloseEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>

namespace layerscope {

SweepDialogBase::SweepDialogBase(QWidget* parent) : QDialog(parent) {}

SweepDialogBase::~SweepDialogBase() = default;

QHBoxLayout* SweepDialogBase::makeRunRow(const QString& runText, const QString& runName) {
  auto* row = new QHBoxLayout;
  run_ = new QPushButton(runText);
  run_->setObjectName(runName);
  cancel_ = new QPushButton(tr("Cancel"));
  progress_ = new QProgressBar;
  progress_->setRange(0, 1);
  progress_->setValue(0);
  row->addWidget(run_);
  row->addWidget(cancel_);
  row->addWidget(progress_, 1);
  connect(run_, &QPushButton::clicked, this, &SweepDialogBase::start);
  connect(cancel_, &QPushButton::clicked, this, &SweepDialogBase::cancel);
  return row;
}

QLabel* SweepDialogBase::makeStatusLine() {
  status_ = new QLabel;
  status_->setWordWrap(true);
  return status_;
}

QString SweepDialogBase::statusText() const { return status_->text(); }

void SweepDialogBase::setStatus(const QString& text, bool error) {
  status_->setText(text);
  status_->setProperty("error", error);
  status_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

bool SweepDialogBase::statusIsError() const { return status_->property("error").toBool(); }

void SweepDialogBase::updateRunButtons() {
  run_->setEnabled(!running());
  cancel_->setEnabled(running());
}

void SweepDialogBase::saveWithDialog(const QString& caption, const QString& suggested,
                                     const QString& filter,
                                     const std::function<QString(const QString&)>& save) {
  const QString path = QFileDialog::getSaveFileName(this, caption, suggested, filter);
  if (path.isEmpty()) return;
  const QString error = save(path);
  if (!error.isEmpty()) QMessageBox::warning(this, tr("Export failed"), error);
}

void SweepDialogBase::closeEvent(QCloseEvent* event) {
  cancel();
  QDialog::closeEvent(event);
}

}  // namespace layerscope
