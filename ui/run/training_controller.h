// Runs an experiment on a worker thread and hands its results to the GUI once per frame.
//
// The controller owns the QThread and the TrainingWorker moved to it; its destructor stops the
// worker (an atomic flag checked every batch) and joins the thread, so closing the window in the
// middle of training returns within one batch or probe. Everything the worker sends arrives
// here by queued signals and is only buffered; a single-shot frame timer then delivers the
// batch (all step losses, the snapshots, the newest progress) in one `frame` signal, so the
// plots redraw at most once per frame however fast the engine runs.
#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <QElapsedTimer>
#include <QTimer>
#include <memory>
#include <vector>

#include "config.h"
#include "run/training_types.h"

namespace layerscope {

class TrainingWorker;
struct Setting;
struct ModelState;

// One frame's worth of results, in arrival order.
struct TrainingFrame {
  std::vector<StepLoss> losses;
  std::vector<StatsSnapshot> snapshots;  // usually 0 or 1; newest last
  bool hasProgress = false;
  TrainingProgress progress;  // the newest (its losses are in `losses`)
  bool reset = false;         // a new run started: clear what belongs to the old one
};

class TrainingController : public QObject {
  Q_OBJECT
 public:
  // Cancelled: the build was cancelled (cancel()); there is no run until the next reset() or
  // setExperiment().
  enum class State { Building, Ready, Running, Paused, Finished, Diverged, Failed, Cancelled };
  Q_ENUM(State)

  explicit TrainingController(QObject* parent = nullptr);
  ~TrainingController() override;

  // Starts a new run (step 0, not training) with this experiment.
  void setExperiment(const ExperimentConfig& config);
  // Starts a new run (step 0) from a trained model (onnx_import.h) on the config's data, with
  // the config's training settings: to inspect its statistics or to continue training. The
  // model's architecture and preprocessing replace the config's (experiment() shows them);
  // reset() returns to the model's weights. A data set that does not fit the model fails the
  // run with a message (state Failed).
  void setExperiment(const ExperimentConfig& config, std::shared_ptr<const ModelState> startFrom);
  const ExperimentConfig& experiment() const { return config_; }
  bool startsFromModel() const { return startFrom_ != nullptr; }

  // Also from Finished (a run whose epochs / steps were raised goes on) and from Diverged (it
  // goes on from the last finite parameters: lower the learning rate first).
  void train();
  // Pauses a run; while the run is being built, cancels the build (cancel()).
  void pause();
  // Cancels the long work under way: a build (state Cancelled, no run, a status line saying
  // so) or a finished run's final evaluation (Finished without the test numbers). Takes effect
  // within a fraction of a second (TrainingWorker::requestCancel).
  void cancel();
  void step();   // one batch, then statistics
  void reset();  // the same experiment from step 0

  // Live settings: the live settings of `config` (settings/schema.h: Live, LiveNonZero,
  // Extends; the learning rate, L2, L1, dropout, epochs and steps) replace this run's, all at once, applied by the worker
  // between two steps (Trainer::applyLiveSettings). Its other settings are ignored. A change
  // that needs a new run (dropout to or from 0) fails the run with a message.
  void applyLiveSettings(const ExperimentConfig& config);

  // Continues the run from `keyframe` (one of this run's: keyframeTaken) with the live settings
  // and the optimizer (branchSetting) of `config`: results of the steps after it that were still on their way are dropped, and
  // `branched` answers before the branch's own. A finished run is then paused at the keyframe.
  void branch(KeyframePtr keyframe, const ExperimentConfig& config);
  // A keyframe of the current step (between two steps): keyframeTaken answers.
  void takeKeyframe();
  // The structural settings a branch may still change: the optimizer's (its kind, momentum,
  // betas, epsilon), which only shape the updates after the keyframe.
  static bool branchSetting(const Setting& setting);

  // Writes the current network as ONNX (in the worker, between two steps): modelExported answers.
  // With an experiment path, the current experiment is written there too, naming the model.
  void exportModel(const QString& path, const QString& experimentPath = {});

  State state() const { return state_; }
  static QString stateName(State state);
  const QString& lastMessage() const { return message_; }
  long stepsDone() const { return stepsDone_; }
  const RunInfo& runInfo() const { return runInfo_; }

  void setFrameInterval(int ms) { frameInterval_ = ms; }
  int framesDelivered() const { return frames_; }
  // Items received but not yet delivered: stays small when the GUI keeps up.
  int pendingItems() const;
  // Speed cap: at most this many steps per second while training (<= 0: full speed), for this
  // run and the next; the worker waits between steps (TrainingWorker::requestPace).
  void setPace(double stepsPerSecond);
  double pace() const { return pace_; }
  // Probe budget forwarded to the worker (fraction of wall time, minimum interval in seconds).
  void setProbeBudget(double fraction, double minIntervalSeconds);

 signals:
  void frame(const layerscope::TrainingFrame& frame);
  void stateChanged(layerscope::TrainingController::State state, const QString& message);
  void runBuilt(const layerscope::RunInfo& info);
  void pointsReady(const layerscope::PointCloud& points);
  // Every snapshot as it arrives (before frame coalescing); tests and exporters use it.
  void snapshotReceived(const layerscope::StatsSnapshot& snapshot);
  void modelExported(const QString& path, const QString& error);
  // The worker has stopped at `step` after a pause (or a single step) and probed it; the
  // snapshot of that step was sent before this.
  void pausedAt(long step);
  void keyframeTaken(const layerscope::KeyframePtr& keyframe);
  void branched(long step);
  // Long work of the current run under way: `phase` is `fraction` done (0-1); an empty phase
  // when it ended (TrainingWorker::working).
  void working(const QString& phase, double fraction);

 private:
  void setState(State state, const QString& message = {});
  void scheduleFrame();
  void deliverFrame();
  void onSnapshot(const StatsSnapshot& snapshot);
  void onProgress(const TrainingProgress& progress);

  QThread thread_;
  TrainingWorker* worker_ = nullptr;  // lives in thread_; deleted after the thread is joined
  QTimer frameTimer_;
  QElapsedTimer sinceFrame_;
  int frameInterval_ = 33;  // ms: at most ~30 frames per second
  TrainingFrame pending_;
  ExperimentConfig config_;
  std::shared_ptr<const ModelState> startFrom_;
  State state_ = State::Building;
  QString message_;
  QString testResult_;  // " · test loss ..., accuracy ..." from the worker, for the Finished line
  RunInfo runInfo_;
  long stepsDone_ = 0;
  double pace_ = 0.0;
  int frames_ = 0;
  unsigned generation_ = 0;  // runs started; results of an older run are dropped
  bool awaitingBranch_ = false;  // between branch() and the worker's answer: drop old results
};

}  // namespace layerscope

Q_DECLARE_METATYPE(layerscope::TrainingFrame)
