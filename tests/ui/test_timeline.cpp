// The window's timeline: dragging it shows every view as it was at that step, the run goes on
// meanwhile, Live returns to it, and setting changes are marked.
#include <gtest/gtest.h>

#include <QAction>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QToolButton>
#include <algorithm>

#include "plots/dashboard.h"
#include "plots/depth_profile_plot.h"
#include "plots/layer_histograms_plot.h"
#include "plots/layer_std_over_time_plot.h"
#include "plots/layer_time_heatmap_plot.h"
#include "test_helpers.h"
#include "widgets/log_spin_box.h"
#include "widgets/timeline_bar.h"
#include "branch_dialog.h"
#include <QComboBox>

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
  if (timeScale() > 1) GTEST_SKIP() << "a timing: meaningless in a sanitizer's build";
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
  ASSERT_GE(w.timeline()->probeSteps().size(), 2u);
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
  // The target is 50 ms (measured idle: p95 ~20 ms on the 2-core machine); the guard allows for
  // the suite's other test running beside this one.
  EXPECT_LT(p95, 100.0 * timeScale());
}

TEST(Timeline, BranchingWithNothingChangedRetrainsTheSameStepsBitForBit) {
  // Adam with dropout and batch norm: every random stream and every optimizer moment must come
  // back from the keyframe for the branch to repeat the original.
  MainWindow w(fresh());
  w.show();
  ExperimentConfig c = blobs16d();
  c.train.epochs = 0;
  c.train.steps = 320;
  c.train.optimizer = "adam";
  c.train.learningRate = 0.003;
  c.model.dropout = 0.2;
  c.model.batchNorm = true;
  ASSERT_TRUE(trainToEnd(w, c));
  const std::vector<StepLoss> original = w.statisticsRecord().losses();
  const StatsSnapshot originalEnd = w.statisticsRecord().snapshots().back();
  ASSERT_EQ(original.size(), 320u);

  // A keyframe in the middle: the cursor there, then Branch.
  TimelineBar* bar = w.timeline();
  bar->setCursor(170);
  const long from = bar->branchStep();
  ASSERT_GT(from, 0) << "no keyframe before step 170";
  ASSERT_TRUE(bar->branchButton()->isEnabled());
  const int pinnedBefore = w.pinnedRuns().size();
  EXPECT_EQ(w.branchFrom(bar->cursor()), QString());
  EXPECT_EQ(w.pinnedRuns().size(), pinnedBefore + 1);  // the original stays for comparison
  EXPECT_TRUE(bar->live());
  EXPECT_EQ(w.statisticsRecord().losses().back().step, from);  // forgotten after the keyframe
  ASSERT_TRUE(waitFor([&] { return w.controller()->stepsDone() == from; }));
  w.trainAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Finished; }, 60000));
  ASSERT_TRUE(waitFor([&] { return w.timeline()->lastStep() == 320; }));
  const std::vector<StepLoss>& branch = w.statisticsRecord().losses();
  ASSERT_EQ(branch.size(), original.size());
  for (std::size_t i = 0; i < branch.size(); ++i) {
    ASSERT_EQ(branch[i].step, original[i].step);
    ASSERT_EQ(branch[i].loss, original[i].loss) << "step " << branch[i].step;
  }
  const StatsSnapshot& end = w.statisticsRecord().snapshots().back();
  ASSERT_EQ(end.step, originalEnd.step);
  for (std::size_t l = 0; l < end.layers.size(); ++l)
    EXPECT_EQ(end.layers[l].activation.std, originalEnd.layers[l].activation.std) << l;
  EXPECT_EQ(end.validationLoss, originalEnd.validationLoss);
  // The branch is on the timeline.
  bool marked = false;
  for (const TimelineMark& m : bar->marks()) marked |= m.kind == TimelineMark::Kind::Branch && m.step == from;
  EXPECT_TRUE(marked);
}

TEST(Timeline, ABranchWithAnotherLearningRateDiffersAfterTheKeyframe) {
  MainWindow w(fresh());
  w.show();
  ExperimentConfig c = blobs16d();
  c.train.epochs = 0;
  c.train.steps = 200;
  ASSERT_TRUE(trainToEnd(w, c));
  const std::vector<StepLoss> original = w.statisticsRecord().losses();
  w.timeline()->setCursor(100);
  const long from = w.timeline()->branchStep();
  ASSERT_GT(from, 0);
  w.configPanel()->findChild<QDoubleSpinBox*>("learningRate")->setValue(0.5);
  EXPECT_EQ(w.branchFrom(w.timeline()->cursor()), QString());
  w.trainAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Finished; }, 60000));
  ASSERT_TRUE(waitFor([&] { return w.timeline()->lastStep() == 200; }));
  const std::vector<StepLoss>& branch = w.statisticsRecord().losses();
  ASSERT_EQ(branch.size(), original.size());
  for (std::size_t i = 0; i < std::size_t(from); ++i) ASSERT_EQ(branch[i].loss, original[i].loss);
  EXPECT_NE(branch[std::size_t(from) + 1].loss, original[std::size_t(from) + 1].loss);
  EXPECT_TRUE(
              [&] {
                for (const TimelineMark& m : w.timeline()->marks())
                  if (m.kind == TimelineMark::Kind::Branch) return m.text.contains("0.5");
                return false;
              }());
}

TEST(Timeline, ABranchMayChangeTheOptimizer) {
  MainWindow w(fresh());
  w.show();
  ExperimentConfig c = blobs16d();
  c.train.epochs = 0;
  c.train.steps = 200;
  c.train.optimizer = "sgd";
  ASSERT_TRUE(trainToEnd(w, c));
  const std::vector<StepLoss> original = w.statisticsRecord().losses();
  w.timeline()->setCursor(100);
  const long from = w.timeline()->branchStep();
  ASSERT_GT(from, 0);
  ExperimentConfig withAdam = w.configPanel()->config();
  withAdam.train.optimizer = "adam";
  withAdam.train.learningRate = 0.01;
  EXPECT_EQ(w.branchFrom(w.timeline()->cursor(), withAdam), QString());
  // The branch's optimizer is the run's now, and the panel shows it without a rebuild.
  EXPECT_EQ(w.controller()->experiment().train.optimizer, "adam");
  EXPECT_EQ(w.configPanel()->config().train.optimizer, "adam");
  ASSERT_TRUE(waitFor([&] { return w.controller()->stepsDone() == from; }));
  w.trainAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Finished; }, 60000));
  ASSERT_TRUE(waitFor([&] { return w.timeline()->lastStep() == 200; }));
  const std::vector<StepLoss>& branch = w.statisticsRecord().losses();
  ASSERT_EQ(branch.size(), original.size());
  for (std::size_t i = 0; i < std::size_t(from); ++i) ASSERT_EQ(branch[i].loss, original[i].loss);
  EXPECT_NE(branch[std::size_t(from) + 1].loss, original[std::size_t(from) + 1].loss);
}

TEST(BranchDialog, StartsFromThePanelsSettingsAndReturnsTheChosenOnes) {
  ExperimentConfig c = blobs16d();
  c.train.optimizer = "momentum";
  c.train.learningRate = 0.05;
  c.model.dropout = 0.0;
  BranchDialog dialog(120, c);
  EXPECT_EQ(dialog.optimizer()->currentText(), "momentum");
  EXPECT_DOUBLE_EQ(dialog.learningRate()->value(), 0.05);
  EXPECT_TRUE(dialog.windowTitle().contains("120"));
  // Without dropout layers, dropout cannot be turned on by a branch.
  auto* dropout = dialog.findChildren<QDoubleSpinBox*>().back();
  EXPECT_FALSE(dropout->isEnabled());
  dialog.optimizer()->setCurrentText("adam");
  dialog.learningRate()->setValue(0.002);
  const ExperimentConfig chosen = dialog.settings();
  EXPECT_EQ(chosen.train.optimizer, "adam");
  EXPECT_DOUBLE_EQ(chosen.train.learningRate, 0.002);
  EXPECT_EQ(chosen.model.depth, c.model.depth);  // the rest is the panel's
}

}  // namespace layerscope
