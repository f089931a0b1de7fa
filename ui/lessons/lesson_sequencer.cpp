#include "lessons/lesson_sequencer.h"

#include <QTimer>
#include <exception>
#include <utility>

namespace layerscope {

LessonSequencer::LessonSequencer(TrainingController* controller, LoadExperiment load, PinRun pin,
                                 QObject* parent)
    : QObject(parent), controller_(controller), load_(std::move(load)), pin_(std::move(pin)) {
  connect(controller_, &TrainingController::frame, this, &LessonSequencer::onFrame);
  connect(controller_, &TrainingController::stateChanged, this, &LessonSequencer::onState);
  connect(&checks_, &BackgroundJob::finished, this, &LessonSequencer::onChecksFinished);
}

LessonSequencer::~LessonSequencer() = default;

void LessonSequencer::start(const Lesson& lesson) {
  cancel();
  lesson_ = lesson;
  index_ = -1;
  liveRunning_ = true;
  startChecks();
  nextRun();
}

void LessonSequencer::cancel() {
  liveRunning_ = false;
  phase_ = Phase::Idle;
  checks_.cancel();  // its results are not shown: onChecksFinished hears "cancelled"
}

void LessonSequencer::nextRun() {
  if (!liveRunning_) return;
  ++index_;
  if (index_ >= static_cast<int>(lesson_.runs.size())) {
    liveRunning_ = false;
    phase_ = Phase::Idle;
    emit liveRunsFinished();
    return;
  }
  const LessonRun& run = lesson_.runs[index_];
  phase_ = Phase::WaitingForFirstSnapshot;
  sawSnapshot_ = false;
  emit runStarted(index_, QString::fromStdString(run.label));
  load_(run.experiment);
}

void LessonSequencer::finishRun() {
  phase_ = Phase::Idle;
  const QString label = QString::fromStdString(lesson_.runs[index_].label);
  // Every run but the last is pinned, so the later ones overlay it; the last one stays live.
  if (index_ + 1 < static_cast<int>(lesson_.runs.size())) {
    pin_(label);
    emit runPinned(index_, label);
  }
  // After the window has taken this frame: the next run's rebuild starts from a clean slate.
  QTimer::singleShot(0, this, &LessonSequencer::nextRun);
}

void LessonSequencer::onFrame(const TrainingFrame& frame) {
  if (!liveRunning_) return;
  if (!frame.snapshots.empty()) sawSnapshot_ = true;
  // After every receiver of this frame (the window keeps the snapshot we pin) has run.
  QTimer::singleShot(0, this, &LessonSequencer::advance);
}

void LessonSequencer::onState(TrainingController::State state, const QString& message) {
  if (!liveRunning_) return;
  // A build cancelled (Cancel, or Pause while building) ends the lesson's run as a failure does.
  if (state == TrainingController::State::Failed || state == TrainingController::State::Cancelled) {
    liveRunning_ = false;
    phase_ = Phase::Idle;
    emit failed(message);
    return;
  }
  QTimer::singleShot(0, this, &LessonSequencer::advance);
}

void LessonSequencer::advance() {
  if (!liveRunning_) return;
  using State = TrainingController::State;
  const State state = controller_->state();
  if (phase_ == Phase::WaitingForFirstSnapshot && sawSnapshot_ && state != State::Building &&
      state != State::Failed) {
    // The step-0 statistics are on screen. A run of 0 steps is already Finished by now.
    if (controller_->runInfo().plannedSteps <= 0) {
      finishRun();
    } else if (state == State::Ready) {
      phase_ = Phase::Training;
      controller_->train();
    }
  } else if (phase_ == Phase::Training && (state == State::Finished || state == State::Diverged) &&
             controller_->pendingItems() == 0) {
    // The last probe has been delivered (otherwise its frame calls advance() again).
    finishRun();
  }
}

void LessonSequencer::startChecks() {
  checkResults_.clear();
  checksError_.clear();
  checks_.start([this, lesson = lesson_](const BackgroundJob::Context& job) {
    std::vector<CheckResult> results;
    QString error;
    try {
      std::vector<LessonRunResult> runs;
      for (const LessonRun& run : lesson.runs) {
        runs.push_back(runLessonRun(run, [&job] { return job.cancelled(); }));
        if (job.cancelled()) return;
      }
      results = evaluateLessonChecks(lesson, runs);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    // Kept until the thread has ended (onChecksFinished); dropped with a retired run.
    job.post([this, results = std::move(results), error] {
      checkResults_ = results;
      checksError_ = error;
    });
  });
}

void LessonSequencer::onChecksFinished(bool cancelled) {
  // Emitted only now, with checksRunning() false: a receiver that asks running() to decide
  // whether the whole lesson is done gets the right answer. Emitted from the thread's last
  // message while the thread was still running, it got "still running" and nothing asked again:
  // the lesson stayed "running" with its checks shown, and Stop then replaced them.
  if (cancelled) return;
  if (checksError_.isEmpty())
    emit checksReady(checkResults_);
  else
    emit failed(checksError_);
}

}  // namespace layerscope
