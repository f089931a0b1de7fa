// LayerScope's training against PyTorch, step by step, in the spirit of llm.c's test_gpt2.c.
//
// tests/data/torch_reference.json holds a small data set and, for each case, a LayerScope
// experiment (model and training settings, in the experiment-file format of
// engine/io/experiment_file.h), LayerScope's initial parameters, the batches and dropout masks
// LayerScope drew, and what PyTorch computed from exactly those: the data loss of every step,
// the final parameters and the batch-norm running statistics.
// tests/reference/make_torch_reference.py writes it (see tests/reference/README.md); it gets the
// initial parameters, batches and masks from the engine through the disabled test
// TorchReference.DISABLED_WriteEngineRuns below, so both frameworks start from the same numbers
// and see the same batches and masks. The replay here runs the real Trainer and compares.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "io/experiment_file.h"
#include "model/layers/batch_norm.h"
#include "model/layers/dropout.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

using nlohmann::json;

const char* const kReferencePath = LAYERSCOPE_TEST_DATA_DIR "/torch_reference.json";
const char* const kRegenerate =
    "regenerate it: /usr/bin/python3 tests/reference/make_torch_reference.py build/tests/engine_tests";

// float32 training: PyTorch and LayerScope round differently (summation order, a product where
// the other divides), so the numbers agree to a few float ulps per step, grown over 10 steps.
constexpr double kLossRelativeTolerance = 1e-4;
constexpr double kParameterRelativeTolerance = 1e-4;
constexpr double kParameterAbsoluteTolerance = 1e-5;

json readJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return json::parse(in);
}

// The data set: "x" one sample per row, "y" class indices.
DataSplits dataOf(const json& data) {
  DataSplits splits;
  const json& x = data.at("x");
  const int samples = static_cast<int>(x.size());
  const int features = data.at("features").get<int>();
  splits.train.x.resize(features, samples);
  for (int j = 0; j < samples; ++j)
    for (int i = 0; i < features; ++i) splits.train.x(i, j) = x[j][i].get<Scalar>();
  splits.train.y = data.at("y").get<std::vector<int>>();
  splits.train.classes = data.at("classes").get<int>();
  splits.validation.x.resize(features, 0);
  splits.test.x.resize(features, 0);
  return splits;
}

ExperimentConfig configOf(const json& c) {
  return experimentFromJson(c.at("experiment").dump(),
                            "torch_reference case " + c.at("name").get<std::string>());
}

// The training sample of each column of the batch the trainer just used (preprocessing is
// "none", so the batch holds the data's own columns).
std::vector<int> batchIndices(const Trainer& trainer) {
  const Matrix& batch = trainer.network().values()[0];
  const Matrix& x = trainer.data().train.x;
  std::vector<int> indices;
  for (Eigen::Index j = 0; j < batch.cols(); ++j) {
    int found = -1;
    for (Eigen::Index i = 0; i < x.cols() && found < 0; ++i)
      if (x.col(i) == batch.col(j)) found = static_cast<int>(i);
    indices.push_back(found);
  }
  return indices;
}

// Each dropout layer's mask of the last step as '1' (kept) / '0' (dropped), in the mask's
// memory order: unit fastest, then sample, i.e. row-major (batch, units) as PyTorch lays it out.
std::vector<std::string> dropoutMasks(const Network& network) {
  std::vector<std::string> masks;
  for (const LayerPtr& layer : network.layers())
    if (const auto* dropout = dynamic_cast<const Dropout*>(layer.get())) {
      const Matrix& m = dropout->mask();
      std::string s(static_cast<size_t>(m.size()), '0');
      for (Eigen::Index k = 0; k < m.size(); ++k)
        if (m.data()[k] != 0) s[static_cast<size_t>(k)] = '1';
      masks.push_back(s);
    }
  return masks;
}

std::vector<const BatchNorm*> batchNorms(const Network& network) {
  std::vector<const BatchNorm*> norms;
  for (const LayerPtr& layer : network.layers())
    if (const auto* bn = dynamic_cast<const BatchNorm*>(layer.get())) norms.push_back(bn);
  return norms;
}

json parameterLayout(const Network& network) {
  json layout = json::array();
  for (const Network::ParameterBlock& b : network.parameterBlocks())
    layout.push_back({{"layer", b.layer},
                      {"kind", network.layers()[b.layer]->kind()},
                      {"name", b.info.name},
                      {"offset", b.info.offset},
                      {"rows", b.info.rows},
                      {"cols", b.info.cols}});
  return layout;
}

std::vector<double> toDoubles(const Vector& v) {
  return std::vector<double>(v.data(), v.data() + v.size());
}

// Where parameter `k` lives, for messages: "layer 3 (batch_norm) gamma[2]".
std::string parameterName(const Network& network, Eigen::Index k) {
  for (const Network::ParameterBlock& b : network.parameterBlocks()) {
    const Eigen::Index size = b.info.rows * b.info.cols;
    if (k >= b.info.offset && k < b.info.offset + size) {
      const Eigen::Index i = k - b.info.offset;
      std::string where = "layer " + std::to_string(b.layer) + " (" +
                          network.layers()[b.layer]->kind() + ") " + b.info.name;
      if (b.info.cols > 1)
        return where + "(" + std::to_string(i % b.info.rows) + "," + std::to_string(i / b.info.rows) + ")";
      return where + "[" + std::to_string(i) + "]";
    }
  }
  return "parameter " + std::to_string(k);
}

// The bias of a dense layer that feeds a batch norm: batch norm subtracts the batch mean, so
// the loss does not depend on it and its gradient is zero in exact arithmetic. What either
// framework computes for it is rounding noise (~1e-9); SGD moves it by lr x noise (nothing),
// but Adam divides the noise by its own magnitude and moves it by up to lr a step in a random
// direction. Its final value under Adam is therefore not a property of the implementation.
bool biasBeforeBatchNorm(const Network& network, const Network::ParameterBlock& b) {
  const size_t next = static_cast<size_t>(b.layer) + 1;
  return b.info.name == "b" && next < network.layers().size() &&
         network.layers()[next]->kind() == "batch_norm";
}

// The engine's side of the reference, for tests/reference/make_torch_reference.py: it sets
// LAYERSCOPE_TORCH_REFERENCE_CASES (data and experiments) and LAYERSCOPE_TORCH_REFERENCE_RUNS
// (where to write) and runs this test alone. For each case: the parameter layout, the initial
// parameters, and per step the batch (sample indices), the dropout masks and the loss, then the
// final parameters.
TEST(TorchReference, DISABLED_WriteEngineRuns) {
  const char* casesPath = std::getenv("LAYERSCOPE_TORCH_REFERENCE_CASES");
  const char* runsPath = std::getenv("LAYERSCOPE_TORCH_REFERENCE_RUNS");
  ASSERT_TRUE(casesPath && runsPath) << "set LAYERSCOPE_TORCH_REFERENCE_CASES and _RUNS";
  const json input = readJson(casesPath);
  const int steps = input.at("steps").get<int>();
  json runs = json::array();
  for (const json& c : input.at("cases")) {
    Trainer trainer(configOf(c), dataOf(input.at("data")));
    json run;
    run["name"] = c.at("name");
    run["layout"] = parameterLayout(trainer.network());
    run["initial_parameters"] = toDoubles(trainer.network().parameters());
    for (int s = 0; s < steps; ++s) {
      const StepResult r = trainer.trainStep();
      ASSERT_TRUE(r.finite);
      run["losses"].push_back(r.loss);
      run["batches"].push_back(batchIndices(trainer));
      run["masks"].push_back(dropoutMasks(trainer.network()));
    }
    run["final_parameters"] = toDoubles(trainer.network().parameters());
    for (const BatchNorm* bn : batchNorms(trainer.network())) {
      run["running_mean"].push_back(toDoubles(bn->runningMean()));
      run["running_var"].push_back(toDoubles(bn->runningVar()));
    }
    runs.push_back(run);
  }
  std::ofstream(runsPath) << json{{"runs", runs}}.dump() << "\n";
}

// The replay: the same experiment, started from the recorded initial parameters, must draw the
// recorded batches and masks (else the reference is stale: LayerScope's random streams changed)
// and must then compute PyTorch's losses, parameters and running statistics.
TEST(TorchReference, TrainingMatchesPyTorch) {
  const json reference = readJson(kReferencePath);
  const int steps = reference.at("steps").get<int>();
  ASSERT_GE(reference.at("cases").size(), 4u);
  for (const json& c : reference.at("cases")) {
    const std::string name = c.at("name").get<std::string>();
    SCOPED_TRACE("case " + name);
    Trainer trainer(configOf(c), dataOf(reference.at("data")));
    Network& network = trainer.network();

    const std::vector<Scalar> initial = c.at("initial_parameters").get<std::vector<Scalar>>();
    ASSERT_EQ(c.at("layout"), parameterLayout(network))
        << "the network's parameter layout changed since " << kReferencePath << " was made; "
        << kRegenerate;
    network.parameters() = Eigen::Map<const Vector>(initial.data(), Eigen::Index(initial.size()));

    double worstLoss = 0.0;
    int lossFailures = 0;
    for (int s = 0; s < steps; ++s) {
      const StepResult r = trainer.trainStep();
      ASSERT_EQ(batchIndices(trainer), c.at("batches")[s].get<std::vector<int>>())
          << "step " << s + 1 << ": LayerScope's shuffling changed since the reference was made; "
          << kRegenerate;
      ASSERT_EQ(dropoutMasks(network), c.at("masks")[s].get<std::vector<std::string>>())
          << "step " << s + 1 << ": LayerScope's dropout masks changed since the reference was "
          << "made; " << kRegenerate;
      const double expected = c.at("torch_losses")[s].get<double>();
      const double relative = std::abs(r.loss - expected) / std::abs(expected);
      worstLoss = std::max(worstLoss, relative);
      if (relative > kLossRelativeTolerance && ++lossFailures == 1)  // the first says most
        ADD_FAILURE() << "step " << s + 1 << ": loss " << r.loss << ", PyTorch " << expected
                      << " (relative difference " << relative << ")";
    }
    EXPECT_EQ(lossFailures, 0) << "steps whose loss differs from PyTorch's by more than "
                               << kLossRelativeTolerance << " (relative)";

    const std::vector<double> expected = c.at("torch_final_parameters").get<std::vector<double>>();
    ASSERT_EQ(expected.size(), size_t(network.parameters().size()));
    const bool adam = trainer.config().train.optimizer == "adam";
    double worstAbsolute = 0.0, worstRelative = 0.0;  // relative: where |PyTorch| >= 0.01
    double worstIgnored = 0.0;
    int failures = 0;
    for (const Network::ParameterBlock& b : network.parameterBlocks()) {
      const bool ignored = adam && biasBeforeBatchNorm(network, b);
      for (Eigen::Index i = 0; i < b.info.rows * b.info.cols; ++i) {
        const Eigen::Index k = b.info.offset + i;
        const double ours = network.parameters()[k], theirs = expected[size_t(k)];
        const double difference = std::abs(ours - theirs);
        if (ignored) {
          worstIgnored = std::max(worstIgnored, difference);
          continue;
        }
        worstAbsolute = std::max(worstAbsolute, difference);
        if (std::abs(theirs) >= 0.01) worstRelative = std::max(worstRelative, difference / std::abs(theirs));
        const double allowed = kParameterAbsoluteTolerance + kParameterRelativeTolerance * std::abs(theirs);
        if (difference > allowed && ++failures <= 5)
          ADD_FAILURE() << parameterName(network, k) << " after " << steps << " steps: " << ours
                        << ", PyTorch " << theirs;
      }
    }
    EXPECT_EQ(failures, 0) << "parameters differing from PyTorch's";

    const std::vector<const BatchNorm*> norms = batchNorms(network);
    ASSERT_EQ(norms.size(), c.value("torch_running_mean", json::array()).size());
    double worstMeanIgnored = 0.0;
    int statisticsFailures = 0;
    const auto compareStatistic = [&](const char* what, size_t l, Eigen::Index u, double ours,
                                      double theirs) {
      const double allowed = kParameterAbsoluteTolerance + kParameterRelativeTolerance * std::abs(theirs);
      if (std::abs(ours - theirs) > allowed && ++statisticsFailures <= 5)
        ADD_FAILURE() << "batch norm " << l << " " << what << "[" << u << "] after " << steps
                      << " steps: " << ours << ", PyTorch " << theirs;
    };
    for (size_t l = 0; l < norms.size(); ++l) {
      const auto mean = c.at("torch_running_mean")[l].get<std::vector<double>>();
      const auto var = c.at("torch_running_var")[l].get<std::vector<double>>();
      for (Eigen::Index u = 0; u < norms[l]->runningMean().size(); ++u) {
        const double m = mean[size_t(u)];
        // The running mean averages W x + b, so under Adam it carries that bias's noise-driven
        // steps (biasBeforeBatchNorm); the running variance does not depend on b.
        if (adam)
          worstMeanIgnored = std::max(worstMeanIgnored, std::abs(norms[l]->runningMean()[u] - m));
        else
          compareStatistic("running mean", l, u, norms[l]->runningMean()[u], m);
        compareStatistic("running variance", l, u, norms[l]->runningVar()[u], var[size_t(u)]);
      }
    }
    EXPECT_EQ(statisticsFailures, 0) << "batch-norm running statistics differing from PyTorch's";
    std::cout << "[ torch    ] " << name << ": max relative loss difference " << worstLoss
              << "; parameters: max absolute difference " << worstAbsolute
              << ", max relative " << worstRelative;
    if (adam && !norms.empty())
      std::cout << " (not compared: biases before batch norm, max absolute difference "
                << worstIgnored << "; running means " << worstMeanIgnored << ")";
    std::cout << "\n";
  }
}

}  // namespace
}  // namespace layerscope
