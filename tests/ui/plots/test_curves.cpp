// Curves a new user can read: every run's curves have >= 200 points however fast it trains,
// the speed cap makes a run watchable, the training loss is smoothed TensorBoard-style, the
// newest numbers are written on the loss plot, and the curve plots hover, zoom and pan.
#include <gtest/gtest.h>

#include "common/experiments.h"

#include <QApplication>
#include <QChartView>
#include <QElapsedTimer>
#include <QWheelEvent>
#include <QSignalSpy>
#include <QValueAxis>
#include <cmath>
#include <set>

#include "plots/ema_smoothing.h"
#include "plots/layer_std_over_time_plot.h"
#include "plots/loss_accuracy_plot.h"
#include "run/run_history.h"
#include "run/training_controller.h"
#include "test_helpers.h"

namespace layerscope {
namespace {

using testing::waitFor;
using State = TrainingController::State;

using testing::spiral2x32;  // tests/common/experiments.h

TEST(EmaSmoothing, MatchesTheHandComputation) {
  // w = 0.5 on 1, 2, 3:
  //   last = 0.5,   debiased 0.5 / (1 - 0.5)     = 1
  //   last = 1.25,  debiased 1.25 / (1 - 0.25)   = 1.666...
  //   last = 2.125, debiased 2.125 / (1 - 0.125) = 2.428571...
  const std::vector<double> s = emaSmooth({1, 2, 3}, 0.5);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_DOUBLE_EQ(s[0], 1.0);
  EXPECT_DOUBLE_EQ(s[1], 1.25 / 0.75);
  EXPECT_DOUBLE_EQ(s[2], 2.125 / 0.875);
  // w = 0: the raw values; a constant stays constant (the debiasing); NaN passes through.
  EXPECT_EQ(emaSmooth({3, 1, 4}, 0.0), (std::vector<double>{3, 1, 4}));
  for (double v : emaSmooth({2, 2, 2, 2}, 0.9)) EXPECT_NEAR(v, 2.0, 1e-12);
  const std::vector<double> n = emaSmooth({1, NAN, 1}, 0.6);
  EXPECT_TRUE(std::isnan(n[1]));
  EXPECT_NEAR(n[2], 1.0, 1e-12);
}

TEST(LossPlot, DrawsTheRawLossFaintTheSmoothedLossAndTheNewestNumbers) {
  RunHistory h;
  std::vector<StepLoss> losses;
  for (long i = 1; i <= 100; ++i) losses.push_back({i, i % 2 ? 2.0 : 1.0});
  h.addLosses(losses);
  StatsSnapshot s;
  s.step = 100;
  s.validationLoss = 0.75;
  s.probeAccuracy = 0.5;
  s.validationAccuracy = 0.25;
  h.addSnapshot(s);
  LossAccuracyPlot plot;
  plot.resize(900, 500);
  plot.setSmoothing(0.5);
  plot.refresh(PlotInputs{nullptr, &h, nullptr, false, true});
  const QList<QPointF> raw = plot.seriesPoints(LossAccuracyPlot::trainLossName());
  const QList<QPointF> smooth = plot.seriesPoints(LossAccuracyPlot::smoothedTrainLossName());
  ASSERT_EQ(raw.size(), 100);
  ASSERT_EQ(smooth.size(), 100);
  std::vector<double> y;
  for (const QPointF& p : raw) y.push_back(p.y());
  const std::vector<double> expected = emaSmooth(y, 0.5);
  for (int i = 0; i < 100; ++i) EXPECT_DOUBLE_EQ(smooth[i].y(), expected[i]);
  EXPECT_LT(std::abs(smooth.last().y() - 1.5), 0.4);  // the alternating 2, 1 averaged
  const QString text = plot.numbersText();
  EXPECT_TRUE(text.contains(QStringLiteral("train loss 1"))) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("validation loss 0.75"))) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("validation 0.25"))) << text.toStdString();
  // Smoothing 0 draws the raw values.
  plot.setSmoothing(0.0);
  EXPECT_EQ(plot.seriesPoints(LossAccuracyPlot::smoothedTrainLossName()), raw);
}

TEST(CurvePlots, HoverNamesTheNearestPointAndWheelDragDoubleClickZoomPanReset) {
  RunHistory h;
  std::vector<StepLoss> losses;
  for (long i = 1; i <= 1000; ++i) losses.push_back({i, 2.0 / (1.0 + i * 0.01)});
  h.addLosses(losses);
  LossAccuracyPlot plot;
  plot.resize(900, 500);
  plot.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&plot));
  plot.refresh(PlotInputs{nullptr, &h, nullptr, false, true});
  QCoreApplication::processEvents();
  // Hover: somewhere over the curve's middle, the tooltip names a series and a step.
  const QList<QPointF> pts = plot.seriesPoints(LossAccuracyPlot::smoothedTrainLossName());
  ASSERT_FALSE(pts.isEmpty());
  bool found = false;
  for (int px = 100; px < 800 && !found; px += 20)
    for (int py = 40; py < 460 && !found; py += 10) {
      const QString t = plot.hoverText(QPointF(px, py), 6);
      if (t.contains(QStringLiteral("step")) && t.contains(QStringLiteral("train loss"))) found = true;
    }
  EXPECT_TRUE(found);
  EXPECT_TRUE(plot.hoverText(QPointF(-500, -500)).isEmpty());
  // Zoom in about the middle, pan, then reset.
  EXPECT_FALSE(plot.userZoomed());
  plot.zoomBy(0.5, QPointF(450, 250));
  EXPECT_TRUE(plot.userZoomed());
  plot.panBy(QPointF(30, 0));
  // New data does not undo the user's zoom ...
  h.addLosses({{1001, 0.1}});
  plot.refresh(PlotInputs{nullptr, &h, nullptr, false, true});
  EXPECT_TRUE(plot.userZoomed());
  plot.resetZoom();
  EXPECT_FALSE(plot.userZoomed());
  // The same through the mouse: a wheel notch zooms, a double click resets.
  QChartView* view = plot.findChild<QChartView*>();
  ASSERT_NE(view, nullptr);
  QWidget* viewport = view->viewport();
  const QPointF at(viewport->width() / 2.0, viewport->height() / 2.0);
  QWheelEvent wheel(at, viewport->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton,
                    Qt::NoModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(viewport, &wheel);
  EXPECT_TRUE(plot.userZoomed());
  QTest::mouseDClick(viewport, Qt::LeftButton, Qt::NoModifier, at.toPoint());
  EXPECT_FALSE(plot.userZoomed());
  LayerStdOverTimePlot std;
  std.resize(600, 400);
  std.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&std));
  std.zoomBy(0.8, QPointF(100, 100));
  EXPECT_TRUE(std.userZoomed());
  std.resetZoom();
  EXPECT_FALSE(std.userZoomed());
}

// Collects what a window would plot from a controller's frames.
struct Collected {
  RunHistory history;
  std::set<long> snapshotSteps;
  long lossSteps = 0;
  TrainingProgress last;
};

void collect(TrainingController& c, Collected& out) {
  QObject::connect(&c, &TrainingController::frame, [&out](const TrainingFrame& f) {
    out.history.addLosses(f.losses);
    out.lossSteps += static_cast<long>(f.losses.size());
    for (const StatsSnapshot& s : f.snapshots) {
      out.history.addSnapshot(s);
      out.snapshotSteps.insert(s.step);
    }
    if (f.hasProgress) out.last = f.progress;
  });
}

TEST(AppCurves, A7200StepSpiralRunAtFullSpeedPlotsAtLeast200ProbesAndEveryLoss) {
  TrainingController c;
  Collected got;
  collect(c, got);
  c.setPace(0);  // full speed
  c.setExperiment(spiral2x32(7200));
  ASSERT_TRUE(waitFor([&] { return c.state() == State::Ready; }));
  c.train();
  ASSERT_TRUE(waitFor([&] { return c.state() == State::Finished; }, 120000));
  ASSERT_TRUE(waitFor([&] { return got.lossSteps >= 7200 && got.last.step == 7200; }));
  EXPECT_GE(got.snapshotSteps.size(), 200u);
  EXPECT_GE(got.history.validationLoss().size(), 200u);
  EXPECT_GE(got.history.layer(1, RunHistory::ActivationStd).size(), 200u);
  EXPECT_EQ(got.history.trainLoss().appended(), 7200);
  // Finished: the status reports the run's average speed, not 0.
  EXPECT_EQ(got.last.stepsPerSecond, 0.0);
  EXPECT_GT(got.last.averageStepsPerSecond, 100.0);
}

TEST(AppCurves, ThePaceCapMakesA200StepRunTakeAbout200OverCapSeconds) {
  TrainingController c;
  Collected got;
  collect(c, got);
  c.setPace(100);  // steps per second
  c.setExperiment(spiral2x32(200));
  ASSERT_TRUE(waitFor([&] { return c.state() == State::Ready; }));
  QElapsedTimer t;
  t.start();
  c.train();
  ASSERT_TRUE(waitFor([&] { return c.state() == State::Finished; }, 30000));
  const double seconds = t.elapsed() / 1000.0;
  EXPECT_GT(seconds, 1.6);  // 200 / 100 = 2 s
  EXPECT_LT(seconds, 5.0);
  ASSERT_TRUE(waitFor([&] { return got.last.step == 200; }));
  EXPECT_GT(got.last.averageStepsPerSecond, 60.0);
  EXPECT_LT(got.last.averageStepsPerSecond, 125.0);
}

TEST(AppCurves, PauseEndsThePacedWaitAtOnce) {
  TrainingController c;
  c.setPace(1);  // one step a second
  c.setExperiment(spiral2x32(100));
  ASSERT_TRUE(waitFor([&] { return c.state() == State::Ready; }));
  c.train();
  ASSERT_TRUE(waitFor([&] { return c.stepsDone() >= 1; }, 5000));
  QSignalSpy snapshots(&c, &TrainingController::snapshotReceived);
  QElapsedTimer t;
  t.start();
  c.pause();
  // The worker, waiting ~1 s for its next step, answers the Pause with a probe at once.
  ASSERT_TRUE(waitFor([&] { return snapshots.count() >= 1; }, 5000));
  EXPECT_LT(t.elapsed(), 600);
  EXPECT_LE(c.stepsDone(), 3);
}

}  // namespace
}  // namespace layerscope
