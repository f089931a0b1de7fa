// Save run with history and Open run: a run trained in one window opens in another without
// training, every probe, curve and view as it was; a damaged file changes nothing; the CLI
// opens what the app saved.
#include <gtest/gtest.h>

#include <QAction>
#include <QFileInfo>
#include <QProcess>
#include <QSpinBox>
#include <QTemporaryDir>

#include "io/run_file.h"
#include "plots/dashboard.h"
#include "plots/depth_profile_plot.h"
#include "plots/layer_histograms_plot.h"
#include "test_helpers.h"
#include "widgets/timeline_bar.h"

namespace layerscope {

using namespace testing;  // tests/ui/test_helpers.h
using State = TrainingController::State;

namespace {

// A fresh window whose own (default) run is built: what an opened run must replace.
struct BuiltWindow {
  BuiltWindow() : w(fresh()) {
    w.show();
    useExperiment(w, blobs16d());
    ok = waitFor([&] { return w.controller()->state() == State::Ready &&
                              w.statisticsRecord().size() > 0; });
  }
  MainWindow w;
  bool ok = false;
};

ExperimentConfig shortBlobs() {
  ExperimentConfig c = blobs16d();
  c.train.epochs = 0;
  c.train.steps = 300;
  return c;
}

}  // namespace

TEST(SavedRun, OpensInAnotherWindowAsTrainedWithoutTraining) {
  QTemporaryDir dir;
  const QString path = dir.filePath("run.lsrun");
  MainWindow first(fresh());
  first.show();
  ASSERT_TRUE(trainToEnd(first, shortBlobs())) << first.statusText().toStdString();
  ASSERT_EQ(first.saveRun(path, false), QString());

  BuiltWindow second;
  ASSERT_TRUE(second.ok);
  MainWindow& w = second.w;
  ASSERT_EQ(w.openRun(path), QString());
  QTest::qWait(300);  // what the controller might still send must not replace the opened run

  const std::vector<StatsSnapshot>& want = first.statisticsRecord().snapshots();
  const std::vector<StatsSnapshot>& got = w.statisticsRecord().snapshots();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].step, want[i].step);
    ASSERT_EQ(got[i].layers.size(), want[i].layers.size());
    EXPECT_EQ(got[i].layers[2].activation.std, want[i].layers[2].activation.std);
    EXPECT_EQ(got[i].layers[2].activationHistogram.counts,
              want[i].layers[2].activationHistogram.counts);
  }
  EXPECT_EQ(w.statisticsRecord().losses().size(), first.statisticsRecord().losses().size());
  EXPECT_EQ(w.timeline()->probeSteps(), first.timeline()->probeSteps());
  EXPECT_EQ(w.timeline()->lastStep(), 300);

  // The views show the newest probe.
  const StatsSnapshot& latest = want.back();
  const QList<QPointF> std =
      w.dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::stdSeriesName());
  ASSERT_EQ(std.size() + 2, int(latest.layers.size()));
  for (int l = 1; l <= std.size(); ++l)
    EXPECT_EQ(std[l - 1].y(), latest.layers[std::size_t(l)].activation.std);

  // Nothing trained: the controller still holds its own run at step 0, and the panel shows the
  // opened run's experiment for Train to build.
  EXPECT_EQ(w.controller()->stepsDone(), 0);
  EXPECT_NE(w.controller()->state(), State::Running);
  EXPECT_TRUE(w.buildDeferred());
  EXPECT_EQ(w.configPanel()->config().train.steps, 300);
  EXPECT_TRUE(w.statusText().contains("Opened run.lsrun")) << w.statusText().toStdString();
  EXPECT_TRUE(w.statusText().contains("steps 0 to 300")) << w.statusText().toStdString();

  // openFile dispatches by suffix (recent files, drag and drop).
  BuiltWindow third;
  ASSERT_TRUE(third.ok);
  ASSERT_EQ(third.w.openFile(path), QString());
  EXPECT_EQ(third.w.statisticsRecord().size(), want.size());
}

TEST(SavedRun, TrainAfterOpeningTrainsTheExperimentFromStepZero) {
  QTemporaryDir dir;
  const QString path = dir.filePath("run.lsrun");
  MainWindow first(fresh());
  first.show();
  ExperimentConfig c = shortBlobs();
  c.train.steps = 60;
  ASSERT_TRUE(trainToEnd(first, c));
  ASSERT_EQ(first.saveRun(path, false), QString());

  BuiltWindow second;
  ASSERT_TRUE(second.ok);
  ASSERT_EQ(second.w.openRun(path), QString());
  second.w.trainAction()->trigger();
  EXPECT_FALSE(second.w.buildDeferred());
  ASSERT_TRUE(waitFor([&] { return second.w.controller()->state() == State::Finished; }, 60000));
  EXPECT_EQ(second.w.controller()->stepsDone(), 60);
  EXPECT_EQ(second.w.controller()->experiment().train.steps, 60);
}

TEST(SavedRun, ADamagedFileNamesItselfAndChangesNothing) {
  QTemporaryDir dir;
  const QString path = dir.filePath("run.lsrun");
  MainWindow first(fresh());
  first.show();
  ExperimentConfig c = shortBlobs();
  c.train.steps = 40;
  ASSERT_TRUE(trainToEnd(first, c));
  ASSERT_EQ(first.saveRun(path, false), QString());
  const QByteArray bytes = readAll(path);
  const QString cut = dir.filePath("cut.lsrun");
  ASSERT_TRUE(writeBytes(cut, bytes.left(bytes.size() / 2)));

  BuiltWindow second;
  ASSERT_TRUE(second.ok);
  MainWindow& w = second.w;
  const std::vector<long> steps = w.timeline()->probeSteps();
  const std::size_t kept = w.statisticsRecord().size();
  const QString error = w.openRun(cut);
  EXPECT_TRUE(error.contains("cut.lsrun")) << error.toStdString();
  EXPECT_EQ(w.statisticsRecord().size(), kept);
  EXPECT_EQ(w.timeline()->probeSteps(), steps);
  EXPECT_FALSE(w.buildDeferred());
  EXPECT_EQ(w.configPanel()->config().model.width, blobs16d().model.width);

  EXPECT_TRUE(w.openRun(dir.filePath("missing.lsrun")).contains("missing.lsrun"));
  EXPECT_FALSE(w.buildDeferred());
}

TEST(SavedRun, ATwoDimensionalRunKeepsItsPoints) {
  QTemporaryDir dir;
  const QString path = dir.filePath("spiral.lsrun");
  MainWindow first(fresh());
  first.show();
  ExperimentConfig c = spiral2d();
  c.train.epochs = 0;
  c.train.steps = 30;
  ASSERT_TRUE(trainToEnd(first, c));
  ASSERT_EQ(first.saveRun(path, false), QString());
  const SavedRun saved = readRunFile(path.toStdString());
  ASSERT_FALSE(saved.points.empty());
  EXPECT_EQ(saved.points.classes, 3);

  // Opened and saved again: the same points come back.
  BuiltWindow second;
  ASSERT_TRUE(second.ok);
  ASSERT_EQ(second.w.openRun(path), QString());
  QTest::qWait(200);
  const QString again = dir.filePath("again.lsrun");
  ASSERT_EQ(second.w.saveRun(again, false), QString());
  const SavedRun reread = readRunFile(again.toStdString());
  EXPECT_EQ(reread.points.x, saved.points.x);
  EXPECT_EQ(reread.points.y, saved.points.y);
  EXPECT_EQ(reread.points.label, saved.points.label);
  EXPECT_EQ(reread.snapshots.size(), saved.snapshots.size());
  EXPECT_EQ(reread.config.data.source, "spiral");
}

TEST(SavedRun, OpeningDuringTrainingStopsItAndShowsOnlyTheOpenedRun) {
  QTemporaryDir dir;
  const QString path = dir.filePath("run.lsrun");
  MainWindow first(fresh());
  first.show();
  ExperimentConfig c = shortBlobs();
  c.train.steps = 40;
  ASSERT_TRUE(trainToEnd(first, c));
  ASSERT_EQ(first.saveRun(path, false), QString());

  BuiltWindow second;
  ASSERT_TRUE(second.ok);
  MainWindow& w = second.w;
  ExperimentConfig longer = shortBlobs();
  longer.train.steps = 1000000;
  useExperiment(w, longer);
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Ready; }));
  w.trainAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w.controller()->stepsDone() > 50; }));
  ASSERT_EQ(w.openRun(path), QString());
  EXPECT_TRUE(waitFor([&] { return w.controller()->state() == State::Paused; }));
  QTest::qWait(300);  // the frames the worker sent before pausing arrive and are dropped
  EXPECT_EQ(w.statisticsRecord().size(), first.statisticsRecord().size());
  EXPECT_EQ(w.timeline()->lastStep(), 40);
  EXPECT_TRUE(w.statusText().contains("Opened run.lsrun")) << w.statusText().toStdString();
  EXPECT_FALSE(w.stepAction()->isEnabled());  // Step would step the hidden run
  EXPECT_TRUE(w.trainAction()->isEnabled());
}

TEST(SavedRun, NothingRecordedNothingSaved) {
  MainWindow w(fresh());
  QTemporaryDir dir;
  // The window's first run is built on the worker after the constructor returns: no
  // statistics yet, so the message says to train first and no file appears.
  ASSERT_EQ(w.statisticsRecord().size(), 0u);
  const QString error = w.saveRun(dir.filePath("empty.lsrun"), false);
  EXPECT_TRUE(error.contains("train first")) << error.toStdString();
  EXPECT_FALSE(QFileInfo::exists(dir.filePath("empty.lsrun")));
}

#ifdef LAYERSCOPE_CLI
TEST(SavedRun, TheCliOpensWhatTheAppSaved) {
  QTemporaryDir dir;
  const QString path = dir.filePath("run.lsrun");
  MainWindow first(fresh());
  first.show();
  ExperimentConfig c = shortBlobs();
  c.train.steps = 50;
  ASSERT_TRUE(trainToEnd(first, c));
  ASSERT_EQ(first.saveRun(path, true), QString());
  QProcess cli;
  cli.start(QStringLiteral(LAYERSCOPE_CLI), {QStringLiteral("open"), path});
  ASSERT_TRUE(cli.waitForFinished(60000));
  const QString out = QString::fromUtf8(cli.readAllStandardOutput());
  EXPECT_EQ(cli.exitCode(), 0) << cli.readAllStandardError().toStdString();
  const QString expected = QStringLiteral(": 50 steps, %1 probes")
                               .arg(first.statisticsRecord().size());
  EXPECT_TRUE(out.contains(expected)) << out.toStdString();
}
#endif

}  // namespace layerscope

namespace layerscope {

using namespace testing;  // tests/ui/test_helpers.h
using State = TrainingController::State;

TEST(SavedRun, TrainContinuesAnOpenedRunFromItsLastKeyframeBitForBit) {
  // A 300-step run saved with its keyframes, reopened, extended to 400 steps and trained: the
  // same 400 losses as a 400-step run trained in one go (keyframes keep every random stream).
  QTemporaryDir dir;
  const QString path = dir.filePath("run.lsrun");
  ExperimentConfig c = shortBlobs();
  c.model.dropout = 0.1;
  c.train.optimizer = "adam";
  c.train.learningRate = 0.003;
  {
    MainWindow first(fresh());
    first.show();
    ASSERT_TRUE(trainToEnd(first, c));
    ASSERT_EQ(first.saveRun(path, true), QString());
  }
  std::vector<StepLoss> reference;
  {
    MainWindow whole(fresh());
    whole.show();
    ExperimentConfig longer = c;
    longer.train.steps = 400;
    ASSERT_TRUE(trainToEnd(whole, longer));
    reference = whole.statisticsRecord().losses();
  }
  BuiltWindow second;
  ASSERT_TRUE(second.ok);
  MainWindow& w = second.w;
  ASSERT_EQ(w.openRun(path), QString());
  EXPECT_TRUE(w.statusText().contains("continues it from its last keyframe")) << w.statusText().toStdString();
  w.configPanel()->findChild<QSpinBox*>("steps")->setValue(400);
  w.trainAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Finished; }, 60000))
      << w.statusText().toStdString();
  ASSERT_TRUE(waitFor([&] { return w.timeline()->lastStep() == 400; }));
  const std::vector<StepLoss>& losses = w.statisticsRecord().losses();
  ASSERT_EQ(losses.size(), reference.size());
  for (std::size_t i = 0; i < losses.size(); ++i) {
    ASSERT_EQ(losses[i].step, reference[i].step);
    ASSERT_EQ(losses[i].loss, reference[i].loss) << "step " << losses[i].step;
  }
}

}  // namespace layerscope
