#include "plots/layer_histogram_over_time_plot.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "common/number_format.h"
#include "run/snapshot_record.h"

namespace layerscope {

LayerHistogramOverTimePlot::LayerHistogramOverTimePlot(QWidget* parent)
    : OverTimePlot(tr("Layer histogram over training"), parent) {}

void LayerHistogramOverTimePlot::forget() {
  columns_.clear();
  columnIndex_.clear();
  steps_.clear();
  fractions_.clear();
  gridColumns_ = gridRows_ = 0;
  lo_ = hi_ = 0;
  layer_ = -1;
  scale_ = ColourScale{};
}

void LayerHistogramOverTimePlot::extract(const SnapshotRecord& record, int columns) {
  forget();
  const std::vector<StatsSnapshot>& kept = record.snapshots();
  if (kept.empty()) return;
  layer_ = shownLayer();
  std::vector<long> probeSteps;
  probeSteps.reserve(kept.size());
  for (const StatsSnapshot& s : kept) probeSteps.push_back(s.step);
  const std::vector<int> index = snapshotPerColumn(probeSteps, columns);
  lo_ = INFINITY;
  hi_ = -INFINITY;
  int last = -1;
  for (int i : index) {
    if (i != last) {
      const StatsSnapshot& s = kept[std::size_t(i)];
      Column c;
      c.step = s.step;
      if (std::size_t(layer_) < s.layers.size()) {
        c.histogram = *quantityOf(s.layers[std::size_t(layer_)], quantity()).histogram;
        const Histogram& h = c.histogram;
        c.values = double(h.total() - h.nonFinite);
        // The value range: a bounded function's whole range, else the probes' robust ranges
        // (0.5%..99.5%, training/stats.h), so one outlier does not squeeze the body.
        if (!h.counts.empty()) {
          const bool robust = !h.fixedRange && std::isfinite(h.robustLo) && std::isfinite(h.robustHi);
          lo_ = std::min(lo_, robust ? h.robustLo : h.lo);
          hi_ = std::max(hi_, robust ? h.robustHi : h.hi);
        }
        if (h.zeros > 0) lo_ = std::min(lo_, 0.0), hi_ = std::max(hi_, 0.0);
      }
      columns_.push_back(std::move(c));
      last = i;
    }
    columnIndex_.push_back(static_cast<int>(columns_.size()) - 1);
    steps_.push_back(columns_.back().step);
  }
  if (!(hi_ > lo_)) {
    const double mid = std::isfinite(lo_) ? lo_ : 0.0;
    lo_ = mid - 1.0;
    hi_ = mid + 1.0;
  }
  const bool bounded = !columns_.empty() && columns_.back().histogram.fixedRange;
  setCaveat(bounded ? QString()
                    : tr("Values range over the probes' 0.5%..99.5% quantiles; the few beyond "
                         "are not drawn (the percentile bands show min and max)."));
}

void LayerHistogramOverTimePlot::buildGrid(int rows) {
  gridColumns_ = static_cast<int>(columnIndex_.size());
  gridRows_ = std::max(1, rows);
  fractions_.assign(std::size_t(gridColumns_) * std::size_t(gridRows_), 0.0);
  const double rowSpan = (hi_ - lo_) / gridRows_;
  // Each distinct snapshot once: a bin's count spread uniformly over its width, shared among
  // the rows it overlaps (the same reading as training/histogram_percentiles.h).
  std::vector<double> column(static_cast<std::size_t>(gridRows_), 0.0);
  int done = -1;
  for (int c = 0; c < gridColumns_; ++c) {
    const int i = columnIndex_[std::size_t(c)];
    if (i != done) {
      std::fill(column.begin(), column.end(), 0.0);
      const Column& col = columns_[std::size_t(i)];
      const Histogram& h = col.histogram;
      if (col.values > 0) {
        for (std::size_t b = 0; b < h.counts.size(); ++b) {
          if (!h.counts[b]) continue;
          const double e0 = h.edge(h.first + long(b)), e1 = h.edge(h.first + long(b) + 1);
          const double r0 = (e0 - lo_) / rowSpan, r1 = (e1 - lo_) / rowSpan;
          const int a = std::max(0, int(std::floor(r0))), z = std::min(gridRows_ - 1, int(std::ceil(r1)) - 1);
          for (int r = a; r <= z; ++r) {
            const double overlap = std::min(r1, double(r + 1)) - std::max(r0, double(r));
            if (overlap > 0) column[std::size_t(r)] += h.counts[b] * overlap / (r1 - r0);
          }
        }
        if (h.zeros > 0) {
          const int r = std::clamp(int(std::floor((0.0 - lo_) / rowSpan)), 0, gridRows_ - 1);
          column[std::size_t(r)] += double(h.zeros);
        }
        for (double& v : column) v /= col.values;
      }
      done = i;
    }
    std::copy(column.begin(), column.end(), fractions_.begin() + std::ptrdiff_t(c) * gridRows_);
  }
  // Colour = density = fraction / row span, on a log scale over at most 4 decades.
  std::vector<double> density;
  density.reserve(fractions_.size());
  for (double f : fractions_)
    if (f > 0) density.push_back(f / rowSpan);
  scale_ = ColourScale::fit(density, true, 4.0);
}

double LayerHistogramOverTimePlot::fractionAt(int column, int row) const {
  if (column < 0 || row < 0 || column >= gridColumns_ || row >= gridRows_) return 0.0;
  return fractions_[std::size_t(column) * std::size_t(gridRows_) + std::size_t(row)];
}

void LayerHistogramOverTimePlot::paintPlot(QPainter& painter, const QRectF& area) {
  const QString name = quantityName(quantity());
  const QFontMetricsF fm = paintHeading(painter, area,
                                        {tr("Layer %1: %2 histogram over training").arg(layer_).arg(name),
                                         tr("Layer %1: %2 histogram").arg(layer_).arg(name),
                                         tr("Layer %1 histogram").arg(layer_)});
  const double left = fm.height() + fm.horizontalAdvance(kWidestValueLabel) + 12;
  const double barSpace = colourBarSpace(fm);
  plot_ = QRectF(area.left() + left, area.top() + fm.height() + 8, area.width() - left - barSpace,
                 area.height() - (fm.height() + 8) - 2 * fm.height() - 10);
  bar_ = QRectF(plot_.right() + 10, plot_.top(), kColourBarWidth, plot_.height());
  if (plot_.width() < 10 || plot_.height() < 10) return;
  painter.setPen(QColor(160, 160, 160));
  painter.drawRect(plot_);
  if (columns_.empty()) {
    painter.setPen(QColor(110, 110, 110));
    drawTextClear(painter, plot_.center(), Qt::AlignCenter, tr("no probes yet"), &texts_);
    return;
  }
  // At most 200 value rows: finer than the probe's own bins (50 by default).
  buildGrid(std::clamp(static_cast<int>(plot_.height()), 8, 200));
  QImage image(gridColumns_, gridRows_, QImage::Format_RGB32);
  const double rowSpan = (hi_ - lo_) / gridRows_;
  for (int r = 0; r < gridRows_; ++r) {
    // Row 0 (lowest values) at the image's bottom; empty cells stay white.
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(gridRows_ - 1 - r));
    for (int c = 0; c < gridColumns_; ++c) {
      const double f = fractionAt(c, r);
      line[c] = f > 0 ? scale_.rgb(f / rowSpan) : qRgb(255, 255, 255);
    }
  }
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  painter.drawImage(plot_, image);
  painter.setPen(QColor(160, 160, 160));
  painter.drawRect(plot_);
  drawValueAxis(painter, plot_, lo_, hi_, tr("%1 value").arg(quantityName(quantity())), &texts_);
  drawStepAxis(painter, plot_, double(steps_.front()), double(steps_.back()), &texts_);
  paintCursor(painter, plot_, double(steps_.front()), double(steps_.back()));
  drawColourBar(painter, bar_, scale_, tr("density (log)"), &texts_);
}

QString LayerHistogramOverTimePlot::hoverAt(const QPointF& pos) const {
  if (gridColumns_ == 0 || !plot_.contains(pos)) return {};
  const int c = std::clamp(int((pos.x() - plot_.left()) / plot_.width() * gridColumns_), 0, gridColumns_ - 1);
  const int r = std::clamp(int((plot_.bottom() - pos.y()) / plot_.height() * gridRows_), 0, gridRows_ - 1);
  const double rowSpan = (hi_ - lo_) / gridRows_;
  const double v0 = lo_ + r * rowSpan;
  return tr("layer %1, step %2: %3% of values in [%4, %5]")
      .arg(layer_)
      .arg(steps_[std::size_t(c)])
      .arg(formatNumber(100.0 * fractionAt(c, r)), formatNumber(v0), formatNumber(v0 + rowSpan));
}

}  // namespace layerscope
