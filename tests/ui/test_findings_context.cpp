// The window's findings know what one snapshot cannot: chance on the validation split and where
// training accuracy began, so a net memorizing random labels is named as such under the plots.
#include <gtest/gtest.h>

#include "findings_box.h"
#include "main_window.h"
#include "test_helpers.h"

namespace layerscope {

using testing::fresh;
using testing::waitFor;

TEST(FindingsInTheWindow, RandomLabelsMemorizedAreNamedAgainstChance) {
  ExperimentConfig c;
  c.data.source = "gaussian";
  c.data.labels = "random";  // labels drawn independently of the inputs
  c.data.samples = 400;
  c.data.features = 50;
  c.data.classes = 4;
  c.data.validationFraction = 0.5;
  c.model.depth = 2;
  c.model.width = 256;
  c.model.activation = "relu";
  c.model.init = "he_normal";
  c.train.optimizer = "adam";
  c.train.learningRate = 0.003;
  c.train.batchSize = 50;
  c.train.steps = 200;
  MainWindow w(fresh());
  w.show();
  testing::useExperiment(w, c);
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == TrainingController::State::Ready; },
                      30000));
  w.controller()->train();
  ASSERT_TRUE(waitFor([&] { return w.findings()->texts().join("\n").contains("memorizes"); },
                      60000))
      << w.findings()->texts().join("\n").toStdString();
  EXPECT_TRUE(w.findings()->texts().join("\n").contains("is at chance (the majority class is"));
}

}  // namespace layerscope
