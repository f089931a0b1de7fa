// One function run on its own thread, cancellable, that reports to the GUI thread: the one
// pattern of the app's background work besides training (sweeps: sweep/sweep_runner.h; lesson
// checks: lessons/lesson_sequencer.h).
//
// The function gets a Context: cancelled() to poll between units of work (engine loops take it
// as their cancel callback), progress() and post() to hand things to the GUI thread. The job
// delivers, in the GUI thread and in this order: what the run posted, then finished(cancelled)
// once its thread has ended. running() turns false just before finished is emitted, so a
// handler of finished (or of anything posted) never sees a run that has already returned as
// still running.
//
// cancel() only asks; the run still ends with finished(true). start() while a run is in flight
// cancels that run and retires it: the GUI does not wait for it (a build or probe in progress
// can take a while), nothing it posts afterwards is delivered and it emits no finished. The
// destructor cancels every run and joins its thread, so the job can be destroyed at any time.
#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace layerscope {

class BackgroundJob : public QObject {
  Q_OBJECT
  struct Run;

 public:
  // What the function gets. Cheap to copy; valid while the function runs.
  class Context {
   public:
    bool cancelled() const;
    // Emits the job's progress signal in the GUI thread.
    void progress(int done, int total) const;
    // Calls `inGuiThread` in the GUI thread, unless the run has been retired (or the job
    // destroyed) by then.
    void post(std::function<void()> inGuiThread) const;

   private:
    friend class BackgroundJob;
    BackgroundJob* job_ = nullptr;
    std::shared_ptr<Run> run_;
  };
  using Work = std::function<void(const Context&)>;

  // `threadName` names the threads it starts (debuggers, profilers).
  explicit BackgroundJob(QString threadName, QObject* parent = nullptr);
  ~BackgroundJob() override;  // cancels and joins every run, emits nothing

  void start(Work work, QThread::Priority priority = QThread::LowPriority);
  void cancel();  // asks the current run to stop; finished(true) follows
  bool running() const { return current_ != nullptr; }
  // Runs started and not yet joined, retired ones included (tests).
  int threads() const { return static_cast<int>(runs_.size()); }

 signals:
  void progress(int done, int total);
  // The run's function has returned and its thread has ended. `cancelled`: cancel() was called
  // (the run may have finished its work all the same).
  void finished(bool cancelled);

 private:
  struct Run {
    std::atomic<bool> cancel{false};
    QThread* thread = nullptr;
  };
  void onThreadFinished(Run* run);

  QString threadName_;
  std::shared_ptr<Run> current_;
  std::vector<std::shared_ptr<Run>> runs_;  // current and retired, until joined
};

}  // namespace layerscope
