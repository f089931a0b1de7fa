// "Your own data" in the configuration panel: the label-column picker filled from the CSV's
// columns, a warning for a continuous label column, the data's own samples / classes / features,
// the IDX folder dialog and the remembered folder, and the test-fraction control.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <vector>

#include "config_panel.h"
#include "test_helpers.h"

namespace layerscope {
namespace {

using testing::child;
using testing::writeCsvRows;

// size,rooms,kind,price: 121 houses, the price (last) continuous, "kind" three classes.
QString writeHouses(const QTemporaryDir& dir) {
  return writeCsvRows(dir, QStringLiteral("houses.csv"), "size,rooms,kind,price", 121, [](int i) {
    return QStringLiteral("%1,%2,%3,%4\n").arg(50 + i).arg(i % 5).arg(i % 3).arg(100 + i * 1.5);
  });
}

ExperimentConfig csvExperiment(const QString& path) {
  ExperimentConfig c;
  c.data.source = "csv:" + path.toStdString();
  return c;
}

// Picks `value` in the source box as a user does (activated is what a click emits).
void userChooses(QComboBox* box, const char* value) {
  const int i = box->findData(QString::fromLatin1(value));
  ASSERT_GE(i, 0) << value;
  box->setCurrentIndex(i);
  emit box->activated(i);
}

TEST(ConfigPanelData, TheLabelPickerListsTheColumnsAndAContinuousLabelIsWarnedAbout) {
  QTemporaryDir dir;
  ConfigPanel panel;
  panel.setConfig(csvExperiment(writeHouses(dir)));
  auto* picker = child<QComboBox>(panel, "labelColumn");
  ASSERT_NE(picker, nullptr);
  EXPECT_TRUE(picker->isEnabled());
  for (const char* column : {"size", "rooms", "kind", "price"})
    EXPECT_GE(picker->findData(QString::fromLatin1(column)), 0) << column;
  EXPECT_TRUE(panel.dataSummary().contains("'price'")) << panel.dataSummary().toStdString();
  EXPECT_TRUE(panel.dataSummary().contains("continuous")) << panel.dataSummary().toStdString();

  picker->setCurrentIndex(picker->findData(QStringLiteral("kind")));
  EXPECT_EQ(panel.config().data.labelColumn, "kind");
  EXPECT_FALSE(panel.dataSummary().contains("continuous")) << panel.dataSummary().toStdString();
  EXPECT_TRUE(panel.dataSummary().contains("3 classes")) << panel.dataSummary().toStdString();
  // Chosen explicitly, even the continuous column is trusted.
  picker->setCurrentIndex(picker->findData(QStringLiteral("price")));
  EXPECT_EQ(panel.config().data.labelColumn, "price");
  EXPECT_FALSE(panel.dataSummary().contains("continuous")) << panel.dataSummary().toStdString();
}

TEST(ConfigPanelData, SamplesClassesAndFeaturesShowTheDatasOwnNumbers) {
  QTemporaryDir dir;
  const QString path = writeCsvRows(dir, QStringLiteral("flowers.csv"), "petal,sepal,species", 40,
                                    [](int i) { return QStringLiteral("%1,%2,%3\n").arg(i * 0.1).arg(i % 4).arg(i < 10 ? "rosa" : i < 25 ? "iris" : "lily"); });
  ConfigPanel panel;
  panel.setConfig(csvExperiment(path));
  EXPECT_EQ(child<QSpinBox>(panel, "samples")->value(), 40);
  EXPECT_EQ(child<QSpinBox>(panel, "classes")->value(), 3);
  EXPECT_EQ(child<QSpinBox>(panel, "features")->value(), 2);
  EXPECT_TRUE(panel.dataSummary().contains("40 samples")) << panel.dataSummary().toStdString();
  const QString tip = child<QLabel>(panel, "dataSummary")->toolTip();
  EXPECT_TRUE(tip.contains("rosa: 10")) << tip.toStdString();
  EXPECT_TRUE(tip.contains("iris: 15")) << tip.toStdString();
  EXPECT_TRUE(tip.contains("petal, sepal")) << tip.toStdString();

  // Back to a generator: its own numbers again.
  userChooses(child<QComboBox>(panel, "dataSource"), "gaussian");
  EXPECT_EQ(child<QSpinBox>(panel, "samples")->value(), ExperimentConfig{}.data.samples);
  EXPECT_EQ(panel.config().data.classes, ExperimentConfig{}.data.classes);
  EXPECT_EQ(panel.config().data.features, ExperimentConfig{}.data.features);
}

TEST(ConfigPanelData, IdxAsksForAFolderAndDialogsRememberTheLastFolder) {
  QTemporaryDir dir;
  const QString csv = writeHouses(dir);
  const QString mnist = dir.filePath(QStringLiteral("mnist"));
  ASSERT_TRUE(QDir().mkpath(mnist));
  QSettings().remove(QStringLiteral("paths/lastDataFolder"));
  ConfigPanel panel;
  panel.setConfig(csvExperiment(csv));
  struct Call { bool folder; QString start; };
  std::vector<Call> calls;
  QString answer = mnist;
  panel.setPathChooser([&](bool folder, const QString& start) {
    calls.push_back({folder, start});
    return answer;
  });
  auto* source = child<QComboBox>(panel, "dataSource");
  userChooses(source, "idx");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(calls[0].folder);  // a folder dialog, not the previous CSV file
  EXPECT_EQ(panel.config().data.source, "idx:" + mnist.toStdString());
  EXPECT_EQ(QDir(QSettings().value(QStringLiteral("paths/lastDataFolder")).toString()),
            QDir(dir.path()));

  // Back to CSV: the folder is no CSV file, so the file dialog opens in the remembered folder.
  answer = csv;
  userChooses(source, "csv");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_FALSE(calls[1].folder);
  EXPECT_EQ(QDir(calls[1].start), QDir(dir.path()));
  EXPECT_EQ(panel.config().data.source, "csv:" + csv.toStdString());
}

TEST(ConfigPanelData, TheTestFractionIsAControlExceptForIdx) {
  ConfigPanel panel;
  auto* test = child<QDoubleSpinBox>(panel, "testFraction");
  ASSERT_NE(test, nullptr);
  EXPECT_EQ(test->property("setting").toString(), QStringLiteral("data.test_fraction"));
  test->setValue(0.2);
  EXPECT_DOUBLE_EQ(panel.config().data.testFraction, 0.2);
  ExperimentConfig c;
  c.data.source = "idx:/nonexistent";
  panel.setConfig(c);
  EXPECT_FALSE(test->isEnabled());
}

}  // namespace
}  // namespace layerscope

namespace layerscope {
namespace {

TEST(ConfigPanelData, AFileThatFailsWithTheLastColumnStillOffersItsColumns) {
  // The class label is a word in the middle; the last column (a price) is the default label,
  // so "kind" is read as a feature and the file fails to load. The picker must still list it.
  QTemporaryDir dir;
  const QString path = writeCsvRows(dir, QStringLiteral("shop.csv"), "size,kind,price", 30,
                                    [](int i) { return QStringLiteral("%1,%2,%3\n").arg(i).arg(i % 2 ? "flat" : "house").arg(i * 1.25); });
  ConfigPanel panel;
  panel.setConfig(csvExperiment(path));
  auto* picker = child<QComboBox>(panel, "labelColumn");
  ASSERT_GE(picker->findData(QStringLiteral("kind")), 0);
  EXPECT_TRUE(panel.dataSummary().contains("Label column")) << panel.dataSummary().toStdString();
  picker->setCurrentIndex(picker->findData(QStringLiteral("kind")));
  EXPECT_TRUE(panel.dataSummary().contains("30 samples")) << panel.dataSummary().toStdString();
  EXPECT_EQ(child<QSpinBox>(panel, "classes")->value(), 2);
}

}  // namespace
}  // namespace layerscope

namespace layerscope {
namespace {

TEST(ConfigPanelData, MoreClassesThanTheBoxHoldsShowAsItsMaximumPlus) {
  QTemporaryDir dir;
  const QString path = writeCsvRows(dir, QStringLiteral("ids.csv"), "x,id", 400,
                                    [](int i) { return QStringLiteral("%1,%2\n").arg(i * 0.5).arg(i); });
  ConfigPanel panel;
  panel.setConfig(csvExperiment(path));  // 400 class ids, more than the box's 255
  auto* classes = child<QSpinBox>(panel, "classes");
  ASSERT_LT(classes->maximum(), 400);
  EXPECT_EQ(classes->text(), QString::number(classes->maximum()) + "+");
  userChooses(child<QComboBox>(panel, "dataSource"), "gaussian");
  EXPECT_EQ(classes->text(), QString::number(ExperimentConfig{}.data.classes));
}

}  // namespace
}  // namespace layerscope
