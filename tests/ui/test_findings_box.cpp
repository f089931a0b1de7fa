// The findings box shows the engine's findings (analysis/findings.h) and only adds layout: the
// layer a finding names (clicking selects it) and a colour by severity.
#include <gtest/gtest.h>

#include <QSignalSpy>

#include "findings_box.h"
#include "analysis/findings.h"
#include "training/trainer.h"

namespace layerscope {

TEST(FindingsBox, LayerOfAFindingIsTheFirstLayerItNames) {
  EXPECT_EQ(FindingsBox::layerOf("layer 10: activations have collapsed: std 3e-07"), 10);
  EXPECT_EQ(FindingsBox::layerOf("layers 4-10: 98% of tanh activations saturated"), 4);
  EXPECT_EQ(FindingsBox::layerOf("every unit in layers 1-3 computes the same output"), 1);
  EXPECT_EQ(FindingsBox::layerOf("the run has diverged"), -1);
  EXPECT_EQ(FindingsBox::severityOf("gradients vanish: layer 1's gradient std is 1e-06"),
            FindingSeverity::Warning);
  EXPECT_EQ(FindingsBox::severityOf("layer 10: activations have collapsed"), FindingSeverity::Problem);
}

TEST(FindingsBox, ShowsTheEngineFindingsOfACollapsedNetworkAndSelectsTheirLayer) {
  ExperimentConfig c;
  c.data.samples = 300;
  c.data.features = 100;
  c.model.depth = 6;
  c.model.width = 100;
  c.model.init = "normal";
  c.model.initStd = 0.01;  // std x sqrt(100 * 1e-4) = 0.1 per layer: 1e-5 of layer 1 by layer 6
  c.train.steps = 0;
  Trainer trainer(c);
  const std::vector<std::string> engine = findings(trainer.probe(), c);
  ASSERT_FALSE(engine.empty());

  FindingsBox box;
  box.showFindings(engine);
  ASSERT_EQ(box.count(), static_cast<int>(engine.size()));
  int collapsed = -1;
  for (int i = 0; i < box.count(); ++i) {
    EXPECT_EQ(box.texts()[i].toStdString(), engine[i]);  // the engine's words, unchanged
    if (box.texts()[i].contains("collapsed")) collapsed = i;
  }
  ASSERT_GE(collapsed, 0) << box.texts().join("\n").toStdString();
  QSignalSpy activated(&box, &FindingsBox::layerActivated);
  emit box.itemClicked(box.item(collapsed));
  ASSERT_EQ(activated.size(), 1);
  EXPECT_EQ(activated[0][0].toInt(), 6);
  EXPECT_EQ(box.item(collapsed)->foreground().color(), QColor(176, 0, 32));

  box.showFindings({});
  ASSERT_EQ(box.count(), 1);
  EXPECT_TRUE(box.texts()[0].startsWith("No problems found"));
}

}  // namespace layerscope
