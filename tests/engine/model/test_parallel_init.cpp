// The weights drawn on several threads are the very numbers one thread draws from the one
// weight stream, bit for bit, for every thread count (model/initializer.h initializeAllWeights):
// a run's numbers depend on its seed, never on the machine's cores.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "model/initializer.h"
#include "model/layers/dense.h"
#include "model/network.h"
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

class ParallelInit : public ::testing::TestWithParam<const char*> {};

TEST_P(ParallelInit, BitIdenticalToOneStreamForEveryThreadCount) {
  InitializerSpec spec;
  spec.name = GetParam();
  spec.std = 0.3;
  spec.bound = 0.2;
  const std::uint64_t seed = 20240611;
  const std::vector<Matrix> expected = drawnSequentially(spec, seed);
  for (int threads : {1, 2, 3, 7}) {
    const std::vector<Matrix> got = drawnOn(threads, spec, seed);
    for (size_t m = 0; m < expected.size(); ++m) {
      // Exact: memcmp-equal floats (== would also pass -0 against +0).
      ASSERT_EQ(std::memcmp(got[m].data(), expected[m].data(), sizeof(float) * expected[m].size()), 0)
          << spec.name << ", " << threads << " threads, matrix " << m;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Initializers, ParallelInit,
                         ::testing::Values("normal", "xavier_normal", "he_normal", "lecun_normal",
                                           "uniform", "xavier_uniform", "he_uniform", "zeros",
                                           "constant"));

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
