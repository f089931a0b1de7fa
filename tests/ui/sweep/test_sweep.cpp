// Sweeps run on their own thread and plot what the engine measured, next to the theory.
#include <gtest/gtest.h>

#include <cmath>

#include "sweep/sweep_plot.h"
#include "lab/sweep.h"
#include "sweep/sweep_dialog.h"
#include "test_helpers.h"

namespace layerscope {

using testing::tanhStack4x64;
using testing::waitFor;

namespace {
bool increasing(const QList<QPointF>& points) {
  for (int i = 1; i < points.size(); ++i)
    if (!(points[i].x() > points[i - 1].x() && points[i].y() > points[i - 1].y())) return false;
  return true;
}
}  // namespace

TEST(Sweep, InitStdOnATinyNetGivesAMonotoneCurveNextToTheTheory) {
  SweepDialog dialog;
  dialog.setBaseExperiment(tanhStack4x64());
  dialog.setParameter(QStringLiteral("init_std"));
  QStringList values;
  for (const std::string& v : sweepValues(logSpace(1e-3, 1, 7))) values << QString::fromStdString(v);
  dialog.setValues(values);
  dialog.setInitializationOnly(true);
  dialog.start();
  ASSERT_TRUE(dialog.running()) << dialog.statusText().toStdString();
  ASSERT_TRUE(waitFor([&] { return !dialog.running(); }, 60000));
  ASSERT_EQ(dialog.points().size(), 7) << dialog.statusText().toStdString();

  const QList<QPointF> measured = dialog.plot()->seriesPoints(SweepPlot::measuredSeriesName());
  const QList<QPointF> theory = dialog.plot()->seriesPoints(SweepPlot::theorySeriesName());
  ASSERT_EQ(measured.size(), 7);
  ASSERT_EQ(theory.size(), 7);
  EXPECT_TRUE(increasing(measured));
  EXPECT_TRUE(increasing(theory));
  EXPECT_DOUBLE_EQ(measured.front().x(), 1e-3);
  EXPECT_DOUBLE_EQ(measured.back().x(), 1.0);
  // Small weights: tanh is linear, each layer multiplies the std by sqrt(64) * s = 8e-3 here;
  // large ones saturate at ~1. The theory says the same.
  EXPECT_LT(measured.front().y(), 1e-7);
  EXPECT_GT(measured.back().y(), 0.8);
  for (int i = 0; i < 7; ++i)
    EXPECT_NEAR(std::log10(measured[i].y()), std::log10(theory[i].y()), 0.15) << "point " << i;
}

TEST(Sweep, InitializersSideBySideGiveOneProfileEach) {
  SweepDialog dialog;
  dialog.setBaseExperiment(tanhStack4x64());
  dialog.setParameter(QStringLiteral("init"));
  dialog.setValues({"xavier_normal", "he_normal"});
  dialog.start();
  ASSERT_TRUE(waitFor([&] { return !dialog.running(); }, 60000));
  ASSERT_EQ(dialog.points().size(), 2);
  EXPECT_EQ(dialog.plot()->seriesPoints("xavier_normal").size(), 4);
  EXPECT_EQ(dialog.plot()->seriesPoints("he_normal").size(), 4);
  EXPECT_EQ(dialog.plot()->seriesPoints(SweepPlot::profileTheorySeriesName("he_normal")).size(), 4);
}

TEST(Sweep, BadValueIsReportedBeforeAnythingRuns) {
  SweepDialog dialog;
  dialog.setBaseExperiment(tanhStack4x64());
  dialog.setParameter(QStringLiteral("dropout"));
  dialog.setValues({"0.1", "lots"});
  dialog.start();
  EXPECT_FALSE(dialog.running());
  EXPECT_TRUE(dialog.statusText().contains("lots")) << dialog.statusText().toStdString();
  EXPECT_TRUE(dialog.points().isEmpty());
}

TEST(Sweep, CancelStopsBetweenPoints) {
  SweepDialog dialog;
  ExperimentConfig c = tanhStack4x64();
  c.train.steps = 3000;  // long enough to cancel in the middle
  dialog.setBaseExperiment(c);
  dialog.setParameter(QStringLiteral("lr"));
  dialog.setValues({"0.01", "0.02", "0.03", "0.04"});
  dialog.start();
  ASSERT_TRUE(dialog.running());
  dialog.cancel();
  ASSERT_TRUE(waitFor([&] { return !dialog.running(); }, 20000));
  EXPECT_LT(dialog.points().size(), 4);
}

}  // namespace layerscope
