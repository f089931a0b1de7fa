// Runs a lesson: its runs one after another in the live window (each loaded into the
// configuration panel and trained when it has steps; every run but the last is then pinned, so
// the next ones overlay it and the last stays live), and,
// at the same time on its own thread, the same runs headless (lesson.h: runLessonRun) whose
// results the lesson's checks are evaluated on (evaluateLessonChecks), so the verdicts are the
// engine's, independent of how often the live view happened to probe.
#pragma once

#include <QObject>
#include <QString>
#include <functional>
#include <vector>

#include "common/background_job.h"
#include "lab/lesson.h"
#include "run/training_controller.h"

namespace layerscope {

class LessonSequencer : public QObject {
  Q_OBJECT
 public:
  using LoadExperiment = std::function<void(const ExperimentConfig&)>;
  using PinRun = std::function<void(const QString& label)>;

  // `load` shows the experiment in the window and starts building it; `pin` pins the run on
  // screen (its newest snapshot and curves) under that label.
  LessonSequencer(TrainingController* controller, LoadExperiment load, PinRun pin,
                  QObject* parent = nullptr);
  ~LessonSequencer() override;  // cancels and joins the checks thread (checks_ does)

  void start(const Lesson& lesson);
  void cancel();
  bool running() const { return liveRunning_ || checksRunning(); }
  bool checksRunning() const { return checks_.running(); }
  const Lesson& lesson() const { return lesson_; }
  int currentRun() const { return index_; }

 signals:
  void runStarted(int index, const QString& label);
  void runPinned(int index, const QString& label);
  void liveRunsFinished();
  void checksReady(const std::vector<layerscope::CheckResult>& results);
  void failed(const QString& message);

 private:
  enum class Phase { Idle, WaitingForFirstSnapshot, Training };
  void nextRun();
  void finishRun();
  void onFrame(const TrainingFrame& frame);
  void onState(TrainingController::State state, const QString& message);
  void advance();
  // The checks run headless on checks_; checksReady (or failed) is emitted when its thread has
  // ended, so checksRunning() is already false then. A new start retires a run still going
  // without waiting for it (it stops at its next cancellation point: between training steps,
  // or after the network build or probe it is in).
  void startChecks();
  void onChecksFinished(bool cancelled);

  TrainingController* controller_;
  LoadExperiment load_;
  PinRun pin_;
  Lesson lesson_;
  int index_ = -1;
  Phase phase_ = Phase::Idle;
  bool liveRunning_ = false;
  bool sawSnapshot_ = false;  // the current run's step-0 statistics have been delivered
  BackgroundJob checks_{QStringLiteral("layerscope-lesson-checks")};
  // What the current checks run posted: the verdicts, or why there are none.
  std::vector<CheckResult> checkResults_;
  QString checksError_;
};

}  // namespace layerscope
