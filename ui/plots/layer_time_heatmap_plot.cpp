#include "plots/layer_time_heatmap_plot.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "common/number_format.h"
#include "run/snapshot_record.h"
#include "training/stats.h"

namespace layerscope {

namespace {

// The smallest k in 1, 2, 5 x 10^j with k rows at least one text line tall.
int labelEvery(double rowHeight, double textHeight) {
  for (int mag = 1; mag < 1000000; mag *= 10)
    for (int m : {1, 2, 5})
      if (m * mag * rowHeight >= textHeight) return m * mag;
  return 1000000;
}

}  // namespace

QString LayerTimeHeatmapPlot::statisticName(Statistic s) {
  switch (s) {
    case Statistic::ActivationStd: return tr("activation std");
    case Statistic::SaturatedFraction: return tr("saturated fraction");
    case Statistic::DeadFraction: return tr("dead (exactly 0) fraction");
    case Statistic::UpdateRatio: return tr("update ratio ||ΔW|| / ||W||");
    case Statistic::GradientStd: return tr("gradient std (dL/da)");
    case Statistic::EffectiveRank: return tr("effective rank / min(units, samples - 1)");
    case Statistic::GradientSnr: return tr("gradient SNR (dL/dW)");
  }
  return {};
}

QString LayerTimeHeatmapPlot::statisticKey(Statistic s) {
  switch (s) {
    case Statistic::ActivationStd: return QStringLiteral("activation_std");
    case Statistic::SaturatedFraction: return QStringLiteral("saturated_fraction");
    case Statistic::DeadFraction: return QStringLiteral("dead_fraction");
    case Statistic::UpdateRatio: return QStringLiteral("update_ratio");
    case Statistic::GradientStd: return QStringLiteral("gradient_std");
    case Statistic::EffectiveRank: return QStringLiteral("effective_rank");
    case Statistic::GradientSnr: return QStringLiteral("gradient_snr");
  }
  return {};
}

std::optional<LayerTimeHeatmapPlot::Statistic> LayerTimeHeatmapPlot::statisticFromKey(
    const QString& key) {
  if (key.isEmpty()) return Statistic::ActivationStd;
  for (int i = 0; i < kStatistics; ++i)
    if (statisticKey(Statistic(i)) == key) return Statistic(i);
  return std::nullopt;
}

bool LayerTimeHeatmapPlot::logScale(Statistic s) {
  // SNR spans decades (1e-4 noise-dominated to > 1 agreeing examples); the normalized rank is a
  // fraction, linear from 0 so a collapsed layer is always the scale's bottom colour.
  return s == Statistic::ActivationStd || s == Statistic::UpdateRatio ||
         s == Statistic::GradientStd || s == Statistic::GradientSnr;
}

double LayerTimeHeatmapPlot::value(const LayerStats& l, Statistic s) {
  // The fields of training/stats.h, LayerStats, as the probe fills them.
  switch (s) {
    case Statistic::ActivationStd: return l.activation.std;
    case Statistic::SaturatedFraction: return l.saturatedFraction;
    case Statistic::DeadFraction: return l.deadFraction;
    case Statistic::UpdateRatio: return l.updateRatio;
    case Statistic::GradientStd: return l.gradientStd;
    case Statistic::EffectiveRank: return l.effectiveRankNormalized;
    case Statistic::GradientSnr: return l.gradientSnr;
  }
  return std::nan("");
}

LayerTimeHeatmapPlot::LayerTimeHeatmapPlot(QWidget* parent)
    : OverTimePlot(tr("Layer x step heatmap"), parent) {}

void LayerTimeHeatmapPlot::setStatistic(Statistic s) {
  if (s == statistic_) return;
  statistic_ = s;
  invalidate();
}

void LayerTimeHeatmapPlot::forget() {
  layers_.clear();
  steps_.clear();
  values_.clear();
  rows_.clear();
  labels_.clear();
  scale_ = ColourScale{};
}

void LayerTimeHeatmapPlot::extract(const SnapshotRecord& record, int columns) {
  forget();
  const std::vector<StatsSnapshot>& kept = record.snapshots();
  if (kept.empty()) return;
  std::vector<long> probeSteps;
  probeSteps.reserve(kept.size());
  for (const StatsSnapshot& s : kept) probeSteps.push_back(s.step);
  const std::vector<int> index = snapshotPerColumn(probeSteps, columns);
  const StatsSnapshot& newest = kept.back();
  for (const LayerStats& l : newest.layers) layers_.push_back(l.layer);
  const std::size_t rows = layers_.size(), cols = index.size();
  values_.assign(rows * cols, std::nan(""));
  steps_.resize(cols);
  int nonFinite = 0;
  for (std::size_t c = 0; c < cols; ++c) {
    const StatsSnapshot& s = kept[static_cast<std::size_t>(index[c])];
    steps_[c] = s.step;
    for (std::size_t r = 0; r < rows && r < s.layers.size(); ++r) {
      const double v = value(s.layers[r], statistic_);
      values_[r * cols + c] = v;
      // NaN is "no value" (the input's gradient, the update ratio before the first update):
      // grey, not a failure. An infinite value is one: a diverging layer.
      if (std::isinf(v)) ++nonFinite;
    }
  }
  scale_ = ColourScale::fit(values_, logScale(statistic_));
  setNote(nonFinite ? tr("Not drawn: %1 infinite values (grey)").arg(nonFinite) : QString());
}

double LayerTimeHeatmapPlot::valueAt(int row, int column) const {
  const std::size_t cols = steps_.size();
  if (row < 0 || column < 0 || std::size_t(row) >= layers_.size() || std::size_t(column) >= cols)
    return std::nan("");
  return values_[std::size_t(row) * cols + std::size_t(column)];
}

void LayerTimeHeatmapPlot::paintPlot(QPainter& painter, const QRectF& area) {
  rows_.clear();
  labels_.clear();
  const QFontMetricsF fm = paintHeading(
      painter, area,
      {tr("%1 by layer and step%2")
           .arg(statisticName(statistic_), logScale(statistic_) ? tr(" (log colour)") : QString()),
       statisticName(statistic_)});
  const double labelWidth = fm.horizontalAdvance(QStringLiteral("000")) + 6;
  const double barSpace = colourBarSpace(fm);
  plot_ = QRectF(area.left() + fm.height() + labelWidth + 4, area.top() + fm.height() + 8,
                 area.width() - (fm.height() + labelWidth + 4) - barSpace,
                 area.height() - (fm.height() + 8) - 2 * fm.height() - 10);
  bar_ = QRectF(plot_.right() + 10, plot_.top(), kColourBarWidth, plot_.height());
  if (plot_.width() < 10 || plot_.height() < 10) return;
  painter.setPen(QColor(160, 160, 160));
  painter.drawRect(plot_);
  if (layers_.empty() || steps_.empty()) {
    painter.setPen(QColor(110, 110, 110));
    drawTextClear(painter, plot_.center(), Qt::AlignCenter, tr("no probes yet"), &texts_);
    return;
  }
  const int rows = static_cast<int>(layers_.size()), cols = static_cast<int>(steps_.size());
  QImage image(cols, rows, QImage::Format_RGB32);
  for (int r = 0; r < rows; ++r) {
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(r));
    for (int c = 0; c < cols; ++c) line[c] = scale_.rgb(valueAt(r, c));
  }
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  painter.drawImage(plot_, image);

  // Rows and their labels: every k-th layer (k = 1, 2, 5 x 10^j) so labels are at least one
  // text line apart; drawTextClear drops any that would still touch another (the logits row).
  const double rowHeight = plot_.height() / rows;
  const int every = labelEvery(rowHeight, fm.height() + 1);
  painter.setPen(QColor(30, 30, 30));
  for (int r = 0; r < rows; ++r) {
    const QRectF row(plot_.left(), plot_.top() + r * rowHeight, plot_.width(), rowHeight);
    rows_.push_back({layers_[std::size_t(r)], row});
    if (layers_[std::size_t(r)] % every != 0) continue;
    if (drawTextClear(painter, QPointF(plot_.left() - 4, row.center().y()),
                      Qt::AlignRight | Qt::AlignVCenter, QString::number(layers_[std::size_t(r)]),
                      &texts_))
      labels_.push_back(texts_.back());
  }
  // The axis title, up the left side.
  painter.save();
  painter.translate(area.left() + 2, plot_.center().y());
  painter.rotate(-90);
  painter.drawText(QRectF(-plot_.height() / 2, 0, plot_.height(), fm.height()), Qt::AlignCenter,
                   tr("layer (0 = input, %1 = logits)").arg(layers_.back()));
  painter.restore();
  if (selectedLayer() >= 0) {
    for (const PaintedRow& row : rows_)
      if (row.layer == selectedLayer()) {
        painter.setPen(QPen(QColor(230, 30, 30), 1.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(row.row.adjusted(0, -0.5, 0, 0.5));
      }
  }
  drawStepAxis(painter, plot_, double(steps_.front()), double(steps_.back()), &texts_);
  paintCursor(painter, plot_, double(steps_.front()), double(steps_.back()));
  drawColourBar(painter, bar_, scale_, statisticName(statistic_), &texts_);
}

int LayerTimeHeatmapPlot::rowAt(const QPointF& pos) const {
  for (std::size_t i = 0; i < rows_.size(); ++i)
    if (pos.y() >= rows_[i].row.top() && pos.y() < rows_[i].row.bottom() &&
        pos.x() >= rows_[i].row.left() && pos.x() <= rows_[i].row.right())
      return static_cast<int>(i);
  return -1;
}

int LayerTimeHeatmapPlot::columnAt(const QPointF& pos) const {
  if (steps_.empty() || plot_.width() <= 0) return -1;
  const int c = static_cast<int>((pos.x() - plot_.left()) / plot_.width() * double(steps_.size()));
  return c >= 0 && c < int(steps_.size()) ? c : -1;
}

QString LayerTimeHeatmapPlot::hoverAt(const QPointF& pos) const {
  const int r = rowAt(pos), c = columnAt(pos);
  if (r < 0 || c < 0) return {};
  const double v = valueAt(r, c);
  return tr("layer %1, step %2: %3 = %4")
      .arg(layers_[std::size_t(r)])
      .arg(steps_[std::size_t(c)])
      .arg(statisticName(statistic_), std::isnan(v) ? tr("no value") : formatNumber(v));
}

void LayerTimeHeatmapPlot::clickAt(const QPointF& pos) {
  const int r = rowAt(pos);
  if (r >= 0) emit layerClicked(layers_[std::size_t(r)]);
}

}  // namespace layerscope
