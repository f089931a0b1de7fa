// The trainability map (ui/plots/sweep_heatmap_plot.h) paints each cell in its value's colour,
// pending and diverged cells distinctly, and the theory's trainable depth 6 xi_c
// (ui/sweep/trainable_depth.h) where the mean-field theory puts it.
#include <gtest/gtest.h>

#include <QImage>
#include <QPainter>
#include <cmath>

#include "analysis/mean_field.h"
#include "plots/phase_diagram_plot.h"
#include "plots/sweep_heatmap_plot.h"
#include "sweep/trainable_depth.h"

namespace layerscope {
namespace {

constexpr int kW = 900, kH = 720;

QImage render(SweepHeatmapPlot& plot) {
  QImage image(kW, kH, QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  plot.renderTo(painter, QRectF(0, 0, kW, kH));
  return image;
}

bool near(QColor a, QColor b, int tolerance = 3) {
  return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance &&
         std::abs(a.blue() - b.blue()) <= tolerance;
}

// tanh nets of width 32 (a hidden layer's fan_in), depth 2..64 x init std.
SweepPlan tanhPlan() {
  SweepPlan plan;
  plan.base.model.activation = "tanh";
  plan.base.model.width = 32;
  plan.base.model.init = "normal";
  plan.base.data.features = 8;
  plan.base.data.classes = 3;
  plan.base.train.steps = 10;
  plan.x = {"init_std", {"0.1", "0.15", "0.25", "0.4"}};
  plan.y = {"depth", {"2", "4", "8", "16", "32", "64"}};
  return plan;
}

SweepCell cell(int index, double trainAccuracy, bool diverged = false) {
  SweepCell c;
  c.index = index;
  c.summary.steps = 10;
  c.summary.trainAccuracy = trainAccuracy;
  c.summary.finalLoss = diverged ? NAN : 0.5;
  c.summary.diverged = diverged;
  return c;
}

TEST(SweepHeatmapPlot, PaintsEachCellInItsValuesColourAndPendingCellsGrey) {
  SweepHeatmapPlot plot;
  plot.setPlan(tanhPlan());
  plot.addCell(cell(0, 0.3));
  plot.addCell(cell(1, 0.95));
  plot.addCell(cell(5, NAN, true));
  ASSERT_EQ(plot.finishedCells(), 3);
  const QImage image = render(plot);
  const QSizeF size(kW, kH);
  const QColor low = image.pixelColor(plot.cellRect(0, 0, size).center().toPoint());
  const QColor high = image.pixelColor(plot.cellRect(1, 0, size).center().toPoint());
  EXPECT_TRUE(near(low, plot.colorOf(0.3))) << low.name().toStdString();
  EXPECT_TRUE(near(high, plot.colorOf(0.95))) << high.name().toStdString();
  EXPECT_FALSE(near(low, high, 40));
  // Accuracy on viridis over [0, 1]: high is yellow-green, low blue-purple.
  EXPECT_GT(high.green(), low.green() + 60);
  // Cell 5 (x 1, y 1) diverged: black (off its white cross); cell 2 (x 2, y 0) not run yet.
  const QRectF diverged = plot.cellRect(1, 1, size);
  EXPECT_TRUE(near(image.pixelColor((diverged.topLeft() + QPointF(6, 6)).toPoint()), sweepDivergedColor()));
  EXPECT_TRUE(near(image.pixelColor(plot.cellRect(2, 0, size).center().toPoint()), sweepPendingColor()));
  EXPECT_TRUE(near(image.pixelColor(plot.cellRect(3, 5, size).center().toPoint()), sweepPendingColor()));
}

TEST(SweepHeatmapPlot, LossIsColouredOnALogScale) {
  SweepHeatmapPlot plot;
  plot.setPlan(tanhPlan());
  plot.setMetric(SweepMetric::FinalLoss);
  SweepCell a = cell(0, 0.5), b = cell(1, 0.5), c = cell(2, 0.5);
  a.summary.finalLoss = 0.01;
  b.summary.finalLoss = 0.1;
  c.summary.finalLoss = 1.0;
  plot.setCells({a, b, c});
  // 0.1 is halfway between 0.01 and 1 in log10: the middle of the scale.
  EXPECT_TRUE(near(plot.colorOf(0.1), viridis(0.5)));
  EXPECT_TRUE(near(plot.colorOf(0.01), viridis(0.0)));
  EXPECT_TRUE(near(plot.colorOf(1.0), viridis(1.0)));
}

// The red line crosses the column of init std s at depth 6 xi_c(sigma_w^2 = 32 s^2), computed
// here from the mean-field theory directly; the depth rows are 2, 4, ..., 64 (log spaced), so
// depth D sits log2(D) - 1 rows above the first row's centre.
TEST(SweepHeatmapPlot, TrainableDepthCurveIsPaintedAtSixXiC) {
  const SweepPlan plan = tanhPlan();
  SweepHeatmapPlot plot;
  plot.setPlan(plan);
  showTrainableDepth(plot, plan);
  const QImage image = render(plot);
  const QSizeF size(kW, kH);
  Activation tanh;
  int checked = 0;
  for (int column : {0, 3}) {  // s = 0.1 (ordered) and s = 0.4 (chaotic)
    const double s = std::atof(plan.x.values[column].c_str());
    const double depth = 6.0 * phasePoint(tanh, {32 * s * s, 0.0, 1.0}).xiC;
    ASSERT_GT(depth, 2.0);
    ASSERT_LT(depth, 64.0);
    const double expectedY = plot.toScreen(QPointF(column, std::log2(depth) - 1.0), size).y();
    // The red pixels down the column's centre line.
    const int x = static_cast<int>(plot.cellRect(column, 0, size).center().x());
    double sum = 0;
    int count = 0;
    for (int y = 0; y < kH; ++y) {
      const QColor c = image.pixelColor(x, y);
      if (c.red() > 180 && c.green() < 90 && c.blue() < 90) {
        sum += y;
        ++count;
      }
    }
    ASSERT_GT(count, 0) << "no red line in column " << column;
    EXPECT_NEAR(sum / count, expectedY, 4.0) << "column " << column << ", 6 xi_c = " << depth;
    ++checked;
  }
  EXPECT_EQ(checked, 2);
  // The sigma_w^2 under each init std: fan_in x std^2.
  const TrainableDepthCurve curve = trainableDepthCurve(plan);
  ASSERT_EQ(curve.sigmaW2.size(), 4u);
  EXPECT_NEAR(curve.sigmaW2[2], 32 * 0.25 * 0.25, 1e-9);
  EXPECT_TRUE(curve.why.isEmpty());
}

TEST(SweepHeatmapPlot, NoCurveForOtherSettingsAndTheCaptionSaysWhy) {
  SweepPlan plan = tanhPlan();
  plan.x = {"lr", {"0.01", "0.1"}};
  const TrainableDepthCurve curve = trainableDepthCurve(plan);
  EXPECT_TRUE(curve.points.empty());
  EXPECT_TRUE(curve.why.contains("No theory curve")) << curve.why.toStdString();
  EXPECT_TRUE(curve.why.contains("lr")) << curve.why.toStdString();
  // With depth on x and init std on y the curve is drawn, giving x for each y.
  SweepPlan swapped = tanhPlan();
  std::swap(swapped.x, swapped.y);
  const TrainableDepthCurve turned = trainableDepthCurve(swapped);
  EXPECT_FALSE(turned.points.empty());
  EXPECT_TRUE(turned.depthOnX);
}

}  // namespace
}  // namespace layerscope
