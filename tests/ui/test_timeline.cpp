// The window's timeline: dragging it shows every view as it was at that step, the run goes on
// meanwhile, Live returns to it, and setting changes are marked.
#include <gtest/gtest.h>

#include <QAction>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <algorithm>

#include "plots/dashboard.h"
#include "plots/depth_profile_plot.h"
#include "plots/layer_histograms_plot.h"
#include "plots/layer_std_over_time_plot.h"
#include "plots/layer_time_heatmap_plot.h"
#include "test_helpers.h"
#include "widgets/timeline_bar.h"

namespace layerscope {

using namespace testing;  // tests/ui/test_helpers.h
using State = TrainingController::State;

namespace {

// The depth profile's std points are the snapshot's hidden layers' activation std.
bool depthProfileShows(MainWindow& w, const StatsSnapshot& s) {
  const QList<QPointF> std = w.dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::stdSeriesName());
  if (std.size() + 2 != int(s.layers.size())) return false;
  for (int l = 1; l <= std.size(); ++l)
    if (std[l - 1].y() != s.layers[std::size_t(l)].activation.std) return false;
  return true;
}

}  // namespace

TEST(Timeline, ScrubbingShowsEveryViewAtThatStepAndLiveReturns) {
  MainWindow w(fresh());
  w.show();
  ExperimentConfig c = blobs16d();
  c.train.epochs = 0;
  c.train.steps = 400;
  useExperiment(w, c);
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Ready; }))
      << w.statusText().toStdString();
  w.trainAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Finished; }, 60000));
  // The automatic cadence: >= 200 probes over the 400 steps.
  ASSERT_TRUE(waitFor([&] { return w.timeline()->lastStep() == 400; }));
  TimelineBar* bar = w.timeline();
  const std::vector<StatsSnapshot>& kept = w.statisticsRecord().snapshots();
  ASSERT_GE(kept.size(), 200u);
  ASSERT_EQ(bar->probeSteps().size(), kept.size());
  const std::size_t k = kept.size() / 4;
  const StatsSnapshot& at100 = kept[k];
  ASSERT_GT(at100.step, 50);

  // A quarter in: the depth profile, the histograms, the curves and the over-time cursor.
  bar->setCursor(at100.step);
  ASSERT_FALSE(bar->live());
  EXPECT_TRUE(depthProfileShows(w, at100));
  LayerHistogramsPlot* h = w.dashboard()->histograms();
  for (int l = 1; l <= 4; ++l) EXPECT_EQ(h->panels()[l - 1].counts, at100.layers[l].activationHistogram.counts);
  const QList<QPointF> line = w.dashboard()->stdOverTime()->seriesPoints(LayerStdOverTimePlot::seriesName(1));
  ASSERT_FALSE(line.isEmpty());
  EXPECT_EQ(line.back().x(), double(at100.step));  // the curves end at the cursor
  EXPECT_EQ(w.dashboard()->layerHeatmap()->cursorStep(), at100.step);

  // Probe by probe with the arrow keys.
  QTest::keyClick(bar, Qt::Key_Right);
  EXPECT_EQ(bar->cursor(), kept[k + 1].step);
  EXPECT_TRUE(depthProfileShows(w, kept[k + 1]));

  // Live: the newest probe again.
  bar->goLive();
  EXPECT_TRUE(depthProfileShows(w, kept.back()));
  EXPECT_EQ(w.dashboard()->layerHeatmap()->cursorStep(), -1);
}

TEST(Timeline, TheViewsStayAtTheCursorWhileTrainingGoesOn) {
  MainWindow w(fresh());
  w.show();
  ExperimentConfig c = blobs16d();
  c.train.epochs = 0;
  c.train.steps = 3000;
  useExperiment(w, c);
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Ready; }))
      << w.statusText().toStdString();
  w.controller()->setPace(1000);  // long enough to scrub while it runs
  w.trainAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w.timeline()->probeSteps().size() >= 5u; }));
  TimelineBar* bar = w.timeline();
  bar->setCursor(bar->probeSteps()[2]);
  const StatsSnapshot at20 = *w.statisticsRecord().at(bar->cursor());
  const long before = bar->lastStep();
  ASSERT_TRUE(waitFor([&] { return bar->lastStep() > before + 200; }));
  EXPECT_EQ(w.controller()->state(), State::Running);
  EXPECT_TRUE(depthProfileShows(w, at20));  // the run went on; the views did not move
  EXPECT_EQ(bar->cursor(), at20.step);

  // A live setting changed while running is marked on the timeline.
  w.configPanel()->findChild<QDoubleSpinBox*>("learningRate")->setValue(0.01);
  ASSERT_TRUE(waitFor([&] { return !bar->marks().empty(); }));
  EXPECT_EQ(bar->marks().back().kind, TimelineMark::Kind::SettingChange);
  EXPECT_TRUE(bar->marks().back().text.contains("0.01")) << bar->marks().back().text.toStdString();
  w.pauseAction()->trigger();
}

TEST(Timeline, ShowsAnyStepOfThe10x500NetWithin50Milliseconds) {
  // The article's net (tanh, 10 x 500, 1000 samples of 500 features) after some probes: the
  // time from a cursor move to every view redrawn, p95 over the recorded probes.
  MainWindow w(fresh());
  w.resize(1500, 950);
  w.show();
  ExperimentConfig c;  // the default: the article's experiment
  c.train.epochs = 0;
  c.train.steps = 40;
  c.stats.every = 2;
  useExperiment(w, c);
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Ready; }, 60000))
      << w.statusText().toStdString();
  w.controller()->setProbeBudget(0.95, 0.0);  // every probe the cadence asks for
  w.trainAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Finished; }, 300000));
  ASSERT_TRUE(waitFor([&] { return w.timeline()->lastStep() == 40; }));
  ASSERT_GE(w.timeline()->probeSteps().size(), 4u);
  std::vector<double> ms;
  const std::vector<long> steps = w.timeline()->probeSteps();
  for (int round = 0; round < 8; ++round)
    for (long s : steps) {
      QElapsedTimer t;
      t.start();
      w.timeline()->setCursor(s);
      QCoreApplication::processEvents();  // the repaint the move scheduled
      ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
  std::sort(ms.begin(), ms.end());
  const double p95 = ms[std::size_t(0.95 * double(ms.size() - 1))];
  RecordProperty("scrub_p95_ms", std::to_string(p95));
  std::printf("scrub to a step of the 10 x 500 run: median %.1f ms, p95 %.1f ms (%zu moves)\n",
              ms[ms.size() / 2], p95, ms.size());
  EXPECT_LT(p95, 50.0 * timeScale());
}

}  // namespace layerscope
