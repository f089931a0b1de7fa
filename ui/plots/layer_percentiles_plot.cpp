#include "plots/layer_percentiles_plot.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "common/number_format.h"
#include "run/snapshot_record.h"
#include "training/histogram_percentiles.h"

namespace layerscope {

namespace {
const QColor kBandColour(33, 113, 181);  // one hue; nested bands darken toward the median
}

LayerPercentilesPlot::LayerPercentilesPlot(QWidget* parent)
    : OverTimePlot(tr("Layer percentiles over training"), parent) {
  // Under the plot, so the key survives a heading shortened to fit a narrow plot.
  setCaveat(tr("Shaded, outer to inner: min to max, 7 to 93%, 16 to 84%, 31 to 69%; line: median."));
}

void LayerPercentilesPlot::forget() {
  steps_.clear();
  bands_.clear();
  layer_ = -1;
  lo_ = 0;
  hi_ = 1;
}

void LayerPercentilesPlot::extract(const SnapshotRecord& record, int columns) {
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
    if (i == last) continue;
    last = i;
    const StatsSnapshot& s = kept[std::size_t(i)];
    if (std::size_t(layer_) >= s.layers.size()) continue;
    const LayerStats& l = s.layers[std::size_t(layer_)];
    const QuantityData q = quantityOf(l, quantity());
    const Bands b = percentileBands(*q.histogram, q.min, q.max);
    if (!std::isfinite(b[0]) || !std::isfinite(b[8])) continue;
    steps_.push_back(s.step);
    bands_.push_back(b);
    lo_ = std::min(lo_, b[0]);
    hi_ = std::max(hi_, b[8]);
  }
  if (!(hi_ > lo_)) {
    const double mid = std::isfinite(lo_) ? lo_ : 0.0;
    lo_ = mid - 1.0;
    hi_ = mid + 1.0;
  } else {
    const double pad = 0.03 * (hi_ - lo_);
    lo_ -= pad;
    hi_ += pad;
  }
}

double LayerPercentilesPlot::xOf(long step) const {
  if (steps_.size() < 2 || steps_.back() == steps_.front()) return plot_.center().x();
  return plot_.left() + double(step - steps_.front()) / double(steps_.back() - steps_.front()) * plot_.width();
}

double LayerPercentilesPlot::yOf(double value) const {
  return plot_.bottom() - (value - lo_) / (hi_ - lo_) * plot_.height();
}

void LayerPercentilesPlot::paintPlot(QPainter& painter, const QRectF& area) {
  const QString name = quantityName(quantity());
  const QFontMetricsF fm = paintHeading(
      painter, area,
      {tr("Layer %1: %2 percentiles (min, 7, 16, 31, 50, 69, 84, 93%, max)").arg(layer_).arg(name),
       tr("Layer %1: %2 percentiles").arg(layer_).arg(name), tr("Layer %1 percentiles").arg(layer_)});
  const double left = fm.height() + fm.horizontalAdvance(kWidestValueLabel) + 12;
  plot_ = QRectF(area.left() + left, area.top() + fm.height() + 8, area.width() - left - 16,
                 area.height() - (fm.height() + 8) - 2 * fm.height() - 10);
  if (plot_.width() < 10 || plot_.height() < 10) return;
  painter.setPen(QColor(160, 160, 160));
  painter.drawRect(plot_);
  if (bands_.empty()) {
    painter.setPen(QColor(110, 110, 110));
    drawTextClear(painter, plot_.center(), Qt::AlignCenter, tr("no probes yet"), &texts_);
    return;
  }
  painter.save();
  painter.setClipRect(plot_);
  painter.setRenderHint(QPainter::Antialiasing, true);
  // Outer to inner band: (min, max), (6.68%, 93.32%), (15.87%, 84.13%), (30.85%, 69.15%), each
  // translucent, so the overlap darkens toward the middle as in TensorBoard's distributions.
  for (int k = 0; k < 4; ++k) {
    QPainterPath band;
    band.moveTo(xOf(steps_.front()), yOf(bands_.front()[8 - k]));
    for (std::size_t i = 0; i < steps_.size(); ++i) band.lineTo(xOf(steps_[i]), yOf(bands_[i][8 - k]));
    for (std::size_t i = steps_.size(); i-- > 0;) band.lineTo(xOf(steps_[i]), yOf(bands_[i][k]));
    band.closeSubpath();
    QColor fill = kBandColour;
    fill.setAlphaF(0.22);
    painter.setPen(steps_.size() == 1 ? QPen(fill.darker(), 3) : QPen(Qt::NoPen));
    painter.setBrush(fill);
    painter.drawPath(band);
  }
  QPainterPath median;
  median.moveTo(xOf(steps_.front()), yOf(bands_.front()[4]));
  for (std::size_t i = 0; i < steps_.size(); ++i) median.lineTo(xOf(steps_[i]), yOf(bands_[i][4]));
  painter.setPen(QPen(kBandColour.darker(160), 1.6));
  painter.setBrush(Qt::NoBrush);
  painter.drawPath(median);
  painter.restore();
  drawValueAxis(painter, plot_, lo_, hi_, tr("%1 value").arg(quantityName(quantity())), &texts_);
  drawStepAxis(painter, plot_, double(steps_.front()), double(steps_.back()), &texts_);
  paintCursor(painter, plot_, double(steps_.front()), double(steps_.back()));
}

QString LayerPercentilesPlot::hoverAt(const QPointF& pos) const {
  if (bands_.empty() || !plot_.contains(pos)) return {};
  // The drawn snapshot nearest the cursor's step.
  std::size_t best = 0;
  for (std::size_t i = 1; i < steps_.size(); ++i)
    if (std::abs(xOf(steps_[i]) - pos.x()) < std::abs(xOf(steps_[best]) - pos.x())) best = i;
  const Bands& b = bands_[best];
  return tr("layer %1, step %2\nmax %3\n93%: %4\n84%: %5\n69%: %6\nmedian %7\n31%: %8\n16%: %9\n"
            "7%: %10\nmin %11")
      .arg(layer_)
      .arg(steps_[best])
      .arg(formatNumber(b[8]), formatNumber(b[7]), formatNumber(b[6]), formatNumber(b[5]),
           formatNumber(b[4]), formatNumber(b[3]), formatNumber(b[2]), formatNumber(b[1]),
           formatNumber(b[0]));
}

}  // namespace layerscope
