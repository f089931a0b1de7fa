#include "theory/sharpness_dialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>
#include <exception>
#include <vector>

#include "analysis/sharpness.h"
#include "common/background_job.h"
#include "common/number_format.h"
#include "plots/plot_export.h"
#include "plots/sharpness_plot.h"
#include "training/trainer.h"
#include "theory/plot_export_action.h"

namespace layerscope {

namespace {

// Losses are handed to the GUI thread in bunches, not one signal per step.
constexpr long kLossesPerPost = 20;

}  // namespace

SharpnessDialog::SharpnessDialog(const ExperimentConfig& experiment, QWidget* parent)
    : QDialog(parent), experiment_(experiment), plot_(new SharpnessPlot), steps_(new QSpinBox),
      every_(new QSpinBox), startButton_(new QPushButton(tr("&Start"))),
      cancelButton_(new QPushButton(tr("Cancel"))), progress_(new QProgressBar),
      status_(new QLabel), job_(new BackgroundJob(QStringLiteral("sharpness"), this)) {
  setWindowTitle(tr("Sharpness (edge of stability)"));
  auto* layout = new QVBoxLayout(this);
  const TrainConfig& t = experiment.train;
  auto* intro = new QLabel(
      tr("Trains this experiment apart from the run on screen and measures its sharpness, the "
         "largest eigenvalue of the Hessian of the training loss (power iteration on "
         "Hessian-vector products), every K steps. Gradient descent on a quadratic is stable "
         "only while sharpness < 2 / lr; full-batch training (batch size >= training samples) "
         "typically raises the sharpness to that edge and hovers there while the loss keeps "
         "falling, not monotonically (Cohen et al. 2021). Adam's step is preconditioned: for it "
         "the preconditioned sharpness lambda_max(P^-1 H) is drawn, against (2 + 2 beta1) / "
         "((1 - beta1) lr) (Cohen et al. 2022). Optimizer %1, lr %2. "
         "Formulas: docs/THEORY.md.")
          .arg(QString::fromStdString(t.optimizer), formatNumber(t.learningRate)));
  intro->setWordWrap(true);
  layout->addWidget(intro);
  auto* controls = new QHBoxLayout;
  auto* form = new QFormLayout;
  steps_->setRange(1, 1000000);
  steps_->setValue(2000);
  every_->setRange(1, 100000);
  every_->setValue(50);
  form->addRow(tr("Steps"), steps_);
  form->addRow(tr("Sharpness every K steps"), every_);
  controls->addLayout(form);
  controls->addWidget(startButton_);
  controls->addWidget(cancelButton_);
  controls->addWidget(progress_, 1);
  layout->addLayout(controls);
  layout->addWidget(plot_, 1);
  status_->setWordWrap(true);
  layout->addWidget(status_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  cancelButton_->setEnabled(false);
  resize(900, 700);

  connect(startButton_, &QPushButton::clicked, this, &SharpnessDialog::start);
  connect(cancelButton_, &QPushButton::clicked, this, &SharpnessDialog::cancel);
  connect(job_, &BackgroundJob::progress, this, [this](int done, int total) {
    progress_->setRange(0, total);
    progress_->setValue(done);
  });
  connect(job_, &BackgroundJob::finished, this, [this](bool cancelled) {
    startButton_->setEnabled(true);
    cancelButton_->setEnabled(false);
    if (cancelled) status_->setText(tr("Cancelled. ") + lastEstimate_);
    emit runFinished(cancelled);
  });
  connect(plot_, &PlotView::exportRequested, this, [this](PlotView*, const QString& format) {
    askAndExportPlot(this, plot_, format, QStringLiteral("sharpness"),
                     tr("Export the sharpness plot"), tr("sharpness"));
  });
}

void SharpnessDialog::setSteps(long steps) { steps_->setValue(int(steps)); }
void SharpnessDialog::setEvery(long every) { every_->setValue(int(every)); }
bool SharpnessDialog::running() const { return job_->running(); }
QString SharpnessDialog::status() const { return status_->text(); }
void SharpnessDialog::cancel() { job_->cancel(); }

void SharpnessDialog::start() {
  const long steps = steps_->value(), every = every_->value();
  ExperimentConfig config = experiment_;
  config.train.steps = steps;
  config.stats.every = 0;  // no probes: only the loss and the sharpness are drawn
  // Adam's step is lr P^-1 m: what sits at its edge is lambda_max(P^-1 H), against
  // (2 + 2 beta1) / ((1 - beta1) lr) (Cohen et al. 2022; docs/THEORY.md).
  const bool adam = config.train.optimizer == "adam";
  const double threshold = adam ? adamEdgeOfStability(config.train) : edgeOfStability(config.train);
  plot_->clear();
  plot_->setPreconditioned(adam);
  plot_->setThreshold(threshold, steps);
  lastEstimate_.clear();
  status_->setText(adam ? tr("Adam: the preconditioned sharpness lambda_max(P^-1 H), P = (1 - "
                             "beta1^t) diag(sqrt(v_hat) + eps), from step 1 (P needs Adam's "
                             "second moments); its edge (2 + 2 beta1) / ((1 - beta1) lr) = %1.")
                              .arg(formatNumber(threshold))
                        : tr("Edge of stability: %1.").arg(formatNumber(threshold)));
  startButton_->setEnabled(false);
  cancelButton_->setEnabled(true);
  job_->start([this, config, steps, every, threshold, adam](const BackgroundJob::Context& ctx) {
    try {
      Trainer trainer(config);
      auto measure = [&](long step) {
        if (adam && step == 0) return;
        const SharpnessResult r = adam ? preconditionedSharpness(trainer) : sharpness(trainer);
        ctx.post([this, step, r, threshold, adam] {
          plot_->addSharpness(step, r.sharpness);
          lastEstimate_ =
              tr("Step %1: %2 %3%4 (%5 Hessian-vector products, %6 ms).")
                  .arg(step)
                  .arg(adam ? tr("preconditioned sharpness") : tr("sharpness"))
                  .arg(formatNumber(r.sharpness))
                  .arg(std::isnan(threshold) ? QString()
                                             : tr(" = %1 x the edge").arg(
                                                   formatNumber(r.sharpness / threshold)))
                  .arg(r.iterations)
                  .arg(std::lround(r.seconds * 1000));
          status_->setText(lastEstimate_);
        });
      };
      measure(0);
      std::vector<std::pair<long, double>> losses;
      auto postLosses = [&] {
        ctx.post([this, losses] {
          for (const auto& [step, loss] : losses) plot_->addLoss(step, loss);
        });
        losses.clear();
      };
      while (!trainer.finished() && !ctx.cancelled()) {
        const StepResult r = trainer.trainStep();
        losses.emplace_back(r.step, r.loss);
        if (long(losses.size()) >= kLossesPerPost) postLosses();
        if (r.step % every == 0 || trainer.finished()) {
          postLosses();
          measure(r.step);
        }
        if (r.step % 10 == 0 || trainer.finished()) ctx.progress(int(r.step), int(steps));
      }
      if (!losses.empty()) postLosses();
      if (trainer.diverged()) {
        const QString why = QString::fromStdString(trainer.divergence());
        ctx.post([this, why] { status_->setText(tr("Diverged: ") + why); });
      }
    } catch (const std::exception& e) {
      const QString why = QString::fromStdString(e.what());
      ctx.post([this, why] { status_->setText(why); });
    }
  });
}

}  // namespace layerscope
