// The run facade (lab/run.h): an experiment saved with its weights reopens into the same
// network, and a model that does not fit the data is refused in words.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/experiments.h"
#include "test_helpers.h"
#include "io/experiment_file.h"
#include "lab/run.h"
#include "settings/schema.h"

namespace layerscope {
namespace {

using testing::errorOf;
using testing::smallBatchNorm;
using testing::TempDir;

TEST(RunFacade, SavedWithWeightsReopensIntoTheSameNetwork) {
  TempDir dir;
  std::unique_ptr<Trainer> run = startRun(smallBatchNorm());
  while (!run->finished()) run->trainStep();
  const SavedExperiment saved = saveExperimentWithWeights(dir.file("trained"), *run);
  EXPECT_EQ(saved.experimentPath, dir.file("trained.json"));
  EXPECT_EQ(saved.modelPath, dir.file("trained.onnx"));
  EXPECT_EQ(readExperimentDocument(saved.experimentPath).weights, "trained.onnx");  // relative

  const OpenedExperiment opened = openExperiment(saved.experimentPath);
  ASSERT_NE(opened.weights, nullptr);
  EXPECT_EQ(opened.weightsPath, saved.modelPath);
  std::unique_ptr<Trainer> reopened = startRun(opened.config, opened.weights.get());
  EXPECT_TRUE(sameExperiment(reopened->config(),
                             effectiveExperiment(opened.config, opened.weights.get())));
  const StatsSnapshot a = run->probe(), b = reopened->probe();
  ASSERT_EQ(a.layers.size(), b.layers.size());
  EXPECT_NEAR(a.probeLoss, b.probeLoss, 1e-5);
  for (size_t i = 0; i < a.layers.size(); ++i)
    EXPECT_NEAR(a.layers[i].activation.std, b.layers[i].activation.std, 1e-5) << i;
}

TEST(RunFacade, AModelThatDoesNotFitTheDataIsRefusedInWords) {
  std::unique_ptr<Trainer> run = startRun(smallBatchNorm());
  TempDir dir;
  exportModel(dir.file("m.onnx"), *run);
  const SavedExperiment saved = saveExperimentWithWeights(dir.file("e.json"), *run);
  OpenedExperiment opened = openExperiment(saved.experimentPath);
  opened.config.data.features = 7;  // the model takes 6
  const std::string message = errorOf([&] { startRun(opened.config, opened.weights.get()); });
  EXPECT_NE(message.find("the model does not fit this data"), std::string::npos) << message;
  EXPECT_NE(message.find("6 input features"), std::string::npos) << message;
}

TEST(RunFacade, AnInvalidExperimentFileIsNamed) {
  TempDir dir;
  ExperimentConfig c = smallBatchNorm();
  c.model.dropout = 1.5;
  writeExperimentFile(dir.file("bad.json"), c);
  const std::string message = errorOf([&] { openExperiment(dir.file("bad.json")); });
  EXPECT_EQ(message, dir.file("bad.json") + ": dropout: 1.5 is out of range [0, 1)");
}

}  // namespace
}  // namespace layerscope
