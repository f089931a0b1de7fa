// measureLayers measures the layers on the compute threads (training/probe.cpp): each layer's
// statistics must be the very numbers one thread gives, whatever the thread count, and the
// run's histogram grids must come out the same.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compute_threads.h"
#include "config.h"
#include "io/stats_io.h"
#include "model/loss.h"
#include "model/network.h"
#include "rng.h"
#include "training/probe.h"

namespace layerscope {
namespace {

// Restores the thread count the test binary runs with (ctest: LAYERSCOPE_THREADS=1).
struct ThreadsRestorer {
  const int before = computeThreadsInUse();
  ~ThreadsRestorer() { setComputeThreads(before); }
};

TEST(ProbeThreads, EveryLayersStatisticsAreTheSameOnOneAndOnSeveralThreads) {
  ThreadsRestorer restore;
  ModelConfig model;
  model.depth = 6;
  model.width = 48;
  model.activation = "tanh";
  Network net(20, 5, model, 11);
  Rng rng(3);
  Matrix x(20, 40);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<Scalar>(rng.normal());
  std::vector<int> y(40);
  for (int s = 0; s < 40; ++s) y[size_t(s)] = s % 5;
  net.input() = x;
  Matrix p, g;
  softmaxCrossEntropy(net.forward(Phase::Evaluation), y.data(), p, &g);
  net.backward(g);

  // Two probes each, so the second one extends grids the first laid.
  const auto measured = [&](int threads) {
    setComputeThreads(threads);
    HistogramGrids grids;
    StatsSnapshot first, second;
    first.layers = measureLayers(net, ActivationKind::Tanh, 12, {}, &grids);
    second.layers = measureLayers(net, ActivationKind::Tanh, 7, {}, &grids);
    return statsJson({first, second}, ExperimentConfig{});
  };
  const std::string one = measured(1);
  ASSERT_NE(one.find("\"layers\""), std::string::npos);
  for (int threads : {2, 3, 8}) EXPECT_EQ(measured(threads), one) << threads << " threads";
}

}  // namespace
}  // namespace layerscope
