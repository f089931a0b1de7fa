#include "common/background_job.h"

#include <QMetaObject>
#include <algorithm>
#include <utility>

namespace layerscope {

bool BackgroundJob::Context::cancelled() const { return run_->cancel.load(); }

void BackgroundJob::Context::progress(int done, int total) const {
  BackgroundJob* job = job_;
  post([job, done, total] { emit job->progress(done, total); });
}

void BackgroundJob::Context::post(std::function<void()> inGuiThread) const {
  // Queued to the job: delivered in its (the GUI) thread, in the order posted, before the
  // finished signal (QThread::finished is queued to it after the function has returned). A
  // job being destroyed is still alive here: its destructor joins this thread first, and
  // QObject's destructor then discards what was not delivered.
  BackgroundJob* job = job_;
  QMetaObject::invokeMethod(
      job,
      [job, run = run_, f = std::move(inGuiThread)] {
        if (job->current_ == run) f();  // a retired run's results belong to nobody
      },
      Qt::QueuedConnection);
}

BackgroundJob::BackgroundJob(QString threadName, QObject* parent)
    : QObject(parent), threadName_(std::move(threadName)) {}

BackgroundJob::~BackgroundJob() {
  for (const auto& run : runs_) run->cancel = true;
  for (const auto& run : runs_) {
    run->thread->wait();
    delete run->thread;
  }
}

void BackgroundJob::start(Work work, QThread::Priority priority) {
  if (current_) {
    // Retired, not waited for: the window stays responsive while it reaches its next
    // cancellation point. onThreadFinished deletes its thread; the destructor joins it.
    current_->cancel = true;
    current_.reset();
  }
  auto run = std::make_shared<Run>();
  Context context;
  context.job_ = this;
  context.run_ = run;
  run->thread = QThread::create([work = std::move(work), context] { work(context); });
  run->thread->setObjectName(threadName_);
  Run* key = run.get();
  // Queued: QThread::finished is emitted in the ending thread, after the function returned.
  connect(run->thread, &QThread::finished, this, [this, key] { onThreadFinished(key); },
          Qt::QueuedConnection);
  runs_.push_back(run);
  current_ = run;
  run->thread->start(priority);
}

void BackgroundJob::cancel() {
  if (current_) current_->cancel = true;
}

void BackgroundJob::onThreadFinished(Run* key) {
  const auto it = std::find_if(runs_.begin(), runs_.end(),
                               [key](const std::shared_ptr<Run>& r) { return r.get() == key; });
  if (it == runs_.end()) return;
  const std::shared_ptr<Run> run = *it;
  runs_.erase(it);
  run->thread->wait();  // finished is emitted just before the thread ends: this is short
  delete run->thread;
  run->thread = nullptr;
  if (run != current_) return;  // retired: nobody is told
  // Not running any more before anyone hears of it: a handler that asks running() (is the
  // whole task done?) gets the truth. The other order left a lesson "running" for good.
  current_.reset();
  emit finished(run->cancel.load());
}

}  // namespace layerscope
