// A sweep's results leave the dialog: its numbers as CSV and its plot as an image, so a
// minutes-long sweep need not be run again to be quoted or shown.
#include <gtest/gtest.h>

#include <QFile>
#include <QImage>
#include <QPushButton>
#include <QTemporaryDir>

#include "sweep/sweep_dialog.h"
#include "test_helpers.h"

namespace layerscope {

using testing::readAll;
using testing::tanhStack4x64;
using testing::waitFor;

TEST(SweepExport, CsvHasOneRowPerValueAndThePlotExportsInEveryFormat) {
  SweepDialog dialog;
  auto* csvButton = dialog.findChild<QPushButton*>(QStringLiteral("exportSweepCsv"));
  auto* plotButton = dialog.findChild<QPushButton*>(QStringLiteral("exportSweepPlot"));
  ASSERT_TRUE(csvButton && plotButton) << "the dialog offers both exports";
  EXPECT_FALSE(csvButton->isEnabled()) << "nothing to export before a sweep";
  EXPECT_FALSE(plotButton->isEnabled());

  dialog.setBaseExperiment(tanhStack4x64());
  dialog.setParameter(QStringLiteral("init_std"));
  dialog.setValues({"0.01", "0.1", "1"});
  dialog.setInitializationOnly(true);
  dialog.start();
  ASSERT_TRUE(waitFor([&] { return !dialog.running(); }, 60000));
  ASSERT_EQ(dialog.points().size(), 3) << dialog.statusText().toStdString();
  EXPECT_TRUE(csvButton->isEnabled());
  EXPECT_TRUE(plotButton->isEnabled());

  QTemporaryDir dir;
  const QString csv = dir.filePath(QStringLiteral("sweep.csv"));
  ASSERT_EQ(dialog.exportCsv(csv), QString());
  const QList<QByteArray> lines = readAll(csv).trimmed().split('\n');
  ASSERT_EQ(lines.size(), 4);
  const QList<QByteArray> header = lines[0].split(',');
  EXPECT_EQ(header[0], "init_std");
  EXPECT_TRUE(header.contains("std_layer_1") && header.contains("std_layer_4"));
  EXPECT_TRUE(header.contains("theory_std_layer_4"));
  const int layer4 = header.indexOf("std_layer_4");
  for (int i = 0; i < 3; ++i) {
    const QList<QByteArray> row = lines[i + 1].split(',');
    ASSERT_EQ(row.size(), header.size()) << lines[i + 1].toStdString();
    EXPECT_EQ(row[0], QByteArray(i == 0 ? "0.01" : i == 1 ? "0.1" : "1"));
    EXPECT_DOUBLE_EQ(row[layer4].toDouble(), dialog.points()[i].layerStd[3]);
  }

  for (const char* suffix : {"png", "svg", "pdf"}) {
    const QString path = dir.filePath(QStringLiteral("sweep.") + suffix);
    ASSERT_EQ(dialog.exportPlot(path, QSize(640, 480)), QString()) << suffix;
    EXPECT_GT(QFile(path).size(), 1000) << suffix;
  }
  const QImage png(dir.filePath(QStringLiteral("sweep.png")));
  EXPECT_EQ(png.size(), QSize(640, 480));
  EXPECT_TRUE(readAll(dir.filePath(QStringLiteral("sweep.svg"))).contains("init_std"))
      << "the exported plot names the swept setting";
}

}  // namespace layerscope
