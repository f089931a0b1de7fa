#include "run/training_controller.h"

#include <algorithm>
#include <utility>

#include "io/onnx_import.h"
#include "run/training_worker.h"
#include "settings/schema.h"

// ThreadSanitizer cannot see the join in QThread::wait(): Qt 6 threads are detached and wait()
// blocks on a condition inside QtCore, which Debian does not build with -fsanitize=thread. Without
// telling it, TSan reports every member the worker wrote as racing with its deletion. The
// worker's thread releases the worker as its last act, the destructor acquires it after wait().
#if defined(__SANITIZE_THREAD__)
#define LAYERSCOPE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LAYERSCOPE_TSAN 1
#endif
#endif
#ifdef LAYERSCOPE_TSAN
extern "C" void __tsan_acquire(void* address);
extern "C" void __tsan_release(void* address);
#endif

namespace layerscope {

namespace {
// A stalled GUI drops old snapshots, not memory. A 2-D run at full speed sends its >= 200
// probes in a fraction of a second (a few frames): each must reach the curves. A snapshot is
// ~10-40 KB (histograms, the decision grid), so at most ~10 MB wait here.
constexpr size_t kMaxQueuedSnapshots = 256;

void announceThreadEnd([[maybe_unused]] void* worker) {
#ifdef LAYERSCOPE_TSAN
  __tsan_release(worker);
#endif
}

void announceJoined([[maybe_unused]] void* worker) {
#ifdef LAYERSCOPE_TSAN
  __tsan_acquire(worker);
#endif
}
}  // namespace

void registerTrainingMetaTypes() {
  qRegisterMetaType<StatsSnapshot>();
  qRegisterMetaType<TrainingProgress>();
  qRegisterMetaType<PointCloud>();
  qRegisterMetaType<RunInfo>();
  qRegisterMetaType<ExperimentConfig>();
  qRegisterMetaType<TrainingFrame>();
  qRegisterMetaType<KeyframePtr>();
}

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
  registerTrainingMetaTypes();
  frameTimer_.setSingleShot(true);
  connect(&frameTimer_, &QTimer::timeout, this, &TrainingController::deliverFrame);

  worker_ = new TrainingWorker;
  worker_->moveToThread(&thread_);
  thread_.setObjectName(QStringLiteral("layerscope-training"));
  // Queued: these arrive in the GUI thread, in the order the worker emitted them.
  connect(worker_, &TrainingWorker::runBuilt, this, [this](const RunInfo& info) {
    if (info.generation != generation_) return;  // answered an older request
    runInfo_ = info;
    stepsDone_ = 0;
    pending_ = TrainingFrame{};
    pending_.reset = true;
    setState(State::Ready, tr("Ready: %1 training samples, %2 classes")
                               .arg(info.trainSamples).arg(info.classes));
    emit runBuilt(info);
  });
  connect(worker_, &TrainingWorker::pointsReady, this, [this](const PointCloud& points) {
    if (runInfo_.generation == generation_) emit pointsReady(points);
  });
  connect(worker_, &TrainingWorker::snapshotReady, this, &TrainingController::onSnapshot);
  connect(worker_, &TrainingWorker::progress, this, &TrainingController::onProgress);
  connect(worker_, &TrainingWorker::failed, this, [this](const QString& message) {
    setState(State::Failed, message);
  });
  connect(worker_, &TrainingWorker::tested, this, [this](double loss, double accuracy, int n) {
    testResult_ = tr(" · test loss %1, accuracy %2 (%3 samples)")
                      .arg(loss, 0, 'f', 4).arg(accuracy, 0, 'f', 3).arg(n);
  });
  connect(worker_, &TrainingWorker::finished, this, [this] {
    // The test split's numbers (when there is one) end the status line of a finished run.
    const QString test = std::exchange(testResult_, QString());
    if (runInfo_.generation == generation_ && state_ != State::Building)
      setState(State::Finished, tr("Finished after %1 steps%2").arg(stepsDone_).arg(test));
  });
  connect(worker_, &TrainingWorker::diverged, this, [this](const QString& where) {
    if (runInfo_.generation == generation_ && state_ != State::Building)
      setState(State::Diverged, tr("Diverged, paused: %1").arg(where));
  });
  connect(worker_, &TrainingWorker::resumedFrom, this, [this](long from, long at) {
    if (runInfo_.generation == generation_ && state_ == State::Running)
      setState(State::Running, tr("Training, resumed at step %1 from the parameters of step %2 "
                                  "(the last finite ones)").arg(at).arg(from));
  });
  connect(worker_, &TrainingWorker::working, this,
          [this](unsigned generation, const QString& phase, double fraction) {
            if (generation == generation_) emit working(phase, fraction);
          });
  connect(worker_, &TrainingWorker::workCancelled, this, [this](unsigned generation, bool building) {
    if (generation != generation_) return;  // a build a newer request replaced
    if (building)
      setState(State::Cancelled, tr("Cancelled: the network was not built. Change a setting or "
                                    "press Reset to build it."));
    else
      testResult_ = tr(" · test evaluation cancelled");
  });
  connect(worker_, &TrainingWorker::modelExported, this, &TrainingController::modelExported);
  connect(worker_, &TrainingWorker::pausedAt, this, &TrainingController::pausedAt);
  connect(worker_, &TrainingWorker::keyframeTaken, this, [this](const KeyframePtr& keyframe) {
    if (runInfo_.generation == generation_ && state_ != State::Building && !awaitingBranch_)
      emit keyframeTaken(keyframe);
  });
  connect(worker_, &TrainingWorker::branched, this, [this](long step) {
    if (runInfo_.generation != generation_ || !awaitingBranch_) return;
    awaitingBranch_ = false;
    stepsDone_ = step;
    if (state_ == State::Finished || state_ == State::Diverged)
      setState(State::Paused, tr("Branched at step %1: Train continues the branch").arg(step));
    else if (state_ == State::Running)
      setState(State::Running, tr("Training the branch from step %1").arg(step));
    else
      setState(state_, tr("Branched at step %1").arg(step));
    emit branched(step);
  });
  connect(&thread_, &QThread::started, worker_, &TrainingWorker::run);
  // Direct: runs in the worker's thread after run() has returned, as it finishes.
  connect(&thread_, &QThread::finished, worker_, [w = worker_] { announceThreadEnd(w); },
          Qt::DirectConnection);
  thread_.start();
}

TrainingController::~TrainingController() {
  worker_->requestStop();
  thread_.quit();
  thread_.wait();
  announceJoined(worker_);
  delete worker_;  // its thread has finished: safe to delete from here
}

QString TrainingController::stateName(State state) {
  switch (state) {
    case State::Building: return tr("Building");
    case State::Ready: return tr("Ready");
    case State::Running: return tr("Training");
    case State::Paused: return tr("Paused");
    case State::Finished: return tr("Finished");
    case State::Diverged: return tr("Diverged");
    case State::Failed: return tr("Error");
    case State::Cancelled: return tr("Cancelled");
  }
  return {};
}

void TrainingController::setState(State state, const QString& message) {
  state_ = state;
  message_ = message;
  emit stateChanged(state, message);
}

void TrainingController::setExperiment(const ExperimentConfig& config) {
  config_ = config;
  startFrom_.reset();
  reset();
}

void TrainingController::setExperiment(const ExperimentConfig& config,
                                       std::shared_ptr<const ModelState> startFrom) {
  config_ = config;
  startFrom_ = std::move(startFrom);
  if (startFrom_) {
    config_.model = startFrom_->model;
    config_.data.preprocess = startFrom_->preprocessor.kind();
  }
  reset();
}

void TrainingController::reset() {
  ++generation_;
  awaitingBranch_ = false;
  pending_ = TrainingFrame{};
  frameTimer_.stop();
  stepsDone_ = 0;
  worker_->requestRebuild(config_, generation_, startFrom_);
  setState(State::Building, tr("Building the network..."));
}

void TrainingController::train() {
  // Finished: continues when the epochs / steps were raised (SettingEffect::Extends), else the
  // worker answers "finished" again. Diverged: continues from the last finite parameters
  // (after the learning rate was lowered), else the worker answers "diverged" again.
  if (state_ != State::Ready && state_ != State::Paused && state_ != State::Finished &&
      state_ != State::Diverged)
    return;
  worker_->requestRunning(true);
  setState(State::Running, tr("Training"));
}

void TrainingController::cancel() {
  // While Building: the build. Otherwise: a final evaluation, if one is running (the worker
  // ignores a cancel with nothing to cancel).
  worker_->requestCancel(generation_);
  if (state_ == State::Building) setState(State::Building, tr("Cancelling..."));
}

void TrainingController::pause() {
  if (state_ == State::Building) {
    cancel();
    return;
  }
  if (state_ != State::Running) return;
  worker_->requestRunning(false);
  setState(State::Paused, tr("Paused at step %1").arg(stepsDone_));
}

void TrainingController::step() {
  if (state_ != State::Ready && state_ != State::Paused && state_ != State::Running) return;
  worker_->requestStep();
  setState(State::Paused, tr("Single step"));
}

void TrainingController::applyLiveSettings(const ExperimentConfig& config) {
  // Only the live rows are taken: the rest of config_ is what the run was built with (for a run
  // from a model, the model's architecture, which the panel's config need not show), so the
  // trainer sees exactly the live change.
  for (const Setting& setting : settingsSchema())
    if (setting.effect != SettingEffect::Structural) setting.set(config_, setting.get(config));
  worker_->requestLiveSettings(config_);
}

bool TrainingController::branchSetting(const Setting& setting) {
  static const char* const optimizer[] = {"train.optimizer", "train.momentum", "train.beta1",
                                          "train.beta2", "train.epsilon"};
  for (const char* path : optimizer)
    if (setting.path() == path) return true;
  return false;
}

void TrainingController::branch(KeyframePtr keyframe, const ExperimentConfig& config) {
  if (!keyframe || state_ == State::Building || state_ == State::Failed) return;
  for (const Setting& setting : settingsSchema())
    if (setting.effect != SettingEffect::Structural || branchSetting(setting))
      setting.set(config_, setting.get(config));
  awaitingBranch_ = true;
  pending_ = TrainingFrame{};  // the old branch's steps after the keyframe
  frameTimer_.stop();
  worker_->requestBranch(std::move(keyframe), config_);
}

void TrainingController::takeKeyframe() { worker_->requestKeyframe(); }

void TrainingController::exportModel(const QString& path, const QString& experimentPath) {
  worker_->requestModelExport(path, experimentPath, config_, generation_);
}

void TrainingController::setPace(double stepsPerSecond) {
  pace_ = std::max(0.0, stepsPerSecond);
  worker_->requestPace(pace_);
}

void TrainingController::setProbeBudget(double fraction, double minIntervalSeconds) {
  worker_->setProbeBudget(fraction, minIntervalSeconds);
}

int TrainingController::pendingItems() const {
  return static_cast<int>(pending_.losses.size() + pending_.snapshots.size());
}

void TrainingController::onSnapshot(const StatsSnapshot& snapshot) {
  if (runInfo_.generation != generation_ || state_ == State::Building || awaitingBranch_) return;
  emit snapshotReceived(snapshot);
  if (pending_.snapshots.size() >= kMaxQueuedSnapshots)
    pending_.snapshots.erase(pending_.snapshots.begin());
  pending_.snapshots.push_back(snapshot);
  scheduleFrame();
}

void TrainingController::onProgress(const TrainingProgress& progress) {
  if (runInfo_.generation != generation_ || state_ == State::Building || awaitingBranch_) return;
  stepsDone_ = progress.step;
  pending_.losses.insert(pending_.losses.end(), progress.losses.begin(), progress.losses.end());
  pending_.progress = progress;
  pending_.progress.losses.clear();
  pending_.hasProgress = true;
  scheduleFrame();
}

void TrainingController::scheduleFrame() {
  if (frameTimer_.isActive()) return;
  // One frame per interval, measured from the previous frame: data arriving after a quiet spell
  // (a Step, a Pause) is shown at once, a steady stream at the frame rate.
  const qint64 since = sinceFrame_.isValid() ? sinceFrame_.elapsed() : frameInterval_;
  frameTimer_.start(static_cast<int>(std::max<qint64>(0, frameInterval_ - since)));
}

void TrainingController::deliverFrame() {
  TrainingFrame delivered;
  std::swap(delivered, pending_);
  ++frames_;
  sinceFrame_.start();
  emit frame(delivered);
}

}  // namespace layerscope
