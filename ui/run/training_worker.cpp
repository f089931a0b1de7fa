#include "run/training_worker.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "analysis/findings.h"
#include "compute_threads.h"
#include "lab/run.h"
#include "errors.h"
#include "io/experiment_file.h"
#include "io/onnx_export.h"
#include "training/trainer.h"
#include "run/training_points.h"
#include "settings/schema.h"

namespace layerscope {

namespace {
// The GUI draws at most a frame per ~33 ms (TrainingController::setFrameInterval); 20 ms keeps
// >= 20 frames/s when a step takes ~30 ms.
constexpr auto kProgressInterval = std::chrono::milliseconds(20);
}  // namespace

TrainingWorker::TrainingWorker() = default;
TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::requestRebuild(const ExperimentConfig& config, unsigned generation,
                                    std::shared_ptr<const ModelState> startFrom) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.rebuild = WorkerRequests::Rebuild{config, generation, std::move(startFrom)};
    // A build still loading or drawing for an older request is wasted work: cancel it. Only
    // once this rebuild is in the mailbox, and under its mutex: a worker that sees its build
    // cancelled then finds the rebuild there (handle() hands it the cancelled run's exports);
    // cancelled first, it could look before the rebuild arrived and answer "no network".
    const unsigned older = generation - 1;
    unsigned seen = cancelBuildsUpTo_.load();
    while (seen < older && !cancelBuildsUpTo_.compare_exchange_weak(seen, older)) {
    }
    // Train, Pause and Step asked before this were for the old run. Live settings asked before
    // it are in `config` already; those asked after it (even before the worker starts building)
    // apply to the new run once it is built. Exports stay: each names the run it was asked of.
    requests_.running.reset();
    requests_.steps = 0;
    requests_.live.reset();
  }
  wake_.notify_one();
}

void TrainingWorker::requestRunning(bool running) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.running = running;
  }
  wake_.notify_one();
}

void TrainingWorker::requestStep() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.running = false;
    ++requests_.steps;
  }
  wake_.notify_one();
}

void TrainingWorker::requestLiveSettings(const ExperimentConfig& config) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.live = config;  // the newest has every live setting: older ones are replaced
  }
  wake_.notify_one();
}

void TrainingWorker::requestModelExport(const QString& path, const QString& experimentPath,
                                        const ExperimentConfig& experiment, unsigned generation) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.exports.push_back({path, experimentPath, experiment, generation});
  }
  wake_.notify_one();
}

void TrainingWorker::requestBranch(KeyframePtr keyframe, const ExperimentConfig& config) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.branch = WorkerRequests::Branch{std::move(keyframe), config};
  }
  wake_.notify_one();
}

void TrainingWorker::requestKeyframe() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.keyframe = true;
  }
  wake_.notify_one();
}

bool TrainingWorker::keyframeDue() const {
  const long step = trainer_->stepsDone();
  if (step == lastKeyframeStep_) return false;
  if (step % keyframeEvery_ != 0 && !trainer_->finished()) return false;
  // Within its share of the training time (a 10 x 500 net with Adam copies 30 MB a keyframe).
  return keyframeSeconds_ <= kKeyframeShare * trainer_->trainSeconds();
}

void TrainingWorker::takeKeyframe() {
  const auto start = Clock::now();
  auto keyframe = std::make_shared<const Keyframe>(trainer_->keyframe());
  // The budget counts what is taken while training: step 0's is taken before any.
  if (keyframe->step > 0)
    keyframeSeconds_ += std::chrono::duration<double>(Clock::now() - start).count();
  lastKeyframeStep_ = keyframe->step;
  emit keyframeTaken(std::move(keyframe));
}

void TrainingWorker::requestCancel(unsigned generation) {
  unsigned seen = cancelBuildsUpTo_.load();
  while (seen < generation && !cancelBuildsUpTo_.compare_exchange_weak(seen, generation)) {
  }
  cancelEvaluation_ = true;
}

void TrainingWorker::requestStop() {
  stopping_ = true;  // a build or final evaluation under way ends at its next chunk
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.stop = true;
  }
  wake_.notify_one();
}

void TrainingWorker::requestPace(double stepsPerSecond) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.pace = std::max(0.0, stepsPerSecond);
  }
  wake_.notify_one();
}

bool TrainingWorker::waitForPace() {
  if (pace_ <= 0.0) return true;
  std::unique_lock<std::mutex> lock(mutex_);
  // Any request wakes the wait: the loop takes it before the next step.
  return !wake_.wait_until(lock, nextStepAt_, [this] { return !requests_.empty(); });
}

double TrainingWorker::averageStepsPerSecond() const {
  double seconds = activeSeconds_;
  long steps = activeSteps_;
  if (!idle_ && trainer_) {
    seconds += std::chrono::duration<double>(Clock::now() - activeSince_).count();
    steps += trainer_->stepsDone() - activeSinceStep_;
  }
  return seconds > 0 && steps > 0 ? steps / seconds : 0.0;
}

void TrainingWorker::setProbeBudget(double fraction, double minIntervalSeconds) {
  probeFraction_ = std::clamp(fraction, 0.01, 1.0);
  probeMinInterval_ = std::max(0.0, minIntervalSeconds);
}

WorkerRequests TrainingWorker::takeRequests(bool idle) {
  std::unique_lock<std::mutex> lock(mutex_);
  // The one wait: every request method changes the mailbox under the mutex and then notifies,
  // so a request cannot slip in between the check and the wait.
  if (idle) wake_.wait(lock, [this] { return !requests_.empty(); });
  return std::exchange(requests_, WorkerRequests{});
}

bool TrainingWorker::handle(WorkerRequests& requests) {
  if (requests.rebuild) {
    // Exports asked of the current network before this rebuild are written from it, not from
    // the new one (whose weights would not match the experiment saved with them).
    if (trainer_) writeExports(requests.exports, builtGeneration_);
    running_ = false;
    stepsLeft_ = 0;
    build(*requests.rebuild);
  }
  bool acknowledgePause = false;
  if (requests.running) {
    running_ = *requests.running;
    // A Pause shows the statistics of the step it stopped at; a Step does that anyway.
    acknowledgePause = !running_ && requests.steps == 0;
  }
  stepsLeft_ += requests.steps;
  if (requests.pace) {
    pace_ = *requests.pace;
    nextStepAt_ = Clock::now();
  }
  if (!trainer_) {
    // No network. When a newer rebuild already waits in the mailbox (it cancelled this build),
    // the exports go to the network it builds, as they would had the two rebuilds coalesced;
    // otherwise (the build failed, or Pause cancelled it) they say there is none.
    stepsLeft_ = 0;
    if (!requests.exports.empty()) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (requests_.rebuild) {
        requests_.exports.insert(requests_.exports.begin(), requests.exports.begin(),
                                 requests.exports.end());
        requests.exports.clear();
      }
    }
    writeExports(requests.exports);
    return false;
  }
  writeExports(requests.exports);
  if (requests.branch) {
    try {
      trainer_->useOptimizerOf(requests.branch->config.train);
      trainer_->restore(*requests.branch->keyframe);
      trainer_->applyLiveSettings(requests.branch->config);
      lastKeyframeStep_ = trainer_->stepsDone();
      pendingProgress_ = TrainingProgress{};
      finishedReported_ = false;
      emit branched(trainer_->stepsDone());
      emitProgress(true);
    } catch (const std::exception& e) {
      running_ = false;
      emit failed(QString::fromStdString(e.what()));
    }
  }
  if (requests.keyframe && trainer_->stepsDone() != lastKeyframeStep_) takeKeyframe();
  if (requests.live) {
    try {
      trainer_->applyLiveSettings(*requests.live);
    } catch (const std::exception& e) {
      emit failed(QString::fromStdString(e.what()));
    }
  }
  // Train on a run that diverged (after lowering the learning rate, applied just above):
  // continue from the last parameters whose loss was finite.
  if (requests.running && *requests.running && trainer_->diverged()) {
    if (trainer_->resumeFromLastFinite())
      emit resumedFrom(trainer_->restoredFromStep(), trainer_->stepsDone());
  }
  // A run that is no longer finished (raised epochs / steps, a resumed divergence) reports its
  // end again when it gets there; Train on a run that is still finished (or still diverged:
  // nothing finite to return to) is answered at once with the same report.
  if (!trainer_->finished() || (requests.running && *requests.running))
    finishedReported_ = false;
  return acknowledgePause;
}

void TrainingWorker::run() {
  for (bool idle = true;;) {
    WorkerRequests requests = takeRequests(idle);
    if (requests.stop) {
      // Exports asked before the stop are written before run() returns: closing the window
      // right after "Save experiment with weights" must not lose the save.
      writeExports(requests.exports);
      return;
    }
    const bool acknowledgePause = handle(requests);
    idle = true;
    if (!trainer_) continue;

    const bool singleStep = stepsLeft_ > 0;
    if (singleStep) --stepsLeft_;
    if (trainer_->finished() || (!running_ && !singleStep)) {
      if (acknowledgePause || singleStep) {
        // Pause (or a Step at the end of the run): show the statistics of exactly this step.
        if (!trainer_->diverged()) probeAndEmit();
        emitProgress(true);
        emit pausedAt(trainer_->stepsDone());
      }
      if (trainer_->finished() && !finishedReported_) {
        finishedReported_ = true;
        running_ = false;
        if (!trainer_->diverged()) {
          const Dataset& test = trainer_->data().test;
          if (test.samples() > 0) {
            // The whole test split (10 000 Fashion-MNIST images through a 10 x 4096 net: ~20 s
            // on one core): reported per batch, and Cancel skips it.
            cancelEvaluation_ = false;
            const Progress progress = workProgress(builtGeneration_, false);
            try {
              const auto [loss, accuracy] = trainer_->evaluate(test, &progress);
              emit tested(loss, accuracy, test.samples());
            } catch (const Cancelled&) {
              emit workCancelled(builtGeneration_, false);
            }
            emit working(builtGeneration_, QString(), 1.0);
          }
          emit finished();
        } else {
          emit diverged(QString::fromStdString(trainer_->divergence()));
        }
      }
      if (!idle_) {
        activeSeconds_ += std::chrono::duration<double>(Clock::now() - activeSince_).count();
        activeSteps_ += trainer_->stepsDone() - activeSinceStep_;
      }
      idle_ = true;
      idle = stepsLeft_ == 0;  // more Steps at the end of the run: each answers
      if (trainer_->finished() && !idle) continue;
      if (trainer_->finished()) emitProgress(true);  // with the run's average speed
      continue;
    }
    idle = false;

    if (idle_) {
      // Speed is measured from the first step after an idle period, not from the last report.
      idle_ = false;
      lastProgressEmit_ = speedWindowStart_ = activeSince_ = nextStepAt_ = Clock::now();
      speedWindowSteps_ = activeSinceStep_ = trainer_->stepsDone();
    }
    // Speed cap: one step per 1/pace seconds on a fixed schedule (so probes and progress
    // reports between steps do not slow the average), never catching up more than 0.1 s
    // behind (after a long probe). A request ends the wait: the loop takes it first.
    if (running_ && !singleStep && pace_ > 0.0) {
      const auto now = Clock::now();
      if (nextStepAt_ < now - std::chrono::milliseconds(100)) nextStepAt_ = now;
      if (!waitForPace()) continue;  // a request came: the next pass takes it first
      nextStepAt_ += std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(1.0 / pace_));
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
    ProbeDepth depth = ProbeDepth::Full;
    if (!probe && every != 0 && sinceProbe >= budgetInterval) {
      probe = trainer_->config().stats.every < 0 ? true : trainer_->probeDue();
    }
    if (!probe && trainer_->config().stats.every < 0 && trainer_->probeDue()) {
      // The automatic cadence's own probes (>= kMinProbes per run, light ones in between,
      // within the trainer's budget): a fast run gets its curves even when it ends before the
      // clock above allows many probes.
      probe = true;
      depth = trainer_->dueProbeDepth();
    }
    if (probe) probeAndEmit(depth);
    // After the probe: a branch from it then trains on exactly as this run does (the probe's
    // train-loss average starts afresh in both).
    if (!trainer_->diverged() && keyframeDue()) takeKeyframe();
    if (trainer_->diverged()) {
      // The probe found non-finite activations (a finite loss can hide them for a step).
      running_ = false;
      finishedReported_ = true;
      emitProgress(true);
      emit diverged(QString::fromStdString(trainer_->divergence()));
      continue;
    }
    emitProgress(singleStep || trainer_->finished());
    if (singleStep) emit pausedAt(trainer_->stepsDone());
  }
}

namespace {
// About a second of probing on one core (3 products of 2 flops per weight and sample at
// ~100 GFLOP/s, docs/TOOLCHAIN.md): above it the first probe is a light one.
constexpr double kLightFirstAboveMultiplyAdds = 2e10;
}  // namespace

void TrainingWorker::build(const WorkerRequests::Rebuild& rebuild) {
  const ExperimentConfig& config = rebuild.config;
  const std::shared_ptr<const ModelState>& startFrom = rebuild.startFrom;
  const unsigned generation = rebuild.generation;
  trainer_.reset();
  finishedReported_ = false;
  pendingProgress_ = TrainingProgress{};
  try {
    setComputeThreads(config.train.threads);  // 0: auto (compute_threads.h)
    // From a model, its architecture and fitted preprocessing replace the config's; the data
    // and the training settings are the config's (lab/run.h). Nothing is kept of a build that
    // is cancelled or fails: the Trainer is assigned only once it is complete.
    const Progress progress = workProgress(generation, true);
    trainer_ = startRun(config, startFrom.get(), &progress);
    emit working(generation, QString(), 1.0);
  } catch (const Cancelled&) {
    running_ = false;
    emit working(generation, QString(), 1.0);
    emit workCancelled(generation, true);
    return;
  } catch (const std::exception& e) {
    running_ = false;
    emit working(generation, QString(), 1.0);
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
  info.validationChance = majorityClassRate(trainer_->data().validation);
  info.activation = QString::fromStdString(trainer_->config().model.activation);
  emit runBuilt(info);

  emit pointsReady(trainingPoints(trainer_->data().train));  // empty unless 2-D
  keyframeEvery_ = std::max(1L, trainer_->plannedSteps() / kKeyframesPerRun);
  keyframeSeconds_ = 0.0;
  lastKeyframeStep_ = -1;
  // The statistics of the freshly initialized network, before any training: the article's
  // figure appears at once. A full probe of a very wide net takes many seconds (10 x 4096 on
  // a 1000-sample probe: ~0.9 TFLOP, ~12 s on one core), so such a net shows a light probe's first
  // (kLightProbeSamples samples, well under a second) and the full one follows.
  const double probeMultiplyAdds = double(trainer_->network().parameters().size()) *
                                   std::min(trainer_->data().train.samples(), config.stats.probeSize);
  if (probeMultiplyAdds > kLightFirstAboveMultiplyAdds) probeAndEmit(ProbeDepth::Light);
  probeAndEmit();
  takeKeyframe();  // step 0: every run can be replayed from its initialization
  stepsPerSecond_ = 0.0;
  speedWindowSteps_ = 0;
  activeSeconds_ = 0.0;
  activeSteps_ = 0;
  idle_ = true;
  lastProgressEmit_ = speedWindowStart_ = Clock::now();
  emitProgress(true);
}

namespace {
// Work reports reach the GUI at most this often (a progress bar needs no more).
constexpr auto kWorkReportInterval = std::chrono::milliseconds(50);
}  // namespace

Progress TrainingWorker::workProgress(unsigned generation, bool building) {
  Progress progress;
  // The report function keeps the last phase and time between calls: shared, as Progress
  // copies its functions.
  struct Last {
    std::string phase;
    Clock::time_point at{};
  };
  auto last = std::make_shared<Last>();
  progress.report = [this, generation, last](const std::string& phase, double fraction) {
    const auto now = Clock::now();
    if (phase == last->phase && fraction < 1.0 && now - last->at < kWorkReportInterval) return;
    last->phase = phase;
    last->at = now;
    emit working(generation, QString::fromStdString(phase), fraction);
  };
  progress.cancelled = [this, generation, building] {
    if (stopping_) return true;
    return building ? cancelBuildsUpTo_.load() >= generation : cancelEvaluation_.load();
  };
  return progress;
}

void TrainingWorker::writeExports(std::vector<WorkerRequests::Export>& pending, long generation) {
  std::vector<WorkerRequests::Export> exports;
  if (generation < 0) {
    exports.swap(pending);
  } else {
    const auto later = std::stable_partition(
        pending.begin(), pending.end(),
        [&](const WorkerRequests::Export& e) { return e.generation == unsigned(generation); });
    exports.assign(pending.begin(), later);
    pending.erase(pending.begin(), later);
  }
  for (const WorkerRequests::Export& request : exports) {
    QString error;
    if (!trainer_) {
      error = tr("There is no network to export (the run failed to build).");
    } else {
      try {
        const std::string model = request.model.toStdString();
        if (request.experiment.isEmpty())
          exportModel(model, *trainer_);
        else
          saveExperimentWithWeights({request.experiment.toStdString(), model}, *trainer_,
                                    request.config);
      } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
      }
    }
    emit modelExported(request.model, error);
  }
}

void TrainingWorker::probeAndEmit() { probeAndEmit(ProbeDepth::Full); }

void TrainingWorker::probeAndEmit(ProbeDepth depth) {
  const auto start = Clock::now();
  StatsSnapshot snapshot;
  try {
    snapshot = trainer_->probe(depth);
  } catch (const std::exception& e) {
    emit failed(QString::fromStdString(e.what()));
    return;
  }
  const auto end = Clock::now();
  if (depth == ProbeDepth::Full) {  // the clock's budget counts the full probes it asks for
    lastProbeEnd_ = end;
    const double cost = std::chrono::duration<double>(end - start).count();
    probeCostSeconds_ = probeCostSeconds_ == 0.0 ? cost : 0.7 * probeCostSeconds_ + 0.3 * cost;
  }
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
  pendingProgress_.averageStepsPerSecond = averageStepsPerSecond();
  emit progress(pendingProgress_);
  pendingProgress_.losses.clear();
  lastProgressEmit_ = now;
}

}  // namespace layerscope
