// The histograms plot shows what it exists to show, checked on the painted geometry: tanh
// saturation as two tall bars inside the plot, ReLU bodies that fill their panels, header
// numbers that fit, and a readable heatmap row per layer at depth 100.
#include <gtest/gtest.h>

#include "common/experiments.h"

#include <QPixmap>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>

#include "plots/layer_histograms_plot.h"
#include "plots/plot_view.h"
#include "training/stats.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

// The statistics of a freshly initialized network (what `layerscope-cli train --steps 0` plots).
StatsSnapshot initialSnapshot(const std::string& activation, const std::string& init, double std,
                              int depth, int width = 200, bool article = false) {
  ExperimentConfig c;
  if (!article) testing::withData(c, "blobs", 300, 16, 3);  // else the article's 500-D data
  testing::withNetwork(c, depth, width, activation, init, std);
  c.train.steps = 0;
  c.stats.probeSize = 200;
  Trainer t(c);
  return t.probe();
}

// Paints the plot at `size` (as the export does) and returns it.
void paint(LayerHistogramsPlot& plot, const StatsSnapshot& s, QSize size = QSize(800, 560)) {
  plot.resize(size);
  plot.show();
  PlotInputs in;
  in.snapshot = &s;
  in.snapshotChanged = true;
  plot.refresh(in);
  const QPixmap pixmap = plot.grab();
  // LAYERSCOPE_TEST_PNG_DIR=DIR keeps what each test painted, to look at.
  if (const QByteArray dir = qgetenv("LAYERSCOPE_TEST_PNG_DIR"); !dir.isEmpty()) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    static int count = 0;
    pixmap.save(QStringLiteral("%1/%2-%3.png").arg(QString::fromUtf8(dir)).arg(info->name()).arg(++count));
  }
}

// No two painted texts overlap, and none is elided.
void expectTextsClear(const LayerHistogramsPlot& plot, const std::string& what) {
  const auto& texts = plot.texts();
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_FALSE(texts[i].text.contains(QChar(0x2026))) << what << ": '" << texts[i].text.toStdString() << "' elided";
    for (size_t j = i + 1; j < texts.size(); ++j)
      EXPECT_FALSE(texts[i].box.intersects(texts[j].box))
          << what << ": '" << texts[i].text.toStdString() << "' and '"
          << texts[j].text.toStdString() << "' overlap";
  }
}

}  // namespace

// N(0, 1) weights with tanh: in every layer the two end bins hold most of the values, and they
// are drawn inside the plot rectangle (not on its frame), clear of its sides, and tall.
TEST(HistogramsReadable, SaturatedTanhShowsTwoTallEndBarsInsideThePlot) {
  const StatsSnapshot s = initialSnapshot("tanh", "normal", 1.0, 10);
  LayerHistogramsPlot plot;
  paint(plot, s);
  ASSERT_FALSE(plot.heatmapShown());
  const auto& painted = plot.paintedPanels();
  ASSERT_EQ(painted.size(), 10u);
  for (size_t i = 0; i < painted.size(); ++i) {
    const auto& p = painted[i];
    const auto& panel = plot.panels()[i];
    std::uint64_t total = 0;
    for (auto c : panel.counts) total += c;
    ASSERT_GT(panel.counts.front() + panel.counts.back(), total / 2) << "layer " << p.layer;
    for (const QRectF& bar : {p.bars.front(), p.bars.back()}) {
      ASSERT_FALSE(bar.isEmpty()) << "layer " << p.layer;
      EXPECT_TRUE(p.plot.contains(bar)) << "layer " << p.layer;
      // clear of the frame, which is drawn 1 px outside the plot rectangle
      EXPECT_GE(bar.left(), p.plot.left() + 1) << "layer " << p.layer;
      EXPECT_LE(bar.right(), p.plot.right() - 1) << "layer " << p.layer;
      EXPECT_GE(bar.width(), 1.5) << "layer " << p.layer;
      EXPECT_GE(bar.height(), 0.4 * p.plot.height()) << "layer " << p.layer;
    }
  }
  expectTextsClear(plot, "tanh N(0,1)");
}

// ReLU + He at depth 10: the exact zeros are their own bar with their fraction written out, and
// the body (the bars holding the middle 98% of the non-zero values) spans at least half of the
// panel.
TEST(HistogramsReadable, ReluBodiesFillTheirPanelsAndZerosAreLabelled) {
  const StatsSnapshot s = initialSnapshot("relu", "he_normal", 0.0, 10, 500, true);
  LayerHistogramsPlot plot;
  paint(plot, s);
  const auto& painted = plot.paintedPanels();
  ASSERT_EQ(painted.size(), 10u);
  for (size_t i = 0; i < painted.size(); ++i) {
    const auto& p = painted[i];
    const auto& panel = plot.panels()[i];
    EXPECT_FALSE(p.zeroBar.isEmpty()) << "layer " << p.layer;
    EXPECT_TRUE(p.plot.contains(p.zeroBar));
    std::uint64_t binned = 0;
    for (auto c : panel.counts) binned += c;
    std::uint64_t seen = 0;
    double left = INFINITY, right = -INFINITY;
    for (size_t k = 0; k < panel.counts.size(); ++k) {
      const std::uint64_t before = seen;
      seen += panel.counts[k];
      if (seen < 0.01 * binned || before > 0.99 * binned || p.bars[k].isEmpty()) continue;
      left = std::min(left, p.bars[k].left());
      right = std::max(right, p.bars[k].right());
    }
    EXPECT_GE(right - left, 0.5 * p.plot.width()) << "layer " << p.layer;
    for (const QRectF& bar : p.bars) {
      if (!bar.isEmpty()) {
        EXPECT_TRUE(p.plot.contains(bar)) << "layer " << p.layer;
      }
    }
  }
  // "62% exactly 0" (or its short form) over each panel, matching the engine's dead fraction.
  int zeroLabels = 0;
  const QRegularExpression zeroLabel(QStringLiteral("^(\\d+)% (exactly 0|=0)$"));
  for (const auto& t : plot.texts()) {
    const auto match = zeroLabel.match(t.text);
    if (!match.hasMatch()) continue;
    ++zeroLabels;
    const double pct = match.captured(1).toDouble();
    EXPECT_GT(pct, 30);
    EXPECT_LT(pct, 70);
  }
  EXPECT_EQ(zeroLabels, 10);
  expectTextsClear(plot, "relu he");
}

// N(0, 0.01): tiny standard deviations are written whole ("3.0e-7"), never cut, at any width.
TEST(HistogramsReadable, TinyStdsFitTheirHeaders) {
  const StatsSnapshot s = initialSnapshot("tanh", "normal", 0.01, 10);
  for (int width : {1400, 800, 400, 240}) {
    LayerHistogramsPlot plot;
    paint(plot, s, QSize(width, 420));
    const auto& headers = plot.headerLabels();
    ASSERT_EQ(headers.size(), 20u) << width;
    const QRegularExpression number(
        QStringLiteral("^(σ )?(-?\\d+(\\.\\d+)?|-?\\d\\.\\de-?\\d+)$"));
    for (size_t i = 1; i < headers.size(); i += 2)
      EXPECT_TRUE(number.match(headers[i].text).hasMatch())
          << width << " px: '" << headers[i].text.toStdString() << "'";
    // the deepest layers' std is below 1e-3: written with its exponent
    EXPECT_TRUE(headers.back().text.contains(QLatin1Char('e'))) << headers.back().text.toStdString();
    for (const auto& p : plot.paintedPanels()) {
      for (const QRectF& bar : p.bars) {
        if (!bar.isEmpty()) {
          EXPECT_TRUE(p.plot.contains(bar)) << width;
        }
      }
    }
    expectTextsClear(plot, std::to_string(width) + " px");
  }
}

// Depth 100: the compact view, one readable row per layer, labels that never overlap, and full
// panels for the layers the user picks.
TEST(HistogramsReadable, Depth100HasAReadableHeatmapRowPerLayer) {
  const StatsSnapshot s = initialSnapshot("tanh", "xavier_normal", 0.0, 100, 32);
  LayerHistogramsPlot plot;
  paint(plot, s);
  ASSERT_TRUE(plot.heatmapShown());
  const auto& rows = plot.heatmapRows();
  ASSERT_EQ(rows.size(), 100u);
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].layer, int(i) + 1);
    EXPECT_GE(rows[i].row.height(), 3.0) << "layer " << rows[i].layer;
    EXPECT_GE(rows[i].row.width(), 400.0);
    if (i > 0) {
      EXPECT_LE(rows[i - 1].row.bottom(), rows[i].row.top() + 1e-9);
    }
  }
  int layerLabels = 0;
  for (const auto& t : plot.texts())
    if (t.text.startsWith(QLatin1Char('L'))) ++layerLabels;
  EXPECT_GE(layerLabels, 10);
  expectTextsClear(plot, "depth 100");
  // Full panels: by default first, a third, two thirds, last; then the user's pick.
  EXPECT_EQ(plot.paintedPanels().size(), 4u);
  plot.setDetailLayers({7, 42, 99});
  plot.grab();
  ASSERT_EQ(plot.paintedPanels().size(), 3u);
  EXPECT_EQ(plot.paintedPanels()[1].layer, 42);
  expectTextsClear(plot, "depth 100, 3 panels");
  // At the dashboard's smaller size, too.
  paint(plot, s, QSize(560, 420));
  EXPECT_EQ(plot.heatmapRows().size(), 100u);
  expectTextsClear(plot, "depth 100 at 560 x 420");
}

// Log counts lift the tails: the same bin is drawn at least as tall, a small one taller.
TEST(HistogramsReadable, LogCountsLiftTheTails) {
  const StatsSnapshot s = initialSnapshot("relu", "he_normal", 0.0, 4);
  LayerHistogramsPlot plot;
  paint(plot, s);
  const auto linear = plot.paintedPanels();
  plot.setLogCounts(true);
  plot.grab();
  const auto log = plot.paintedPanels();
  ASSERT_EQ(linear.size(), log.size());
  int taller = 0;
  for (size_t i = 0; i < log.size(); ++i)
    for (size_t k = 0; k < log[i].bars.size(); ++k) {
      if (linear[i].bars[k].isEmpty()) continue;
      EXPECT_GE(log[i].bars[k].height(), linear[i].bars[k].height() - 1e-9);
      taller += log[i].bars[k].height() > linear[i].bars[k].height() + 1 ? 1 : 0;
    }
  EXPECT_GT(taller, 0);
}

// The weights and their gradient are quantities of their own.
TEST(HistogramsReadable, WeightsAndWeightGradientsHaveTheirOwnMode) {
  const StatsSnapshot s = initialSnapshot("tanh", "xavier_normal", 0.0, 3, 64);
  LayerHistogramsPlot plot;
  paint(plot, s);
  plot.setMode(LayerHistogramsPlot::Mode::Weight);
  ASSERT_EQ(plot.panels().size(), 3u);
  for (int l = 1; l <= 3; ++l)
    EXPECT_EQ(plot.panels()[l - 1].counts, s.layers[l].weightHistogram.counts);
  plot.setMode(LayerHistogramsPlot::Mode::WeightGradient);
  for (int l = 1; l <= 3; ++l)
    EXPECT_EQ(plot.panels()[l - 1].counts, s.layers[l].weightGradientHistogram.counts);
}

}  // namespace layerscope

namespace layerscope {

// The extra controls (view, log, panels) do not widen the dashboard cell the plot sits in.
TEST(HistogramsReadable, ControlsKeepThePlotNarrow) {
  LayerHistogramsPlot plot;
  EXPECT_LE(plot.minimumSizeHint().width(), 250);
  plot.setView(LayerHistogramsPlot::View::Heatmap);
  EXPECT_LE(plot.minimumSizeHint().width(), 250);
}

}  // namespace layerscope
