// Comparing runs: the current run is drawn solid and on top, pinned runs dashed in hues of
// their own; the legends name every curve in full; the run list under the plots says what
// differs from the current run, how each run ended, and shows or hides each pinned run.
#include <gtest/gtest.h>

#include <QSignalSpy>
#include <cmath>

#include "main_window.h"
#include "plots/dashboard.h"
#include "plots/depth_profile_plot.h"
#include "plots/layer_histograms_plot.h"
#include "plots/loss_accuracy_plot.h"
#include "plots/pinned_run.h"
#include "plots/run_list.h"
#include "run/run_history.h"
#include "test_helpers.h"
#include "training/trainer.h"

namespace layerscope {

using testing::blobs16d;
using testing::fresh;
using testing::useExperiment;
using testing::waitFor;

namespace {

void showAndWait(MainWindow& w, const ExperimentConfig& c) {
  QSignalSpy snapshots(w.controller(), &TrainingController::snapshotReceived);
  useExperiment(w, c);
  ASSERT_TRUE(waitFor([&] {
    return !snapshots.isEmpty() &&
           w.dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::stdSeriesName()).size() ==
               c.model.depth;
  }));
}

int hueDistance(const QColor& a, const QColor& b) {
  const int d = std::abs(a.hsvHue() - b.hsvHue()) % 360;
  return std::min(d, 360 - d);
}

}  // namespace

TEST(RunList, SaysWhatDiffersHowEachRunEndedAndHidesRuns) {
  MainWindow w(fresh());
  w.resize(1400, 1000);
  w.show();
  ExperimentConfig c = blobs16d();
  c.model.activation = "relu";
  c.model.init = "he_normal";
  showAndWait(w, c);
  ASSERT_TRUE(w.pinCurrentRun());
  c.model.activation = "tanh";
  c.model.init = "xavier_normal";
  c.model.depth = 3;
  showAndWait(w, c);
  ASSERT_TRUE(w.pinCurrentRun());
  c.train.learningRate = 0.2;  // the current run moves on after the second pin
  showAndWait(w, c);

  RunList* list = w.dashboard()->runList();
  ASSERT_TRUE(list->isVisible());
  ASSERT_EQ(list->rowCount(), 3);
  EXPECT_EQ(list->name(0), "current run");
  const QString first = w.pinnedRuns()[0].label, second = w.pinnedRuns()[1].label;
  EXPECT_EQ(list->name(1), first);
  EXPECT_EQ(list->name(2), second);
  // The first pin: other depth (architecture), activation, init and learning rate.
  const QString d1 = list->differences(1);
  EXPECT_TRUE(d1.startsWith("OTHER ARCHITECTURE")) << d1.toStdString();
  EXPECT_TRUE(d1.contains("model.depth: 4")) << d1.toStdString();
  EXPECT_TRUE(d1.contains("model.activation: relu")) << d1.toStdString();
  EXPECT_TRUE(d1.contains("model.init: he_normal")) << d1.toStdString();
  EXPECT_TRUE(d1.contains("train.lr")) << d1.toStdString();
  // The second pin differs only in the learning rate changed after it.
  const QString d2 = list->differences(2);
  EXPECT_FALSE(d2.contains("OTHER")) << d2.toStdString();
  EXPECT_TRUE(d2.startsWith("train.lr")) << d2.toStdString();
  EXPECT_TRUE(list->metrics(1).contains("step")) << list->metrics(1).toStdString();

  // Another data set is said first.
  c.data.samples = 300;
  showAndWait(w, c);
  EXPECT_TRUE(list->differences(2).startsWith("OTHER DATA SET")) << list->differences(2).toStdString();

  // Unticking hides the run's curves; ticking brings them back.
  LossAccuracyPlot* loss = w.dashboard()->lossAccuracy();
  ASSERT_TRUE(loss->seriesNames().contains(first));
  list->setRunVisible(1, false);
  EXPECT_FALSE(loss->seriesNames().contains(first));
  EXPECT_FALSE(w.dashboard()->depthProfile()->seriesNames().contains(first));
  EXPECT_TRUE(loss->seriesNames().contains(second));
  list->setRunVisible(1, true);
  EXPECT_TRUE(loss->seriesNames().contains(first));
}

TEST(Compare, CurrentRunIsSolidAndOnTopPinnedRunsDashedInOtherHues) {
  MainWindow w(fresh());
  w.resize(1400, 1000);
  w.show();
  ExperimentConfig c = blobs16d();
  showAndWait(w, c);
  ASSERT_TRUE(w.pinCurrentRun());
  c.model.init = "he_normal";
  showAndWait(w, c);
  ASSERT_TRUE(w.pinCurrentRun());
  const QString pin = w.pinnedRuns()[1].label;

  LossAccuracyPlot* loss = w.dashboard()->lossAccuracy();
  const QStringList order = loss->seriesNames();
  EXPECT_GT(order.indexOf(LossAccuracyPlot::smoothedTrainLossName()), order.indexOf(pin))
      << "the current run's loss is drawn over the pinned one";
  EXPECT_EQ(loss->seriesPen(LossAccuracyPlot::smoothedTrainLossName()).style(), Qt::SolidLine);
  EXPECT_NE(loss->seriesPen(pin).style(), Qt::SolidLine);
  EXPECT_LT(loss->seriesPen(pin).widthF(),
            loss->seriesPen(LossAccuracyPlot::smoothedTrainLossName()).widthF());
  DepthProfilePlot* depth = w.dashboard()->depthProfile();
  const QStringList depthOrder = depth->seriesNames();
  EXPECT_GT(depthOrder.indexOf(DepthProfilePlot::stdSeriesName()), depthOrder.indexOf(pin));
  EXPECT_NE(depth->seriesPen(pin).style(), Qt::SolidLine);

  // Every legend entry whole, each pinned run named once per plot.
  for (ChartPlot* plot : std::initializer_list<ChartPlot*>{loss, depth}) {
    const QStringList labels = plot->legendLabels();
    EXPECT_TRUE(labels.contains(pin)) << labels.join(" | ").toStdString();
    for (const QString& l : labels) EXPECT_FALSE(l.contains(QChar(0x2026)) || l.endsWith("..."));
  }

  // Hues: apart from the current run's curves and from each other.
  const QColor live[] = {QColor(31, 119, 180), QColor(214, 39, 40), QColor(44, 160, 44),
                         QColor(255, 127, 14)};
  std::vector<QColor> chromatic;
  for (int i = 0; i < 6; ++i) {
    const QColor p = pinnedColor(i);
    if (p.hsvSaturation() < 40) continue;  // the greys differ in lightness
    for (const QColor& l : live)
      EXPECT_GE(hueDistance(p, l), 25) << "pin " << i << " vs " << l.name().toStdString();
    chromatic.push_back(p);
  }
  EXPECT_GE(chromatic.size(), 4u);
  for (size_t i = 0; i < chromatic.size(); ++i)
    for (size_t j = i + 1; j < chromatic.size(); ++j)
      EXPECT_GE(hueDistance(chromatic[i], chromatic[j]), 40) << i << " vs " << j;
}

TEST(Compare, PinnedHistogramWithWiderValuesWidensTheAxis) {
  LayerHistogramsPlot plot;
  plot.resize(700, 400);
  plot.show();
  ExperimentConfig c = testing::tinyGaussian();
  c.model.activation = "relu";  // unbounded: the axis follows the values
  Trainer t(c);
  StatsSnapshot s = t.probe();
  RunHistory history;
  history.addSnapshot(s);
  PlotInputs in;
  in.snapshot = &s;
  in.history = &history;
  in.snapshotChanged = in.historyChanged = true;
  plot.refresh(in);
  const double lo = plot.axisLo(), hi = plot.axisHi();
  ASSERT_LT(lo, hi);
  // A pinned run whose values reach ten times further on both sides.
  PinnedRun wide = makePinnedRun(s, history, "pinned 1: wide", pinnedColor(0));
  const double span = std::max(std::abs(lo), std::abs(hi)) * 10;
  for (PinnedHistogram& h : wide.postActivation) {
    h.lo = -span;
    h.hi = span;
    h.counts.assign(20, 5);
  }
  plot.setPinned({wide});
  plot.refresh(in);
  EXPECT_LE(plot.axisLo(), -0.9 * span);
  EXPECT_GE(plot.axisHi(), 0.9 * span);
}

}  // namespace layerscope

namespace layerscope {

// The README's comparison screenshot (resources/screenshots/compare.png): set
// LAYERSCOPE_SCREENSHOT_DIR to write it; skipped otherwise.
TEST(RunList, ComparisonScreenshot) {
  const QString dir = qEnvironmentVariable("LAYERSCOPE_SCREENSHOT_DIR");
  if (dir.isEmpty()) GTEST_SKIP() << "LAYERSCOPE_SCREENSHOT_DIR not set";
  MainWindow w(fresh());
  w.resize(1500, 950);
  w.show();
  ExperimentConfig c = blobs16d();
  c.model.depth = 6;
  c.model.activation = "relu";
  c.model.init = "xavier_normal";
  c.train.epochs = 6;
  auto trainToEnd = [&] {
    useExperiment(w, c);
    ASSERT_TRUE(waitFor([&] { return w.controller()->state() == TrainingController::State::Ready; }));
    w.controller()->train();
    ASSERT_TRUE(waitFor([&] { return w.controller()->state() == TrainingController::State::Finished; },
                        120000));
    QTest::qWait(200);
  };
  trainToEnd();
  ASSERT_TRUE(w.pinCurrentRun());
  c.train.learningRate = 0.01;
  trainToEnd();
  ASSERT_TRUE(w.pinCurrentRun());
  c.train.learningRate = 0.05;
  c.model.init = "he_normal";
  trainToEnd();
  QTest::qWait(300);
  ASSERT_TRUE(w.grab().save(dir + QStringLiteral("/compare.png")));
}

}  // namespace layerscope
