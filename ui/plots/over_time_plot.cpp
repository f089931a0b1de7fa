#include "plots/over_time_plot.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "run/snapshot_record.h"

namespace layerscope {

OverTimePlot::OverTimePlot(const QString& title, QWidget* parent)
    : PlotView(title, parent), canvas_(new PaintCanvas(this)) {
  setContent(canvas_);
  canvas_->paint = [this](QPainter& p, const QRectF& r) {
    texts_.clear();
    paintPlot(p, r);
  };
  canvas_->hoverText = [this](const QPointF& pos) { return hoverAt(pos); };
  canvas_->clicked = [this](const QPointF& pos) { clickAt(pos); };
  timer_.setSingleShot(true);
  timer_.setInterval(1000 / kRedrawsPerSecond);
  connect(&timer_, &QTimer::timeout, this, &OverTimePlot::tick);
}

QString OverTimePlot::quantityName(Quantity q) {
  switch (q) {
    case Quantity::PostActivation: return tr("post-activation");
    case Quantity::PreActivation: return tr("pre-activation");
    case Quantity::Gradient: return tr("gradient dL/da");
  }
  return {};
}

OverTimePlot::QuantityData OverTimePlot::quantityOf(const LayerStats& l, Quantity q) {
  const double nan = std::nan("");
  switch (q) {
    case Quantity::PreActivation:
      return {&l.preActivationHistogram, l.preActivation.min, l.preActivation.max};
    case Quantity::Gradient: return {&l.gradientHistogram, nan, nan};
    case Quantity::PostActivation: break;
  }
  return {&l.activationHistogram, l.activation.min, l.activation.max};
}

void OverTimePlot::setQuantity(Quantity q) {
  if (q == quantity_) return;
  quantity_ = q;
  invalidate();
}

int OverTimePlot::shownLayer() const {
  if (selectedLayer_ >= 0 && selectedLayer_ < layerCount_) return selectedLayer_;
  return std::max(0, layerCount_ - 2);  // the last hidden layer (docs/ARCHITECTURE.md numbering)
}

void OverTimePlot::refresh(const PlotInputs& inputs) {
  if (inputs.cursorStep != cursorStep_) {
    cursorStep_ = inputs.cursorStep;
    canvas_->update();  // the cursor moves; what was extracted stays
  }
  if (!inputs.record || !inputs.snapshotChanged) return;
  record_ = inputs.record;
  if (inputs.snapshot) layerCount_ = static_cast<int>(inputs.snapshot->layers.size());
  invalidate();
}

void OverTimePlot::invalidate() {
  dirty_ = true;
  // Coalesce: the first change starts the timer, later ones ride along with it.
  if (isVisible() && !timer_.isActive()) timer_.start();
}

void OverTimePlot::showEvent(QShowEvent* event) {
  PlotView::showEvent(event);
  if (dirty_ && !timer_.isActive()) timer_.start();
}

void OverTimePlot::tick() {
  if (isVisible()) updateNow();  // hidden: stays dirty until shown
}

void OverTimePlot::updateNow() {
  timer_.stop();
  if (record_ && dirty_) {
    const int columns = std::clamp(canvas_->width(), 16, 2000);
    extract(*record_, columns);
  }
  dirty_ = false;
  countRedraw();
  canvas_->repaint();
}

void OverTimePlot::setSelectedLayer(int layer) {
  if (layer == selectedLayer_) return;
  selectedLayer_ = layer;
  invalidate();
}

void OverTimePlot::clear() {
  timer_.stop();
  record_ = nullptr;
  dirty_ = false;
  layerCount_ = 0;
  forget();
  setNote({});
  canvas_->update();
}

void OverTimePlot::renderTo(QPainter& painter, const QRectF& target) {
  if (dirty_) updateNow();
  painter.save();
  painter.translate(target.topLeft());
  painter.setClipRect(QRectF(QPointF(0, 0), target.size()));
  painter.fillRect(QRectF(QPointF(0, 0), target.size()), Qt::white);
  texts_.clear();
  paintPlot(painter, QRectF(QPointF(0, 0), target.size()));
  painter.restore();
  canvas_->update();  // texts_ now describe the export: repaint restores the screen's
}

QFontMetricsF OverTimePlot::paintHeading(QPainter& painter, const QRectF& area,
                                         const std::vector<QString>& headings) {
  QFont font = painter.font();
  font.setPointSizeF(8.5);
  painter.setFont(font);
  const QFontMetricsF fm(font);
  painter.setPen(QColor(30, 30, 30));
  // Shortened to what fits: a clipped title reads as a bug.
  drawTextClear(painter, QPointF(area.left() + 6, area.top() + 2), Qt::AlignLeft | Qt::AlignTop,
                firstThatFits(fm, headings, area.width() - 8), &texts_);
  return fm;
}

void OverTimePlot::paintCursor(QPainter& painter, const QRectF& plot, double first, double last) {
  if (cursorStep_ < 0 || plot.width() <= 0) return;
  const double t = last > first ? (double(cursorStep_) - first) / (last - first) : 1.0;
  const double x = plot.left() + std::clamp(t, 0.0, 1.0) * plot.width();
  painter.save();
  painter.setPen(QPen(QColor(20, 20, 20, 200), 1.5, Qt::DashLine));
  painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
  painter.restore();
}

}  // namespace layerscope
