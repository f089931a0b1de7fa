#include "run/training_worker.h"

#include <algorithm>
#include <exception>

#include "data/source.h"
#include "errors.h"
#include "io/experiment_file.h"
#include "io/onnx_export.h"
#include "training/trainer.h"
#include "run/training_points.h"
#include "settings/schema.h"

namespace layerscope {

namespace {
// At most one progress report per display frame (~30 ms); 20 ms keeps >= 20 frames/s when a
// step takes ~30 ms.
constexpr auto kProgressInterval = std::chrono::milliseconds(20);
}  // namespace

TrainingWorker::TrainingWorker() = default;
TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::requestRebuild(const ExperimentConfig& config, unsigned generation,
                                    std::shared_ptr<const ModelState> startFrom) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pendingConfig_ = config;
    pendingModel_ = std::move(startFrom);
    pendingGeneration_ = generation;
    pendingRebuild_ = true;
    running_ = false;
    stepRequests_ = 0;
    // Live settings queued before this request are in `config` already; those requested after
    // it (even before the worker starts building) apply to the new run once it is built.
    // Clearing them when the build starts instead lost a learning rate set in that gap.
    dropPendingSettings();
  }
  wake_.notify_all();
}

void TrainingWorker::requestRunning(bool running) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = running;
    if (!running) pauseAcknowledge_ = true;
  }
  wake_.notify_all();
}

void TrainingWorker::requestStep() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = false;
    ++stepRequests_;
  }
  wake_.notify_all();
}

void TrainingWorker::requestLearningRate(double lr) {
  std::lock_guard<std::mutex> lock(mutex_);
  pendingLr_ = lr;
  pendingLive_ = true;
}

void TrainingWorker::requestL2(double l2) {
  std::lock_guard<std::mutex> lock(mutex_);
  pendingL2_ = l2;
  pendingLive_ = true;
}

void TrainingWorker::requestDropout(double p) {
  std::lock_guard<std::mutex> lock(mutex_);
  pendingDropout_ = p;
  pendingLive_ = true;
}

void TrainingWorker::requestModelExport(const QString& path, const QString& experimentPath,
                                        const ExperimentConfig& experiment) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pendingExports_.push_back({path, experimentPath, experiment, pendingGeneration_});
    pendingLive_ = true;
  }
  wake_.notify_all();
}

void TrainingWorker::requestStop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
}

void TrainingWorker::setProbeBudget(double fraction, double minIntervalSeconds) {
  probeFraction_ = std::clamp(fraction, 0.01, 1.0);
  probeMinInterval_ = std::max(0.0, minIntervalSeconds);
}

bool TrainingWorker::hasWork() const {
  return stop_ || pendingRebuild_ || stepRequests_ > 0 || pauseAcknowledge_ || pendingLive_ ||
         (running_ && trainer_ && !trainer_->finished());
}

void TrainingWorker::run() {
  // Exports requested before the stop are written before run() returns: closing the window
  // right after "Save experiment with weights" must not lose the save.
  struct WriteOnExit {
    TrainingWorker* worker;
    ~WriteOnExit() { worker->writePendingExports(); }
  } writeOnExit{this};
  while (!stop_) {
    if (pendingRebuild_) {
      // Exports asked of the current network before this rebuild are written from it, not
      // from the new one (whose weights would not match the experiment saved with them).
      if (trainer_) writePendingExports(builtGeneration_);
      std::optional<ExperimentConfig> config;
      std::shared_ptr<const ModelState> model;
      unsigned generation = 0;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        config.swap(pendingConfig_);
        model.swap(pendingModel_);
        generation = pendingGeneration_;
        pendingRebuild_ = false;
      }
      if (config) build(*config, generation, model);
      continue;  // a newer request may have arrived while building
    }
    if (!trainer_) {
      if (pendingLive_) {
        // No network (the build failed): settings have nothing to apply to, exports say so.
        {
          std::lock_guard<std::mutex> lock(mutex_);
          dropPendingSettings();
        }
        writePendingExports();
      }
      std::unique_lock<std::mutex> lock(mutex_);
      pauseAcknowledge_ = false;
      stepRequests_ = 0;
      wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return hasWork(); });
      continue;
    }
    if (pendingLive_) applyLiveSettings();

    const bool singleStep = stepRequests_ > 0;
    if (singleStep) --stepRequests_;
    const bool running = running_;
    if (trainer_->finished() || (!running && !singleStep)) {
      if (pauseAcknowledge_.exchange(false) || singleStep) {
        // Pause (or a Step at the end of the run): show the statistics of exactly this step.
        if (!trainer_->diverged()) probeAndEmit();
        emitProgress(true);
        emit pausedAt(trainer_->stepsDone());
      }
      if (trainer_->finished() && !finishedReported_) {
        finishedReported_ = true;
        running_ = false;
        if (!trainer_->diverged()) emit finished();
      }
      idle_ = true;
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(200), [this] {
        return stop_ || pendingRebuild_ || stepRequests_ > 0 || pauseAcknowledge_ ||
               pendingLive_ || (running_ && !trainer_->finished());
      });
      continue;
    }

    if (idle_) {
      // Speed is measured from the first step after an idle period, not from the last report.
      idle_ = false;
      lastProgressEmit_ = speedWindowStart_ = Clock::now();
      speedWindowSteps_ = trainer_->stepsDone();
    }
    StepResult result;
    try {
      result = trainer_->trainStep();
    } catch (const std::exception& e) {
      running_ = false;
      emit failed(QString::fromStdString(e.what()));
      trainer_.reset();
      continue;
    }
    pendingProgress_.losses.push_back({result.step, result.loss});

    if (trainer_->diverged()) {
      running_ = false;
      finishedReported_ = true;
      // A probe of a diverged network still shows which layer went non-finite.
      probeAndEmit();
      emitProgress(true);
      emit diverged(QString::fromStdString(trainer_->divergence()));
      continue;
    }

    const auto now = Clock::now();
    const double sinceProbe = std::chrono::duration<double>(now - lastProbeEnd_).count();
    // Probes cost a forward and backward pass over the probe batch: keep them to a fraction of
    // the wall time, so a large network still trains at (nearly) full speed.
    const double budgetInterval =
        std::max(probeMinInterval_.load(), probeCostSeconds_ / probeFraction_.load());
    const long every = trainer_->statsEvery();
    bool probe = singleStep || trainer_->finished();
    if (!probe && every != 0 && sinceProbe >= budgetInterval) {
      probe = trainer_->config().stats.every < 0 ? true : trainer_->probeDue();
    }
    if (probe) probeAndEmit();
    emitProgress(singleStep || trainer_->finished());
    if (singleStep) emit pausedAt(trainer_->stepsDone());
  }
}

void TrainingWorker::build(const ExperimentConfig& config, unsigned generation,
                           const std::shared_ptr<const ModelState>& startFrom) {
  trainer_.reset();
  finishedReported_ = false;
  pendingProgress_ = TrainingProgress{};
  try {
    setComputeThreads(std::max(1, config.train.threads));
    if (startFrom) {
      // The model's architecture and fitted preprocessing replace the config's; the data and
      // the training settings are the config's (Trainer checks that they fit the model).
      validate(config);
      trainer_ = std::make_unique<Trainer>(config, loadData(config.data, config.train.seed),
                                           *startFrom);
    } else {
      trainer_ = std::make_unique<Trainer>(config);
    }
  } catch (const std::exception& e) {
    running_ = false;
    const QString what = QString::fromStdString(e.what());
    emit failed(startFrom ? tr("The opened model does not fit this data set: %1").arg(what) : what);
    return;
  }
  builtGeneration_ = generation;
  RunInfo info;
  info.generation = generation;
  info.plannedSteps = trainer_->plannedSteps();
  info.inputs = trainer_->network().inputs();
  info.classes = trainer_->network().classes();
  info.trainSamples = trainer_->data().train.samples();
  info.validationSamples = trainer_->data().validation.samples();
  info.activation = QString::fromStdString(trainer_->config().model.activation);
  emit runBuilt(info);

  emit pointsReady(trainingPoints(trainer_->data().train));  // empty unless 2-D
  // The statistics of the freshly initialized network, before any training: the article's
  // figure appears at once.
  probeAndEmit();
  stepsPerSecond_ = 0.0;
  speedWindowSteps_ = 0;
  lastProgressEmit_ = speedWindowStart_ = Clock::now();
  emitProgress(true);
}

void TrainingWorker::dropPendingSettings() {
  pendingLr_.reset();
  pendingL2_.reset();
  pendingDropout_.reset();
  pendingLive_ = !pendingExports_.empty();  // exports still to write keep the flag up
}

void TrainingWorker::applyLiveSettings() {
  std::optional<double> lr, l2, dropout;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    lr.swap(pendingLr_);
    l2.swap(pendingL2_);
    dropout.swap(pendingDropout_);
    pendingLive_ = false;
  }
  writePendingExports();
  try {
    if (lr) trainer_->setLearningRate(*lr);
    if (l2) trainer_->setL2(*l2);
    if (dropout) trainer_->setDropout(*dropout);
  } catch (const std::exception& e) {
    emit failed(QString::fromStdString(e.what()));
  }
}

void TrainingWorker::writePendingExports(long generation) {
  std::vector<PendingExport> exports;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (generation < 0) {
      exports.swap(pendingExports_);
    } else {
      const auto later = std::stable_partition(
          pendingExports_.begin(), pendingExports_.end(),
          [&](const PendingExport& e) { return e.generation == unsigned(generation); });
      exports.assign(pendingExports_.begin(), later);
      pendingExports_.erase(pendingExports_.begin(), later);
    }
  }
  for (const PendingExport& request : exports) {
    QString error;
    if (!trainer_) {
      error = tr("There is no network to export (the run failed to build).");
    } else {
      try {
        const Dataset& train = trainer_->data().train;
        const std::string model = request.model.toStdString();
        exportOnnx(model, trainer_->network(), trainer_->preprocessor(), trainer_->config(),
                   train.classNames, train.featureNames);
        if (!request.experiment.isEmpty()) {
          const std::string experiment = request.experiment.toStdString();
          writeExperimentFile(experiment, request.config, relativeWeightsPath(experiment, model));
        }
      } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
      }
    }
    emit modelExported(request.model, error);
  }
}

void TrainingWorker::probeAndEmit() {
  const auto start = Clock::now();
  StatsSnapshot snapshot;
  try {
    snapshot = trainer_->probe();
  } catch (const std::exception& e) {
    emit failed(QString::fromStdString(e.what()));
    return;
  }
  lastProbeEnd_ = Clock::now();
  const double cost = std::chrono::duration<double>(lastProbeEnd_ - start).count();
  probeCostSeconds_ = probeCostSeconds_ == 0.0 ? cost : 0.7 * probeCostSeconds_ + 0.3 * cost;
  emit snapshotReady(std::move(snapshot));
}

void TrainingWorker::emitProgress(bool force) {
  const auto now = Clock::now();
  if (!force && now - lastProgressEmit_ < kProgressInterval) return;
  const long steps = trainer_->stepsDone();
  // Speed over windows of at least half a second: a single report interval (15 ms, perhaps
  // with a probe in it) would make the number jump.
  const double window = std::chrono::duration<double>(now - speedWindowStart_).count();
  if (window >= 0.5 && steps > speedWindowSteps_) {
    stepsPerSecond_ = (steps - speedWindowSteps_) / window;
    speedWindowStart_ = now;
    speedWindowSteps_ = steps;
  }
  pendingProgress_.step = steps;
  pendingProgress_.plannedSteps = trainer_->plannedSteps();
  pendingProgress_.epoch = trainer_->epochsDone();
  pendingProgress_.stepsPerSecond = running_ ? stepsPerSecond_ : 0.0;  // paused: 0
  emit progress(pendingProgress_);
  pendingProgress_.losses.clear();
  lastProgressEmit_ = now;
}

}  // namespace layerscope
