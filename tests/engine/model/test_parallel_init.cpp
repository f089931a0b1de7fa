// The weights drawn on several threads are the very numbers one thread draws from the one
// weight stream, bit for bit, for every thread count (model/initializer.h initializeAllWeights):
// a run's numbers depend on its seed, never on the machine's cores.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "compute_pool.h"
#include "compute_threads.h"
#include "model/initializer.h"
#include "model/layers/dense.h"
#include "model/network.h"
#include "progress.h"
#include "rng.h"

namespace layerscope {
namespace {

// Odd sizes, so a Box-Muller pair straddles two matrices and two threads' shares; each large
// enough (> 2^16 weights a thread) for up to 7 threads to share it.
const std::vector<std::pair<int, int>> kShapes = {{513, 301}, {301, 1001}, {7, 3}, {1000, 777}};

std::vector<Matrix> drawnSequentially(const InitializerSpec& spec, std::uint64_t seed) {
  Rng rng = Rng::derived(seed, kStreamWeights);
  std::vector<Matrix> out;
  for (const auto& [rows, cols] : kShapes) {
    out.emplace_back(rows, cols);
    initializeWeights(spec, out.back(), rng);
  }
  return out;
}

std::vector<Matrix> drawnOn(int threads, const InitializerSpec& spec, std::uint64_t seed) {
  std::vector<Matrix> out;
  for (const auto& [rows, cols] : kShapes) out.emplace_back(rows, cols);
  std::vector<Eigen::Ref<Matrix>> refs;
  for (Matrix& m : out) refs.emplace_back(m);
  initializeAllWeights(spec, refs, seed, threads);
  return out;
}

// Restores the thread count the test binary runs with (ctest: LAYERSCOPE_THREADS=1).
struct ThreadsRestorer {
  const int before = computeThreadsInUse();
  ~ThreadsRestorer() { setComputeThreads(before); }
};

class ParallelInit : public ::testing::TestWithParam<const char*> {};

TEST_P(ParallelInit, BitIdenticalToOneStreamForEveryThreadCount) {
  InitializerSpec spec;
  spec.name = GetParam();
  spec.std = 0.3;
  spec.bound = 0.2;
  const std::uint64_t seed = 20240611;
  const std::vector<Matrix> expected = drawnSequentially(spec, seed);
  ThreadsRestorer restore;
  for (int threads : {1, 2, 3, 7}) {
    setComputeThreads(threads);  // the pool's threads, which draw (compute_pool.h)
    // All of the pool's threads, and at most 2 of them (the others wait for the caller).
    for (int limit : {0, 2}) {
      const std::vector<Matrix> got = drawnOn(limit, spec, seed);
      for (size_t m = 0; m < expected.size(); ++m) {
        // Exact: memcmp-equal floats (== would also pass -0 against +0).
        ASSERT_EQ(std::memcmp(got[m].data(), expected[m].data(), sizeof(float) * expected[m].size()), 0)
            << spec.name << ", " << threads << " threads, at most " << limit << ", matrix " << m;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Initializers, ParallelInit,
                         ::testing::Values("normal", "xavier_normal", "he_normal", "lecun_normal",
                                           "uniform", "xavier_uniform", "he_uniform", "zeros",
                                           "constant"));

TEST(ParallelInit, DrawnInsideAPoolTaskTheWeightsAreTheSameAndTheReportsOnItsThread) {
  // A pool task asking for a job runs it inline (compute_pool.h): no deadlock, and the reports
  // come from the thread that called.
  ThreadsRestorer restore;
  setComputeThreads(3);
  InitializerSpec spec;
  spec.name = "he_normal";
  const std::vector<Matrix> expected = drawnSequentially(spec, 9);
  std::vector<Matrix> got[2];
  bool reportsOnTheCaller[2] = {false, false};
  ComputePool::shared().forEach(2, [&](int t) {
    for (const auto& [rows, cols] : kShapes) got[t].emplace_back(rows, cols);
    std::vector<Eigen::Ref<Matrix>> refs;
    for (Matrix& m : got[t]) refs.emplace_back(m);
    const std::thread::id self = std::this_thread::get_id();
    int reports = 0, elsewhere = 0;
    Progress progress;
    progress.report = [&](const std::string&, double) {
      ++reports;
      if (std::this_thread::get_id() != self) ++elsewhere;
    };
    initializeAllWeights(spec, refs, 9, 0, &progress);
    reportsOnTheCaller[t] = reports > 2 && elsewhere == 0;
  });
  for (int t = 0; t < 2; ++t) {
    EXPECT_TRUE(reportsOnTheCaller[t]) << "task " << t;
    for (size_t m = 0; m < expected.size(); ++m) EXPECT_EQ(got[t][m], expected[m]) << "task " << t;
  }
}

TEST(ParallelInit, ACancelStopsTheDrawingOnTheCallingThread) {
  // On several threads, and on fewer than the pool's: the calling thread reports and is
  // cancelled (engine/progress.h), and no layer is reported after the one cancelled.
  ThreadsRestorer restore;
  InitializerSpec spec;
  spec.name = "xavier_uniform";
  for (int threads : {2, 3}) {
    setComputeThreads(threads);
    for (int limit : {0, 2}) {
      std::vector<Matrix> out;
      for (const auto& [rows, cols] : kShapes) out.emplace_back(rows, cols);
      std::vector<Eigen::Ref<Matrix>> refs;
      for (Matrix& m : out) refs.emplace_back(m);
      const std::thread::id self = std::this_thread::get_id();
      std::vector<std::string> phases;
      int elsewhere = 0;
      Progress progress;
      progress.report = [&](const std::string& phase, double) {
        phases.push_back(phase);
        if (std::this_thread::get_id() != self) ++elsewhere;
      };
      progress.cancelled = [&] { return phases.back().rfind("Drawing weights, layer 2/", 0) == 0; };
      EXPECT_THROW(initializeAllWeights(spec, refs, 3, limit, &progress), Cancelled)
          << threads << " threads, at most " << limit;
      EXPECT_EQ(elsewhere, 0);
      ASSERT_FALSE(phases.empty());
      EXPECT_EQ(phases.back(), "Drawing weights, layer 2/4");
    }
  }
}

TEST(ParallelInit, OrthogonalIsTheSequentialStreamToo) {
  // QR per matrix, drawn on one thread: small shapes keep the test fast.
  InitializerSpec spec;
  spec.name = "orthogonal";
  Rng rng = Rng::derived(5, kStreamWeights);
  Matrix a(40, 30), b(30, 50), c(40, 30), d(30, 50);
  initializeWeights(spec, a, rng);
  initializeWeights(spec, b, rng);
  std::vector<Eigen::Ref<Matrix>> refs{c, d};
  initializeAllWeights(spec, refs, 5, 4);
  EXPECT_EQ(a, c);
  EXPECT_EQ(b, d);
}

TEST(ParallelInit, ANetworksWeightsAreTheOneStreamsInLayerOrder) {
  ModelConfig model;
  model.depth = 2;
  model.width = 600;  // 360 000 weights in the middle layer: shared between threads
  model.init = "xavier_normal";
  const Network net(401, 10, model, 77);
  Rng rng = Rng::derived(77, kStreamWeights);
  InitializerSpec spec{model.init, model.initStd, model.initBound, model.initConstant};
  for (const LayerView& view : net.layerViews()) {
    if (view.dense < 0) continue;
    const Dense& dense = net.dense(view.dense);
    Matrix expected(dense.weights().rows(), dense.weights().cols());
    initializeWeights(spec, expected, rng);
    EXPECT_EQ(Matrix(dense.weights()), expected) << "layer " << view.index;
  }
}

}  // namespace
}  // namespace layerscope
