// The extreme settings of tests/common/extreme_settings.h entered through the configuration
// panel's controls (found by their Qt property "setting", the schema path), as a user would, and
// a run driven to NaN/Inf. Each row has its one outcome: it trains (steps advance, every number
// shown is finite), it diverges (the run pauses naming the step and the layer), or it is refused
// (the control's range, which is the schema's, does not take the value; or the panel explains it
// in words with Train disabled). Nothing crashes or hangs. The engine and CLI levels of the same
// rows: tests/engine/training/test_extreme_settings.cpp, tests/app/test_cli_extremes.cpp.
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
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>
#include <functional>

#include "config_panel.h"
#include "plots/dashboard.h"
#include "main_window.h"
#include "plots/depth_profile_plot.h"
#include "plots/loss_accuracy_plot.h"
#include "plots/plot_view.h"
#include "common/extreme_settings.h"
#include "test_helpers.h"

namespace layerscope {
namespace {

using namespace testing;  // tests/ui/test_helpers.h
using State = TrainingController::State;

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
    EXPECT_TRUE(waitFor([&] { return w.statusText().contains(o.reason); }, 2000))
        << w.statusText().toStdString();
    return o;
  }
  TrainingController* c = w.controller();
  EXPECT_TRUE(waitFor([&] {
    return c->state() == State::Ready || c->state() == State::Failed ||
           c->state() == State::Finished;
  },
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

// The panel's control for a schema path (its "setting" property).
QWidget* controlFor(MainWindow& w, const std::string& path) {
  for (QWidget* child : w.configPanel()->findChildren<QWidget*>())
    if (child->property("setting").toString() == QString::fromStdString(path)) return child;
  return nullptr;
}

// Types `text` into the control of `path`; false when the control does not take it (its range,
// the schema's limits, clamps the value; a choice it does not offer).
bool enterSetting(MainWindow& w, const std::string& path, const std::string& text) {
  QWidget* control = controlFor(w, path);
  EXPECT_NE(control, nullptr) << "no control has the setting " << path;
  if (control == nullptr) return false;
  if (auto* spin = qobject_cast<QSpinBox*>(control)) {
    const double value = std::strtod(text.c_str(), nullptr);
    if (value < spin->minimum() || value > spin->maximum()) return false;
    spin->setValue(static_cast<int>(value));
    return spin->value() == value;
  }
  if (auto* box = qobject_cast<QDoubleSpinBox*>(control)) {
    const double value = std::strtod(text.c_str(), nullptr);
    if (value < box->minimum() || value > box->maximum()) return false;
    box->setValue(value);
    return std::abs(box->value() - value) <= 1e-9 * std::max(1.0, std::abs(value));
  }
  if (auto* combo = qobject_cast<QComboBox*>(control)) {
    const int index = combo->findData(QString::fromStdString(text));
    if (index < 0) return false;
    combo->setCurrentIndex(index);
    return true;
  }
  if (auto* check = qobject_cast<QCheckBox*>(control)) {
    check->setChecked(text == "true");
    return true;
  }
  ADD_FAILURE() << path << ": a control of a kind this test does not know";
  return false;
}

class UiExtremes : public ::testing::Test {
 protected:
  void SetUp() override {
    window_ = std::make_unique<MainWindow>(fresh());
    window_->show();
    useExperiment(*window_, smallGaussian());
  }
  MainWindow& w() { return *window_; }

  // A row: its `also` loaded as an experiment, then its own value typed into its control.
  void expectOutcome(const ExtremeRow& row) {
    SCOPED_TRACE(testing::describe(row));
    ExperimentConfig c = testing::tinyGaussian();
    for (const auto& [path, value] : row.also) testing::applySetting(c, path, value);
    useExperiment(w(), c);
    // Edited once the loaded experiment is built, as a user would. (An edit the panel refuses
    // while a build is still running has its "Invalid setting" status overwritten by that
    // build's "Ready" line: ui/main_window.cpp.)
    TrainingController* controller = w().controller();
    EXPECT_TRUE(waitFor([&] {
      return controller->state() == State::Ready || controller->state() == State::Failed ||
             controller->state() == State::Finished;
    }, 60000));
    const bool taken = enterSetting(w(), row.setting, row.value);
    if (row.outcome == testing::Outcome::Refused) {
      if (!taken) return;  // the control's range (the schema's limits) refuses it
      const Outcome o = stepOrRefuse(w());
      EXPECT_TRUE(o.refused) << "the panel took " << row.value << " and trained";
      EXPECT_TRUE(o.reason.contains(QString::fromStdString(testing::refusalNames(row))))
          << o.reason.toStdString();
      return;
    }
    ASSERT_TRUE(taken) << "the control does not take " << row.value;
    const Outcome o = stepOrRefuse(w());
    EXPECT_FALSE(o.refused) << o.reason.toStdString();
    if (row.outcome == testing::Outcome::Diverges) {
      EXPECT_EQ(o.state, State::Diverged);
      EXPECT_TRUE(o.reason.contains(QStringLiteral("step"))) << o.reason.toStdString();
    } else {
      EXPECT_NE(o.state, State::Diverged) << o.reason.toStdString();
      EXPECT_TRUE(o.steps >= 1 || o.state == State::Finished);
    }
  }
  // Every row of `group` that runs at the UI level; at least one.
  void expectGroup(const std::string& group) {
    const std::vector<ExtremeRow> rows = testing::extremeRows(group, testing::Ui);
    EXPECT_FALSE(rows.empty()) << group;
    for (const ExtremeRow& row : rows) expectOutcome(row);
  }
  std::unique_ptr<MainWindow> window_;
};

TEST_F(UiExtremes, DepthOneAndHundred) {
  expectGroup("depth");
  expectGroup("depth0");
  // The depth profile draws one point per hidden layer that is finite.
  ExperimentConfig c = testing::tinyGaussian();
  c.model.width = 4;
  useExperiment(w(), c);
  ASSERT_TRUE(enter<QSpinBox>(w(), "depth", 100));
  expectWorked(stepOrRefuse(w()), "depth 100");
  EXPECT_EQ(w().controller()->experiment().model.depth, 100);
  ASSERT_TRUE(waitFor([&] {
    return w().dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::stdSeriesName()).size() ==
           100;
  }));
}

TEST_F(UiExtremes, WidthOneAnd4096) {
  expectGroup("width");
  expectGroup("parameters");
}

TEST_F(UiExtremes, BatchLargerThanTheData) {
  expectGroup("batch");
  expectGroup("batchnorm");
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
  expectGroup("lr0");
}

TEST_F(UiExtremes, LearningRateHundredDivergesPausesAndSaysWhere) {
  // ReLU with N(0, 1) weights and lr 100: the activations explode within a few steps.
  ExperimentConfig c = smallGaussian();
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
  // The table's lr 100 rows (ReLU + He on the tiny problem) stay finite at this level too.
  expectGroup("lr100");
}

TEST_F(UiExtremes, DropoutZeroAndNinetyNinePercent) {
  expectGroup("dropout");
  ASSERT_TRUE(enter<QDoubleSpinBox>(w(), "dropout", 0.99));
  expectWorked(stepOrRefuse(w()), "dropout 0.99");
  EXPECT_DOUBLE_EQ(w().controller()->experiment().model.dropout, 0.99);
}

TEST_F(UiExtremes, OneClass) {
  expectGroup("classes");
  expectGroup("samples");
  EXPECT_EQ(w().controller()->experiment().data.classes, 1);
}

TEST_F(UiExtremes, ConstantFeaturesWithStandardize) {
  // A CSV whose first feature never changes: std 0, which standardize must not divide by.
  QTemporaryDir dir;
  const QString path = writeCsvRows(dir, QStringLiteral("constant.csv"), "a,b,label", 60,
                                    [](int i) { return QStringLiteral("7.5,%1,%2\n").arg(i % 5).arg(i % 2); });
  ExperimentConfig c = smallGaussian();
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
  // Out-of-range values (a probe of 0 samples, 0 threads, ...) are not taken by their controls;
  // no training (steps 0) is allowed.
  expectGroup("range");
  expectGroup("nonfinite");
  expectGroup("zerosteps");
  // A CSV source without a file is explained, not emitted.
  useExperiment(w(), smallGaussian());
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
