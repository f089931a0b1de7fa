// The object that runs the engine. It lives in the controller's worker thread and runs one long
// loop (run()); a loop inside a slot never sees queued signals, so the GUI thread talks to it
// through one mailbox: the request methods below write a WorkerRequests under one mutex, and
// each pass of the loop takes the whole mailbox at once (leaving it empty) and waits on one
// condition variable when it has nothing to do - the pattern of Qt's Mandelbrot example's
// RenderThread. Requests of the same kind coalesce (the newest rebuild, the newest live
// settings, the last Train/Pause), except those that must all happen: single steps are counted
// and exports are queued. Results go back by queued signals carrying value types.
#pragma once

#include <QObject>
#include <QString>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "config.h"
#include "progress.h"
#include "run/training_types.h"

namespace layerscope {

class Trainer;
struct ModelState;
enum class ProbeDepth;  // training/trainer.h

// Everything the GUI thread has asked of the worker since the loop last looked: the mailbox.
// Written only under TrainingWorker's mutex; the loop swaps it for an empty one once per pass.
struct WorkerRequests {
  struct Rebuild {
    ExperimentConfig config;
    unsigned generation = 0;
    std::shared_ptr<const ModelState> startFrom;  // null: fresh weights
  };
  struct Export {
    QString model;
    QString experiment;  // empty: the model only
    ExperimentConfig config;
    unsigned generation;  // the run it was asked of: the newest rebuild requested before it
  };
  // A new run at step 0, paused. Clears the requests before it that belonged to the old run
  // (running, steps, live settings: `config` has them already), not the exports.
  std::optional<Rebuild> rebuild;
  // The newest live settings (settings/schema.h: Live, LiveNonZero, Extends: the plan's
  // length), for the current run or for the one `rebuild` builds.
  std::optional<ExperimentConfig> live;
  std::optional<bool> running;  // Train (true) / Pause (false); unset: unchanged
  int steps = 0;                // single steps asked for; each pauses the run first
  std::optional<double> pace;   // the newest speed cap, steps per second (0: full speed)
  // Every export, in order: two before the next batch (Save experiment with weights, then
  // Export model) must both be written, not the last one only.
  std::vector<Export> exports;
  // Go back to a keyframe of this run and continue from there with `config`'s live settings
  // (the newest request wins).
  struct Branch {
    KeyframePtr keyframe;
    ExperimentConfig config;
  };
  std::optional<Branch> branch;
  bool keyframe = false;  // take a keyframe now (on demand)
  bool stop = false;

  bool empty() const {
    return !rebuild && !live && !running && steps == 0 && !pace && exports.empty() && !branch &&
           !keyframe && !stop;
  }
};

class TrainingWorker : public QObject {
  Q_OBJECT
 public:
  TrainingWorker();
  ~TrainingWorker() override;

  // --- thread-safe requests (called from the GUI thread); each wakes the loop ---
  // New run at step 0, paused; from the imported model's weights when `startFrom` is set.
  void requestRebuild(const ExperimentConfig& config, unsigned generation,
                      std::shared_ptr<const ModelState> startFrom = {});
  // Train (true) / Pause (false). Train continues a finished run whose epochs / steps were
  // raised, and a diverged one from its last finite parameters.
  void requestRunning(bool running);
  void requestStep();                 // one batch, then a probe
  // The live settings of `config` replace the run's (Trainer::applyLiveSettings), between two
  // steps; `config` must not differ from the run's in a setting that needs a new run.
  void requestLiveSettings(const ExperimentConfig& config);
  void requestStop();  // leave run() as soon as the current batch is done (cancels a build)
  // Cancels the long work of runs up to `generation`: a build (loading, standardizing, drawing
  // the weights) ends with workCancelled and no run; a final evaluation ends without `tested`.
  // Takes effect between two chunks of the work (progress.h), within a fraction of a second.
  // A newer rebuild cancels the build of the older ones by itself.
  void requestCancel(unsigned generation);
  // Speed cap while training: at most this many steps per second (<= 0: full speed). The loop
  // waits between steps on the mailbox's condition variable, so any request (Pause, Stop, a
  // rebuild) ends the wait at once. Applies to the current run and the next ones.
  void requestPace(double stepsPerSecond);
  // Writes the network of run `generation` as ONNX between two steps; answers with
  // modelExported. With an experiment path, then writes `experiment` there naming the model as
  // its "weights": a save with weights is one request, so it completes even when the window
  // closes right after it (run() writes what is pending before it returns).
  void requestModelExport(const QString& path, const QString& experimentPath,
                          const ExperimentConfig& experiment, unsigned generation);

  // Continues the run from `keyframe` (one it sent with keyframeTaken) with the live settings and
  // the optimizer of `config`: the steps after the keyframe are forgotten and trained again;
  // answers branched.
  void requestBranch(KeyframePtr keyframe, const ExperimentConfig& config);
  // A keyframe of the current step, between two steps (answered with keyframeTaken).
  void requestKeyframe();
  // The run takes a keyframe every plannedSteps / kKeyframesPerRun steps (and at step 0), while
  // copying them costs at most kKeyframeShare of the training time.
  static constexpr long kKeyframesPerRun = 16;
  static constexpr double kKeyframeShare = 0.01;

  // Probing budget: at most this fraction of wall time, and no more often than minInterval.
  void setProbeBudget(double fraction, double minIntervalSeconds);

 public slots:
  void run();  // the loop; returns after requestStop()

 signals:
  void runBuilt(layerscope::RunInfo info);
  void pointsReady(layerscope::PointCloud points);
  void snapshotReady(layerscope::StatsSnapshot snapshot);
  void progress(layerscope::TrainingProgress progress);
  void failed(QString message);      // bad settings or data: the run could not be built
  void finished();                   // planned steps done
  // Just before finished(), when the data have a test split: its evaluation-mode loss and
  // accuracy, the numbers the run is judged by (the CLI's --summary-json test_accuracy).
  void tested(double loss, double accuracy, int samples);
  // Long work of run `generation` under way: `phase` ("Loading Fashion-MNIST train images",
  // "Drawing weights, layer 4/11", "Final evaluation") is `fraction` done; an empty phase: the
  // work ended (done, failed or cancelled). At most every kWorkReportInterval, and at each
  // phase's start and end.
  void working(unsigned generation, QString phase, double fraction);
  // requestCancel stopped this work of run `generation`: `building` (no run was built) or the
  // final evaluation (the run is finished, without its test numbers).
  void workCancelled(unsigned generation, bool building);
  void diverged(QString where);      // non-finite loss: the run is paused, says where
  void modelExported(QString path, QString error);  // error empty on success
  void pausedAt(long step);          // acknowledged a pause (or a single step) at this step
  // Train after a divergence: the parameters of step `from` were restored (the last finite
  // ones, Trainer::resumeFromLastFinite) and training goes on, counting from step `at`.
  void resumedFrom(long from, long at);
  // A keyframe of the run (after the step's probe, if any): what a branch continues from.
  void keyframeTaken(layerscope::KeyframePtr keyframe);
  // The run went back to the keyframe of `step` (requestBranch); what follows is the branch.
  void branched(long step);

 private:
  using Clock = std::chrono::steady_clock;
  // Takes the mailbox, first waiting until there is something in it when `idle`.
  WorkerRequests takeRequests(bool idle);
  // Worker thread: carries out what the requests taken ask for, in the order they can have
  // been asked (rebuild first: the mailbox holds only what came after it). True when they
  // ask to answer a Pause with this step's statistics.
  bool handle(WorkerRequests& requests);
  void build(const WorkerRequests::Rebuild& rebuild);
  // Writes and removes the exports asked of the network built for `generation` (all of them
  // when it is -1) from the current one; answers "no network" without a trainer.
  void writeExports(std::vector<WorkerRequests::Export>& exports, long generation = -1);
  // A Progress (progress.h) for the work of run `generation`: reports become `working`,
  // cancellation is requestCancel's or requestStop's.
  Progress workProgress(unsigned generation, bool building);
  void probeAndEmit();  // a full probe
  void probeAndEmit(ProbeDepth depth);
  void emitProgress(bool force);
  void takeKeyframe();
  bool keyframeDue() const;

  // The mailbox: the only state both threads touch, besides the probe budget below.
  std::mutex mutex_;
  std::condition_variable wake_;
  WorkerRequests requests_;
  std::atomic<double> probeFraction_{0.15};
  std::atomic<double> probeMinInterval_{0.1};
  // Cancellation, read by the work between chunks: builds of generations up to this one, and
  // the final evaluation running now.
  std::atomic<unsigned> cancelBuildsUpTo_{0};
  std::atomic<bool> cancelEvaluation_{false};
  std::atomic<bool> stopping_{false};

  // Worker-thread state.
  std::unique_ptr<Trainer> trainer_;
  bool running_ = false;  // training continuously
  int stepsLeft_ = 0;     // single steps asked for and not yet done
  TrainingProgress pendingProgress_;
  Clock::time_point lastProgressEmit_{};
  Clock::time_point speedWindowStart_{};
  long speedWindowSteps_ = 0;
  double stepsPerSecond_ = 0.0;
  double pace_ = 0.0;                   // steps per second; 0: full speed
  Clock::time_point nextStepAt_{};      // paced: when the next step may start
  // The run's average speed over the time it was training (paused and idle time excluded).
  double activeSeconds_ = 0.0;
  long activeSteps_ = 0;
  Clock::time_point activeSince_{};
  long activeSinceStep_ = 0;
  double averageStepsPerSecond() const;
  // Paced: waits until nextStepAt_ or a request, whichever comes first. True when it is time.
  bool waitForPace();
  Clock::time_point lastProbeEnd_{};
  double probeCostSeconds_ = 0.0;  // exponential average of the recent probes
  unsigned builtGeneration_ = 0;  // of trainer_
  long keyframeEvery_ = 1;
  long lastKeyframeStep_ = -1;
  double keyframeSeconds_ = 0.0;  // spent copying keyframes in this run
  bool finishedReported_ = false;
  bool idle_ = true;  // waiting for work since the last step
};

}  // namespace layerscope
