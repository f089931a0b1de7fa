#include "theory/jacobian_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <chrono>
#include <cmath>
#include <exception>
#include <memory>

#include "analysis/jacobian.h"
#include "common/background_job.h"
#include "common/number_format.h"
#include "lab/run.h"
#include "model/activation.h"
#include "model/network.h"
#include "plots/jacobian_spectrum_plot.h"
#include "plots/plot_export.h"
#include "theory/phase_diagram_dialog.h"
#include "theory/plot_export_action.h"

namespace layerscope {
namespace {

// One network's measured spectrum and its theory, as the background thread hands it over.
struct Measured {
  QString label;
  JacobianSummary summary;
  std::vector<double> pooled;
  double predicted = -1.0;
  double milliseconds = 0.0;
};

QString initLabel(const ExperimentConfig& c) {
  if (c.model.init == "normal")
    return QStringLiteral("normal(std %1)").arg(formatNumber(c.model.initStd));
  return QString::fromStdString(c.model.init);
}

// The mean field's prod_l chi_l for this experiment at initialization (< 0 where it does not
// apply: weights that are not random, batch norm, whose running statistics are not the layer's).
double prediction(const ExperimentConfig& c, const Matrix& probe, int samples) {
  const std::optional<QPointF> init = PhaseDiagramDialog::initPoint(c);
  if (!init || c.model.batchNorm) return -1.0;
  Activation phi;
  phi.kind = parseActivation(c.model.activation);
  phi.leakySlope = c.model.leakySlope;
  phi.eluAlpha = c.model.eluAlpha;
  const Eigen::Index n = std::min<Eigen::Index>(probe.cols(), samples);
  if (n == 0 || probe.rows() == 0) return -1.0;
  // q0: the inputs' mean square per feature, what the first layer's length map starts from.
  const double q0 = probe.leftCols(n).cast<double>().squaredNorm() / static_cast<double>(n * probe.rows());
  return predictedMeanSquaredSingularValue(phi, init->x(), 0.0, q0,
                                           static_cast<int>(hiddenWidths(c.model).size()));
}

Measured measure(const QString& label, const Trainer& trainer, bool withTheory,
                 const BackgroundJob::Context& context) {
  Measured m;
  m.label = label;
  const auto start = std::chrono::steady_clock::now();
  const JacobianResult r =
      jacobianSpectra(trainer.network(), trainer.probeInputs(), JacobianDialog::kSamples,
                      [&context] { return context.cancelled(); });
  m.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  m.summary = r.summary;
  for (const JacobianSpectrum& s : r.spectra)
    m.pooled.insert(m.pooled.end(), s.singularValues.begin(), s.singularValues.end());
  if (withTheory) m.predicted = prediction(trainer.config(), trainer.probeInputs(), JacobianDialog::kSamples);
  return m;
}

const QColor kColors[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44)};

}  // namespace

ExperimentConfig JacobianDialog::comparisonExperiment(const ExperimentConfig& experiment,
                                                      Comparison comparison) {
  ExperimentConfig c = experiment;
  if (comparison == Comparison::Orthogonal) {
    c.model.init = "orthogonal";
  } else if (comparison == Comparison::GaussianSameVariance) {
    // orthogonal's sigma_w^2 is 1 for square layers (initializerStd); zeros has none: 1 then.
    const std::optional<QPointF> init = PhaseDiagramDialog::initPoint(experiment);
    c = PhaseDiagramDialog::withWeightVariance(experiment, init ? init->x() : 1.0);
  }
  return c;
}

JacobianDialog::JacobianDialog(const ExperimentConfig& experiment, QWidget* parent)
    : QDialog(parent),
      experiment_(experiment),
      plot_(new JacobianSpectrumPlot),
      comparison_(new QComboBox),
      trainSteps_(new QSpinBox),
      computeButton_(new QPushButton(tr("Compute"))),
      status_(new QLabel),
      job_(new BackgroundJob(QStringLiteral("jacobian"), this)) {
  setWindowTitle(tr("Jacobian spectrum - %1").arg(QString::fromStdString(experiment.model.activation)));
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(
      tr("The singular values of the input-output Jacobian J = D_L W_L ... D_1 W_1 (network input "
         "to the last hidden layer, evaluation mode) on %1 probe samples. All near 1 is dynamical "
         "isometry: a signal and its gradient keep their size through every layer. At criticality "
         "(chi_1 = 1) orthogonal weights keep tanh's spectrum near 1 while Gaussian weights of the "
         "same variance spread it over decades (Pennington, Schoenholz & Ganguli 2017). "
         "Formulas: docs/THEORY.md.")
          .arg(kSamples));
  intro->setWordWrap(true);
  layout->addWidget(intro);
  auto* form = new QHBoxLayout;
  form->addWidget(new QLabel(tr("Compare with:")));
  comparison_->addItem(tr("orthogonal weights"), static_cast<int>(Comparison::Orthogonal));
  comparison_->addItem(tr("Gaussian weights of the same variance"),
                       static_cast<int>(Comparison::GaussianSameVariance));
  comparison_->addItem(tr("nothing"), static_cast<int>(Comparison::None));
  comparison_->setCurrentIndex(experiment.model.init == "orthogonal" ? 1 : 0);
  form->addWidget(comparison_);
  form->addSpacing(16);
  form->addWidget(new QLabel(tr("Also after training (steps, 0: no):")));
  trainSteps_->setRange(0, 100000);
  trainSteps_->setValue(0);
  form->addWidget(trainSteps_);
  form->addStretch(1);
  form->addWidget(computeButton_);
  layout->addLayout(form);
  layout->addWidget(plot_, 1);
  status_->setWordWrap(true);
  layout->addWidget(status_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  resize(980, 760);

  connect(computeButton_, &QPushButton::clicked, this, &JacobianDialog::compute);
  connect(job_, &BackgroundJob::finished, this, [this](bool) {
    computeButton_->setEnabled(true);
    emit computed();
  });
  connect(plot_, &PlotView::exportRequested, this,
          [this](PlotView*, const QString& format) { exportPlot(format); });
  compute();
}

JacobianDialog::~JacobianDialog() = default;

void JacobianDialog::setComparison(Comparison comparison) {
  comparison_->setCurrentIndex(comparison_->findData(static_cast<int>(comparison)));
}

void JacobianDialog::setTrainSteps(int steps) { trainSteps_->setValue(steps); }

bool JacobianDialog::running() const { return job_->running(); }

void JacobianDialog::compute() {
  const ExperimentConfig current = experiment_;
  const auto comparison = static_cast<Comparison>(comparison_->currentData().toInt());
  const int steps = trainSteps_->value();
  computeButton_->setEnabled(false);
  status_->setText(tr("Building the networks and measuring their spectra..."));
  job_->start([this, current, comparison, steps](const BackgroundJob::Context& context) {
    std::vector<Measured> results;
    QString error;
    try {
      ExperimentConfig atInit = current;
      atInit.train.steps = steps;
      std::unique_ptr<Trainer> trainer = startRun(atInit);
      results.push_back(measure(tr("%1, step 0").arg(initLabel(current)), *trainer, true, context));
      if (comparison != Comparison::None && !context.cancelled()) {
        const ExperimentConfig other = comparisonExperiment(current, comparison);
        std::unique_ptr<Trainer> second = startRun(other);
        results.push_back(measure(tr("%1, step 0").arg(initLabel(other)), *second, true, context));
      }
      if (steps > 0 && !context.cancelled()) {
        while (!trainer->finished() && !context.cancelled()) trainer->trainStep();
        results.push_back(measure(tr("%1, step %2").arg(initLabel(current)).arg(trainer->stepsDone()),
                                  *trainer, false, context));
      }
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    if (context.cancelled()) return;
    context.post([this, results, error] {
      if (!error.isEmpty()) {
        status_->setText(error);
        return;
      }
      JacobianSpectrumData data;
      QStringList lines;
      for (size_t i = 0; i < results.size(); ++i) {
        const Measured& m = results[i];
        JacobianSpectrumSeries s;
        s.label = m.label;
        s.color = kColors[i % 3];
        s.singularValues = m.pooled;
        s.meanSquared = m.summary.meanSquared;
        s.predictedMeanSquared = m.predicted;
        data.series.push_back(std::move(s));
        lines << tr("%1: sigma from %2 to %3, %4% within [0.5, 2], mean sigma^2 %5%6 (%7 ms)")
                     .arg(m.label, formatNumber(m.summary.min), formatNumber(m.summary.max))
                     .arg(100.0 * m.summary.fractionNearOne, 0, 'f', 1)
                     .arg(formatNumber(m.summary.meanSquared),
                          m.predicted > 0 ? tr(" (theory %1)").arg(formatNumber(m.predicted))
                                          : QString())
                     .arg(m.milliseconds, 0, 'f', 0);
      }
      data.caption =
          tr("Density of log10 sigma, %1 probe samples' singular values pooled per network. "
             "Theory (dashed): the mean field's mean sigma^2 = prod_l sigma_w^2 E[phi'(h_l)^2], "
             "chi_1^L at the fixed point; it is the same for orthogonal and Gaussian weights, "
             "only the spread differs. Biases start at 0, so tanh's q_l falls to q* = 0 only like "
             "1 / l: inputs of mean square 1 keep early layers below chi = 1.%2")
              .arg(kSamples)
              .arg(experiment_.model.batchNorm ? tr(" No theory line with batch norm.") : QString());
      plot_->setData(data);
      status_->setText(lines.join(QLatin1Char('\n')));
    });
  });
}

void JacobianDialog::exportPlot(const QString& format) {
  askAndExportPlot(this, plot_, format, QStringLiteral("jacobian-spectrum"),
                   tr("Export the Jacobian spectrum"), tr("Jacobian spectrum"));
}

}  // namespace layerscope
