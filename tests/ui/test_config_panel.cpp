#include <gtest/gtest.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <cmath>
#include <limits>

#include "config_panel.h"
#include "test_helpers.h"
#include "io/experiment_file.h"
#include "widgets/log_spin_box.h"
#include "settings/schema.h"

namespace layerscope {

namespace {
using testing::child;
void choose(QComboBox* box, const char* value) {
  box->setCurrentIndex(box->findData(QString::fromLatin1(value)));
}
}  // namespace

TEST(ConfigPanel, DefaultsAreTheArticlesExperiment) {
  ConfigPanel panel;
  const ExperimentConfig c = panel.config();
  EXPECT_EQ(c.model.depth, 10);
  EXPECT_EQ(c.model.width, 500);
  EXPECT_EQ(c.model.activation, "tanh");
  EXPECT_EQ(c.model.init, "xavier_normal");
  EXPECT_EQ(c.data.source, "gaussian");
  EXPECT_TRUE(panel.problem().isEmpty());
}

TEST(ConfigPanel, EveryControlExplainsItselfWithATooltip) {
  ConfigPanel panel;
  int controls = 0;
  for (QWidget* w : panel.findChildren<QWidget*>()) {
    if (!qobject_cast<QAbstractSpinBox*>(w) && !qobject_cast<QComboBox*>(w) &&
        !qobject_cast<QCheckBox*>(w))
      continue;
    if (w->parent() && qobject_cast<QAbstractSpinBox*>(w->parent())) continue;
    ++controls;
    EXPECT_GT(w->toolTip().size(), 30) << w->objectName().toStdString();
  }
  EXPECT_GE(controls, 25);
  // Formulas, not just names.
  EXPECT_TRUE(child<QComboBox>(panel, "init")->toolTip().contains("2/(fan_in + fan_out)"));
  const QComboBox* init = child<QComboBox>(panel, "init");
  EXPECT_TRUE(init->itemData(init->findData("xavier_normal"), Qt::ToolTipRole).toString()
                  .contains("Var(W) = 2 / (fan_in + fan_out)"));
}

TEST(ConfigPanel, InitializerParametersEnabledOnlyWhenTheyApply) {
  ConfigPanel panel;
  auto* init = child<QComboBox>(panel, "init");
  auto* std = child<QDoubleSpinBox>(panel, "initStd");
  auto* bound = child<QDoubleSpinBox>(panel, "initBound");
  EXPECT_FALSE(std->isEnabled());
  choose(init, "normal");
  EXPECT_TRUE(std->isEnabled());
  EXPECT_FALSE(bound->isEnabled());
  choose(init, "uniform");
  EXPECT_FALSE(std->isEnabled());
  EXPECT_TRUE(bound->isEnabled());
}

TEST(ConfigPanel, OneClickPresetsGiveTheArticlesInitializations) {
  ConfigPanel panel;
  QSignalSpy changed(&panel, &ConfigPanel::configChanged);
  panel.findChild<QPushButton*>("preset N(0,0.01)")->click();
  ASSERT_EQ(changed.count(), 1);
  auto c = changed.last().at(0).value<ExperimentConfig>();
  EXPECT_EQ(c.model.init, "normal");
  EXPECT_DOUBLE_EQ(c.model.initStd, 0.01);
  EXPECT_TRUE(changed.last().at(1).toBool());  // structural
  panel.findChild<QPushButton*>("preset N(0,1)")->click();
  EXPECT_DOUBLE_EQ(changed.last().at(0).value<ExperimentConfig>().model.initStd, 1.0);
}

TEST(ConfigPanel, TwoClassDataSetsFixTheClassCount) {
  ConfigPanel panel;
  choose(child<QComboBox>(panel, "dataSource"), "moons");
  auto* classes = child<QSpinBox>(panel, "classes");
  EXPECT_FALSE(classes->isEnabled());
  EXPECT_EQ(panel.config().data.classes, 2);
  EXPECT_EQ(panel.config().data.features, 2);
  EXPECT_FALSE(child<QSpinBox>(panel, "features")->isEnabled());
}

TEST(ConfigPanel, AFileSourceWithoutAFileIsExplainedAndNotEmitted) {
  ConfigPanel panel;
  QSignalSpy changed(&panel, &ConfigPanel::configChanged);
  QSignalSpy validity(&panel, &ConfigPanel::validityChanged);
  choose(child<QComboBox>(panel, "dataSource"), "csv");
  EXPECT_EQ(changed.count(), 0);
  ASSERT_EQ(validity.count(), 1);
  EXPECT_FALSE(validity.last().at(0).toBool());
  EXPECT_TRUE(panel.problem().contains("CSV")) << panel.problem().toStdString();
}

TEST(ConfigPanel, LearningRateL2AndNonZeroDropoutApplyLiveEverythingElseResets) {
  ConfigPanel panel;
  QSignalSpy changed(&panel, &ConfigPanel::configChanged);
  child<QDoubleSpinBox>(panel, "learningRate")->setValue(0.1);
  ASSERT_EQ(changed.count(), 1);
  EXPECT_FALSE(changed.last().at(1).toBool());
  child<QDoubleSpinBox>(panel, "l2")->setValue(1e-3);
  EXPECT_FALSE(changed.last().at(1).toBool());
  child<QDoubleSpinBox>(panel, "dropout")->setValue(0.2);  // 0 -> 0.2: dropout layers appear
  EXPECT_TRUE(changed.last().at(1).toBool());
  child<QDoubleSpinBox>(panel, "dropout")->setValue(0.5);  // 0.2 -> 0.5: live
  EXPECT_FALSE(changed.last().at(1).toBool());
  child<QSpinBox>(panel, "depth")->setValue(4);
  EXPECT_TRUE(changed.last().at(1).toBool());
  child<QCheckBox>(panel, "batchNorm")->setChecked(true);
  EXPECT_TRUE(changed.last().at(1).toBool());
  EXPECT_EQ(changed.count(), 6);
}

TEST(ConfigPanel, SetConfigShowsTheExperimentWithoutEmitting) {
  ConfigPanel panel;
  QSignalSpy changed(&panel, &ConfigPanel::configChanged);
  ExperimentConfig c;
  c.data.source = "spiral";
  c.data.classes = 3;
  c.model.depth = 3;
  c.model.activation = "relu";
  c.model.init = "he_normal";
  c.train.optimizer = "adam";
  c.train.learningRate = 0.003;
  panel.setConfig(c);
  EXPECT_EQ(changed.count(), 0);
  const ExperimentConfig shown = panel.config();
  EXPECT_EQ(shown.data.source, "spiral");
  EXPECT_EQ(shown.data.classes, 3);
  EXPECT_EQ(shown.model.activation, "relu");
  EXPECT_EQ(shown.model.init, "he_normal");
  EXPECT_EQ(shown.train.optimizer, "adam");
  EXPECT_DOUBLE_EQ(shown.train.learningRate, 0.003);
}

TEST(LogSpinBox, StepsThroughOneTwoFive) {
  LogSpinBox box;
  box.setRange(1e-6, 10);
  box.setValue(0.01);
  box.stepBy(1);
  EXPECT_DOUBLE_EQ(box.value(), 0.02);
  box.stepBy(1);
  EXPECT_DOUBLE_EQ(box.value(), 0.05);
  box.stepBy(1);
  EXPECT_DOUBLE_EQ(box.value(), 0.1);
  box.stepBy(-2);
  EXPECT_DOUBLE_EQ(box.value(), 0.02);
}

}  // namespace layerscope

namespace layerscope {

// The panel's limits are the schema's (settings/schema.h): what the CLI and the experiment file
// accept, the panel accepts, and nothing more.
TEST(ConfigPanel, LimitsAreTheSchemas) {
  ConfigPanel panel;
  constexpr double kIntMax = std::numeric_limits<int>::max();
  int checked = 0;
  for (QWidget* w : panel.findChildren<QWidget*>()) {
    const QString path = w->property("setting").toString();
    if (path.isEmpty()) continue;
    const Setting* s = findSetting(path.toStdString());
    ASSERT_NE(s, nullptr) << path.toStdString();
    ++checked;
    if (auto* spin = qobject_cast<QSpinBox*>(w)) {
      EXPECT_EQ(spin->minimum(), std::max(s->min, -kIntMax)) << s->path();
      EXPECT_EQ(spin->maximum(), std::min(s->max, kIntMax)) << s->path();
    } else if (auto* box = qobject_cast<QDoubleSpinBox*>(w)) {
      const double step = std::pow(10.0, -box->decimals());
      const bool log = qobject_cast<LogSpinBox*>(box) != nullptr;
      EXPECT_NEAR(box->minimum(), s->min + (s->minOpen ? (log ? 1e-6 : step) : 0.0), 1e-12)
          << s->path();
      EXPECT_NEAR(box->maximum(), s->max - (s->maxOpen ? step : 0.0), 1e-9) << s->path();
    } else if (auto* combo = qobject_cast<QComboBox*>(w)) {
      if (s->path() == "data.dataset") continue;  // generators plus "csv" / "idx"
      if (s->path() == "data.label_column") continue;  // the loaded file's columns
      ASSERT_EQ(s->type, SettingType::Choice) << s->path();
      ASSERT_EQ(combo->count(), static_cast<int>(s->choices.size())) << s->path();
      for (int i = 0; i < combo->count(); ++i)
        EXPECT_EQ(combo->itemData(i).toString().toStdString(), s->choices[i]) << s->path();
    }
  }
  EXPECT_GE(checked, 28);
}

// The Steps control (-1 "by epochs", 0 no training, N steps).
TEST(ConfigPanelSteps, StepsRoundTripsExactly) {
  ConfigPanel panel;
  for (long steps : {0L, 250L, -1L}) {
    ExperimentConfig c;
    c.train.steps = steps;
    c.train.epochs = 7;
    panel.setConfig(c);
    const ExperimentConfig back = panel.config();
    EXPECT_EQ(back.train.steps, steps);
    EXPECT_EQ(experimentToJson(back), experimentToJson(c)) << "steps " << steps;
    auto* epochs = panel.findChild<QSpinBox*>(QStringLiteral("epochs"));
    ASSERT_NE(epochs, nullptr);
    EXPECT_EQ(epochs->isEnabled(), steps < 0) << "steps " << steps;
  }
}

TEST(ConfigPanelSteps, StepsControlExplainsItselfAndEditingItResets) {
  ConfigPanel panel;
  auto* steps = panel.findChild<QSpinBox*>(QStringLiteral("steps"));
  ASSERT_NE(steps, nullptr);
  EXPECT_EQ(steps->minimum(), -1);
  EXPECT_EQ(steps->value(), -1);
  EXPECT_EQ(steps->specialValueText(), QStringLiteral("by epochs"));
  EXPECT_EQ(steps->text(), QStringLiteral("by epochs"));
  EXPECT_TRUE(steps->toolTip().contains(QStringLiteral("overrides Epochs")));
  EXPECT_TRUE(steps->toolTip().contains(QStringLiteral("0:")));
  QSignalSpy spy(&panel, &ConfigPanel::configChanged);
  steps->setValue(0);
  ASSERT_EQ(spy.count(), 1);
  EXPECT_EQ(spy.at(0).at(0).value<ExperimentConfig>().train.steps, 0);
  // Not structural: steps and epochs set the plan's length (SettingEffect::Extends), which the
  // trainer changes live (Trainer::setPlannedSteps): raising them extends the run.
  EXPECT_FALSE(spy.at(0).at(1).toBool());
  auto* epochs = panel.findChild<QSpinBox*>(QStringLiteral("epochs"));
  ASSERT_NE(epochs, nullptr);
  EXPECT_FALSE(epochs->isEnabled());
  steps->setValue(-1);
  EXPECT_TRUE(epochs->isEnabled());
  EXPECT_EQ(panel.config().train.steps, -1);
}

}  // namespace layerscope
