// The window's findings know what one snapshot cannot: chance on the validation split and where
// training accuracy began, so a net memorizing random labels is named as such under the plots.
#include <gtest/gtest.h>

#include "common/experiments.h"

#include "findings_box.h"
#include "main_window.h"
#include "test_helpers.h"

namespace layerscope {

using testing::fresh;
using testing::waitFor;

TEST(FindingsInTheWindow, RandomLabelsMemorizedAreNamedAgainstChance) {
  ExperimentConfig c = testing::memorization();
  c.stats.every = -1;
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
