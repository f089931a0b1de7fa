// Asked before a branch (the timeline's Branch): from the keyframe of step K, continue with
// which learning rate, L2, L1, dropout and optimizer. Prefilled with the panel's settings; the
// answer is a whole experiment, the panel's with these replaced. The optimizer is structural for
// a running run but free for a branch: the branch is a run of its own from the keyframe, and a
// new kind of optimizer starts with fresh state (Trainer::restore).
#pragma once

#include <QDialog>

#include "config.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;

namespace layerscope {

class LogSpinBox;

class BranchDialog : public QDialog {
  Q_OBJECT
 public:
  BranchDialog(long keyframeStep, const ExperimentConfig& settings, QWidget* parent = nullptr);
  ExperimentConfig settings() const;  // the panel's experiment with the dialog's values

  QComboBox* optimizer() const { return optimizer_; }
  LogSpinBox* learningRate() const { return learningRate_; }

 private:
  void updateEnabled();

  ExperimentConfig base_;
  QComboBox* optimizer_;
  LogSpinBox* learningRate_;
  QDoubleSpinBox* momentum_;
  LogSpinBox* l2_;
  LogSpinBox* l1_;
  QDoubleSpinBox* dropout_;
};

}  // namespace layerscope
