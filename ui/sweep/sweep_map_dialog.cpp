#include "sweep/sweep_map_dialog.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <thread>

#include "errors.h"
#include "io/experiment_file.h"
#include "plots/plot_export.h"
#include "plots/sweep_heatmap_plot.h"
#include "settings/schema.h"
#include "sweep/trainable_depth.h"

namespace layerscope {

namespace {

enum StartFrom { kExample = 0, kWindow = 1, kOpened = 2 };

QString describe(const ExperimentConfig& c) {
  QString init = QString::fromStdString(c.model.init);
  if (c.model.init == "normal") init += QStringLiteral("(%1)").arg(c.model.initStd);
  return QObject::tr("%1 x %2 %3, init %4, lr %5, %6 data (%7 features, %8 classes)")
      .arg(hiddenWidths(c.model).size())
      .arg(c.model.width)
      .arg(QString::fromStdString(c.model.activation), init)
      .arg(c.train.learningRate)
      .arg(QString::fromStdString(c.data.source))
      .arg(c.data.features)
      .arg(c.data.classes);
}

QStringList toList(const std::vector<std::string>& values) {
  QStringList out;
  for (const std::string& v : values) out << QString::fromStdString(v);
  return out;
}

}  // namespace

SweepPlan SweepMapDialog::examplePlan() {
  // Deep tanh nets on a learnable teacher task (docs/THEORY.md, "Trainability maps"): with
  // width 32 a hidden layer's fan_in is 32, so init std s gives sigma_w^2 = 32 s^2 and the
  // critical sigma_w^2 = 1 sits at s = 0.177. Measured: the 66 cells take ~5 s on 2 cores.
  SweepPlan plan;
  ExperimentConfig& e = plan.base;
  e.name = "trainability-map";
  e.data.source = "gaussian";
  e.data.samples = 512;
  e.data.features = 32;
  e.data.classes = 4;
  e.model.activation = "tanh";
  e.model.width = 32;
  e.model.init = "normal";
  e.train.optimizer = "sgd";
  e.train.learningRate = 0.05;
  e.train.batchSize = 32;
  e.train.steps = 500;
  e.stats.every = 0;  // a cell keeps its summary only: no probes
  plan.x = {"init_std", {"0.09", "0.11", "0.13", "0.15", "0.177", "0.2", "0.25", "0.3", "0.35",
                         "0.4", "0.5"}};
  plan.y = {"depth", {"2", "4", "8", "16", "32", "64"}};
  return plan;
}

SweepMapDialog::SweepMapDialog(QWidget* parent) : SweepDialogBase(parent) {
  setWindowTitle(tr("Trainability map: sweep two settings"));
  setObjectName(QStringLiteral("sweepMapDialog"));
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(
      tr("Trains the experiment once per pair of values, each cell on one core, and colours the "
         "map by how well it trained. With depth against the initialization the red line is "
         "the theory's trainable depth, 6 xi_c. Finished cells are kept in the folder: Cancel, "
         "then Run again, trains only the rest."));
  intro->setWordWrap(true);
  layout->addWidget(intro);
  auto* form = new QFormLayout;
  startFrom_ = new QComboBox;
  startFrom_->addItem(tr("Example: deep tanh nets, depth x init std (Schoenholz et al. fig. 5)"));
  startFrom_->addItem(tr("This window's experiment"));
  form->addRow(tr("Start from:"), startFrom_);
  baseLabel_ = new QLabel;
  baseLabel_->setWordWrap(true);
  form->addRow(tr("Experiment:"), baseLabel_);
  for (int a = 0; a < 2; ++a) {
    auto* row = new QHBoxLayout;
    axisSetting_[a] = new QComboBox;
    axisSetting_[a]->setObjectName(a ? QStringLiteral("sweepMapY") : QStringLiteral("sweepMapX"));
    for (const Setting& s : settingsSchema())
      if (s.sweepable) axisSetting_[a]->addItem(QString::fromStdString(s.key), QString::fromStdString(s.key));
    axisValues_[a] = new QLineEdit;
    axisValues_[a]->setToolTip(tr("Comma-separated values, e.g. 2, 4, 8"));
    row->addWidget(axisSetting_[a]);
    row->addWidget(axisValues_[a], 1);
    form->addRow(a ? tr("y (rows):") : tr("x (columns):"), row);
  }
  steps_ = new QSpinBox;
  steps_->setRange(0, 10000000);
  steps_->setToolTip(tr("Training steps of each cell"));
  form->addRow(tr("Steps per cell:"), steps_);
  metric_ = new QComboBox;
  for (SweepMetric m : {SweepMetric::TrainAccuracy, SweepMetric::ValidationAccuracy, SweepMetric::FinalLoss})
    metric_->addItem(sweepMetricName(m), sweepMetricKey(m));
  form->addRow(tr("Colour:"), metric_);
  auto* folderRow = new QHBoxLayout;
  folder_ = new QLineEdit;
  folder_->setReadOnly(true);
  auto* chooseFolder = new QPushButton(tr("Choose..."));
  auto* defaultFolder = new QPushButton(tr("Default"));
  folderRow->addWidget(folder_, 1);
  folderRow->addWidget(chooseFolder);
  folderRow->addWidget(defaultFolder);
  form->addRow(tr("Cells folder:"), folderRow);
  layout->addLayout(form);

  QHBoxLayout* buttons = makeRunRow(tr("Run (resumes)"), QStringLiteral("runSweepMap"));
  progress_->setFormat(QString());
  auto* open = new QPushButton(tr("Open sweep..."));
  export_ = new QPushButton(tr("Export plot..."));
  buttons->addWidget(open);
  buttons->addWidget(export_);
  layout->addLayout(buttons);
  layout->addWidget(makeStatusLine());
  plot_ = new SweepHeatmapPlot(this);
  layout->addWidget(plot_, 1);
  resize(900, 900);

  const auto refreshFields = [this] {
    baseLabel_->setText(describeBase());
    if (chosenFolder_.isEmpty()) folder_->setText(folder());
  };
  connect(startFrom_, &QComboBox::currentIndexChanged, this, [this, refreshFields](int index) {
    if (index == kExample) setPlan(examplePlan());
    else if (index == kOpened && haveOpened_) setPlan(opened_);
    else steps_->setValue(static_cast<int>(std::max<long>(0, window_.train.steps >= 0 ? window_.train.steps : 300)));
    refreshFields();
  });
  for (QLineEdit* e : axisValues_) connect(e, &QLineEdit::textChanged, this, refreshFields);
  for (QComboBox* c : axisSetting_) connect(c, &QComboBox::currentIndexChanged, this, refreshFields);
  connect(steps_, &QSpinBox::valueChanged, this, refreshFields);
  connect(metric_, &QComboBox::currentIndexChanged, this, [this] {
    SweepMetric m = SweepMetric::TrainAccuracy;
    parseSweepMetric(metric_->currentData().toString(), &m);
    plot_->setMetric(m);
  });
  connect(chooseFolder, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the sweep's cells"), folder());
    if (!dir.isEmpty()) setFolder(dir);
  });
  connect(defaultFolder, &QPushButton::clicked, this, [this] { setFolder(QString()); });
  connect(open, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Open a sweep folder (plan.json and cell-*.json)"), folder());
    if (!dir.isEmpty()) openFolder(dir);
  });
  const auto save = [this](const QString& path) { return exportPlot(path); };
  connect(export_, &QPushButton::clicked, this, [this, save] {
    saveWithDialog(tr("Export the trainability map"), QStringLiteral("trainability-map.png"),
                   tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"), save);
  });
  connect(plot_, &PlotView::exportRequested, this, [this, save](PlotView*, const QString& format) {
    saveWithDialog(tr("Export the trainability map"), QStringLiteral("trainability-map.") + format,
                   QString(), save);
  });

  connect(&runner_, &SweepGridRunner::cellsKept, this,
          [this](const std::vector<SweepCell>& cells, int total) {
            plot_->setCells(cells);
            setProgress(static_cast<int>(cells.size()), total);
            if (!cells.empty())
              setStatus(tr("Resuming: %1 of %2 cells kept from %3; training the rest on %4 cores...")
                            .arg(cells.size())
                            .arg(total)
                            .arg(folder())
                            .arg(workerCount()));
          });
  connect(&runner_, &SweepGridRunner::cellReady, this, [this](const SweepCell& cell, int done, int total) {
    plot_->addCell(cell);
    setProgress(done, total);
  });
  connect(&runner_, &SweepGridRunner::failed, this, [this](const QString& m) { setStatus(m, true); });
  connect(&runner_, &SweepGridRunner::finished, this, [this](bool cancelled) {
    if (!statusIsError()) {
      const int done = plot_->finishedCells(), total = sweepCellCount(plot_->plan());
      setStatus(cancelled ? tr("Cancelled: %1 of %2 cells kept in %3. Run again to finish the rest.")
                                .arg(done).arg(total).arg(folder())
                          : tr("Done: %1 cells (%2 trained now) in %3.")
                                .arg(done).arg(runner_.trainedCells()).arg(folder()));
    }
    updateButtons();
    emit sweepFinished(cancelled);
  });

  setPlan(examplePlan());
  refreshFields();
  updateButtons();
}

SweepMapDialog::~SweepMapDialog() = default;

void SweepMapDialog::setWindowExperiment(const ExperimentConfig& config) {
  window_ = config;
  if (startFrom_->currentIndex() == kWindow) baseLabel_->setText(describeBase());
}

QString SweepMapDialog::describeBase() const {
  // The base's own value of a swept setting is not what the cells train with: say so.
  QStringList swept;
  for (const QComboBox* c : axisSetting_) swept << c->currentData().toString();
  return tr("%1; each cell sets %2 from the map's axes").arg(describe(baseExperiment()), swept.join(tr(" and ")));
}

ExperimentConfig SweepMapDialog::baseExperiment() const {
  ExperimentConfig e = startFrom_->currentIndex() == kWindow ? window_
                       : startFrom_->currentIndex() == kOpened && haveOpened_ ? opened_.base
                                                                              : examplePlan().base;
  e.train.steps = steps_->value();
  return e;
}

SweepPlan SweepMapDialog::plan() const {
  SweepPlan plan;
  plan.base = baseExperiment();
  for (int a = 0; a < 2; ++a) {
    SweepAxis& axis = a ? plan.y : plan.x;
    axis.setting = axisSetting_[a]->currentData().toString().toStdString();
    for (const QString& v : axisValues_[a]->text().split(',', Qt::SkipEmptyParts))
      if (!v.trimmed().isEmpty()) axis.values.push_back(v.trimmed().toStdString());
    if (axis.values.empty())
      throw InputError((a ? "y: " : "x: ") + std::string("give at least one value of ") + axis.setting);
  }
  if (plan.x.setting == plan.y.setting)
    throw InputError("x and y both sweep " + plan.x.setting + ": choose two settings");
  checkSweepPlan(plan);
  return plan;
}

void SweepMapDialog::setAxis(bool y, const QString& setting, const QStringList& values) {
  const int index = axisSetting_[y]->findData(setting);
  if (index >= 0) axisSetting_[y]->setCurrentIndex(index);
  axisValues_[y]->setText(values.join(QStringLiteral(", ")));
}

void SweepMapDialog::setPlan(const SweepPlan& plan) {
  setAxis(false, QString::fromStdString(plan.x.setting), toList(plan.x.values));
  setAxis(true, QString::fromStdString(plan.y.setting), toList(plan.y.values));
  steps_->setValue(static_cast<int>(plan.base.train.steps >= 0 ? plan.base.train.steps : 300));
  showPlan(plan);
}

QString SweepMapDialog::folder() const {
  if (!chosenFolder_.isEmpty()) return chosenFolder_;
  QString digest = QStringLiteral("unsaved");
  try {
    digest = QString::fromStdString(sweepPlanDigest(plan()));
  } catch (const std::exception&) {
  }
  return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
      .filePath(QStringLiteral("sweeps/") + digest);
}

void SweepMapDialog::setFolder(const QString& dir) {
  chosenFolder_ = dir;
  folder_->setText(folder());
}

void SweepMapDialog::showPlan(const SweepPlan& plan) {
  plot_->setPlan(plan);
  showTrainableDepth(*plot_, plan);
}

int SweepMapDialog::workerCount() const {
  if (workers_ > 0) return workers_;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

void SweepMapDialog::start() {
  if (runner_.running()) return;
  SweepPlan p;
  try {
    p = plan();
  } catch (const std::exception& e) {
    setStatus(QString::fromStdString(e.what()), true);
    return;
  }
  showPlan(p);
  const QString dir = folder();
  folder_->setText(dir);
  const int total = sweepCellCount(p);
  setProgress(0, total);
  setStatus(tr("Training %1 cells on %2 cores into %3...")
                .arg(total)
                .arg(workerCount())
                .arg(dir));
  runner_.start(p, dir, workers_);
  updateButtons();
}

// Also on close (SweepDialogBase::closeEvent): the finished cells are in the folder, so running
// the plan again resumes.
void SweepMapDialog::cancel() { runner_.cancel(); }

QString SweepMapDialog::openFolder(const QString& dir) {
  if (runner_.running()) {
    setStatus(tr("A sweep is running: cancel it before opening another."), true);
    return status_->text();
  }
  SweepPlan p;
  std::vector<SweepCell> cells;
  try {
    p = readSweepPlan(QDir(dir).filePath(QStringLiteral("plan.json")).toStdString());
    cells = readSweepCells(p, dir.toStdString());
  } catch (const std::exception& e) {
    setStatus(QString::fromStdString(e.what()), true);
    return status_->text();
  }
  opened_ = p;
  if (!haveOpened_) startFrom_->addItem(tr("The opened sweep's experiment"));
  haveOpened_ = true;
  {
    const QSignalBlocker block(startFrom_);  // setPlan below fills the fields
    startFrom_->setCurrentIndex(kOpened);
  }
  setFolder(dir);
  setPlan(p);
  baseLabel_->setText(describeBase());
  plot_->setCells(cells);
  const int total = sweepCellCount(p);
  setProgress(static_cast<int>(cells.size()), total);
  std::vector<bool> have(static_cast<std::size_t>(total), false);
  for (const SweepCell& c : cells) have[static_cast<std::size_t>(c.index)] = true;
  QStringList missing;
  const int nx = static_cast<int>(p.x.values.size());
  for (int i = 0; i < total; ++i)
    if (!have[static_cast<std::size_t>(i)])
      missing << QStringLiteral("%1 = %2, %3 = %4")
                     .arg(QString::fromStdString(p.x.setting), QString::fromStdString(p.x.values[i % nx]),
                          QString::fromStdString(p.y.setting.empty() ? std::string("-") : p.y.setting),
                          QString::fromStdString(p.y.setting.empty() ? std::string() : p.y.values[i / nx]));
  if (missing.isEmpty()) {
    setStatus(tr("Opened %1: all %2 cells.").arg(dir).arg(total));
  } else {
    const int shown = std::min<int>(5, missing.size());
    setStatus(tr("Opened %1: %2 of %3 cells missing (%4%5), drawn light grey. Run trains them here.")
                  .arg(dir)
                  .arg(missing.size())
                  .arg(total)
                  .arg(QStringList(missing.mid(0, shown)).join(QStringLiteral("; ")),
                       missing.size() > shown ? QStringLiteral("; ...") : QString()));
  }
  return QString();
}

QString SweepMapDialog::progressText() const { return progress_->text(); }

void SweepMapDialog::setProgress(int done, int total) {
  progress_->setRange(0, std::max(1, total));
  progress_->setValue(done);
  progress_->setFormat(tr("%1 / %2 cells").arg(done).arg(total));
}

void SweepMapDialog::updateButtons() {
  updateRunButtons();
  export_->setEnabled(!plot_->plan().x.setting.empty());
}

QString SweepMapDialog::exportPlot(const QString& path) const {
  ExportOptions options;
  options.size = QSize(900, 720);
  options.title = tr("trainability map - LayerScope");
  options.experimentJson = QString::fromStdString(sweepPlanToJson(plot_->plan()));
  return exportPlots(plot_, {plot_}, path, options);
}

}  // namespace layerscope
