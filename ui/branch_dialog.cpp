#include "branch_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "settings/schema.h"
#include "widgets/log_spin_box.h"

namespace layerscope {

namespace {

// A spin box over the schema row's limits (one place states them: settings/schema.h).
void limitTo(QDoubleSpinBox* box, const char* path) {
  const Setting* s = findSetting(path);
  box->setRange(s->min, s->maxOpen ? s->max - 1e-9 : s->max);
}

}  // namespace

BranchDialog::BranchDialog(long keyframeStep, const ExperimentConfig& settings, QWidget* parent)
    : QDialog(parent),
      base_(settings),
      optimizer_(new QComboBox(this)),
      learningRate_(new LogSpinBox(this)),
      momentum_(new QDoubleSpinBox(this)),
      l2_(new LogSpinBox(this)),
      l1_(new LogSpinBox(this)),
      dropout_(new QDoubleSpinBox(this)) {
  setWindowTitle(tr("Branch from step %1").arg(keyframeStep));
  auto* intro = new QLabel(
      tr("The run on screen is pinned for comparison. Training goes back to the keyframe of "
         "step %1 and continues from there with:").arg(keyframeStep), this);
  intro->setWordWrap(true);
  for (const std::string& name : findSetting("train.optimizer")->choices)
    optimizer_->addItem(QString::fromStdString(name));
  optimizer_->setCurrentText(QString::fromStdString(settings.train.optimizer));
  optimizer_->setToolTip(tr("The same optimizer keeps its state (momentum, Adam's moments) from "
                            "the keyframe; another starts afresh"));
  learningRate_->setAllowZero(true);
  limitTo(learningRate_, "train.lr");
  learningRate_->setValue(settings.train.learningRate);
  limitTo(momentum_, "train.momentum");
  momentum_->setDecimals(3);
  momentum_->setSingleStep(0.05);
  momentum_->setValue(settings.train.momentum);
  l2_->setAllowZero(true);
  limitTo(l2_, "train.l2");
  l2_->setValue(settings.train.l2);
  l1_->setAllowZero(true);
  limitTo(l1_, "train.l1");
  l1_->setValue(settings.train.l1);
  limitTo(dropout_, "model.dropout");
  dropout_->setDecimals(2);
  dropout_->setSingleStep(0.05);
  dropout_->setValue(settings.model.dropout);
  // Dropout layers exist only in a network built with p > 0 (SettingEffect::LiveNonZero).
  if (settings.model.dropout > 0) dropout_->setMinimum(0.01);
  else dropout_->setEnabled(false);

  auto* form = new QFormLayout;
  form->addRow(tr("Optimizer"), optimizer_);
  form->addRow(tr("Learning rate"), learningRate_);
  form->addRow(tr("Momentum"), momentum_);
  form->addRow(tr("L2 (λ)"), l2_);
  form->addRow(tr("L1"), l1_);
  form->addRow(tr("Dropout"), dropout_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Branch"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(optimizer_, &QComboBox::currentTextChanged, this, &BranchDialog::updateEnabled);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(form);
  layout->addWidget(buttons);
  updateEnabled();
}

void BranchDialog::updateEnabled() {
  const QString o = optimizer_->currentText();
  momentum_->setEnabled(o == "momentum" || o == "nesterov");
}

ExperimentConfig BranchDialog::settings() const {
  ExperimentConfig c = base_;
  c.train.optimizer = optimizer_->currentText().toStdString();
  c.train.learningRate = learningRate_->value();
  c.train.momentum = momentum_->value();
  c.train.l2 = l2_->value();
  c.train.l1 = l1_->value();
  c.model.dropout = dropout_->value();
  return c;
}

}  // namespace layerscope
