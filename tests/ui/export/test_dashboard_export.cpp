// File > Export dashboard writes both tabs (ui/plots/dashboard_export.h): the overview into
// the file named and the "Over time" tab into NAME-over-time.EXT, whichever tab is on screen.
#include <gtest/gtest.h>

#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QTabWidget>
#include <QTemporaryDir>

#include "main_window.h"
#include "plots/dashboard.h"
#include "plots/dashboard_export.h"
#include "test_helpers.h"

namespace layerscope {

using namespace testing;  // tests/ui/test_helpers.h

namespace {

// Pixels darker than light grey, on a grid of every 5th pixel: text, lines, heatmap cells.
int inkedPixels(const QImage& image) {
  int n = 0;
  for (int y = 0; y < image.height(); y += 5)
    for (int x = 0; x < image.width(); x += 5) n += qGray(image.pixel(x, y)) < 160;
  return n;
}

}  // namespace

TEST(DashboardExport, OverTimeFileNameSaysWhichTabItHolds) {
  EXPECT_EQ(overTimeExportPath("figs/dash.png"), QString("figs/dash-over-time.png"));
  EXPECT_EQ(overTimeExportPath("dash.pdf"), QString("dash-over-time.pdf"));
  EXPECT_EQ(overTimeExportPath("/tmp/a.b.svg"), QString("/tmp/a.b-over-time.svg"));
}

TEST(DashboardExport, EveryFormatWritesBothTabsWhicheverIsShown) {
  MainWindow w(fresh());
  w.resize(1200, 800);
  w.show();
  ExperimentConfig c = blobs16d();
  c.train.epochs = 0;
  c.train.steps = 30;
  c.stats.every = 3;
  ASSERT_TRUE(trainToEnd(w, c));
  ASSERT_GE(w.statisticsRecord().size(), 2u);  // the over-time plots have steps to draw
  Dashboard* d = w.dashboard();
  QTemporaryDir dir;
  ExportOptions options;
  options.size = QSize(900, 650);
  options.dpi = 96;
  for (bool overTimeShown : {false, true}) {
    d->showOverTime(overTimeShown);
    const int tab = d->tabs()->currentIndex();
    const QString stem = dir.filePath(overTimeShown ? "shown-over-time" : "shown-overview");
    for (const char* suffix : {"png", "svg", "pdf"}) {
      const QString path = stem + "." + suffix;
      ASSERT_EQ(w.exportDashboard(path, options), QString()) << suffix;
      EXPECT_EQ(d->tabs()->currentIndex(), tab);  // the tab on screen is left as it was
      const QString second = overTimeExportPath(path);
      ASSERT_TRUE(QFileInfo::exists(path)) << path.toStdString();
      ASSERT_TRUE(QFileInfo::exists(second)) << second.toStdString();
      EXPECT_GT(QFileInfo(second).size(), 1000) << second.toStdString();
    }
    // PNG: both images at the chosen size, both drawn on (not a blank page).
    const QImage overview(stem + ".png"), overTime(stem + "-over-time.png");
    EXPECT_EQ(overview.size(), QSize(900, 650));
    EXPECT_EQ(overTime.size(), QSize(900, 650));
    EXPECT_GT(inkedPixels(overview), 300);
    EXPECT_GT(inkedPixels(overTime), 300);
    // SVG: each file holds its own tab's plots, the over-time one all three.
    const QByteArray first = readAll(stem + ".svg"), second = readAll(stem + "-over-time.svg");
    EXPECT_TRUE(first.contains("Depth profile") || first.contains("depth profile"));
    EXPECT_FALSE(first.contains("by layer and step"));
    EXPECT_TRUE(second.contains("by layer and step")) << "the layer x step heatmap";
    EXPECT_TRUE(second.contains("histogram over training") || second.contains("histogram"));
    EXPECT_TRUE(second.contains("percentiles"));
    EXPECT_FALSE(second.contains("Depth profile"));
    // PDF: a PDF document.
    EXPECT_TRUE(readAll(stem + "-over-time.pdf").startsWith("%PDF"));
  }
}

}  // namespace layerscope
