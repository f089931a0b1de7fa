// The experiment form: Data, Network, Training and Statistics groups. Every control carries a
// tooltip that explains its concept in a sentence or two, with the formula. Invalid
// combinations are prevented (controls that do not apply are disabled, 2-class data sets fix
// the class count) or explained (validate() messages in red at the top); an invalid form is
// never emitted.
#pragma once

#include <QWidget>
#include <functional>

#include "run/training_types.h"  // ExperimentConfig and its meta-type

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace layerscope {

class LogSpinBox;

class ConfigPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ConfigPanel(QWidget* parent = nullptr);

  // Shows `config` in the controls (does not emit configChanged).
  void setConfig(const ExperimentConfig& config);
  // The experiment the controls describe now.
  ExperimentConfig config() const;
  // Empty when the form is valid, else what is wrong, in words.
  QString problem() const { return problem_; }

  // True when going from `before` to `after` needs a new network (a reset); false when only the
  // learning rate, L2, or a non-zero dropout changed, which the trainer applies live.
  static bool isStructuralChange(const ExperimentConfig& before, const ExperimentConfig& after);

  // Asks the user for the CSV file (folder = false) or the IDX folder (folder = true), starting
  // in `startDir`; "" when cancelled. The default opens a QFileDialog; tests replace it.
  using PathChooser = std::function<QString(bool folder, const QString& startDir)>;
  void setPathChooser(PathChooser chooser) { chooser_ = std::move(chooser); }

  // The loaded file's summary ("150 samples · 4 features · 3 classes"), its warning about a
  // continuous label column, "" for generators. The tooltip of the label lists the class
  // counts and feature names.
  QString dataSummary() const;

 signals:
  void configChanged(const layerscope::ExperimentConfig& config, bool structural);
  void validityChanged(bool valid, const QString& problem);

 private:
  void build();
  void onEdited();
  void updateEnabledState();
  void applyInitPreset(const QString& init, double std);
  void browseForData();
  void onSourceActivated();
  void inspectData();
  void showDataNumbers();
  void applySchemaLimits();

  bool updating_ = false;
  ExperimentConfig base_;     // fields without a control keep their values from here
  ExperimentConfig emitted_;  // the last valid config sent
  QString problem_;

  QLabel* problemLabel_;
  // Data
  QComboBox* source_;
  QLineEdit* path_;
  QPushButton* browse_;
  QSpinBox* samples_;
  QSpinBox* classes_;
  QDoubleSpinBox* noise_;
  QSpinBox* features_;
  QComboBox* labels_;
  QComboBox* preprocess_;
  QDoubleSpinBox* validation_;
  QDoubleSpinBox* test_;
  QComboBox* labelColumn_;  // csv: "" = the last column, else a header name or 0-based index
  QLabel* dataSummary_;
  // What the file at path_ held when last read (inspectData), so the Samples / Classes /
  // Features boxes show the data's own numbers instead of the generator's.
  QString inspectedKey_;
  bool haveData_ = false;
  bool showingData_ = false;  // the three boxes show the data's numbers (generator's kept in base_)
  int dataSamples_ = 0, dataFeatures_ = 0, dataClasses_ = 0;
  PathChooser chooser_;
  // Network
  QSpinBox* depth_;
  QSpinBox* width_;
  QComboBox* activation_;
  QComboBox* init_;
  LogSpinBox* initStd_;
  LogSpinBox* initBound_;
  QDoubleSpinBox* initConstant_;
  QCheckBox* batchNorm_;
  QDoubleSpinBox* dropout_;
  // Training
  QComboBox* optimizer_;
  LogSpinBox* learningRate_;
  QDoubleSpinBox* momentum_;
  LogSpinBox* l2_;
  QSpinBox* batchSize_;
  QSpinBox* epochs_;
  QSpinBox* steps_;  // -1 ("by epochs") or a fixed step count that overrides epochs
  QSpinBox* seed_;
  QSpinBox* threads_;
  // Statistics
  QSpinBox* statsEvery_;
  QSpinBox* probeSize_;
  QSpinBox* bins_;
};

}  // namespace layerscope
