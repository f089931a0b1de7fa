#include "plots/layer_std_over_time_plot.h"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "plots/decimate.h"
#include "run/run_history.h"

namespace layerscope {

LayerStdOverTimePlot::LayerStdOverTimePlot(QWidget* parent)
    : ChartPlot(tr("Activation std of each layer over training"), parent) {
  x_ = addValueAxis(Qt::AlignBottom, tr("step"));
  y_ = addLogAxis(Qt::AlignLeft, tr("std (log)"));
  setIntegerAxisRange(x_, 10);
  chart()->legend()->setAlignment(Qt::AlignRight);
  enableNavigation();
}

void LayerStdOverTimePlot::zoomWasReset() {
  xRange_.reset();
  yRange_.reset();
  revision_ = 0;
}

void LayerStdOverTimePlot::clear() {
  for (QLineSeries* s : lines_)
    if (s) s->clear();
  xRange_.reset();
  yRange_.reset();
  revision_ = 0;
  setNote({});
}

void LayerStdOverTimePlot::rebuildSeries(int layerCount) {
  for (QLineSeries* s : lines_)
    if (s) {
      chart()->removeSeries(s);
      delete s;
    }
  lines_.assign(layerCount, nullptr);
  const int hidden = layerCount - 2;  // without input and output
  for (int layer = 1; layer <= hidden; ++layer) {
    QLineSeries* s = addLine(seriesName(layer), layerColor(layer - 1, hidden), x_, y_);
    attachHover(s, [layer](const QPointF& p) {
      return tr("layer %1, step %2: std = %3").arg(layer).arg(std::llround(p.x()))
          .arg(formatNumber(p.y()));
    });
    connect(s, &QXYSeries::clicked, this, [this, layer] { emit layerClicked(layer); });
    lines_[layer] = s;
  }
  chart()->legend()->setVisible(hidden <= 16);
  applyPens();
}

void LayerStdOverTimePlot::refresh(const PlotInputs& in) {
  if (!in.history || in.history->revision() == revision_) return;
  const RunHistory& h = *in.history;
  if (h.layerCount() != static_cast<int>(lines_.size())) rebuildSeries(h.layerCount());
  if (h.snapshots() == 0) return;
  revision_ = h.revision();
  const int columns = plotColumns();
  double lo = INFINITY, hi = 0, xMax = 1;
  long hidden = 0;
  for (int layer = 1; layer + 1 < h.layerCount(); ++layer) {
    const BoundedSeries& series = h.layer(layer, RunHistory::ActivationStd);
    const auto points = series.points();
    QList<QPointF> drawn = decimateToPixels(points, columns, true);
    for (const QPointF& p : drawn) {
      lo = std::min(lo, p.y());
      hi = std::max(hi, p.y());
    }
    hidden += series.nonFinite() +
              std::count_if(points.begin(), points.end(), [](const SeriesPoint& p) { return p.y <= 0; });
    if (!points.empty()) xMax = std::max(xMax, points.back().x);
    lines_[layer]->replace(drawn);
    // One probe (a run of 0 steps: the article's initialization figures) is no line: a dot.
    lines_[layer]->setPointsVisible(drawn.size() == 1);
  }
  if (!userZoomed()) {  // a zoomed or panned view keeps the user's range
    if (xRange_.fit(0, xMax)) setIntegerAxisRange(x_, xRange_.hi());  // whole, round steps
    if (hi > 0 && yRange_.fit(lo, hi)) setLogRange(y_, yRange_.lo(), yRange_.hi());
  }
  setNote(hidden ? tr("Not drawn: %1 std values that are zero or non-finite").arg(hidden)
                 : QString());
  countRedraw();
}

void LayerStdOverTimePlot::setSelectedLayer(int layer) {
  selectedLayer_ = layer;
  applyPens();
}

void LayerStdOverTimePlot::applyPens() {
  const int hidden = static_cast<int>(lines_.size()) - 2;
  for (int layer = 1; layer <= hidden; ++layer) {
    QColor c = layerColor(layer - 1, hidden);
    qreal width = 1.6;
    if (selectedLayer_ >= 0) {
      if (layer == selectedLayer_) {
        width = 3.5;
      } else {
        c.setAlphaF(0.35);
      }
    }
    QPen pen(c);
    pen.setWidthF(width);
    lines_[layer]->setPen(pen);
  }
}

}  // namespace layerscope
