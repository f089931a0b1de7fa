#include "lessons/lesson_sequencer.h"

#include <QPointer>
#include <QThread>
#include <QTimer>
#include <exception>
#include <utility>

namespace layerscope {

LessonSequencer::LessonSequencer(TrainingController* controller, LoadExperiment load, PinRun pin,
                                 QObject* parent)
    : QObject(parent), controller_(controller), load_(std::move(load)), pin_(std::move(pin)) {
  connect(controller_, &TrainingController::frame, this, &LessonSequencer::onFrame);
  connect(controller_, &TrainingController::stateChanged, this, &LessonSequencer::onState);
}

LessonSequencer::~LessonSequencer() { stopChecks(true); }

bool LessonSequencer::checksRunning() const { return checks_ && checks_->isRunning(); }

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
  stopChecks();
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
  if (state == TrainingController::State::Failed) {
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
  stopChecks();
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  cancelChecks_ = cancel;
  const Lesson lesson = lesson_;
  QPointer<LessonSequencer> self(this);
  checks_ = QThread::create([lesson, cancel, self] {
    std::vector<CheckResult> results;
    QString error;
    try {
      std::vector<LessonRunResult> runs;
      for (const LessonRun& run : lesson.runs) {
        runs.push_back(runLessonRun(run, [&] { return cancel->load(); }));
        if (cancel->load()) return;
      }
      results = evaluateLessonChecks(lesson, runs);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    if (cancel->load()) return;
    // Delivered in the GUI thread; dropped if the sequencer is gone by then.
    QMetaObject::invokeMethod(
        self.data(),
        [self, results, error] {
          if (!self) return;
          if (error.isEmpty())
            emit self->checksReady(results);
          else
            emit self->failed(error);
        },
        Qt::QueuedConnection);
  });
  checks_->setObjectName(QStringLiteral("layerscope-lesson-checks"));
  checks_->start(QThread::LowPriority);
}

void LessonSequencer::stopChecks(bool wait) {
  if (cancelChecks_) cancelChecks_->store(true);
  if (checks_) {
    // Waiting here froze the window for as long as the check run's current build or probe took
    // (a 10 x 500 network on 1000 x 500 inputs: 0.3 s, seconds in a sanitizer build).
    QThread* thread = std::exchange(checks_, nullptr);
    if (thread->isFinished()) {
      delete thread;
    } else {
      connect(thread, &QThread::finished, thread, &QObject::deleteLater);
      retired_.append(thread);
    }
  }
  retired_.removeAll(nullptr);
  if (wait) {
    for (const QPointer<QThread>& thread : std::as_const(retired_)) {
      if (!thread) continue;
      thread->wait();
      delete thread.data();
    }
    retired_.clear();
  }
}

}  // namespace layerscope
