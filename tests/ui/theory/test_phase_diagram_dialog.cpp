// Compare > Phase diagram (ui/theory/phase_diagram_dialog.h): the experiment's initialization
// on the map, and a click turning into init normal with std = sqrt(sigma_w^2 / fan_in).
#include <gtest/gtest.h>

#include <QSignalSpy>
#include <cmath>

#include "plots/phase_diagram_plot.h"
#include "run/training_types.h"
#include "theory/phase_diagram_dialog.h"

namespace layerscope {
namespace {

ExperimentConfig tanh4x64(const std::string& init) {
  ExperimentConfig c;
  c.model.activation = "tanh";
  c.model.depth = 4;
  c.model.width = 64;
  c.model.init = init;
  c.model.initStd = 0.25;
  return c;
}

TEST(PhaseDiagramDialog, MarksTheExperimentsInitialization) {
  // normal(0.25) with fan_in 64: sigma_w^2 = 64 x 0.0625 = 4; xavier_normal with 64 -> 64:
  // Var(W) = 2 / 128, sigma_w^2 = 1; zeros: no point.
  EXPECT_NEAR(PhaseDiagramDialog::initPoint(tanh4x64("normal"))->x(), 4.0, 1e-12);
  EXPECT_NEAR(PhaseDiagramDialog::initPoint(tanh4x64("xavier_normal"))->x(), 1.0, 1e-12);
  EXPECT_EQ(PhaseDiagramDialog::initPoint(tanh4x64("xavier_normal"))->y(), 0.0);
  EXPECT_FALSE(PhaseDiagramDialog::initPoint(tanh4x64("zeros")));

  PhaseDiagramDialog dialog(tanh4x64("xavier_normal"));
  ASSERT_TRUE(dialog.plot()->currentInit());
  EXPECT_NEAR(dialog.plot()->currentInit()->x(), 1.0, 1e-12);
  EXPECT_FALSE(dialog.plot()->data().points.empty());
}

TEST(PhaseDiagramDialog, ClickChoosesTheWeightVariance) {
  qRegisterMetaType<ExperimentConfig>();
  PhaseDiagramDialog dialog(tanh4x64("xavier_normal"));
  QSignalSpy spy(&dialog, &PhaseDiagramDialog::experimentChosen);
  emit dialog.plot()->initClicked(2.0, 0.1);
  ASSERT_EQ(spy.count(), 1);
  const ExperimentConfig chosen = spy[0][0].value<ExperimentConfig>();
  EXPECT_EQ(chosen.model.init, "normal");
  EXPECT_NEAR(chosen.model.initStd, std::sqrt(2.0 / 64), 1e-12);
  EXPECT_NEAR(dialog.plot()->currentInit()->x(), 2.0, 1e-12);
}

}  // namespace
}  // namespace layerscope
