// engine/compute_pool.h: every task of a job runs exactly once, on any thread count, however
// jobs nest or arrive from several threads at once, and while the pool is resized.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "compute_pool.h"

namespace layerscope {
namespace {

TEST(ComputePool, EveryTaskRunsExactlyOnceOnAnyThreadCount) {
  ComputePool pool;
  for (const int threads : {1, 2, 3, 7}) {
    pool.resize(threads);
    EXPECT_EQ(pool.threads(), threads);
    for (const int count : {0, 1, 2, 5, 64, 1000}) {
      std::vector<std::atomic<int>> runs(static_cast<size_t>(count));
      for (int job = 0; job < 20; ++job) pool.forEach(count, [&](int i) { ++runs[size_t(i)]; });
      for (int i = 0; i < count; ++i)
        ASSERT_EQ(runs[size_t(i)].load(), 20) << threads << " threads, task " << i << " of " << count;
    }
  }
}

TEST(ComputePool, MoreThanOneThreadTakesTasks) {
  ComputePool pool;
  pool.resize(3);
  std::atomic<int> inside{0}, most{0};
  // Each task waits (bounded) for a second thread to arrive: with one thread it would time out.
  pool.forEach(3, [&](int) {
    const int now = ++inside;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {}
    for (int spin = 0; spin < 2000000 && most.load() < 2; ++spin) std::this_thread::yield();
    --inside;
  });
  EXPECT_GE(most.load(), 2);
}

TEST(ComputePool, AJobInsideATaskRunsInlineAndWhole) {
  ComputePool pool;
  pool.resize(4);
  std::vector<std::atomic<int>> runs(64);
  pool.forEach(8, [&](int outer) {
    pool.forEach(8, [&](int inner) { ++runs[size_t(outer * 8 + inner)]; });
  });
  for (auto& r : runs) EXPECT_EQ(r.load(), 1);
}

TEST(ComputePool, JobsFromSeveralThreadsAndResizesMeanwhileLoseNothing) {
  ComputePool pool;
  pool.resize(2);
  constexpr int kCallers = 3, kJobs = 200, kTasks = 16;
  std::vector<std::atomic<long>> sums(kCallers);
  std::atomic<bool> resizing{true};
  std::thread resizer([&] {
    for (int r = 0; resizing; ++r) pool.resize(1 + r % 4);
  });
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c)
    callers.emplace_back([&, c] {
      for (int j = 0; j < kJobs; ++j) pool.forEach(kTasks, [&](int i) { sums[size_t(c)] += i + 1; });
    });
  for (auto& t : callers) t.join();
  resizing = false;
  resizer.join();
  for (auto& s : sums) EXPECT_EQ(s.load(), long(kJobs) * kTasks * (kTasks + 1) / 2);
}

}  // namespace
}  // namespace layerscope
