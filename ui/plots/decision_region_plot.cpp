#include "plots/decision_region_plot.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <cmath>

#include "plots/chart_plot.h"
#include "plots/smooth_range.h"

namespace layerscope {

QColor classColor(int label) {
  static const QColor colors[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
                                  QColor(214, 39, 40),  QColor(148, 103, 189), QColor(140, 86, 75),
                                  QColor(227, 119, 194), QColor(127, 127, 127), QColor(188, 189, 34),
                                  QColor(23, 190, 207)};
  return colors[((label % 10) + 10) % 10];
}

class DecisionCanvas : public QWidget {
 public:
  explicit DecisionCanvas(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setMinimumSize(200, 180);
  }
  void setGrid(const DecisionGrid& grid) {
    grid_ = grid;
    const int r = grid.resolution;
    image_ = QImage(r, r, QImage::Format_RGB32);
    for (int row = 0; row < r; ++row)
      for (int c = 0; c < r; ++c) {
        const size_t i = static_cast<size_t>(row) * r + c;
        const QColor base = classColor(grid.classIndex[i]);
        // Blend towards white by the uncertainty: a confident region is saturated.
        const double k = std::clamp((grid.confidence[i] - 0.3) / 0.7, 0.0, 1.0) * 0.55 + 0.15;
        const QColor mixed = QColor::fromRgbF(1 - k * (1 - base.redF()), 1 - k * (1 - base.greenF()),
                                              1 - k * (1 - base.blueF()));
        image_.setPixel(c, r - 1 - row, mixed.rgb());  // row 0 is yMin: the bottom
      }
    update();
  }
  void setPoints(const PointCloud& points) {
    points_ = points;
    update();
  }
  void clear() {
    grid_ = DecisionGrid{};
    image_ = QImage();
    update();
  }
  const DecisionGrid& grid() const { return grid_; }
  const QImage& image() const { return image_; }
  const PointCloud& points() const { return points_; }

  void paintTo(QPainter& p, const QSize& size) {
    p.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    const int text = QFontMetrics(font()).height();
    p.setPen(Qt::black);
    p.drawText(QRect(0, 2, size.width(), text + 2), Qt::AlignHCenter,
               QObject::tr("Decision regions (2-D data)"));
    p.setFont(font());
    if (grid_.resolution == 0) {
      p.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter, QObject::tr("No 2-D data set"));
      return;
    }
    // A square plot area, so distances look the same along both axes.
    const int side = std::max(10, std::min(size.width() - 60, size.height() - 2 * text - 24));
    area_ = QRectF((size.width() - side) / 2.0 + 16, text + 8, side, side);
    p.setRenderHint(QPainter::SmoothPixmapTransform, true);
    p.drawImage(area_, image_);
    p.setRenderHint(QPainter::Antialiasing, true);
    for (size_t i = 0; i < points_.x.size(); ++i) {
      const QPointF at = toScreen(points_.x[i], points_.y[i]);
      if (!area_.contains(at)) continue;
      p.setPen(QPen(QColor(30, 30, 30), 0.6));
      p.setBrush(classColor(points_.label[i]));
      p.drawEllipse(at, 3.0, 3.0);
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(QColor(120, 120, 120));
    p.drawRect(area_);
    // ticks at nice numbers
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p.setFont(small);
    auto ticks = [](double lo, double hi) {
      std::vector<double> t;
      const double step = niceCeil((hi - lo) / 5);
      for (double v = std::ceil(lo / step) * step; v <= hi; v += step) t.push_back(v);
      return t;
    };
    for (double v : ticks(grid_.xMin, grid_.xMax)) {
      const double x = toScreen(v, grid_.yMin).x();
      p.drawLine(QPointF(x, area_.bottom()), QPointF(x, area_.bottom() + 4));
      p.drawText(QRectF(x - 30, area_.bottom() + 4, 60, text), Qt::AlignHCenter, formatNumber(v));
    }
    for (double v : ticks(grid_.yMin, grid_.yMax)) {
      const double y = toScreen(grid_.xMin, v).y();
      p.drawLine(QPointF(area_.left() - 4, y), QPointF(area_.left(), y));
      p.drawText(QRectF(area_.left() - 46, y - text / 2.0, 40, text), Qt::AlignRight, formatNumber(v));
    }
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    paintTo(p, size());
  }
  void mouseMoveEvent(QMouseEvent* e) override {
    if (grid_.resolution == 0 || !area_.contains(e->position())) {
      QToolTip::hideText();
      return;
    }
    const double fx = (e->position().x() - area_.left()) / area_.width();
    const double fy = (area_.bottom() - e->position().y()) / area_.height();
    const int r = grid_.resolution;
    const int c = std::clamp(static_cast<int>(fx * r), 0, r - 1);
    const int row = std::clamp(static_cast<int>(fy * r), 0, r - 1);
    const size_t i = static_cast<size_t>(row) * r + c;
    QToolTip::showText(e->globalPosition().toPoint(),
                       QObject::tr("(%1, %2): class %3, probability %4")
                           .arg(formatNumber(grid_.xMin + fx * (grid_.xMax - grid_.xMin)))
                           .arg(formatNumber(grid_.yMin + fy * (grid_.yMax - grid_.yMin)))
                           .arg(grid_.classIndex[i]).arg(grid_.confidence[i], 0, 'f', 3),
                       this);
  }

 private:
  QPointF toScreen(double x, double y) const {
    return QPointF(area_.left() + area_.width() * (x - grid_.xMin) / (grid_.xMax - grid_.xMin),
                   area_.bottom() - area_.height() * (y - grid_.yMin) / (grid_.yMax - grid_.yMin));
  }
  DecisionGrid grid_;
  QImage image_;
  PointCloud points_;
  QRectF area_;
};

DecisionRegionPlot::DecisionRegionPlot(QWidget* parent)
    : PlotView(tr("Decision regions"), parent), canvas_(new DecisionCanvas(this)) {
  setContent(canvas_);
}

void DecisionRegionPlot::refresh(const PlotInputs& in) {
  const bool before = applicable();
  if (in.points && in.points->x.size() != canvas_->points().x.size()) canvas_->setPoints(*in.points);
  if (in.snapshotChanged && in.snapshot) {
    if (in.snapshot->decision.resolution > 0 &&
        in.snapshot->decision.classIndex.size() ==
            static_cast<size_t>(in.snapshot->decision.resolution) * in.snapshot->decision.resolution) {
      canvas_->setGrid(in.snapshot->decision);
      countRedraw();
    } else if (canvas_->grid().resolution != 0) {
      canvas_->clear();
    }
  }
  if (before != applicable()) emit applicabilityChanged(applicable());
}

void DecisionRegionPlot::clear() {
  const bool before = applicable();
  canvas_->clear();
  canvas_->setPoints(PointCloud{});
  if (before != applicable()) emit applicabilityChanged(applicable());
}

bool DecisionRegionPlot::applicable() const { return canvas_->grid().resolution > 0; }
const DecisionGrid& DecisionRegionPlot::grid() const { return canvas_->grid(); }
const QImage& DecisionRegionPlot::image() const { return canvas_->image(); }
int DecisionRegionPlot::pointCount() const { return static_cast<int>(canvas_->points().x.size()); }

void DecisionRegionPlot::renderTo(QPainter& painter, const QRectF& target) {
  painter.save();
  painter.translate(target.topLeft());
  const QSize size = canvas_->size();
  painter.scale(target.width() / size.width(), target.height() / size.height());
  canvas_->paintTo(painter, size);
  painter.restore();
}

}  // namespace layerscope
