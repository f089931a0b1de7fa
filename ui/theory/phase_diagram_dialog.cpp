#include "theory/phase_diagram_dialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QMessageBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <chrono>
#include <cmath>

#include "analysis/mean_field.h"
#include "analysis/random_network_correlation.h"
#include "common/background_job.h"
#include "common/number_format.h"
#include "model/activation.h"
#include "model/initializer.h"
#include "plots/phase_diagram_plot.h"
#include "plots/plot_export.h"
#include "theory/plot_export_action.h"

namespace layerscope {

int PhaseDiagramDialog::hiddenFanIn(const ExperimentConfig& experiment) {
  return layerscope::hiddenFanIn(experiment);  // analysis/mean_field.h
}

std::optional<QPointF> PhaseDiagramDialog::initPoint(const ExperimentConfig& experiment) {
  const std::optional<double> sigmaW2 = initWeightVariance(experiment);
  if (!sigmaW2) return std::nullopt;
  return QPointF(*sigmaW2, 0.0);
}

ExperimentConfig PhaseDiagramDialog::withWeightVariance(const ExperimentConfig& experiment,
                                                        double sigmaW2) {
  ExperimentConfig chosen = experiment;
  chosen.model.init = "normal";
  chosen.model.initStd = std::sqrt(std::max(0.0, sigmaW2) / hiddenFanIn(experiment));
  return chosen;
}

PhaseDiagramDialog::PhaseDiagramDialog(const ExperimentConfig& experiment, QWidget* parent)
    : QDialog(parent),
      experiment_(experiment),
      plot_(new PhaseDiagramPlot),
      measure_(new QCheckBox),
      status_(new QLabel),
      overlayStatus_(new QLabel),
      job_(new BackgroundJob(QStringLiteral("phase-overlay"), this)) {
  setWindowTitle(tr("Phase diagram - %1").arg(QString::fromStdString(experiment.model.activation)));
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(
      tr("Where a deep random network of this activation is ordered (two inputs become one, "
         "gradients vanish), chaotic (they decorrelate, gradients explode) or critical, for each "
         "initialization sigma_w^2 = fan_in x Var(W), sigma_b^2 = Var(b). LayerScope starts "
         "biases at 0, so an experiment sits on the bottom row. Click the map to use that "
         "sigma_w^2: init normal with std = sqrt(sigma_w^2 / %1). Formulas: docs/THEORY.md.")
          .arg(hiddenFanIn(experiment)));
  intro->setWordWrap(true);
  layout->addWidget(intro);
  const PhaseOverlay overlay;
  measure_->setText(tr("Measure random networks: %1 points, width %2, correlation after %3 layers")
                        .arg(overlay.points)
                        .arg(overlay.width)
                        .arg(overlay.depth));
  measure_->setToolTip(
      tr("Draws real networks of these variances at %1 grid points of the middle sigma_b^2 row: "
         "two inputs of correlation %2 pushed through %3 random layers of %4 units, their "
         "correlation measured (the number after the slash) beside the mean-field map's (before "
         "it). Computed in the background.")
          .arg(overlay.points)
          .arg(overlay.inputCorrelation)
          .arg(overlay.depth)
          .arg(overlay.width));
  layout->addWidget(measure_);
  layout->addWidget(plot_, 1);
  status_->setWordWrap(true);
  layout->addWidget(status_);
  overlayStatus_->setWordWrap(true);
  layout->addWidget(overlayStatus_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  resize(900, 820);

  const std::optional<QPointF> current = initPoint(experiment);
  Activation phi;
  PhaseDiagramData data;
  try {
    phi.kind = parseActivation(experiment.model.activation);
  } catch (const std::exception& e) {
    status_->setText(QString::fromStdString(e.what()));
    return;
  }
  phi.leakySlope = experiment.model.leakySlope;
  phi.eluAlpha = experiment.model.eluAlpha;
  keepProbability_ = 1.0 - experiment.model.dropout;
  // 40 x 30 points (~0.5 s of CPU time, on every core); sigma_w^2 reaches past the current init.
  const double top = std::min(20.0, std::max(4.0, current ? 1.25 * current->x() : 4.0));
  data.sigmaW2 = {top / 40.0, top, 40};
  data.sigmaB2 = {0.0, 0.5, 30};
  data.activation = QString::fromStdString(experiment.model.activation);
  data.dropout = experiment.model.dropout;
  {
    QApplication::setOverrideCursor(Qt::WaitCursor);
    data.points = phaseDiagram(phi, data.sigmaW2, data.sigmaB2, 1.0 - experiment.model.dropout);
    QApplication::restoreOverrideCursor();
  }
  data.caption =
      tr("Colour: xi_c, the depth over which two inputs' correlation forgets where it started "
         "(log scale; inf on the critical line). %1%2Batch norm is not on this diagram: at "
         "initialization it makes gradients explode with depth for every sigma_w^2, sigma_b^2 "
         "(Yang et al. 2019).")
          .arg(experiment.model.dropout > 0
                   ? tr("Dropout %1: chi_1 = 1 no longer separates order from chaos. ")
                         .arg(experiment.model.dropout)
                   : QString())
          .arg(std::any_of(data.points.begin(), data.points.end(),
                           [](const PhasePoint& p) { return std::isinf(p.qStar); })
                   ? tr("Where the length grows without bound (q* = inf), ReLU-like correlations "
                        "approach 1 polynomially, not exponentially (xi_c = inf). ")
                   : QString());
  plot_->setData(data);
  plot_->setCurrentInit(current);
  if (current) {
    const PhasePoint p = phasePoint(phi, {current->x(), 0.0, 1.0 - experiment.model.dropout});
    status_->setText(tr("This experiment: sigma_w^2 = %1 (init %2), chi_1 = %3, xi_c = %4 layers "
                        "for a depth of %5.")
                         .arg(formatNumber(current->x()),
                              QString::fromStdString(experiment.model.init),
                              formatNumber(p.chi1), formatNumber(p.xiC))
                         .arg(static_cast<int>(hiddenWidths(experiment.model).size())));
  } else {
    status_->setText(tr("This experiment's weights are not random (init %1): no point on the map.")
                         .arg(QString::fromStdString(experiment.model.init)));
  }
  connect(plot_, &PhaseDiagramPlot::initClicked, this,
          [this](double sigmaW2, double) { choose(sigmaW2); });
  connect(measure_, &QCheckBox::toggled, this, &PhaseDiagramDialog::setOverlay);
  connect(job_, &BackgroundJob::finished, this, [this](bool cancelled) {
    if (cancelled) emit overlayChanged();
  });
  // The plot's context menu (PlotView): PNG, SVG or PDF, as the dashboard's plots export.
  connect(plot_, &PlotView::exportRequested, this, [this](PlotView*, const QString& format) {
    askAndExportPlot(this, plot_, format, QStringLiteral("phase-diagram"),
                     tr("Export the phase diagram"), tr("phase diagram"));
  });
}

PhaseDiagramDialog::~PhaseDiagramDialog() = default;

bool PhaseDiagramDialog::measuring() const { return job_->running(); }

void PhaseDiagramDialog::setOverlay(bool on) {
  PhaseDiagramData data = plot_->data();
  if (!on) {
    job_->cancel();
    data.measured.clear();
    plot_->setData(data);
    overlayStatus_->clear();
    emit overlayChanged();
    return;
  }
  if (data.points.empty()) return;
  Activation phi;
  phi.kind = parseActivation(experiment_.model.activation);
  phi.leakySlope = experiment_.model.leakySlope;
  phi.eluAlpha = experiment_.model.eluAlpha;
  const double keep = keepProbability_;
  overlayStatus_->setText(tr("Measuring random networks..."));
  job_->start([this, phi, data, keep](const BackgroundJob::Context& context) {
    const PhaseOverlay overlay;
    const auto start = std::chrono::steady_clock::now();
    const std::vector<PhaseMeasurement> measured = measurePhaseOverlay(
        phi, data.points, data.sigmaW2, data.sigmaB2, keep, overlay,
        [&context] { return context.cancelled(); });
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (context.cancelled()) return;
    context.post([this, measured, overlay, seconds] {
      if (!measure_->isChecked()) return;
      PhaseDiagramData shown = plot_->data();
      shown.measured.clear();
      double worst = 0.0;
      for (const PhaseMeasurement& m : measured) {
        const PhasePoint& p = shown.points[m.index];
        shown.measured.push_back({p.sigmaW2, p.sigmaB2, m.theory, m.measured});
        worst = std::max(worst, std::abs(m.measured - m.theory));
      }
      shown.depth = overlay.depth;
      plot_->setData(shown);
      overlayStatus_->setText(
          tr("Measured: %1 random networks of width %2 (sigma_b^2 = %3), two inputs of "
             "correlation %4 after %5 layers; the largest gap between theory and measurement is "
             "%6 (finite width adds noise of order 1 / sqrt(width) per layer). %7 s.")
              .arg(measured.size())
              .arg(overlay.width)
              .arg(measured.empty() ? QString() : formatNumber(shown.measured.front().sigmaB2))
              .arg(overlay.inputCorrelation)
              .arg(overlay.depth)
              .arg(formatNumber(worst))
              .arg(seconds, 0, 'f', 2));
      emit overlayChanged();
    });
  });
}

void PhaseDiagramDialog::choose(double sigmaW2) {
  experiment_ = withWeightVariance(experiment_, sigmaW2);
  plot_->setCurrentInit(QPointF(sigmaW2, 0.0));
  status_->setText(tr("Chosen: sigma_w^2 = %1, init normal(std %2) in the experiment.")
                       .arg(formatNumber(sigmaW2), formatNumber(experiment_.model.initStd)));
  emit experimentChosen(experiment_);
}

}  // namespace layerscope
