// A finished run with a test split says how it does on it: the Finished status line carries the
// test loss and accuracy (the Fashion-MNIST t10k set, or a test fraction, used to be invisible in
// the app); without a test split the line is as before.
#include <gtest/gtest.h>

#include "common/experiments.h"
#include "test_helpers.h"
#include "run/training_controller.h"

namespace layerscope {
namespace {

using State = TrainingController::State;
using testing::waitFor;

QString finishedLine(const ExperimentConfig& experiment) {
  TrainingController c;
  c.setExperiment(experiment);
  EXPECT_TRUE(waitFor([&] { return c.state() == State::Ready; }));
  c.train();
  EXPECT_TRUE(waitFor([&] { return c.state() == State::Finished; }));
  return c.lastMessage();
}

TEST(TestSplitResult, TheFinishedLineShowsTestLossAndAccuracy) {
  ExperimentConfig c = testing::tinyGaussian();
  c.data.samples = 80;
  c.data.testFraction = 0.25;  // 20 test samples
  const QString line = finishedLine(c);
  EXPECT_TRUE(line.contains("test loss")) << line.toStdString();
  EXPECT_TRUE(line.contains("accuracy")) << line.toStdString();
  EXPECT_TRUE(line.contains("20 samples")) << line.toStdString();
}

TEST(TestSplitResult, WithoutATestSplitNothingIsAdded) {
  const QString line = finishedLine(testing::tinyGaussian());
  EXPECT_TRUE(line.startsWith("Finished")) << line.toStdString();
  EXPECT_FALSE(line.contains("test")) << line.toStdString();
}

}  // namespace
}  // namespace layerscope
