#include "sweep/sweep_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QTextStream>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "sweep/sweep_plot.h"
#include "common/atomic_save.h"
#include "io/experiment_file.h"
#include "lab/sweep.h"
#include "plots/plot_export.h"
#include "settings/schema.h"

namespace layerscope {

namespace {

// What the schema (settings/schema.h) says of a sweep parameter: numbers get a range, names a
// list; a setting that acts during training (the live ones: lr, L2, L1, dropout) needs training
// to show an effect, the others already change the freshly initialized network.
bool isNumeric(const QString& p) {
  const Setting* s = findSetting(p.toStdString());
  return s && (s->type == SettingType::Integer || s->type == SettingType::Number);
}
bool needsTraining(const QString& p) {
  const Setting* s = findSetting(p.toStdString());
  return s && s->effect != SettingEffect::Structural;
}

QString describe(const ExperimentConfig& c) {
  QString init = QString::fromStdString(c.model.init);
  if (c.model.init == "normal") init += QStringLiteral("(%1)").arg(c.model.initStd);
  return QObject::tr("%1 x %2 %3, %4, %5 data, %6 features")
      .arg(hiddenWidths(c.model).size()).arg(c.model.width)
      .arg(QString::fromStdString(c.model.activation), init, QString::fromStdString(c.data.source))
      .arg(c.data.features);
}

}  // namespace

SweepDialog::SweepDialog(QWidget* parent) : SweepDialogBase(parent) {
  setWindowTitle(tr("Sweep a parameter"));
  setObjectName(QStringLiteral("sweepDialog"));
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  base_label_ = new QLabel;
  base_label_->setWordWrap(true);
  form->addRow(tr("Base experiment:"), base_label_);
  parameter_ = new QComboBox;
  parameter_->setObjectName(QStringLiteral("sweepParameter"));
  const struct { const char* key; const char* text; } parameters[] = {
      {"init_std", "init std: N(0, s^2) weights"}, {"init", "initializers side by side"},
      {"activation", "activations side by side"}, {"l2", "L2 (lambda)"},
      {"dropout", "dropout probability"}, {"lr", "learning rate"},
      {"depth", "depth (hidden layers)"}, {"width", "width (units per layer)"}};
  for (const auto& p : parameters) parameter_->addItem(tr(p.text), QString::fromLatin1(p.key));
  // Every other sweepable setting of the schema, under its file key.
  for (const Setting& s : settingsSchema())
    if (s.sweepable && parameter_->findData(QString::fromStdString(s.key)) < 0)
      parameter_->addItem(QString::fromStdString(s.key), QString::fromStdString(s.key));
  form->addRow(tr("Parameter:"), parameter_);
  values_ = new QLineEdit;
  values_->setObjectName(QStringLiteral("sweepValues"));
  values_->setToolTip(tr("Comma-separated values, or fill a range below"));
  form->addRow(tr("Values:"), values_);
  auto* range = new QHBoxLayout;
  from_ = new QDoubleSpinBox;
  to_ = new QDoubleSpinBox;
  for (QDoubleSpinBox* b : {from_, to_}) {
    b->setDecimals(6);
    b->setRange(0, 1e6);
  }
  count_ = new QSpinBox;
  count_->setRange(1, 60);
  logSpacing_ = new QCheckBox(tr("log spaced"));
  auto* fill = new QPushButton(tr("Fill"));
  range->addWidget(new QLabel(tr("from")));
  range->addWidget(from_);
  range->addWidget(new QLabel(tr("to")));
  range->addWidget(to_);
  range->addWidget(new QLabel(tr("points")));
  range->addWidget(count_);
  range->addWidget(logSpacing_);
  range->addWidget(fill);
  form->addRow(tr("Range:"), range);
  initOnly_ = new QCheckBox(tr("statistics at initialization only (0 training steps)"));
  initOnly_->setObjectName(QStringLiteral("sweepInitOnly"));
  form->addRow(QString(), initOnly_);
  layout->addLayout(form);

  QHBoxLayout* buttons = makeRunRow(tr("Run sweep"), QStringLiteral("runSweep"));
  // A sweep can take minutes; its numbers and its figure must outlive the dialog.
  exportCsv_ = new QPushButton(tr("Export CSV..."));
  exportCsv_->setObjectName(QStringLiteral("exportSweepCsv"));
  exportCsv_->setToolTip(tr("Every point so far: value, final loss and accuracies, and the "
                            "measured and predicted std of each hidden layer"));
  exportPlot_ = new QPushButton(tr("Export plot..."));
  exportPlot_->setObjectName(QStringLiteral("exportSweepPlot"));
  exportPlot_->setToolTip(tr("The plot below as PNG, SVG or PDF, with the experiment embedded"));
  buttons->addWidget(exportCsv_);
  buttons->addWidget(exportPlot_);
  layout->addLayout(buttons);
  layout->addWidget(makeStatusLine());
  plot_ = new SweepPlot(this);
  layout->addWidget(plot_, 1);
  resize(820, 680);

  connect(parameter_, &QComboBox::currentIndexChanged, this,
          [this] { setParameter(parameter_->currentData().toString()); });
  connect(fill, &QPushButton::clicked, this, &SweepDialog::fillRange);
  connect(exportCsv_, &QPushButton::clicked, this, [this] { exportWithDialog(true); });
  connect(exportPlot_, &QPushButton::clicked, this, [this] { exportWithDialog(false); });
  connect(&runner_, &SweepRunner::pointReady, this,
          [this](const SweepCurvePoint& p, int done, int total) {
            points_.append(p);
            plot_->setSweep(sweptParameter_, points_);
            progress_->setRange(0, total);
            progress_->setValue(done);
            progress_->setFormat(tr("%1 of %2").arg(done).arg(total));
            updateButtons();
          });
  connect(&runner_, &SweepRunner::failed, this,
          [this](const QString& message) { setStatus(message, true); });
  connect(&runner_, &SweepRunner::finished, this, [this](bool cancelled) {
    if (!statusIsError())
      setStatus(cancelled ? tr("Cancelled after %1 points.").arg(points_.size())
                          : tr("Done: %1 points.").arg(points_.size()));
    updateButtons();
    emit sweepFinished(cancelled);
  });
  setParameter(QStringLiteral("init_std"));
  updateButtons();
}

SweepDialog::~SweepDialog() = default;

void SweepDialog::setBaseExperiment(const ExperimentConfig& config) {
  base_ = config;
  base_label_->setText(describe(config));
}

void SweepDialog::setParameter(const QString& parameter) {
  const int index = parameter_->findData(parameter);
  if (index >= 0 && parameter_->currentIndex() != index) {
    parameter_->setCurrentIndex(index);  // comes back here through the signal
    return;
  }
  struct Range { double from, to; int count; bool log; };
  Range r{0, 0, 0, false};
  QString names;
  if (parameter == "init_std") r = {1e-3, 1, 13, true};
  else if (parameter == "l2") r = {1e-5, 1, 6, true};
  else if (parameter == "lr") r = {1e-4, 1, 5, true};
  else if (parameter == "dropout") r = {0, 0.8, 5, false};
  else if (parameter == "depth") r = {1, 20, 6, false};
  else if (parameter == "width") r = {10, 500, 6, false};
  else if (parameter == "init") names = QStringLiteral("normal, xavier_normal, he_normal, lecun_normal, orthogonal");
  else if (parameter == "activation") names = QStringLiteral("tanh, sigmoid, relu, gelu, selu");
  else if (const Setting* s = findSetting(parameter.toStdString())) {
    if (s->type == SettingType::Choice)
      names = QString::fromStdString(settingLimitsText(*s)).replace('|', QStringLiteral(", "));
    else  // a range inside the setting's limits
      r = {std::max(s->min, 0.0), std::min(s->max, std::max(s->min, 0.0) + 1.0), 5, false};
  }
  const bool numeric = isNumeric(parameter);
  for (QWidget* w : std::initializer_list<QWidget*>{from_, to_, count_, logSpacing_}) w->setEnabled(numeric);
  if (numeric) {
    from_->setValue(r.from);
    to_->setValue(r.to);
    count_->setValue(r.count);
    logSpacing_->setChecked(r.log);
    fillRange();
  } else {
    values_->setText(names);
  }
  initOnly_->setChecked(!needsTraining(parameter));
}

void SweepDialog::fillRange() {
  const QString p = parameter_->currentData().toString();
  const double lo = from_->value(), hi = to_->value();
  const int n = count_->value();
  std::vector<double> v;
  if (logSpacing_->isChecked() && lo > 0 && hi > 0) {
    v = logSpace(lo, hi, n);
  } else {
    for (int i = 0; i < n; ++i) v.push_back(n == 1 ? lo : lo + (hi - lo) * i / (n - 1));
  }
  QStringList texts;
  if (p == "depth" || p == "width") {
    for (double x : v) {
      const QString t = QString::number(std::lround(x));
      if (!texts.contains(t)) texts << t;
    }
  } else {
    for (const std::string& s : sweepValues(v)) texts << QString::fromStdString(s);
  }
  values_->setText(texts.join(QStringLiteral(", ")));
}

void SweepDialog::setValues(const QStringList& values) { values_->setText(values.join(", ")); }

QStringList SweepDialog::values() const {
  QStringList out;
  for (const QString& v : values_->text().split(',', Qt::SkipEmptyParts))
    if (!v.trimmed().isEmpty()) out << v.trimmed();
  return out;
}

void SweepDialog::setInitializationOnly(bool on) { initOnly_->setChecked(on); }

void SweepDialog::start() {
  ExperimentConfig base = base_;
  if (initOnly_->isChecked()) base.train.steps = 0;
  sweptParameter_ = parameter_->currentData().toString();
  points_.clear();
  plot_->setSweep(sweptParameter_, points_);
  const QStringList v = values();
  const QString error = runner_.start(base, sweptParameter_, v);
  if (!error.isEmpty()) {
    setStatus(error, true);
    return;
  }
  progress_->setRange(0, v.size());
  progress_->setValue(0);
  progress_->setFormat(tr("0 of %1").arg(v.size()));
  setStatus(tr("Running %1 values of %2...").arg(v.size()).arg(sweptParameter_));
  updateButtons();
}

void SweepDialog::cancel() { runner_.cancel(); }
bool SweepDialog::running() const { return runner_.running(); }

void SweepDialog::updateButtons() {
  updateRunButtons();
  exportCsv_->setEnabled(!points_.isEmpty());
  exportPlot_->setEnabled(!points_.isEmpty());
}

QString SweepDialog::exportCsv(const QString& path) const {
  int layers = 0;
  for (const SweepCurvePoint& p : points_)
    layers = std::max<int>(layers, std::max(p.layerStd.size(), p.theoryStd.size()));
  const QString parameter = sweptParameter_.isEmpty() ? QStringLiteral("value") : sweptParameter_;
  return saveAtomically(path, [&](QIODevice& device) {
    QString text;
    QTextStream out(&text);
    out << parameter << ",final_loss,train_accuracy,validation_accuracy,diverged";
    for (int l = 1; l <= layers; ++l) out << ",std_layer_" << l;
    for (int l = 1; l <= layers; ++l) out << ",theory_std_layer_" << l;
    out << '\n';
    const auto number = [](double v) { return QString::number(v, 'g', 17); };  // round-trips a double
    const auto column = [&](const QVector<double>& v, int i) {
      return i < v.size() ? number(v[i]) : QString();
    };
    for (const SweepCurvePoint& p : points_) {
      // Names (initializers, activations) have no commas; numbers are written as given.
      out << p.valueText << ',' << number(p.finalLoss) << ',' << number(p.trainAccuracy) << ','
          << number(p.validationAccuracy) << ',' << (p.diverged ? 1 : 0);
      for (int l = 0; l < layers; ++l) out << ',' << column(p.layerStd, l);
      for (int l = 0; l < layers; ++l) out << ',' << column(p.theoryStd, l);
      out << '\n';
    }
    out.flush();
    const QByteArray bytes = text.toUtf8();
    return device.write(bytes) == bytes.size() ? QString() : device.errorString();
  });
}

QString SweepDialog::exportPlot(const QString& path, QSize size) const {
  ExportOptions options;
  options.size = size;
  options.title = tr("Sweep of %1 - LayerScope").arg(sweptParameter_);
  QStringList values;
  for (const SweepCurvePoint& p : points_) values << p.valueText;
  // The experiment every point started from, and which setting took which values.
  options.experimentJson = QString::fromStdString(experimentToJson(base_)) +
                           QStringLiteral("\nswept %1: %2").arg(sweptParameter_, values.join(", "));
  return exportPlots(plot_, {plot_}, path, options);
}

void SweepDialog::exportWithDialog(bool csv) {
  const QString suggested = QStringLiteral("sweep-%1.%2").arg(sweptParameter_, csv ? "csv" : "png");
  saveWithDialog(
      csv ? tr("Export sweep results") : tr("Export sweep plot"), suggested,
      csv ? tr("CSV (*.csv)") : tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"),
      [this, csv](const QString& path) { return csv ? exportCsv(path) : exportPlot(path); });
}

}  // namespace layerscope
