#pragma once
// The compute threads: a persistent pool that runs the tiles of each product (gemm.h) and the
// chunks of element-wise work (parallel_chunks.h).
//
// Why a pool of our own rather than OpenMP's team: its waiting threads spin at full speed, so on
// a machine busy with other work (a build, a second test) a spinning thread takes the core from
// the one still computing the last tile, and each of a step's ~60 parallel sections waits for a
// scheduler tick. On 2 busy cores that made 2 threads 6x slower than 1 (the article's net,
// 3.4 against 20.6 steps/s; docs/BENCHMARKS.md). Here a waiting thread spins briefly (the next
// product of a step follows within microseconds), then yields its core to whoever needs it,
// then sleeps until work comes.
//
// Results never depend on the thread count: a job is a fixed list of tasks (tiles, chunks), each
// computed whole by whichever thread takes it.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace layerscope {

class ComputePool {
 public:
  // The process's pool (compute_threads.h sizes it).
  static ComputePool& shared();

  ComputePool() = default;
  ComputePool(const ComputePool&) = delete;
  ComputePool& operator=(const ComputePool&) = delete;
  ~ComputePool();

  // Threads that share a job, the caller included (at least 1). Waits for a running job.
  void resize(int threads);
  int threads() const { return threads_.load(std::memory_order_relaxed); }

  // task(i) for every i in [0, count), on the caller and the workers; returns when all are done.
  // A job started while another runs (a second trainer's thread, or a task that itself asks for
  // a job) runs on its caller alone: same tasks, same results.
  template <class Task>
  void forEach(int count, Task&& task) {
    using Callable = std::remove_reference_t<Task>;
    run(count, [](void* context, int i) { (*static_cast<Callable*>(context))(i); },
        const_cast<void*>(static_cast<const void*>(&task)));
  }

 private:
  using TaskFunction = void (*)(void*, int);
  void run(int count, TaskFunction function, void* context);
  void drain();
  void workerLoop(std::uint64_t seenGeneration);
  void stopWorkers();

  std::mutex jobMutex_;  // one job at a time
  std::mutex sleepMutex_;
  std::condition_variable wake_;
  std::atomic<std::uint64_t> generation_{0};  // one more per job: what wakes the workers
  std::atomic<int> next_{0};                  // the next task to take
  std::atomic<int> busyWorkers_{0};           // workers not yet done with the current job
  std::atomic<int> sleeping_{0};
  std::atomic<bool> stop_{false};
  std::atomic<int> threads_{1};  // workers_.size() + 1, readable without the job lock
  int count_ = 0;
  TaskFunction function_ = nullptr;
  void* context_ = nullptr;
  std::vector<std::thread> workers_;
};

}  // namespace layerscope
