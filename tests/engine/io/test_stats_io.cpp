// The statistics writers: CSV shape and header, NaN as an empty field / null, values that read
// back exactly (9 significant digits hold every float), JSON that parses with its numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "io/stats_io.h"

namespace layerscope {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> splitFields(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.push_back("");
  return fields;
}

Histogram histogram(double lo, double hi, std::vector<std::uint32_t> counts) {
  Histogram h;
  h.lo = lo;
  h.hi = hi;
  h.counts = std::move(counts);
  return h;
}

// Two snapshots of a network with one hidden layer: layers 0 (input), 1 (hidden), 2 (output).
std::vector<StatsSnapshot> twoSnapshots() {
  std::vector<StatsSnapshot> snapshots;
  for (int s = 0; s < 2; ++s) {
    StatsSnapshot snap;
    snap.step = s * 100;
    snap.epoch = s;
    snap.learningRate = 0.01;
    snap.trainLoss = s == 0 ? kNaN : 0.693147182;  // no batches before step 0
    snap.probeLoss = 1.0 / 3.0;
    snap.probeAccuracy = 0.5;
    snap.validationLoss = kNaN;  // no validation split
    snap.validationAccuracy = kNaN;
    for (int l = 0; l < 3; ++l) {
      LayerStats layer;
      layer.layer = l;
      layer.kind = l == 0 ? "input" : l == 1 ? "hidden" : "output";
      layer.units = l == 0 ? 4 : l == 1 ? 8 : 3;
      layer.activation = {0.125 * l, static_cast<float>(0.1f * (l + 1)), -1.0, 1.0};
      layer.preActivation = {-0.5, 2.0, -3.0, 3.0};
      layer.saturatedFraction = 0.25;
      layer.activationHistogram = histogram(-1.0, 1.0, {1, 2, 3, 4});
      layer.preActivationHistogram = histogram(-3.0, 3.0, {5, 0, 5});
      if (l == 0) {
        layer.gradientStd = layer.weightStd = layer.weightGradientStd = layer.updateRatio = kNaN;
      } else {
        layer.gradientStd = 1e-7;
        layer.weightStd = 0.05;
        layer.weightGradientStd = 2e-3;
        layer.updateRatio = s == 0 ? kNaN : 1e-3;
        layer.gradientHistogram = histogram(-0.1, 0.1, {0, 7});
        layer.gradientSnr = 0.0625 * l;
      }
      if (l == 1) {
        layer.effectiveRank = 3.5;
        layer.effectiveRankNormalized = 3.5 / 8;
      }
      snap.layers.push_back(layer);
    }
    snapshots.push_back(snap);
  }
  return snapshots;
}

TEST(StatsIoCsv, HeaderAndOneRowPerSnapshotAndLayer) {
  const std::vector<std::string> lines = splitLines(statsCsv(twoSnapshots()));
  ASSERT_EQ(lines.size(), 1u + 2 * 3);
  EXPECT_EQ(lines[0],
            "step,epoch,layer,kind,units,mean,std,min,max,pre_mean,pre_std,pre_min,pre_max,"
            "saturated_fraction,dead_fraction,dead_unit_fraction,gradient_std,weight_std,"
            "weight_gradient_std,update_ratio,train_loss,probe_loss,probe_accuracy,"
            "validation_loss,validation_accuracy,effective_rank,effective_rank_normalized,"
            "gradient_snr");
  const size_t columns = splitFields(lines[0]).size();
  for (size_t i = 1; i < lines.size(); ++i) EXPECT_EQ(splitFields(lines[i]).size(), columns) << i;
  EXPECT_EQ(statsCsv({}), lines[0] + "\n");  // header only
}

TEST(StatsIoCsv, NaNIsAnEmptyFieldAndNumbersReadBackExactly) {
  const std::vector<std::string> lines = splitLines(statsCsv(twoSnapshots()));
  const std::vector<std::string> header = splitFields(lines[0]);
  const auto column = [&](const std::string& name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const std::vector<std::string> input0 = splitFields(lines[1]);   // step 0, layer 0
  const std::vector<std::string> hidden1 = splitFields(lines[5]);  // step 100, layer 1
  EXPECT_EQ(input0[column("step")], "0");
  EXPECT_EQ(input0[column("kind")], "input");
  EXPECT_EQ(input0[column("gradient_std")], "");
  EXPECT_EQ(input0[column("train_loss")], "");
  EXPECT_EQ(input0[column("validation_accuracy")], "");
  EXPECT_EQ(hidden1[column("step")], "100");
  EXPECT_EQ(hidden1[column("epoch")], "1");
  EXPECT_EQ(hidden1[column("layer")], "1");
  EXPECT_EQ(hidden1[column("units")], "8");
  EXPECT_EQ(hidden1[column("gradient_std")], "1e-07");
  EXPECT_EQ(hidden1[column("update_ratio")], "0.001");
  EXPECT_EQ(hidden1[column("probe_loss")], "0.333333333");  // %.9g
  // The layer-health columns, last in the row.
  EXPECT_EQ(column("gradient_snr"), header.size() - 1);
  EXPECT_EQ(hidden1[column("effective_rank")], "3.5");
  EXPECT_EQ(hidden1[column("effective_rank_normalized")], "0.4375");
  EXPECT_EQ(hidden1[column("gradient_snr")], "0.0625");
  EXPECT_EQ(input0[column("effective_rank")], "");  // NaN: not measured
  EXPECT_EQ(input0[column("gradient_snr")], "");
  // A float statistic reads back to the same float.
  const float stdValue = 0.1f * 2;
  EXPECT_EQ(std::stof(hidden1[column("std")]), stdValue);
}

TEST(StatsIoCsv, HistogramsInLongFormat) {
  const std::vector<std::string> lines = splitLines(statsHistogramsCsv(twoSnapshots()));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "step,layer,quantity,bin,lo,hi,count");
  // Per snapshot: 3 layers x (4 activation + 3 pre-activation bins) + 2 layers x 2 gradient.
  EXPECT_EQ(lines.size(), 1u + 2 * (3 * (4 + 3) + 2 * 2));
  EXPECT_EQ(lines[1], "0,0,activation,0,-1,-0.5,1");
  EXPECT_EQ(lines[4], "0,0,activation,3,0.5,1,4");
  EXPECT_EQ(lines[5], "0,0,pre_activation,0,-3,-1,5");
  EXPECT_NE(statsHistogramsCsv(twoSnapshots()).find("100,2,gradient,1,0,0.1,7\n"),
            std::string::npos);
}

TEST(StatsIoJson, ParsesBackWithTheValuesAndNullForNaN) {
  ExperimentConfig config;
  config.name = "stats test";
  config.train.seed = 42;
  const nlohmann::json j = nlohmann::json::parse(statsJson(twoSnapshots(), config));
  EXPECT_EQ(j["format"], "layerscope-stats");
  EXPECT_EQ(j["experiment"]["name"], "stats test");
  EXPECT_EQ(j["experiment"]["train"]["seed"], 42);
  ASSERT_EQ(j["snapshots"].size(), 2u);
  const nlohmann::json& s1 = j["snapshots"][1];
  EXPECT_EQ(s1["step"], 100);
  EXPECT_EQ(s1["epoch"], 1);
  EXPECT_DOUBLE_EQ(s1["train_loss"].get<double>(), 0.693147182);
  EXPECT_TRUE(s1["validation_loss"].is_null());
  EXPECT_TRUE(j["snapshots"][0]["train_loss"].is_null());
  ASSERT_EQ(s1["layers"].size(), 3u);
  const nlohmann::json& hidden = s1["layers"][1];
  EXPECT_EQ(hidden["kind"], "hidden");
  EXPECT_EQ(hidden["units"], 8);
  EXPECT_EQ(hidden["std"].get<float>(), 0.1f * 2);
  EXPECT_DOUBLE_EQ(hidden["pre_std"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(hidden["update_ratio"].get<double>(), 1e-3);
  EXPECT_DOUBLE_EQ(hidden["effective_rank"].get<double>(), 3.5);
  EXPECT_DOUBLE_EQ(hidden["effective_rank_normalized"].get<double>(), 3.5 / 8);
  EXPECT_DOUBLE_EQ(hidden["gradient_snr"].get<double>(), 0.0625);
  EXPECT_EQ(hidden["histograms"]["activation"]["counts"], nlohmann::json({1, 2, 3, 4}));
  EXPECT_EQ(hidden["histograms"]["activation"]["lo"], -1.0);
  EXPECT_EQ(hidden["histograms"]["gradient"]["counts"], nlohmann::json({0, 7}));
  const nlohmann::json& input = s1["layers"][0];
  EXPECT_TRUE(input["gradient_std"].is_null());
  EXPECT_FALSE(input["histograms"].contains("gradient"));  // an empty histogram is left out
  // No noise digits: 1/3 is written with 9 significant digits.
  EXPECT_NE(statsJson(twoSnapshots(), config).find("\"probe_loss\":0.333333333,"),
            std::string::npos);
}

TEST(StatsIoJson, EmptyRunIsValidJson) {
  const nlohmann::json j = nlohmann::json::parse(statsJson({}, ExperimentConfig{}));
  EXPECT_TRUE(j["snapshots"].is_array());
  EXPECT_TRUE(j["snapshots"].empty());
}

TEST(StatsIoSummary, KeysValuesAndNullForMissingSplits) {
  RunSummary r;
  r.steps = 900;
  r.trainSeconds = 1.5;
  r.statsSeconds = 0.25;
  r.stepsPerSecond = 600;
  r.finalLoss = 0.0123;
  r.trainAccuracy = 0.99;
  r.validationAccuracy = 0.95;
  r.testAccuracy = kNaN;  // no test split
  ExperimentConfig config;
  config.model.depth = 2;
  const nlohmann::json j = nlohmann::json::parse(summaryJson(r, config));
  EXPECT_EQ(j["steps"], 900);
  EXPECT_DOUBLE_EQ(j["train_seconds"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(j["stats_seconds"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(j["steps_per_second"].get<double>(), 600);
  EXPECT_DOUBLE_EQ(j["final_loss"].get<double>(), 0.0123);
  EXPECT_DOUBLE_EQ(j["train_accuracy"].get<double>(), 0.99);
  EXPECT_DOUBLE_EQ(j["validation_accuracy"].get<double>(), 0.95);
  EXPECT_TRUE(j["test_accuracy"].is_null());
  EXPECT_EQ(j["diverged"], false);
  EXPECT_EQ(j["divergence"], "");
  EXPECT_EQ(j["experiment"]["model"]["depth"], 2);

  r.diverged = true;
  r.divergence = "step 12: layer 3 activations became \"inf\"";
  r.finalLoss = std::numeric_limits<double>::infinity();
  const nlohmann::json d = nlohmann::json::parse(summaryJson(r, config));
  EXPECT_EQ(d["diverged"], true);
  EXPECT_EQ(d["divergence"], r.divergence);
  EXPECT_TRUE(d["final_loss"].is_null());
}

}  // namespace
}  // namespace layerscope
