// Compare > Sharpness (ui/theory/sharpness_dialog.h): a background run that draws the
// sharpness at step 0, every K steps and the last step, and the 2 / lr line.
#include <gtest/gtest.h>

#include <QTest>
#include <cmath>

#include "plots/sharpness_plot.h"
#include "theory/sharpness_dialog.h"

namespace layerscope {
namespace {

ExperimentConfig smallSpiral() {
  ExperimentConfig c;
  c.data.source = "spiral";
  c.data.samples = 200;
  c.model.depth = 2;
  c.model.width = 16;
  c.train.optimizer = "sgd";
  c.train.learningRate = 0.1;
  c.train.batchSize = 1000;  // full batch
  return c;
}

TEST(SharpnessDialog, DrawsTheSharpnessAsItComesAndTheEdgeOfStability) {
  SharpnessDialog dialog(smallSpiral());
  dialog.setSteps(45);
  dialog.setEvery(10);
  dialog.start();
  ASSERT_TRUE(QTest::qWaitFor([&] { return !dialog.running(); }, 60000));
  // steps 0, 10, 20, 30, 40 and the last, 45
  const QList<QPointF> points = dialog.plot()->seriesPoints(SharpnessPlot::sharpnessSeriesName());
  ASSERT_EQ(points.size(), 6) << dialog.status().toStdString();
  EXPECT_EQ(points.front().x(), 0.0);
  EXPECT_EQ(points.back().x(), 45.0);
  for (const QPointF& p : points) EXPECT_GT(p.y(), 0.0);
  const QList<QPointF> line = dialog.plot()->seriesPoints(SharpnessPlot::thresholdSeriesName());
  ASSERT_EQ(line.size(), 2);
  EXPECT_DOUBLE_EQ(line[0].y(), 20.0);  // 2 / 0.1
  EXPECT_DOUBLE_EQ(line[1].x(), 45.0);
  EXPECT_EQ(dialog.plot()->seriesPoints(SharpnessPlot::lossSeriesName()).size(), 45);
  EXPECT_TRUE(dialog.status().contains("sharpness")) << dialog.status().toStdString();
}

TEST(SharpnessDialog, CancelStopsTheRun) {
  SharpnessDialog dialog(smallSpiral());
  dialog.setSteps(1000000);
  dialog.setEvery(1);
  dialog.start();
  QTest::qWait(50);
  dialog.cancel();
  ASSERT_TRUE(QTest::qWaitFor([&] { return !dialog.running(); }, 30000));
  EXPECT_TRUE(dialog.status().startsWith("Cancelled")) << dialog.status().toStdString();
}

}  // namespace
}  // namespace layerscope
