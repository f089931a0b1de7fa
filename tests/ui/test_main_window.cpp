#include <gtest/gtest.h>

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <cmath>

#include "config_panel.h"
#include "plots/dashboard.h"
#include "io/experiment_file.h"
#include "findings_box.h"
#include "gemm.h"
#include "main_window.h"
#include "plots/decision_region_plot.h"
#include "plots/depth_profile_plot.h"
#include "plots/gradient_plot.h"
#include "plots/layer_histograms_plot.h"
#include "plots/layer_std_over_time_plot.h"
#include "plots/loss_accuracy_plot.h"
#include "test_helpers.h"

namespace layerscope {

using namespace testing;  // tests/ui/test_helpers.h
using State = TrainingController::State;

namespace {

// Waits until the depth profile shows the newest snapshot the controller received.
bool waitForPlottedSnapshot(MainWindow& w, QSignalSpy& snapshots, int hidden, int timeoutMs = 10000) {
  return waitFor([&] {
    if (snapshots.isEmpty()) return false;
    const auto s = snapshots.last().at(0).value<StatsSnapshot>();
    const QList<QPointF> std = w.dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::stdSeriesName());
    return std.size() == hidden && s.layers.size() == size_t(hidden + 2) &&
           std.back().y() == s.layers[hidden].activation.std;
  }, timeoutMs);
}

}  // namespace

TEST(MainWindow, DepthProfileOfNormal001TanhFallsGeometricallyOnScreenAsInTheEngine) {
  MainWindow w(fresh());
  w.show();
  QSignalSpy snapshots(w.controller(), &TrainingController::snapshotReceived);
  // Set the controls as a user would: 10 x 100 tanh on N(0, 1) data with N(0, 0.01) weights.
  ConfigPanel* panel = w.configPanel();
  panel->findChild<QSpinBox*>("features")->setValue(100);
  panel->findChild<QSpinBox*>("samples")->setValue(500);
  panel->findChild<QSpinBox*>("width")->setValue(100);
  panel->findChild<QSpinBox*>("depth")->setValue(10);
  panel->findChild<QPushButton*>("preset N(0,0.01)")->click();
  const ExperimentConfig c = w.controller()->experiment();
  ASSERT_EQ(c.model.init, "normal");
  ASSERT_DOUBLE_EQ(c.model.initStd, 0.01);
  ASSERT_EQ(c.model.width, 100);
  ASSERT_EQ(c.data.features, 100);
  ASSERT_TRUE(waitForPlottedSnapshot(w, snapshots, 10));

  const StatsSnapshot s = snapshots.last().at(0).value<StatsSnapshot>();
  EXPECT_EQ(s.step, 0);
  const QList<QPointF> std = w.dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::stdSeriesName());
  const QList<QPointF> mean = w.dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::meanSeriesName());
  ASSERT_EQ(std.size(), 10);
  ASSERT_EQ(mean.size(), 10);
  for (int l = 1; l <= 10; ++l) {
    EXPECT_EQ(std[l - 1].x(), l);
    EXPECT_EQ(std[l - 1].y(), s.layers[l].activation.std);  // exactly the engine's number
    EXPECT_EQ(mean[l - 1].y(), s.layers[l].activation.mean);
  }
  // Theory: each layer multiplies the std by ~ 0.01 x sqrt(100) = 0.1 (tanh is ~linear near 0).
  for (int l = 1; l < 10; ++l) {
    const double ratio = std[l].y() / std[l - 1].y();
    EXPECT_GT(ratio, 0.07) << "layer " << l + 1;
    EXPECT_LT(ratio, 0.13) << "layer " << l + 1;
  }
  EXPECT_NEAR(std[0].y(), 0.1, 0.02);
  // And the findings say so in words.
  ASSERT_TRUE(waitFor([&] { return w.findings()->texts().join("\n").contains("collapsed"); }));
}

TEST(MainWindow, PlotsHoldTheEnginesNumbers) {
  MainWindow w(fresh());
  w.show();
  QSignalSpy snapshots(w.controller(), &TrainingController::snapshotReceived);
  useExperiment(w, blobs16d());
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Ready; }));
  w.trainAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w.controller()->stepsDone() >= 100; }));
  w.pauseAction()->trigger();
  ASSERT_TRUE(waitFor([&] {
    return !snapshots.isEmpty() &&
           snapshots.last().at(0).value<StatsSnapshot>().step == w.controller()->stepsDone();
  }));
  ASSERT_TRUE(waitForPlottedSnapshot(w, snapshots, 4));
  const StatsSnapshot s = snapshots.last().at(0).value<StatsSnapshot>();
  ASSERT_GT(s.step, 0);

  // Histograms: one panel per hidden layer with the engine's counts, in all three modes.
  LayerHistogramsPlot* h = w.dashboard()->histograms();
  ASSERT_EQ(h->panels().size(), 4u);
  for (int l = 1; l <= 4; ++l) EXPECT_EQ(h->panels()[l - 1].counts, s.layers[l].activationHistogram.counts);
  EXPECT_DOUBLE_EQ(h->axisLo(), -1.0);  // tanh: the shared axis is [-1, 1]
  EXPECT_DOUBLE_EQ(h->axisHi(), 1.0);
  h->setMode(LayerHistogramsPlot::Mode::Gradient);
  for (int l = 1; l <= 4; ++l) EXPECT_EQ(h->panels()[l - 1].counts, s.layers[l].gradientHistogram.counts);
  h->setMode(LayerHistogramsPlot::Mode::PreActivation);
  for (int l = 1; l <= 4; ++l) EXPECT_EQ(h->panels()[l - 1].counts, s.layers[l].preActivationHistogram.counts);

  // Gradients: the engine's per-layer numbers, hidden layers and output.
  const QList<QPointF> g = w.dashboard()->gradients()->seriesPoints(GradientPlot::gradientSeriesName());
  ASSERT_EQ(g.size(), 5);
  for (int l = 1; l <= 5; ++l) EXPECT_EQ(g[l - 1].y(), s.layers[l].gradientStd);
  const QList<QPointF> u = w.dashboard()->gradients()->seriesPoints(GradientPlot::updateRatioSeriesName());
  ASSERT_EQ(u.size(), 5);
  EXPECT_EQ(u[2].y(), s.layers[3].updateRatio);

  // Std over time: one line per hidden layer, ending at the newest snapshot's value.
  for (int l = 1; l <= 4; ++l) {
    const QList<QPointF> line = w.dashboard()->stdOverTime()->seriesPoints(LayerStdOverTimePlot::seriesName(l));
    ASSERT_GE(line.size(), 2);
    EXPECT_EQ(line.back().x(), double(s.step));
    EXPECT_EQ(line.back().y(), s.layers[l].activation.std);
  }
  // Loss: every step's loss so far while there are fewer steps than pixels, else decimated to
  // pixels (min/max per column, tested in Decimate.*); either way it reaches the newest step
  // (decimated: within the last pixel column, about recorded / plotted steps).
  // The last batch of step losses can land one frame after the snapshot: wait for that frame.
  const auto plottedLoss = [&] {
    return w.dashboard()->lossAccuracy()->seriesPoints(LossAccuracyPlot::trainLossName());
  };
  EXPECT_TRUE(waitFor([&] {
    const QList<QPointF> p = plottedLoss();
    const BoundedSeries& recorded = w.history().trainLoss();
    return !p.isEmpty() && p.size() <= qsizetype(recorded.size()) &&
           (p.size() == qsizetype(recorded.size())
                ? p.back().x() == recorded.last().x
                : recorded.size() > 1000 &&
                      p.back().x() >= recorded.last().x - 2.0 * recorded.size() / p.size());
  })) << plottedLoss().size() << " plotted, " << w.history().trainLoss().size() << " recorded";
  const QList<QPointF> acc = w.dashboard()->lossAccuracy()->seriesPoints(LossAccuracyPlot::validationAccuracyName());
  ASSERT_FALSE(acc.isEmpty());
  EXPECT_EQ(acc.back().y(), s.validationAccuracy);
  EXPECT_TRUE(w.progressText().contains(QString("step %1").arg(s.step))) << w.progressText().toStdString();
  // 3 Gaussian blobs in 16-D are easy: training works.
  EXPECT_GT(s.validationAccuracy, 0.8);
}

TEST(MainWindow, StructuralChangeResetsTheRun) {
  MainWindow w(fresh());
  w.show();
  QSignalSpy snapshots(w.controller(), &TrainingController::snapshotReceived);
  useExperiment(w, blobs16d());
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Ready; }));
  w.trainAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w.controller()->stepsDone() >= 50; }));
  w.configPanel()->findChild<QSpinBox*>("depth")->setValue(3);
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Ready; }));
  ASSERT_TRUE(waitForPlottedSnapshot(w, snapshots, 3));
  EXPECT_EQ(snapshots.last().at(0).value<StatsSnapshot>().step, 0);
  EXPECT_EQ(w.controller()->stepsDone(), 0);
  EXPECT_EQ(w.history().snapshots(), 1);
  EXPECT_EQ(w.history().trainLoss().size(), 0u);
  EXPECT_EQ(w.controller()->experiment().model.depth, 3);
}

TEST(MainWindow, LiveLearningRateDoesNotReset) {
  MainWindow w(fresh());
  w.show();
  useExperiment(w, blobs16d());
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Ready; }));
  w.trainAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w.controller()->stepsDone() >= 30; }));
  QSignalSpy snapshots(w.controller(), &TrainingController::snapshotReceived);
  w.configPanel()->findChild<QDoubleSpinBox*>("learningRate")->setValue(0.002);
  EXPECT_EQ(w.controller()->state(), State::Running);
  ASSERT_TRUE(waitFor([&] {
    return !snapshots.isEmpty() &&
           std::abs(snapshots.last().at(0).value<StatsSnapshot>().learningRate - 0.002) < 1e-9;
  }));
  EXPECT_GT(snapshots.last().at(0).value<StatsSnapshot>().step, 30);
}

TEST(MainWindow, LayerSelectionHighlightsAcrossPlots) {
  MainWindow w(fresh());
  w.show();
  QSignalSpy snapshots(w.controller(), &TrainingController::snapshotReceived);
  useExperiment(w, blobs16d());
  ASSERT_TRUE(waitForPlottedSnapshot(w, snapshots, 4));
  emit w.dashboard()->depthProfile()->layerClicked(3);  // as a click on layer 3's point does
  EXPECT_EQ(w.dashboard()->selectedLayer(), 3);
  const QList<QPointF> marks = w.dashboard()->depthProfile()->seriesPoints("selected");
  ASSERT_EQ(marks.size(), 2);  // its mean and its std
  EXPECT_EQ(marks[0].x(), 3);
  const QList<QPointF> gradientMarks = w.dashboard()->gradients()->seriesPoints("selected");
  ASSERT_FALSE(gradientMarks.isEmpty());
  EXPECT_EQ(gradientMarks[0].x(), 3);
  EXPECT_EQ(w.findChild<QSpinBox*>("selectedLayer")->value(), 3);
}

TEST(MainWindow, DecisionRegionsForTwoDimensionalData) {
  MainWindow w(fresh());
  w.show();
  QSignalSpy snapshots(w.controller(), &TrainingController::snapshotReceived);
  ExperimentConfig c = blobs16d();
  c.data.source = "moons";
  c.data.classes = 2;
  c.data.features = 2;
  useExperiment(w, c);
  DecisionRegionPlot* d = w.dashboard()->decisionRegions();
  ASSERT_TRUE(waitFor([&] { return d->applicable() && d->pointCount() > 0; }));
  const StatsSnapshot s = snapshots.last().at(0).value<StatsSnapshot>();
  EXPECT_EQ(d->grid().classIndex, s.decision.classIndex);
  EXPECT_EQ(d->image().width(), s.decision.resolution);
  EXPECT_TRUE(d->isVisible());
  EXPECT_EQ(d->pointCount(), 400);  // the training split: 500 minus 20% validation
  // And not for 16-D data.
  useExperiment(w, blobs16d());
  ASSERT_TRUE(waitFor([&] { return !d->applicable(); }));
  EXPECT_FALSE(d->isVisible());
}

TEST(MainWindow, RedrawsAtLeast20TimesASecondWithoutQueuesGrowing) {
  MainWindow w(fresh());
  w.resize(1400, 900);
  w.show();
  ExperimentConfig c = blobs16d();
  c.train.epochs = 100000;
  useExperiment(w, c);
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Ready; }));
  w.trainAction()->trigger();
  QTest::qWait(300);
  const int redraws0 = w.dashboard()->lossAccuracy()->redraws();
  QElapsedTimer timer;
  timer.start();
  int maxPending = 0;
  while (timer.elapsed() < 2000) {
    QTest::qWait(5);
    maxPending = std::max(maxPending, w.controller()->pendingItems());
  }
  const double perSecond = (w.dashboard()->lossAccuracy()->redraws() - redraws0) * 1000.0 / timer.elapsed();
  EXPECT_GE(perSecond, 20.0);
  EXPECT_LT(maxPending, 5000);  // one frame's worth of step losses, never a backlog
}

TEST(MainWindow, ClosingMidTrainingExitsWithinASecond) {
  auto w = std::make_unique<MainWindow>(fresh());
  w->show();
  ExperimentConfig c = blobs16d();
  c.model.width = 256;
  useExperiment(*w, c);
  ASSERT_TRUE(waitFor([&] { return w->controller()->state() == State::Ready; }));
  w->trainAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w->controller()->stepsDone() > 10; }));
  QElapsedTimer timer;
  timer.start();
  w->close();
  w.reset();
  EXPECT_LT(timer.elapsed(), 1000);
}

TEST(MainWindow, ExportsDashboardAsPngSvgAndPdf) {
  MainWindow w(fresh());
  w.resize(1200, 800);
  w.show();
  QSignalSpy snapshots(w.controller(), &TrainingController::snapshotReceived);
  useExperiment(w, blobs16d());
  ASSERT_TRUE(waitForPlottedSnapshot(w, snapshots, 4));
  QTemporaryDir dir;
  const QString png = dir.filePath("sub/dash.png"), svg = dir.filePath("dash.svg"),
                pdf = dir.filePath("dash.pdf");
  EXPECT_EQ(w.exportDashboard(png), QString());
  EXPECT_EQ(w.exportDashboard(svg), QString());
  EXPECT_EQ(w.exportDashboard(pdf), QString());
  const QImage image(png);
  EXPECT_EQ(image.size(), w.dashboard()->size() * w.dashboard()->devicePixelRatioF());
  QFile s(svg);
  ASSERT_TRUE(s.open(QIODevice::ReadOnly));
  const QByteArray svgText = s.readAll();
  EXPECT_TRUE(svgText.contains("<svg"));
  EXPECT_TRUE(svgText.contains("Depth profile"));  // the chart titles are text, not pixels
  QFile p(pdf);
  ASSERT_TRUE(p.open(QIODevice::ReadOnly));
  EXPECT_TRUE(p.read(5).startsWith("%PDF"));
  EXPECT_FALSE(w.exportDashboard(dir.filePath("dash.bmpx")).isEmpty());
  // Statistics: CSV with the engine's header.
  const QString csv = dir.filePath("stats.csv");
  EXPECT_EQ(w.exportStatistics(csv), QString());
  QFile f(csv);
  ASSERT_TRUE(f.open(QIODevice::ReadOnly));
  EXPECT_TRUE(f.readLine().startsWith("step,epoch,layer"));
}

TEST(MainWindow, OpensAndSavesExperimentsAndStartsFromConfigFlag) {
  QTemporaryDir dir;
  const QString path = dir.filePath("exp.json");
  ExperimentConfig c = blobs16d();
  c.model.depth = 2;
  c.model.activation = "relu";
  c.model.init = "he_normal";
  writeExperimentFile(path.toStdString(), c);
  StartOptions o = fresh();
  o.configPath = path;
  o.autostart = true;  // --config FILE --autostart
  MainWindow w(o);
  w.show();
  EXPECT_EQ(w.configPanel()->config().model.depth, 2);
  EXPECT_EQ(w.controller()->experiment().model.activation, "relu");
  ASSERT_TRUE(waitFor([&] { return w.controller()->stepsDone() > 0; }));
  const QString saved = dir.filePath("saved.json");
  EXPECT_EQ(w.saveExperiment(saved), QString());
  EXPECT_EQ(readExperimentFile(saved.toStdString()).model.init, "he_normal");
  EXPECT_TRUE(w.openExperiment(dir.filePath("missing.json")).contains("missing.json"));
}

TEST(MainWindow, SettingsPersistBetweenLaunches) {
  QSettings().clear();
  {
    MainWindow first;
    first.show();
    first.configPanel()->findChild<QSpinBox*>("depth")->setValue(3);
    first.resize(1111, 777);
    first.close();
  }
  MainWindow second;
  EXPECT_EQ(second.configPanel()->config().model.depth, 3);
  EXPECT_EQ(second.controller()->experiment().model.depth, 3);
  EXPECT_EQ(second.size(), QSize(1111, 777));
  QSettings().clear();
}

TEST(MainWindow, DamagedSettingsStartOnTheDefaultsAndSaySo) {
  // A setting from an older or broken version: valid JSON with an invalid value, then bytes that
  // are not JSON, then a settings file that is not an INI file at all.
  const ExperimentConfig defaults;
  for (const QString& stored :
       {QStringLiteral(R"({"format": "layerscope-experiment", "version": 1,
                           "model": {"depth": -4}})"),
        QStringLiteral("{\"format\": [[[[[[\xff")}) {
    QSettings().clear();
    QSettings().setValue(QStringLiteral("experiment/json"), stored);
    MainWindow w;
    EXPECT_EQ(experimentToJson(w.configPanel()->config()), experimentToJson(defaults));
    EXPECT_TRUE(w.statusText().contains(QStringLiteral("settings (experiment/json)")))
        << w.statusText().toStdString();
  }
  QSettings().clear();
  const QString file = QSettings().fileName();
  {
    QFile garbage(file);
    ASSERT_TRUE(garbage.open(QIODevice::WriteOnly));
    garbage.write("\x00\xff[window]\ngeometry=@ByteArray(\x01\x02\nexperiment/json=\"{\n\xfe");
  }
  MainWindow w;
  EXPECT_EQ(w.configPanel()->config().model.depth, defaults.model.depth);
  QSettings().clear();
}

TEST(MainWindow, AboutNamesTheVersionAndTheMatrixKernelInUse) {
  const QString text = MainWindow::aboutText();
  EXPECT_TRUE(text.contains(QStringLiteral(LAYERSCOPE_VERSION))) << text.toStdString();
  EXPECT_TRUE(text.contains(QString::fromStdString(gemmChoice().name))) << text.toStdString();
}

}  // namespace layerscope
