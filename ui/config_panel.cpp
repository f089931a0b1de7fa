#include "config_panel.h"

#include "config_panel_controls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

#include "io/experiment_file.h"
#include "widgets/log_spin_box.h"
#include "settings/schema.h"

namespace layerscope {

using namespace config_panel;  // config_panel_controls.h

ConfigPanel::ConfigPanel(QWidget* parent) : QWidget(parent) {
  build();
  setConfig(ExperimentConfig{});
}

void ConfigPanel::setConfig(const ExperimentConfig& c) {
  updating_ = true;
  base_ = c;
  const QString source = QString::fromStdString(c.data.source);
  if (source.startsWith("csv:")) {
    selectValue(source_, "csv");
    path_->setText(source.mid(4));
  } else if (source.startsWith("idx:")) {
    selectValue(source_, "idx");
    path_->setText(source.mid(4));
  } else {
    selectValue(source_, source);
  }
  samples_->setValue(c.data.samples);
  classes_->setValue(c.data.classes);
  noise_->setValue(c.data.noise);
  features_->setValue(c.data.features);
  selectValue(labels_, QString::fromStdString(c.data.labels));
  selectValue(preprocess_, QString::fromStdString(c.data.preprocess));
  validation_->setValue(c.data.validationFraction);
  test_->setValue(c.data.testFraction);
  {
    // The experiment's label column, offered even before the file's columns are known.
    const QString column = QString::fromStdString(c.data.labelColumn);
    if (labelColumn_->findData(column) < 0) labelColumn_->addItem(column, column);
    selectValue(labelColumn_, column);
  }
  showingData_ = false;  // the boxes now show c's numbers
  inspectData();
  depth_->setValue(c.model.depth);
  width_->setValue(c.model.width);
  selectValue(activation_, QString::fromStdString(c.model.activation));
  selectValue(init_, QString::fromStdString(c.model.init));
  initStd_->setValue(c.model.initStd);
  initBound_->setValue(c.model.initBound);
  initConstant_->setValue(c.model.initConstant);
  batchNorm_->setChecked(c.model.batchNorm);
  dropout_->setValue(c.model.dropout);
  selectValue(optimizer_, QString::fromStdString(c.train.optimizer));
  learningRate_->setValue(c.train.learningRate);
  momentum_->setValue(c.train.momentum);
  l2_->setValue(c.train.l2);
  batchSize_->setValue(c.train.batchSize);
  epochs_->setValue(c.train.epochs);
  steps_->setValue(static_cast<int>(
      std::clamp<long>(c.train.steps, -1, std::numeric_limits<int>::max())));
  seed_->setValue(static_cast<int>(std::min<std::uint64_t>(c.train.seed, 2147483647)));
  threads_->setValue(c.train.threads);
  statsEvery_->setValue(static_cast<int>(std::clamp<long>(c.stats.every, -1, 1000000)));
  probeSize_->setValue(c.stats.probeSize);
  bins_->setValue(c.stats.histogramBins);
  updateEnabledState();
  updating_ = false;
  emitted_ = config();
  problem_.clear();
  try {
    validate(emitted_);
  } catch (const std::exception& e) {
    problem_ = QString::fromStdString(e.what());
  }
  problemLabel_->setText(problem_);
  problemLabel_->setVisible(!problem_.isEmpty());
}

ExperimentConfig ConfigPanel::config() const {
  ExperimentConfig c = base_;
  const QString source = value(source_);
  if (source == "csv" || source == "idx")
    c.data.source = (source + ":" + path_->text().trimmed()).toStdString();
  else
    c.data.source = source.toStdString();
  const bool file = source == "csv" || source == "idx";
  // A file brings its own numbers (shown in the boxes); the generator's stay in base_.
  if (!file || !showingData_) {
    c.data.samples = samples_->value();
    c.data.classes = isTwoClassGenerator(source) ? 2 : classes_->value();
    c.data.features = isPlanarGenerator(source) ? 2 : features_->value();
  }
  c.data.noise = noise_->value();
  if (source == "csv") c.data.labelColumn = labelColumn_->currentData().toString().toStdString();
  c.data.labels = value(labels_).toStdString();
  c.data.preprocess = value(preprocess_).toStdString();
  c.data.validationFraction = validation_->value();
  c.data.testFraction = test_->value();
  c.model.depth = depth_->value();
  c.model.width = width_->value();
  c.model.widths.clear();
  c.model.activation = value(activation_).toStdString();
  c.model.init = value(init_).toStdString();
  c.model.initStd = initStd_->value();
  c.model.initBound = initBound_->value();
  c.model.initConstant = initConstant_->value();
  c.model.batchNorm = batchNorm_->isChecked();
  c.model.dropout = dropout_->value();
  c.train.optimizer = value(optimizer_).toStdString();
  c.train.learningRate = learningRate_->value();
  c.train.momentum = momentum_->value();
  c.train.l2 = l2_->value();
  c.train.batchSize = batchSize_->value();
  c.train.epochs = epochs_->value();
  // A step count beyond the spin box's range (only from a file) is kept while not edited.
  if (!(steps_->value() == steps_->maximum() && base_.train.steps > steps_->maximum()))
    c.train.steps = steps_->value();
  c.train.seed = static_cast<std::uint64_t>(seed_->value());
  c.train.threads = threads_->value();
  c.stats.every = statsEvery_->value();
  c.stats.probeSize = probeSize_->value();
  c.stats.histogramBins = bins_->value();
  return c;
}

void ConfigPanel::updateEnabledState() {
  const QString source = value(source_);
  const bool file = source == "csv" || source == "idx";
  const bool generator = !file;
  path_->parentWidget()->setEnabled(file);
  labelColumn_->setEnabled(source == "csv");
  test_->setEnabled(source != "idx");  // IDX: the t10k files are the test set
  showDataNumbers();
  samples_->setEnabled(generator);
  noise_->setEnabled(generator);
  features_->setEnabled(source == "gaussian" || source == "blobs");
  labels_->setEnabled(source == "gaussian");
  const bool twoClasses = isTwoClassGenerator(source);
  classes_->setEnabled(generator && !twoClasses);
  if (twoClasses && classes_->value() != 2) {
    const bool was = updating_;
    updating_ = true;
    classes_->setValue(2);
    updating_ = was;
  }
  const QString init = value(init_);
  initStd_->setEnabled(init == "normal");
  initBound_->setEnabled(init == "uniform");
  initConstant_->setEnabled(init == "constant");
  const QString optimizer = value(optimizer_);
  momentum_->setEnabled(optimizer == "momentum" || optimizer == "nesterov");
  epochs_->setEnabled(steps_->value() < 0);  // steps >= 0 overrides epochs
}

void ConfigPanel::applyInitPreset(const QString& init, double std) {
  updating_ = true;
  selectValue(init_, init);
  if (std > 0) initStd_->setValue(std);
  updating_ = false;
  onEdited();
}

bool ConfigPanel::isStructuralChange(const ExperimentConfig& before, const ExperimentConfig& after) {
  return needsRestart(before, after);  // the schema says which settings apply live
}

void ConfigPanel::applySchemaLimits() {
  // Each control shows the limits of its schema row (settings/schema.h), so the panel accepts
  // exactly what the CLI and the experiment file accept. A bound the row leaves open ([0, 1))
  // becomes the nearest value the box can show (0.99 with two decimals). Integer settings wider
  // than an int (steps, the seed) are shown up to INT_MAX; larger values from a file are kept
  // while the control is not edited.
  const std::pair<QWidget*, const char*> controls[] = {
      {samples_, "data.samples"}, {classes_, "data.classes"}, {noise_, "data.noise"},
      {features_, "data.features"}, {labels_, "data.labels"}, {preprocess_, "data.preprocess"},
      {validation_, "data.validation_fraction"}, {test_, "data.test_fraction"},
      {labelColumn_, "data.label_column"}, {depth_, "model.depth"}, {width_, "model.width"},
      {activation_, "model.activation"}, {init_, "model.init"}, {initStd_, "model.init_std"},
      {initBound_, "model.init_bound"}, {initConstant_, "model.init_constant"},
      {batchNorm_, "model.batch_norm"}, {dropout_, "model.dropout"},
      {optimizer_, "train.optimizer"}, {learningRate_, "train.lr"}, {momentum_, "train.momentum"},
      {l2_, "train.l2"}, {batchSize_, "train.batch_size"}, {epochs_, "train.epochs"},
      {steps_, "train.steps"}, {seed_, "train.seed"}, {threads_, "train.threads"},
      {statsEvery_, "stats.stats_every"}, {probeSize_, "stats.probe_size"},
      {bins_, "stats.histogram_bins"}};
  constexpr double kIntMax = std::numeric_limits<int>::max();
  for (const auto& [control, path] : controls) {
    const Setting* setting = findSetting(path);
    Q_ASSERT(setting);
    control->setProperty("setting", QString::fromLatin1(path));
    if (auto* spin = qobject_cast<QSpinBox*>(control)) {
      spin->setRange(static_cast<int>(std::max(setting->min, -kIntMax)),
                     static_cast<int>(std::min(setting->max, kIntMax)));
    } else if (auto* box = qobject_cast<QDoubleSpinBox*>(control)) {
      const double step = std::pow(10.0, -box->decimals());
      const bool log = qobject_cast<LogSpinBox*>(control) != nullptr;
      double lo = setting->min, hi = setting->max;
      if (setting->minOpen) lo += log ? 1e-6 : step;
      if (setting->maxOpen) hi -= step;
      if (log && lo <= 0) static_cast<LogSpinBox*>(box)->setAllowZero(true);
      box->setRange(lo, hi);
    }
  }
}

void ConfigPanel::onEdited() {
  if (updating_) return;
  inspectData();
  updateEnabledState();
  const ExperimentConfig c = config();
  QString problem;
  const QString source = value(source_);
  if ((source == "csv" || source == "idx") && path_->text().trimmed().isEmpty()) {
    problem = tr("Choose the %1 to load (Browse...).").arg(source == "csv" ? tr("CSV file")
                                                                            : tr("IDX folder"));
  } else {
    try {
      validate(c);
    } catch (const std::exception& e) {
      problem = QString::fromStdString(e.what());
    }
  }
  const bool changedValidity = problem != problem_;
  problem_ = problem;
  problemLabel_->setText(problem);
  problemLabel_->setVisible(!problem.isEmpty());
  if (changedValidity) emit validityChanged(problem.isEmpty(), problem);
  if (!problem.isEmpty()) return;
  const bool structural = isStructuralChange(emitted_, c);
  if (!structural && sameExperiment(c, emitted_)) return;
  emitted_ = c;
  emit configChanged(c, structural);
}

}  // namespace layerscope
