// The object that runs the engine. It lives in the controller's worker thread and runs one long
// loop (run()); the GUI thread talks to it only through the thread-safe request methods below
// (atomics and a mutex-protected mailbox checked between batches), because a loop inside a slot
// never sees queued signals. Results go back by queued signals carrying value types.
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
#include "run/training_types.h"

namespace layerscope {

class Trainer;
struct ModelState;

class TrainingWorker : public QObject {
  Q_OBJECT
 public:
  TrainingWorker();
  ~TrainingWorker() override;

  // --- thread-safe requests (called from the GUI thread) ---
  // New run at step 0, paused; from the imported model's weights when `startFrom` is set.
  void requestRebuild(const ExperimentConfig& config, unsigned generation,
                      std::shared_ptr<const ModelState> startFrom = {});
  void requestRunning(bool running);                    // Train (true) / Pause (false)
  void requestStep();                                   // one batch, then a probe
  void requestLearningRate(double lr);
  void requestL2(double l2);
  void requestDropout(double p);
  void requestStop();  // leave run() as soon as the current batch is done
  // Writes the current network as ONNX between two steps; answers with modelExported. With an
  // experiment path, then writes `experiment` there naming the model as its "weights": a save
  // with weights is one request, so it completes even when the window closes right after it
  // (run() writes what is pending before it returns).
  void requestModelExport(const QString& path, const QString& experimentPath = {},
                          const ExperimentConfig& experiment = {});

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
  void diverged(QString where);      // non-finite loss: the run is paused, says where
  void modelExported(QString path, QString error);  // error empty on success
  void pausedAt(long step);          // acknowledged a pause (or a single step) at this step

 private:
  using Clock = std::chrono::steady_clock;
  bool hasWork() const;  // mutex held
  void build(const ExperimentConfig& config, unsigned generation,
             const std::shared_ptr<const ModelState>& startFrom);
  void dropPendingSettings();  // mutex held
  void applyLiveSettings();
  // Mutex not held. Writes the pending exports of the network built for `generation` (all of
  // them when it is -1) from the current one; answers "no network" without a trainer.
  void writePendingExports(long generation = -1);
  void probeAndEmit();
  void emitProgress(bool force);

  // Requests from the GUI thread.
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<ExperimentConfig> pendingConfig_;
  unsigned pendingGeneration_ = 0;
  std::shared_ptr<const ModelState> pendingModel_;
  std::optional<double> pendingLr_, pendingL2_, pendingDropout_;
  // Every requested export, in order: two requests before the next batch (Save experiment with
  // weights, then Export model) must both be written, not the last one only.
  struct PendingExport {
    QString model;
    QString experiment;  // empty: the model only
    ExperimentConfig config;
    unsigned generation;  // the run it was asked of: the newest rebuild requested before it
  };
  std::vector<PendingExport> pendingExports_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> running_{false};
  std::atomic<int> stepRequests_{0};
  std::atomic<bool> pauseAcknowledge_{false};
  std::atomic<bool> pendingLive_{false};
  std::atomic<bool> pendingRebuild_{false};
  std::atomic<double> probeFraction_{0.15};
  std::atomic<double> probeMinInterval_{0.1};

  // Worker-thread state.
  std::unique_ptr<Trainer> trainer_;
  TrainingProgress pendingProgress_;
  Clock::time_point lastProgressEmit_{};
  Clock::time_point speedWindowStart_{};
  long speedWindowSteps_ = 0;
  double stepsPerSecond_ = 0.0;
  Clock::time_point lastProbeEnd_{};
  double probeCostSeconds_ = 0.0;  // exponential average of the recent probes
  unsigned builtGeneration_ = 0;  // of trainer_
  bool finishedReported_ = false;
  bool idle_ = true;  // waiting for work since the last step
};

}  // namespace layerscope
