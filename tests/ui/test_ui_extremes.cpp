// Extreme settings entered through the configuration panel's controls, as a user would, and a run
// driven to NaN/Inf. Each extreme either trains (steps advance, every number shown is finite or
// a divergence pauses the run naming the step and the layer) or is refused in words with Train
// disabled; nothing crashes or hangs. The engine-level and CLI versions of these cases are in
// tests/engine/test_extreme_settings.cpp and tests/app/test_cli_extremes.cpp.
#include <gtest/gtest.h>

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <cmath>
#include <functional>

#include "config_panel.h"
#include "plots/dashboard.h"
#include "main_window.h"
#include "plots/depth_profile_plot.h"
#include "plots/loss_accuracy_plot.h"
#include "plots/plot_view.h"
#include "test_helpers.h"

namespace layerscope {
namespace {

using testing::fresh;
using testing::useExperiment;
using testing::waitFor;
using State = TrainingController::State;

// A quick experiment to start each case from: 2 hidden layers of 16 on 200 Gaussian samples.
ExperimentConfig quick() {
  ExperimentConfig c;
  c.data.source = "gaussian";
  c.data.samples = 200;
  c.data.features = 8;
  c.data.classes = 3;
  c.model.depth = 2;
  c.model.width = 16;
  c.train.batchSize = 32;
  c.train.learningRate = 0.05;
  c.stats.probeSize = 100;
  return c;
}

template <typename Spin>
Spin* control(MainWindow& w, const char* name) {
  Spin* s = w.configPanel()->findChild<Spin*>(QString::fromLatin1(name));
  EXPECT_NE(s, nullptr) << name;
  return s;
}

// Sets a spin box as typing a value and pressing Enter would; false when the control clamps
// the value (the range refuses it silently, which these tests do not allow).
template <typename Spin, typename T>
bool enter(MainWindow& w, const char* name, T value) {
  Spin* s = control<Spin>(w, name);
  if (s == nullptr) return false;
  s->setValue(value);
  return s->value() == value;
}

struct Outcome {
  bool refused = false;
  QString reason;      // the panel's words when refused; the status line otherwise
  State state = State::Building;
  long steps = 0;
};

// After an edit: either the panel refuses it (then Train must be disabled and the reason shown),
// or the rebuilt network takes `steps` single steps (or pauses on a divergence).
Outcome stepOrRefuse(MainWindow& w, int steps = 2, int timeoutMs = 60000) {
  Outcome o;
  QCoreApplication::processEvents();
  if (!w.configPanel()->problem().isEmpty()) {
    o.refused = true;
    o.reason = w.configPanel()->problem();
    EXPECT_FALSE(w.trainAction()->isEnabled()) << "refused, but Train is enabled";
    EXPECT_TRUE(w.statusText().contains(o.reason)) << w.statusText().toStdString();
    return o;
  }
  TrainingController* c = w.controller();
  EXPECT_TRUE(waitFor([&] { return c->state() == State::Ready || c->state() == State::Failed; },
                      timeoutMs))
      << TrainingController::stateName(c->state()).toStdString();
  if (c->state() == State::Failed) {  // the engine refused what the panel let through
    o.refused = true;
    o.reason = c->lastMessage();
    o.state = c->state();
    return o;
  }
  for (int i = 0; i < steps && c->state() != State::Diverged && c->state() != State::Finished;
       ++i) {
    const long before = c->stepsDone();
    w.stepAction()->trigger();
    EXPECT_TRUE(waitFor([&] {
      return c->stepsDone() > before || c->state() == State::Diverged ||
             c->state() == State::Finished;
    }, timeoutMs));
  }
  o.state = c->state();
  o.steps = c->stepsDone();
  o.reason = w.statusText();
  return o;
}

// What "works" means for a run that was not refused.
void expectWorked(const Outcome& o, const char* what) {
  SCOPED_TRACE(what);
  EXPECT_FALSE(o.refused) << o.reason.toStdString();
  if (o.state == State::Diverged) {
    EXPECT_TRUE(o.reason.contains(QStringLiteral("step"))) << o.reason.toStdString();
    return;
  }
  EXPECT_GE(o.steps, 1);
}

class UiExtremes : public ::testing::Test {
 protected:
  void SetUp() override {
    window_ = std::make_unique<MainWindow>(fresh());
    window_->show();
    useExperiment(*window_, quick());
  }
  MainWindow& w() { return *window_; }
  std::unique_ptr<MainWindow> window_;
};

TEST_F(UiExtremes, DepthOneAndHundred) {
  ASSERT_TRUE(enter<QSpinBox>(w(), "depth", 1));
  expectWorked(stepOrRefuse(w()), "depth 1");
  EXPECT_EQ(w().controller()->experiment().model.depth, 1);
  ASSERT_TRUE(enter<QSpinBox>(w(), "depth", 100));
  const Outcome o = stepOrRefuse(w());
  expectWorked(o, "depth 100");
  EXPECT_EQ(w().controller()->experiment().model.depth, 100);
  // The depth profile draws one point per hidden layer that is finite.
  ASSERT_TRUE(waitFor([&] {
    return w().dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::stdSeriesName()).size() ==
           100;
  }));
}

TEST_F(UiExtremes, WidthOneAnd4096) {
  ASSERT_TRUE(enter<QSpinBox>(w(), "depth", 1));
  ASSERT_TRUE(enter<QSpinBox>(w(), "width", 1));
  expectWorked(stepOrRefuse(w()), "width 1");
  ASSERT_TRUE(enter<QSpinBox>(w(), "width", 4096));
  expectWorked(stepOrRefuse(w(), 1), "width 4096");
  EXPECT_EQ(w().controller()->experiment().model.width, 4096);
}

TEST_F(UiExtremes, BatchLargerThanTheData) {
  ASSERT_TRUE(enter<QSpinBox>(w(), "batchSize", 65536));  // 160 training samples
  expectWorked(stepOrRefuse(w()), "batch 65536 of 160 samples");
}

TEST_F(UiExtremes, LearningRateZeroFreezesTheWeights) {
  // Entered while the network of SetUp is still being built: the new rate must reach the run
  // (it once was dropped when the build started after the edit).
  ASSERT_TRUE(enter<QDoubleSpinBox>(w(), "learningRate", 0.0));
  ASSERT_TRUE(waitFor([&] { return w().controller()->state() == State::Ready; }));
  auto profile = [&] {
    return w().dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::stdSeriesName());
  };
  ASSERT_TRUE(waitFor([&] { return profile().size() == 2; }));
  const QList<QPointF> before = profile();  // step 0, on the fixed probe batch
  const Outcome o = stepOrRefuse(w(), 3);
  expectWorked(o, "lr 0");
  EXPECT_EQ(o.state, State::Paused);
  EXPECT_EQ(w().controller()->experiment().train.learningRate, 0.0);
  // Nothing learns: the same weights give the same statistics on the same probe batch.
  QTest::qWait(200);
  EXPECT_EQ(profile(), before);
}

TEST_F(UiExtremes, LearningRateHundredDivergesPausesAndSaysWhere) {
  // ReLU with N(0, 1) weights and lr 100: the activations explode within a few steps.
  ExperimentConfig c = quick();
  c.model.depth = 6;
  c.model.width = 64;
  c.model.activation = "relu";
  c.model.init = "normal";
  c.model.initStd = 1.0;
  useExperiment(w(), c);
  ASSERT_TRUE(enter<QDoubleSpinBox>(w(), "learningRate", 100.0));
  ASSERT_TRUE(waitFor([&] { return w().controller()->state() == State::Ready; }));
  w().trainAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w().controller()->state() == State::Diverged; }, 30000))
      << TrainingController::stateName(w().controller()->state()).toStdString();
  const QString status = w().statusText();
  EXPECT_TRUE(status.contains(QStringLiteral("step"))) << status.toStdString();
  EXPECT_TRUE(status.contains(QStringLiteral("layer")) || status.contains(QStringLiteral("loss")))
      << status.toStdString();
  // Paused: no more steps, Train disabled until a reset, Reset available.
  const long at = w().controller()->stepsDone();
  QTest::qWait(200);
  EXPECT_EQ(w().controller()->stepsDone(), at);
  EXPECT_TRUE(w().resetAction()->isEnabled());
  // The plots stay readable: they draw what is finite and say what they left out.
  QCoreApplication::processEvents();
  QTest::qWait(100);
  int notes = 0;
  for (PlotView* plot : w().dashboard()->plots()) {
    if (plot->note().contains(QStringLiteral("Not drawn"))) ++notes;
  }
  EXPECT_GE(notes, 1) << "no plot says that non-finite values were left out";
  for (const QPointF& p :
       w().dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::stdSeriesName())) {
    EXPECT_TRUE(std::isfinite(p.x()) && std::isfinite(p.y()));
  }
  const QImage shot = w().grab().toImage();
  EXPECT_FALSE(shot.isNull());
  // Reset starts over from a finite network.
  w().resetAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w().controller()->state() == State::Ready; }));
}

TEST_F(UiExtremes, DropoutZeroAndNinetyNinePercent) {
  ASSERT_TRUE(enter<QDoubleSpinBox>(w(), "dropout", 0.0));
  expectWorked(stepOrRefuse(w()), "dropout 0");
  ASSERT_TRUE(enter<QDoubleSpinBox>(w(), "dropout", 0.99));
  expectWorked(stepOrRefuse(w()), "dropout 0.99");
  EXPECT_DOUBLE_EQ(w().controller()->experiment().model.dropout, 0.99);
}

TEST_F(UiExtremes, OneClass) {
  ASSERT_TRUE(enter<QSpinBox>(w(), "classes", 1));
  const Outcome o = stepOrRefuse(w());
  expectWorked(o, "one class");
  EXPECT_EQ(w().controller()->experiment().data.classes, 1);
}

TEST_F(UiExtremes, ConstantFeaturesWithStandardize) {
  // A CSV whose first feature never changes: std 0, which standardize must not divide by.
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("constant.csv"));
  {
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("a,b,label\n");
    for (int i = 0; i < 60; ++i) f.write(QByteArray("7.5,") + QByteArray::number(i % 5) + "," +
                                         QByteArray::number(i % 2) + "\n");
  }
  ExperimentConfig c = quick();
  c.data.source = "csv:" + path.toStdString();
  c.data.preprocess = "standardize";
  useExperiment(w(), c);
  const Outcome o = stepOrRefuse(w(), 3);
  expectWorked(o, "constant feature");
  EXPECT_NE(o.state, State::Diverged) << o.reason.toStdString();
  for (const QPointF& p :
       w().dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::stdSeriesName()))
    EXPECT_TRUE(std::isfinite(p.y()));
}

TEST_F(UiExtremes, SettingsTheEngineRefusesAreExplainedAndTrainIsDisabled) {
  // Steps 0 trains nothing (statistics of the initial network only): allowed. A probe of 0
  // samples would have nothing to measure: the engine's words appear and Train is disabled.
  QSpinBox* probe = control<QSpinBox>(w(), "probeSize");
  ASSERT_NE(probe, nullptr);
  if (probe->minimum() <= 0) {
    probe->setValue(0);
    const Outcome o = stepOrRefuse(w());
    if (o.refused) {
      EXPECT_FALSE(o.reason.isEmpty());
    }
  }
  // A CSV source without a file is explained, not emitted.
  QComboBox* source = control<QComboBox>(w(), "dataSource");
  ASSERT_NE(source, nullptr);
  const int csv = source->findData(QStringLiteral("csv"));
  ASSERT_GE(csv, 0);
  source->setCurrentIndex(csv);
  QCoreApplication::processEvents();
  EXPECT_FALSE(w().configPanel()->problem().isEmpty());
  EXPECT_FALSE(w().trainAction()->isEnabled());
}

}  // namespace
}  // namespace layerscope
