// Exported figures are cut by nothing: drawn as PNG (and as PDF rasterized by pdftoppm, when
// poppler-utils is installed), every plot of the dashboard, at the default size and at a small
// and a large one, leaves its outermost pixel rows and columns background, so no bar, frame or
// label runs into (and is cut at) the image's edge. tests/ui/export/test_export_text_layout.cpp
// checks, on the SVG, that every text lies wholly inside the page and clear of the others.
//
// The runs are the hard cases: tanh with N(0, 1) weights (the saturation spikes at -1
// and +1, in the bins at the axis' ends) and ReLU + He (the exact-zero bar and the overflow
// bars beside the axis), both on 2-D data so the decision regions are drawn too.
#include <gtest/gtest.h>

#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <vector>

#include "common/experiments.h"
#include "export/plot_render.h"
#include "plots/dashboard_export.h"
#include "run/training_points.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

constexpr int kEdge = 2;  // pixels along each edge that must be background

RecordedRun record(ExperimentConfig& c) {
  Trainer t(c);
  RecordedRun run;
  while (!t.finished()) {
    if (t.probeDue()) run.snapshots.push_back(t.probe());
    const StepResult s = t.trainStep();
    run.losses.push_back({s.step, s.loss});
  }
  run.snapshots.push_back(t.probe());
  run.points = trainingPoints(t.data().train);
  run.experiment = &c;
  return run;
}

// "x 12 y 0: rgb(40, 40, 40)" for the first inked edge pixel, or "" when every edge pixel is
// background (near white: a light antialiasing fringe is ink too).
QString inkedEdge(const QImage& image) {
  const int w = image.width(), h = image.height();
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      if (x >= kEdge && x < w - kEdge && y >= kEdge && y < h - kEdge) continue;
      const QRgb p = image.pixel(x, y);
      if (qRed(p) < 245 || qGreen(p) < 245 || qBlue(p) < 245)
        return QStringLiteral("x %1 y %2: rgb(%3, %4, %5)")
            .arg(x).arg(y).arg(qRed(p)).arg(qGreen(p)).arg(qBlue(p));
    }
  return {};
}

// The PDF's one page at 96 dpi, or a null image when pdftoppm is not installed.
QImage rasterizedPdf(const QString& pdf) {
  const QString pdftoppm = QStandardPaths::findExecutable(QStringLiteral("pdftoppm"));
  if (pdftoppm.isEmpty()) return {};
  QProcess p;
  p.start(pdftoppm, {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("96"),
                     QStringLiteral("-singlefile"), pdf, pdf + QStringLiteral("-page")});
  if (!p.waitForFinished(30000) || p.exitCode() != 0) return {};
  return QImage(pdf + QStringLiteral("-page.png"));
}

void expectNothingAtTheEdges(const RecordedRun& run, const char* what) {
  QTemporaryDir dir;
  for (const QString& name : renderablePlotNames())
    for (const QSize size : {QSize(), QSize(520, 380), QSize(1280, 900)}) {
      ExportOptions options;
      options.size = size;
      options.dpi = 96;
      const QString where = QStringLiteral("%1 %2 at %3 x %4")
                                .arg(QString::fromLatin1(what), name)
                                .arg(size.width()).arg(size.height());
      for (const char* suffix : {"png", "pdf"}) {
        const QString path = dir.filePath(name + QStringLiteral(".") + QString::fromLatin1(suffix));
        ASSERT_EQ(renderPlotFile(name, run, path, options), QString()) << where.toStdString();
        QStringList files = {path};
        if (name == QLatin1String("dashboard")) files << overTimeExportPath(path);
        for (const QString& file : files) {
          const QImage image = QLatin1String(suffix) == QLatin1String("png")
                                   ? QImage(file) : rasterizedPdf(file);
          if (image.isNull() && QLatin1String(suffix) == QLatin1String("pdf")) continue;
          ASSERT_FALSE(image.isNull()) << file.toStdString();
          EXPECT_EQ(inkedEdge(image).toStdString(), "")
              << where.toStdString() << " (" << file.toStdString() << ") inks its edge";
        }
      }
    }
}

}  // namespace

TEST(ExportClipping, SaturatedTanhPlotsLeaveTheImageEdgesBlank) {
  ExperimentConfig c = testing::spiral2d();
  testing::withNetwork(c, 4, 32, "tanh", "normal", 1.0);
  c.train.steps = 40;
  c.stats.every = 5;
  const RecordedRun run = record(c);
  expectNothingAtTheEdges(run, "tanh N(0, 1)");
}

TEST(ExportClipping, ReluHePlotsLeaveTheImageEdgesBlank) {
  ExperimentConfig c = testing::spiral2d();
  testing::withNetwork(c, 4, 32, "relu", "he_normal");
  c.train.steps = 40;
  c.stats.every = 5;
  const RecordedRun run = record(c);
  expectNothingAtTheEdges(run, "ReLU + He");
}

}  // namespace layerscope
