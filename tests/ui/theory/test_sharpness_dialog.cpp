// Compare > Sharpness (ui/theory/sharpness_dialog.h): a background run that draws the
// sharpness at step 0, every K steps and the last step, and the 2 / lr line.
#include <gtest/gtest.h>

#include <QApplication>
#include <QTest>
#include <cmath>
#include <cstdlib>

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

// Adam: lambda_max(P^-1 H) from step 1 (no second moments at step 0) against
// (2 + 2 beta1) / ((1 - beta1) lr) = 3.8 / (0.1 x 0.01) = 3800, named so in the legend.
TEST(SharpnessDialog, AdamDrawsThePreconditionedSharpnessAndItsEdge) {
  ExperimentConfig c = smallSpiral();
  c.train.optimizer = "adam";
  c.train.learningRate = 0.01;
  SharpnessDialog dialog(c);
  dialog.setSteps(25);
  dialog.setEvery(10);
  dialog.start();
  ASSERT_TRUE(QTest::qWaitFor([&] { return !dialog.running(); }, 60000));
  const QList<QPointF> points = dialog.plot()->seriesPoints(SharpnessPlot::preconditionedSeriesName());
  ASSERT_EQ(points.size(), 3) << dialog.status().toStdString();  // steps 10, 20, 25
  EXPECT_EQ(points.front().x(), 10.0);
  for (const QPointF& p : points) EXPECT_GT(p.y(), 0.0);
  const QList<QPointF> line = dialog.plot()->seriesPoints(SharpnessPlot::thresholdSeriesName());
  ASSERT_EQ(line.size(), 2);
  EXPECT_NEAR(line[0].y(), 3800.0, 1e-6);
  EXPECT_TRUE(dialog.status().contains("preconditioned sharpness")) << dialog.status().toStdString();
  // LAYERSCOPE_SCREENSHOT=FILE.png saves the dialog (look at it under Xvfb).
  if (const char* shot = std::getenv("LAYERSCOPE_SCREENSHOT")) {
    dialog.show();
    QApplication::processEvents();
    dialog.grab().save(QString::fromLocal8Bit(shot));
  }
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
