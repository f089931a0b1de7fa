// The plots' axes and headers: integer step axes that never repeat a label, log axes over many
// decades, value axes whose range jumps, and layer histogram headers that never overlap.
#include <gtest/gtest.h>

#include <QChart>
#include <QChartView>
#include <QLogValueAxis>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QValueAxis>
#include <QXYSeries>
#include <cmath>

#include "plots/chart_plot.h"
#include "plots/layer_histograms_plot.h"
#include "plots/layer_std_over_time_plot.h"
#include "plots/loss_accuracy_plot.h"
#include "run/run_history.h"
#include "test_helpers.h"

namespace layerscope {

namespace {

// The labels Qt Charts draws on a fixed-tick value axis: min + i (max - min) / (n - 1), printed
// with the axis' label format.
QStringList tickLabels(const QValueAxis* axis) {
  QStringList labels;
  const int n = axis->tickCount();
  for (int i = 0; i < n; ++i) {
    const double v = axis->min() + i * (axis->max() - axis->min()) / (n - 1);
    labels << QString::asprintf(axis->labelFormat().toLatin1().constData(), v);
  }
  return labels;
}

QValueAxis* stepAxis(QWidget* plot) {
  auto* view = plot->findChild<QChartView*>();
  if (!view) return nullptr;
  for (QAbstractAxis* a : view->chart()->axes(Qt::Horizontal))
    if (auto* v = qobject_cast<QValueAxis*>(a)) return v;
  return nullptr;
}

void expectIntegerTicks(const QValueAxis* axis, const char* what) {
  ASSERT_NE(axis, nullptr) << what;
  EXPECT_EQ(axis->tickType(), QValueAxis::TicksFixed) << what;
  const QStringList labels = tickLabels(axis);
  EXPECT_EQ(QSet<QString>(labels.begin(), labels.end()).size(), labels.size())
      << what << ": " << labels.join(' ').toStdString();
  const int n = axis->tickCount();
  for (int i = 0; i < n; ++i) {
    const double v = axis->min() + i * (axis->max() - axis->min()) / (n - 1);
    EXPECT_NEAR(v, std::round(v), 1e-9) << what << ": tick " << i << " = " << v;
  }
}

// A 10-hidden-layer snapshot at `step` with simple histograms.
StatsSnapshot snapshotAt(long step, int hidden = 10) {
  StatsSnapshot s;
  s.step = step;
  s.trainLoss = 2.3 - 0.1 * step;
  s.probeLoss = s.trainLoss;
  s.probeAccuracy = 0.1 + 0.01 * step;
  s.validationLoss = s.trainLoss + 0.05;
  s.validationAccuracy = s.probeAccuracy;
  for (int layer = 0; layer <= hidden + 1; ++layer) {
    LayerStats l;
    l.layer = layer;
    l.kind = layer == 0 ? "input" : layer == hidden + 1 ? "output" : "hidden";
    l.units = 500;
    l.activation.std = 0.2134 + 0.01 * layer + 0.001 * step;
    l.preActivation.std = 0.3;
    l.gradientStd = 1e-3;
    Histogram h;
    h.lo = -0.987654;
    h.hi = 0.987654;
    h.counts = {1, 4, 9, 16, 9, 4, 1};
    l.activationHistogram = l.preActivationHistogram = l.gradientHistogram = h;
    s.layers.push_back(l);
  }
  return s;
}

}  // namespace

TEST(StepAxes, IntegerRangesNeverRepeatALabel) {
  QValueAxis axis;
  for (double hi : {0.0, 0.5, 1.0, 1.2, 2.0, 2.25, 3.0, 4.5, 7.0, 10.0, 12.0, 99.0, 101.0, 250.0,
                    1234.0, 1e6 + 3}) {
    setIntegerAxisRange(&axis, hi);
    EXPECT_GE(axis.max(), hi) << hi;
    EXPECT_EQ(axis.min(), 0.0);
    EXPECT_LE(axis.tickCount(), 5) << hi;
    expectIntegerTicks(&axis, "axis");
  }
}

TEST(LogAxes, ManyDecadesGetFewLabelsNotEllipses) {
  // A diverging run's std spans 1e-10..1e+31: a label per decade overlapped and Qt drew "..."
  // for every one. At most ~6 labelled powers, and every decade still has a gridline.
  QLogValueAxis axis;
  for (const auto& [lo, hi] : std::vector<std::pair<double, double>>{
           {1e-3, 1.0}, {1e-6, 10.0}, {1e-10, 1e31}, {1e-300, 1e300}, {0.5, 0.6}}) {
    setLogRange(&axis, lo, hi);
    EXPECT_DOUBLE_EQ(axis.min(), lo);
    EXPECT_DOUBLE_EQ(axis.max(), hi);
    const double labels = (std::log10(hi) - std::log10(lo)) / std::log10(axis.base());
    EXPECT_LE(labels, 6.0 + 1e-9) << lo << ".." << hi;
    const int decadesPerLabel = int(std::lround(std::log10(axis.base())));
    EXPECT_EQ(axis.minorTickCount(), decadesPerLabel == 1 ? 8 : decadesPerLabel - 1);
  }
}

TEST(StepAxes, StepAxesAtTheStartOfARunHaveUniqueLabels) {
  LayerStdOverTimePlot stdPlot;
  LossAccuracyPlot lossPlot;
  stdPlot.resize(500, 300);
  lossPlot.resize(500, 300);
  stdPlot.show();
  lossPlot.show();
  expectIntegerTicks(stepAxis(&stdPlot), "std over time, empty");
  expectIntegerTicks(stepAxis(&lossPlot), "loss, empty");
  RunHistory history;
  for (long step = 0; step <= 2; ++step) {
    history.addLosses({StepLoss{step, 2.3 - 0.1 * step}});
    history.addSnapshot(snapshotAt(step));
    PlotInputs in;
    in.history = &history;
    in.historyChanged = true;
    stdPlot.refresh(in);
    lossPlot.refresh(in);
    expectIntegerTicks(stepAxis(&stdPlot), "std over time");
    expectIntegerTicks(stepAxis(&lossPlot), "loss and accuracy");
    EXPECT_GE(stepAxis(&stdPlot)->max(), step);
    EXPECT_GE(stepAxis(&lossPlot)->max(), step);
  }
}

// A loss that jumps by 15 orders of magnitude must not lay out (new range / old interval) ticks:
// the range and the round tick interval change together.
TEST(StepAxes, ValueAxesWithRoundTicksSurviveAJumpingRange) {
  LossAccuracyPlot plot;
  plot.resize(500, 300);
  plot.show();
  RunHistory history;
  const double losses[] = {2.3, 2.3001, 1e15, 0.5};
  for (long step = 0; step < 4; ++step) {
    history.addLosses({StepLoss{step, losses[step]}});
    PlotInputs in;
    in.history = &history;
    in.historyChanged = true;
    plot.refresh(in);
    auto* view = plot.findChild<QChartView*>();
    ASSERT_NE(view, nullptr);
    for (QAbstractAxis* a : view->chart()->axes(Qt::Vertical)) {
      auto* axis = qobject_cast<QValueAxis*>(a);
      if (!axis || axis->tickType() != QValueAxis::TicksDynamic) continue;
      EXPECT_LE((axis->max() - axis->min()) / axis->tickInterval(), 12) << "step " << step;
      EXPECT_GE(axis->max(), losses[step] * (1 - 1e-9)) << "step " << step;
    }
  }
}

TEST(LayerHistograms, TenLayerHeadersNeverOverlapWhenNarrow) {
  for (int width : {1400, 600, 300, 240}) {
    LayerHistogramsPlot plot;
    plot.resize(width, 260);
    plot.show();
    const StatsSnapshot s = snapshotAt(5);
    PlotInputs in;
    in.snapshot = &s;
    in.snapshotChanged = true;
    plot.refresh(in);
    plot.grab();  // paints the strip
    const auto& headers = plot.headerLabels();
    ASSERT_EQ(headers.size(), 20u) << width;
    for (size_t i = 0; i < headers.size(); ++i) {
      EXPECT_FALSE(headers[i].text.isEmpty()) << width;
      for (size_t j = i + 1; j < headers.size(); ++j)
        EXPECT_FALSE(headers[i].box.intersects(headers[j].box))
            << width << " px: '" << headers[i].text.toStdString() << "' and '"
            << headers[j].text.toStdString() << "'";
    }
    // one form for every panel: all "σ 0.21" or all "0.21"
    int withSigma = 0;
    for (size_t i = 1; i < headers.size(); i += 2)
      withSigma += headers[i].text.startsWith(QStringLiteral("σ")) ? 1 : 0;
    EXPECT_TRUE(withSigma == 0 || withSigma == 10) << width << " px: " << withSigma;
    if (width >= 1400) {
      EXPECT_EQ(headers[0].text, QStringLiteral("layer 1"));
    }
    if (width <= 300) {
      EXPECT_EQ(headers[0].text.left(1), QStringLiteral("L"));
    }
  }
}

}  // namespace layerscope

namespace layerscope {

// A run of 0 steps (the article's initialization figures) has one probe: each layer's std over
// time is a dot, not an invisible one-point line; with a second probe it is a line again.
TEST(ChartAxes, OneProbeIsDrawnAsADotPerLayer) {
  LayerStdOverTimePlot plot;
  plot.resize(500, 300);
  plot.show();
  RunHistory history;
  auto pointsShown = [&] {
    int dots = 0, lines = 0;
    for (QAbstractSeries* s : plot.findChild<QChartView*>()->chart()->series())
      if (auto* xy = qobject_cast<QXYSeries*>(s); xy && xy->count() > 0)
        (xy->pointsVisible() ? dots : lines) += 1;
    return std::make_pair(dots, lines);
  };
  for (long step : {0L, 5L}) {
    history.addSnapshot(snapshotAt(step));
    PlotInputs in;
    in.history = &history;
    in.historyChanged = true;
    plot.refresh(in);
    const auto [dots, lines] = pointsShown();
    EXPECT_EQ(dots, step == 0 ? 10 : 0) << "step " << step;
    EXPECT_EQ(lines, step == 0 ? 0 : 10) << "step " << step;
  }
}

}  // namespace layerscope
