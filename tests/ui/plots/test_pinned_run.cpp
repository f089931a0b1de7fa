// Compare: a pinned run overlays its numbers on the live plots; the depth profile draws the
// theory's prediction next to the measurement, with the engine's numbers.
#include <gtest/gtest.h>

#include <QSignalSpy>
#include <cmath>

#include "config_panel.h"
#include "plots/dashboard.h"
#include "main_window.h"
#include "plots/depth_profile_plot.h"
#include "plots/layer_histograms_plot.h"
#include "plots/loss_accuracy_plot.h"
#include "test_helpers.h"
#include "analysis/theory.h"
#include "run/theory_curve.h"
#include "training/trainer.h"

namespace layerscope {

using namespace testing;  // tests/ui/test_helpers.h
using State = TrainingController::State;

namespace {
// Loads the experiment and waits until its step-0 statistics are on screen.
StatsSnapshot showAtStepZero(MainWindow& w, const ExperimentConfig& c) {
  QSignalSpy snapshots(w.controller(), &TrainingController::snapshotReceived);
  useExperiment(w, c);  // exactly c: the panel has no field for a fixed step count
  EXPECT_TRUE(waitFor([&] {
    return !snapshots.isEmpty() &&
           w.dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::stdSeriesName()).size() ==
               c.model.depth &&
           w.dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::theorySeriesName()).size() ==
               c.model.depth;
  }));
  return snapshots.isEmpty() ? StatsSnapshot{} : snapshots.last().at(0).value<StatsSnapshot>();
}
}  // namespace

TEST(Compare, PinnedRunOverlaysItsNumbersOnEveryPlot) {
  MainWindow w(fresh());
  w.show();
  ExperimentConfig c = blobs16d();
  c.model.activation = "relu";
  c.model.init = "he_normal";
  const StatsSnapshot s = showAtStepZero(w, c);
  ASSERT_FALSE(s.layers.empty());
  ASSERT_TRUE(w.pinCurrentRun());
  ASSERT_EQ(w.pinnedRuns().size(), 1);
  const QString label = w.pinnedRuns()[0].label;
  EXPECT_EQ(label, "pinned 1: relu he_normal");

  // Change the run: the pinned numbers stay, the live ones change.
  c.model.init = "xavier_normal";
  const StatsSnapshot live = showAtStepZero(w, c);
  DepthProfilePlot* depth = w.dashboard()->depthProfile();
  const QList<QPointF> pinned = depth->seriesPoints(label);
  ASSERT_EQ(pinned.size(), c.model.depth);
  for (int l = 1; l <= c.model.depth; ++l) {
    EXPECT_EQ(pinned[l - 1].x(), l);
    EXPECT_EQ(pinned[l - 1].y(), s.layers[l].activation.std) << "layer " << l;
    EXPECT_NE(pinned[l - 1].y(), live.layers[l].activation.std) << "layer " << l;
  }
  const QList<QPointF> pinnedMean = depth->seriesPoints(DepthProfilePlot::pinnedMeanSeriesName(label));
  ASSERT_EQ(pinnedMean.size(), c.model.depth);
  EXPECT_EQ(pinnedMean.back().y(), s.layers[c.model.depth].activation.mean);
  EXPECT_EQ(w.dashboard()->histograms()->pinnedCount(), 1);
  EXPECT_TRUE(w.dashboard()->lossAccuracy()->seriesNames().contains(label));

  ASSERT_TRUE(w.pinCurrentRun());
  EXPECT_EQ(w.pinnedRuns()[1].label, "pinned 2: relu xavier_normal");
  EXPECT_NE(w.pinnedRuns()[0].color, w.pinnedRuns()[1].color);
  EXPECT_TRUE(depth->seriesNames().contains("pinned 2: relu xavier_normal"));

  w.clearPinned();
  EXPECT_TRUE(w.pinnedRuns().isEmpty());
  EXPECT_FALSE(depth->seriesNames().contains(label));
  EXPECT_EQ(w.dashboard()->histograms()->pinnedCount(), 0);
}

TEST(Compare, PinnedLossCurveIsTheRunsHistory) {
  MainWindow w(fresh());
  w.show();
  ExperimentConfig c = blobs16d();
  c.train.steps = 40;
  showAtStepZero(w, c);
  w.controller()->train();
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Finished; }, 30000));
  ASSERT_TRUE(waitFor([&] { return w.controller()->pendingItems() == 0 && w.history().trainLoss().size() == 40; }));
  ASSERT_TRUE(w.pinCurrentRun(QStringLiteral("trained 40 steps")));
  const QList<QPointF> loss =
      w.dashboard()->lossAccuracy()->seriesPoints(QStringLiteral("pinned 1: trained 40 steps"));
  ASSERT_EQ(loss.size(), 40);
  const auto history = w.history().trainLoss().points();
  EXPECT_EQ(loss.front().y(), history.front().y);
  EXPECT_EQ(loss.back().y(), history.back().y);
}

TEST(Compare, TheoryCurveIsTheEnginesPredictionAndHasACaveatOnceTrainingStarts) {
  MainWindow w(fresh());
  w.show();
  ExperimentConfig c = blobs16d();
  c.model.depth = 6;
  const StatsSnapshot s = showAtStepZero(w, c);
  ASSERT_FALSE(s.layers.empty());
  const QList<QPointF> drawn =
      w.dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::theorySeriesName());
  ASSERT_EQ(drawn.size(), 6);

  // Same arguments: exactly the engine's numbers.
  const double meanSquare = probeInputMeanSquare(s);
  const auto predicted = predictSignalPropagation(c.model, c.data.features, meanSquare);
  ASSERT_EQ(predicted.size(), 7u);  // input + 6 hidden
  for (int l = 1; l <= 6; ++l) EXPECT_EQ(drawn[l - 1].y(), predicted[l].std) << "layer " << l;

  // And the engine's own overload from the probe batch itself agrees (float vs double sums).
  Trainer trainer(c);
  const auto fromProbe = predictSignalPropagation(c, trainer.probeInputs(), c.data.classes);
  for (int l = 1; l <= 6; ++l)
    EXPECT_NEAR(drawn[l - 1].y(), fromProbe[l].std, 1e-5 * fromProbe[l].std) << "layer " << l;
  // The prediction tracks the measurement at initialization (64 units: within ~15%).
  for (int l = 1; l <= 6; ++l)
    EXPECT_NEAR(s.layers[l].activation.std / drawn[l - 1].y(), 1.0, 0.15) << "layer " << l;

  EXPECT_TRUE(w.dashboard()->depthProfile()->caveat().isEmpty())
      << w.dashboard()->depthProfile()->caveat().toStdString();
  QSignalSpy snapshots(w.controller(), &TrainingController::snapshotReceived);
  w.controller()->step();
  ASSERT_TRUE(waitFor([&] {
    return w.dashboard()->depthProfile()->caveat().contains("after 1 training steps");
  })) << w.dashboard()->depthProfile()->caveat().toStdString();
}

}  // namespace layerscope
