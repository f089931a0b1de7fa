// The "Over time" plots (ui/plots/over_time_page.h), checked on the geometry and data they
// painted: a row per layer at depth 100 with labels that never overlap, percentile bands that
// are ordered and match the distribution they came from, tanh saturation at both ends of the
// histogram over time, coalesced redraws, and the tab's pickers wired to the dashboard.
#include <gtest/gtest.h>

#include "common/experiments.h"
#include "test_helpers.h"

#include <QComboBox>
#include <QPixmap>
#include <QTabWidget>
#include <QTemporaryDir>
#include <cmath>
#include <random>

#include "plots/dashboard.h"
#include "plots/layer_histogram_over_time_plot.h"
#include "plots/layer_percentiles_plot.h"
#include "plots/layer_time_heatmap_plot.h"
#include "plots/over_time_page.h"
#include "plots/plot_export.h"
#include "run/snapshot_record.h"
#include "training/histogram_percentiles.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

// Every snapshot of a short run, recorded as the window records them.
SnapshotRecord recordRun(const ExperimentConfig& c) {
  SnapshotRecord record;
  Trainer t(c);
  t.run([&](const StatsSnapshot& s) { record.add(s); });
  return record;
}

ExperimentConfig run(int depth, int width, const std::string& activation, const std::string& init,
                     double std, long steps, int every) {
  ExperimentConfig c;
  testing::withData(c, "blobs", 300, 16, 3);
  testing::withNetwork(c, depth, width, activation, init, std);
  c.train.steps = steps;
  c.train.batchSize = 32;
  c.stats.every = every;
  c.stats.probeSize = 200;
  return c;
}

// Feeds the record to the plot and paints it now (not on the coalescing timer).
void paint(OverTimePlot& plot, const SnapshotRecord& record, QSize size = QSize(900, 600)) {
  plot.resize(size);
  plot.show();
  PlotInputs in;
  in.snapshot = &record.snapshots().back();
  in.record = &record;
  in.snapshotChanged = true;
  plot.refresh(in);
  plot.updateNow();
  // Painted now, whether or not the window system has exposed the widget yet.
  const QPixmap pixmap = plot.grab();
  // LAYERSCOPE_TEST_PNG_DIR=DIR keeps what each test painted, to look at.
  if (const QByteArray dir = qgetenv("LAYERSCOPE_TEST_PNG_DIR"); !dir.isEmpty()) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    pixmap.save(QStringLiteral("%1/%2-%3.png").arg(QString::fromUtf8(dir), info->name(), plot.title()));
  }
}

void expectTextsClear(const OverTimePlot& plot) {
  const auto& texts = plot.texts();
  for (std::size_t i = 0; i < texts.size(); ++i)
    for (std::size_t j = i + 1; j < texts.size(); ++j)
      EXPECT_FALSE(texts[i].box.intersects(texts[j].box))
          << "'" << texts[i].text.toStdString() << "' and '" << texts[j].text.toStdString() << "' overlap";
}

TEST(LayerTimeHeatmap, Depth100HasARowPerLayerAndLabelsThatDoNotOverlap) {
  const SnapshotRecord record = recordRun(run(100, 16, "tanh", "xavier_normal", 0, 12, 4));
  LayerTimeHeatmapPlot plot;
  paint(plot, record);
  const auto& rows = plot.rows();
  ASSERT_EQ(rows.size(), 102u);  // input, 100 hidden layers, logits
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].layer, int(i));
    EXPECT_GT(rows[i].row.height(), 0.0);
    EXPECT_TRUE(plot.heatmapRect().adjusted(-0.01, -0.01, 0.01, 0.01).contains(rows[i].row));
    if (i > 0) {
      EXPECT_NEAR(rows[i].row.top(), rows[i - 1].row.bottom(), 1e-6);
    }
  }
  // Thinned, but enough to find a layer: at least every 20th labelled, each beside its row.
  const auto& labels = plot.layerLabels();
  EXPECT_GE(labels.size(), 6u);
  for (const PaintedText& label : labels) {
    const int layer = label.text.toInt();
    ASSERT_GE(layer, 0);
    ASSERT_LT(layer, 102);
    EXPECT_LE(label.box.right(), plot.heatmapRect().left());
    EXPECT_NEAR(label.box.center().y(), rows[std::size_t(layer)].row.center().y(), 1.0);
  }
  expectTextsClear(plot);
  // Hover names the layer and step under the cursor.
  const QString hover = plot.hoverText(QPointF(plot.heatmapRect().right() - 2, rows[50].row.center().y()));
  EXPECT_TRUE(hover.startsWith(QStringLiteral("layer 50, step 12"))) << hover.toStdString();
  // A fraction statistic: linear scale from 0.
  plot.setStatistic(LayerTimeHeatmapPlot::Statistic::SaturatedFraction);
  plot.updateNow();
  plot.grab();
  EXPECT_FALSE(plot.scale().log);
  EXPECT_EQ(plot.scale().lo, 0.0);
}

TEST(LayerTimeHeatmap, ColoursTheChosenStatisticOfEachLayerAndStep) {
  const SnapshotRecord record = recordRun(run(4, 32, "relu", "he_normal", 0, 20, 5));
  LayerTimeHeatmapPlot plot;
  paint(plot, record, QSize(700, 400));
  ASSERT_EQ(plot.rows().size(), 6u);
  const auto& kept = record.snapshots();
  const auto& steps = plot.columnSteps();
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps.front(), kept.front().step);
  EXPECT_EQ(steps.back(), kept.back().step);
  for (auto stat : {LayerTimeHeatmapPlot::Statistic::ActivationStd,
                    LayerTimeHeatmapPlot::Statistic::DeadFraction,
                    LayerTimeHeatmapPlot::Statistic::GradientStd,
                    LayerTimeHeatmapPlot::Statistic::EffectiveRank,
                    LayerTimeHeatmapPlot::Statistic::GradientSnr}) {
    plot.setStatistic(stat);
    plot.updateNow();
    plot.grab();
    EXPECT_EQ(plot.scale().log, LayerTimeHeatmapPlot::logScale(stat));
    for (int c = 0; c < int(plot.columnSteps().size()); c += 37) {
      const long step = plot.columnSteps()[std::size_t(c)];
      const auto s = std::find_if(kept.begin(), kept.end(), [&](const StatsSnapshot& k) { return k.step == step; });
      ASSERT_NE(s, kept.end());
      for (int r = 1; r < 5; ++r)
        EXPECT_EQ(plot.valueAt(r, c), LayerTimeHeatmapPlot::value(s->layers[std::size_t(r)], stat));
    }
  }
  // The layer-health rows: the normalized rank on a linear fraction scale, SNR on a log one.
  const LayerStats& l = kept.back().layers[2];
  EXPECT_EQ(LayerTimeHeatmapPlot::value(l, LayerTimeHeatmapPlot::Statistic::EffectiveRank),
            l.effectiveRankNormalized);
  EXPECT_EQ(LayerTimeHeatmapPlot::value(l, LayerTimeHeatmapPlot::Statistic::GradientSnr), l.gradientSnr);
  EXPECT_GT(l.effectiveRankNormalized, 0.0);
  EXPECT_LE(l.effectiveRankNormalized, 1.0);
  EXPECT_FALSE(LayerTimeHeatmapPlot::logScale(LayerTimeHeatmapPlot::Statistic::EffectiveRank));
  EXPECT_TRUE(LayerTimeHeatmapPlot::logScale(LayerTimeHeatmapPlot::Statistic::GradientSnr));
}

// The names layerscope-cli --heatmap-statistic passes (app/cli_options.cpp) map back to each
// statistic.
TEST(LayerTimeHeatmap, StatisticKeysRoundTrip) {
  using Statistic = LayerTimeHeatmapPlot::Statistic;
  for (int i = 0; i < LayerTimeHeatmapPlot::kStatistics; ++i)
    EXPECT_EQ(LayerTimeHeatmapPlot::statisticFromKey(LayerTimeHeatmapPlot::statisticKey(Statistic(i))),
              Statistic(i));
  EXPECT_EQ(LayerTimeHeatmapPlot::statisticFromKey(QStringLiteral("effective_rank")), Statistic::EffectiveRank);
  EXPECT_EQ(LayerTimeHeatmapPlot::statisticFromKey(QStringLiteral("gradient_snr")), Statistic::GradientSnr);
  EXPECT_FALSE(LayerTimeHeatmapPlot::statisticFromKey(QStringLiteral("rank")).has_value());
}

// A snapshot whose layer 1 holds `n` samples of N(mu, sigma), binned on the run-long `grid`.
StatsSnapshot normalLayerSnapshot(long step, double mu, double sigma, HistogramGrid& grid, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal{float(mu), float(sigma)};
  Matrix x(1, 20000);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = normal(rng);
  StatsSnapshot s;
  s.step = step;
  s.layers.resize(3);
  for (int l = 0; l < 3; ++l) s.layers[std::size_t(l)].layer = l;
  LayerStats& l1 = s.layers[1];
  l1.activation = computeMoments(x);
  l1.activationHistogram = binOnGrid(x, grid, 60, BinningRule{});
  return s;
}

TEST(LayerPercentiles, BandsAreOrderedAndMatchTheDistribution) {
  SnapshotRecord record;
  HistogramGrid grid;
  for (int i = 0; i < 8; ++i) record.add(normalLayerSnapshot(10 * i, 0.5 * i, 1.0 + 0.1 * i, grid, 40 + i));
  LayerPercentilesPlot plot;
  plot.setSelectedLayer(1);
  paint(plot, record);
  ASSERT_EQ(plot.layer(), 1);
  ASSERT_EQ(plot.steps().size(), 8u);
  const double z[] = {-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5};
  for (std::size_t i = 0; i < 8; ++i) {
    const auto& b = plot.bands()[i];
    EXPECT_EQ(plot.steps()[i], long(10 * i));
    for (int k = 0; k + 1 < 9; ++k) EXPECT_LE(b[k], b[k + 1]) << "step " << 10 * i << " band " << k;
    const double mu = 0.5 * i, sigma = 1.0 + 0.1 * i;
    for (int k = 1; k < 8; ++k) EXPECT_NEAR(b[k], mu + z[k - 1] * sigma, 0.06) << "step " << 10 * i << " band " << k;
    const LayerStats& l = record.snapshots()[i].layers[1];
    EXPECT_EQ(b[0], l.activation.min);
    EXPECT_EQ(b[8], l.activation.max);
    EXPECT_LE(plot.valueLo(), b[0]);
    EXPECT_GE(plot.valueHi(), b[8]);
  }
  expectTextsClear(plot);
  const QString hover = plot.hoverText(plot.plotRect().center());
  EXPECT_TRUE(hover.contains(QStringLiteral("median"))) << hover.toStdString();
}

// N(0, 1) weights with tanh at width 200: pre-activations of std ~ 10, so the deep layers'
// outputs pile up at -1 and +1 at every step: the histogram over time is bright at both ends.
TEST(LayerHistogramOverTime, TanhWithNormalInitShowsSaturationAtBothEnds) {
  const SnapshotRecord record = recordRun(run(6, 200, "tanh", "normal", 1.0, 10, 2));
  LayerHistogramOverTimePlot plot;
  paint(plot, record);
  EXPECT_DOUBLE_EQ(plot.valueLo(), -1.0);
  EXPECT_DOUBLE_EQ(plot.valueHi(), 1.0);
  const int rows = plot.gridRows();
  ASSERT_GE(rows, 50);
  const int edge = rows / 25;  // the outer 4% of the value range at each end
  for (int c = 0; c < plot.gridColumns(); c += 7) {
    double ends = 0, middle = 0, all = 0;
    for (int r = 0; r < rows; ++r) {
      const double f = plot.fractionAt(c, r);
      all += f;
      if (r < edge || r >= rows - edge) ends += f;
      if (std::abs(r - rows / 2) < rows / 4) middle += f;
    }
    EXPECT_NEAR(all, 1.0, 1e-3) << "column " << c;  // all but the odd off-grid value
    EXPECT_GT(ends, 0.6) << "column " << c;
    EXPECT_LT(middle, 0.15) << "column " << c;
  }
  expectTextsClear(plot);
  // Before the activation the same layer is wide (std ~ 10): no pile at +-1.
  plot.setQuantity(OverTimePlot::Quantity::PreActivation);
  plot.updateNow();
  plot.grab();
  EXPECT_LT(plot.valueLo(), -3.0);
  EXPECT_GT(plot.valueHi(), 3.0);
  // Xavier keeps tanh unsaturated: the ends hold little.
  const SnapshotRecord xavier = recordRun(run(6, 200, "tanh", "xavier_normal", 0, 10, 2));
  LayerHistogramOverTimePlot calm;
  paint(calm, xavier);
  double ends = 0;
  for (int r = 0; r < calm.gridRows(); ++r)
    if (r < calm.gridRows() / 25 || r >= calm.gridRows() - calm.gridRows() / 25) ends += calm.fractionAt(0, r);
  EXPECT_LT(ends, 0.2);
}

// Snapshots arriving every frame do not redraw every frame: one redraw per timer tick.
TEST(OverTimePlots, RedrawsAreCoalesced) {
  const SnapshotRecord record = recordRun(run(3, 16, "tanh", "xavier_normal", 0, 30, 1));
  LayerTimeHeatmapPlot plot;
  plot.resize(600, 400);
  plot.show();
  PlotInputs in;
  in.snapshot = &record.snapshots().back();
  in.record = &record;
  in.snapshotChanged = true;
  const int before = plot.redraws();
  for (int i = 0; i < 30; ++i) plot.refresh(in);
  ASSERT_TRUE(testing::waitFor([&] { return plot.redraws() > before; }));
  QCoreApplication::processEvents();
  EXPECT_EQ(plot.redraws(), before + 1);
  plot.grab();
  EXPECT_EQ(plot.rows().size(), 5u);
}

TEST(OverTimePage, PickersDriveThePlotsAndFollowTheDashboardSelection) {
  testing::ReadyWindow ready;
  ASSERT_TRUE(ready.ok);
  Dashboard* d = ready.w.dashboard();
  d->showOverTime(true);
  LayerTimeHeatmapPlot* heatmap = d->layerHeatmap();
  ASSERT_TRUE(testing::waitFor([&] {
    heatmap->grab();  // painted whether or not the offscreen window system exposed it
    return !heatmap->rows().empty();
  }));
  const int layers = int(ready.w.statisticsRecord().snapshots().back().layers.size());
  EXPECT_EQ(int(heatmap->rows().size()), layers);
  QComboBox* layerPicker = d->overTime()->layerPicker();
  EXPECT_EQ(layerPicker->count(), layers + 1);  // "auto" and every layer
  layerPicker->setCurrentIndex(layerPicker->findData(2));
  EXPECT_EQ(d->selectedLayer(), 2);
  ASSERT_TRUE(testing::waitFor([&] { return d->percentiles()->layer() == 2; }));
  ASSERT_TRUE(testing::waitFor([&] { return d->histogramOverTime()->gridColumns() > 0; }));
  QComboBox* statistic = d->overTime()->statisticPicker();
  statistic->setCurrentIndex(statistic->findData(int(LayerTimeHeatmapPlot::Statistic::SaturatedFraction)));
  EXPECT_EQ(heatmap->statistic(), LayerTimeHeatmapPlot::Statistic::SaturatedFraction);
  QComboBox* quantity = d->overTime()->quantityPicker();
  quantity->setCurrentIndex(quantity->findData(int(OverTimePlot::Quantity::Gradient)));
  EXPECT_EQ(d->percentiles()->quantity(), OverTimePlot::Quantity::Gradient);
  EXPECT_EQ(d->histogramOverTime()->quantity(), OverTimePlot::Quantity::Gradient);
  // dL/da's percentiles: ordered, though its min and max are not measured.
  ASSERT_TRUE(testing::waitFor([&] {
    d->percentiles()->grab();
    return !d->percentiles()->bands().empty() &&
           d->percentiles()->texts().front().text.contains(QStringLiteral("gradient"));
  }));
  for (const auto& b : d->percentiles()->bands())
    for (int k = 0; k + 1 < 9; ++k) EXPECT_LE(b[k], b[k + 1]);
  // The tab does not widen the window's minimum: the overview's plots set it.
  EXPECT_LE(d->overTime()->minimumSizeHint().width(), d->tabs()->widget(0)->minimumSizeHint().width());
  // A selection made elsewhere (the toolbar's layer box, another plot) shows in the picker.
  d->setSelectedLayer(1);
  EXPECT_EQ(layerPicker->currentData().toInt(), 1);
}

// Exported like every plot (File > Export plot), even while its tab is not the one shown: the
// export reads the record then and draws the run's rows, not an empty frame.
TEST(OverTimePage, PlotsExportWhileTheirTabIsHidden) {
  testing::ReadyWindow ready;
  ASSERT_TRUE(ready.ok);
  LayerTimeHeatmapPlot* heatmap = ready.w.dashboard()->layerHeatmap();
  ASSERT_FALSE(heatmap->isVisible());
  QTemporaryDir dir;
  ExportOptions options;
  options.size = QSize(640, 420);
  options.dpi = 96;
  const QString png = dir.filePath("heatmap.png");
  ASSERT_EQ(ready.w.exportPlot(heatmap, png, options), QString());
  EXPECT_EQ(QImage(png).size(), QSize(640, 420));
  const int layers = int(ready.w.statisticsRecord().snapshots().back().layers.size());
  EXPECT_EQ(int(heatmap->rows().size()), layers);
  EXPECT_FALSE(heatmap->columnSteps().empty());
}

}  // namespace
}  // namespace layerscope
