// Runs a lesson: its runs one after another in the live window (each loaded into the
// configuration panel and trained when it has steps; every run but the last is then pinned, so
// the next ones overlay it and the last stays live), and,
// at the same time on its own thread, the same runs headless (lesson.h: runLessonRun) whose
// results the lesson's checks are evaluated on (evaluateLessonChecks), so the verdicts are the
// engine's, independent of how often the live view happened to probe.
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "lab/lesson.h"
#include "run/training_controller.h"

class QThread;

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
  ~LessonSequencer() override;  // cancels and joins the checks thread

  void start(const Lesson& lesson);
  void cancel();
  bool running() const { return liveRunning_ || checksRunning(); }
  bool checksRunning() const;
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
  void startChecks();
  // Cancels the checks. The thread stops at its next cancellation point (between training steps,
  // or after a network build or probe it is in); the GUI does not wait for it: it is retired and
  // deletes itself when done. Only the destructor waits (wait = true).
  void stopChecks(bool wait = false);

  TrainingController* controller_;
  LoadExperiment load_;
  PinRun pin_;
  Lesson lesson_;
  int index_ = -1;
  Phase phase_ = Phase::Idle;
  bool liveRunning_ = false;
  bool sawSnapshot_ = false;  // the current run's step-0 statistics have been delivered
  std::shared_ptr<std::atomic<bool>> cancelChecks_;
  QThread* checks_ = nullptr;
  QList<QPointer<QThread>> retired_;  // cancelled check threads still finishing
};

}  // namespace layerscope
