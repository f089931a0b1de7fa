#include "compute_pool.h"

#include <sched.h>

#include <algorithm>

namespace layerscope {
namespace {

// A waiting thread first spins (about 50-100 microseconds: a step's next product comes sooner),
// then yields its core to other runnable threads for a while, then sleeps on the condition.
constexpr int kSpins = 4000;
constexpr int kYields = 200;

// Set while a thread runs a job's tasks: a job asked for from inside one runs inline.
thread_local bool insideJob = false;

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

}  // namespace

ComputePool& ComputePool::shared() {
  static ComputePool pool;
  return pool;
}

ComputePool::~ComputePool() { stopWorkers(); }

void ComputePool::stopWorkers() {
  {
    std::lock_guard<std::mutex> lock(sleepMutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
  workers_.clear();
  threads_ = 1;
  stop_ = false;
}

void ComputePool::resize(int threads) {
  threads = std::max(1, threads);
  std::lock_guard<std::mutex> job(jobMutex_);
  if (threads == this->threads()) return;
  stopWorkers();
  const std::uint64_t now = generation_.load();
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, now] { workerLoop(now); });
  threads_ = threads;
}

void ComputePool::drain() {
  insideJob = true;
  for (int i; (i = next_.fetch_add(1, std::memory_order_relaxed)) < count_;) function_(context_, i);
  insideJob = false;
}

void ComputePool::run(int count, TaskFunction function, void* context) {
  if (count <= 0) return;
  std::unique_lock<std::mutex> job(jobMutex_, std::defer_lock);
  // workers_ is read only under the job lock: resize() may be changing it on another thread.
  if (count == 1 || insideJob || threads() == 1 || !job.try_lock() || workers_.empty()) {
    for (int i = 0; i < count; ++i) function(context, i);
    return;
  }
  count_ = count;
  function_ = function;
  context_ = context;
  next_.store(0, std::memory_order_relaxed);
  busyWorkers_.store(int(workers_.size()), std::memory_order_relaxed);
  generation_.fetch_add(1);  // publishes the job (sequentially consistent, as sleeping_ below)
  if (sleeping_.load() > 0) {
    std::lock_guard<std::mutex> lock(sleepMutex_);
    wake_.notify_all();
  }
  drain();
  // Every worker must have left this job before the next one rewrites it.
  for (int spin = 0; busyWorkers_.load(std::memory_order_acquire) > 0; ++spin) {
    if (spin < kSpins) cpuRelax();
    else sched_yield();
  }
}

void ComputePool::workerLoop(std::uint64_t seen) {
  for (;;) {
    for (int spin = 0; generation_.load() == seen && !stop_.load(std::memory_order_relaxed); ++spin) {
      if (spin < kSpins) {
        cpuRelax();
      } else if (spin < kSpins + kYields) {
        sched_yield();
      } else {
        std::unique_lock<std::mutex> lock(sleepMutex_);
        ++sleeping_;
        wake_.wait(lock, [&] { return generation_.load() != seen || stop_.load(); });
        --sleeping_;
      }
    }
    if (stop_.load()) return;
    seen = generation_.load();
    drain();
    busyWorkers_.fetch_sub(1, std::memory_order_release);
  }
}

}  // namespace layerscope
