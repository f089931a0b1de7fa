// A finished run with a test split says how it does on it: the Finished status line carries the
// test loss and accuracy (the Fashion-MNIST t10k set, or a test fraction, used to be invisible in
// the app); without a test split the line is as before. Cancel during that final evaluation
// ends the run without test numbers, and the run stays a finished run Train can extend.
#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QSignalSpy>

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

TEST(TestSplitResult, CancellingTheFinalEvaluationFinishesTheRunWithoutTestNumbers) {
  // 21,600 test samples through a 3 x 1024 net: ~100 G multiply-adds, many seconds on one core,
  // reported and cancellable every 1,024 samples (Trainer::evaluate). Two steps of training, a
  // tiny validation split, so everything before the final evaluation is quick.
  ExperimentConfig config = testing::tinyGaussian();
  config.data.samples = 24000;
  config.data.features = 256;
  config.data.classes = 10;
  config.data.validationFraction = 0.01;
  config.data.testFraction = 0.9;
  config.model.depth = 3;
  config.model.width = 1024;
  config.train.steps = 2;
  TrainingController c;
  QSignalSpy working(&c, &TrainingController::working);
  c.setExperiment(config);
  ASSERT_TRUE(waitFor([&] { return c.state() == State::Ready; }, 30000));
  c.train();
  const auto evaluating = [&] {
    return !working.isEmpty() && working.last().at(0).toString() == QStringLiteral("Final evaluation");
  };
  ASSERT_TRUE(waitFor(evaluating, 30000));
  EXPECT_LT(working.last().at(1).toDouble(), 1.0);  // under way, not done
  QElapsedTimer clock;
  clock.start();
  c.cancel();
  ASSERT_TRUE(waitFor([&] { return c.state() == State::Finished; }, 10000));
  EXPECT_LT(clock.elapsed(), 5000);  // the next chunk, not the rest of the split
  // Finished, with the cancel said and no test numbers (an ignored cancel ends in "test loss").
  const QString line = c.lastMessage();
  EXPECT_TRUE(line.startsWith(QStringLiteral("Finished after 2 steps"))) << line.toStdString();
  EXPECT_TRUE(line.contains(QStringLiteral("test evaluation cancelled"))) << line.toStdString();
  EXPECT_FALSE(line.contains(QStringLiteral("test loss"))) << line.toStdString();
  // The work's end was reported (an empty phase): the progress bar goes back to the steps.
  ASSERT_TRUE(waitFor([&] { return working.last().at(0).toString().isEmpty(); }, 2000));
  EXPECT_EQ(c.stepsDone(), 2);

  // Not left half-finished: raising the steps continues the run from step 2 (an Extends
  // setting), and its end starts a new final evaluation (cancelled too: a full one is slow).
  config.train.steps = 3;
  c.applyLiveSettings(config);
  c.train();
  ASSERT_TRUE(waitFor([&] { return c.stepsDone() == 3; }, 30000));
  ASSERT_TRUE(waitFor(evaluating, 30000));
  c.cancel();
  ASSERT_TRUE(waitFor([&] { return c.state() == State::Finished; }, 10000));
  EXPECT_TRUE(c.lastMessage().startsWith(QStringLiteral("Finished after 3 steps")))
      << c.lastMessage().toStdString();
}

}  // namespace
}  // namespace layerscope
